/**
 * The canary: the Rollbar tutorial's "test with a single user first", as a deploy step. One user is provisioned on
 * demand after the credentials and mappings are in place and before provisioning is switched on; a failure stops
 * the deploy there.
 *
 * Why before the start, and while a new job is still disabled: Microsoft documents that on-demand provisioning needs
 * no change to the job for an app that authorizes with a long-lived bearer token ("Do you need to turn provisioning
 * off to use on-demand provisioning? For applications that use a long-lived bearer token or a user name and
 * password for authorization, no more steps are required"), and that only OAuth apps need the job *stopped*, so it
 * works on a job that is not running; the admin center offers it as soon as the admin credentials are provided
 * (MicrosoftDocs/entra-docs docs/identity/app-provisioning/provision-on-demand.md, "How to use on-demand
 * provisioning" steps 4 and 5, and "Frequently asked questions"). Rollbar authorizes with its SCIM token, a bearer
 * token (reference graph-and-rollbar.md).
 *
 * Replication lag: "There's a replication delay of up to a few minutes between when an object is assigned to an
 * application and when that assignment is honored in on-demand provisioning" (same page, step 5, troubleshooting).
 * So a skip as not effectively entitled, with the user not (yet) seen as assigned, is retried for a bounded time
 * ({@link CANARY_LAG_WAIT_ENV}), but only while the assignment may be new: when the user's own assignment to the app
 * is older than the bound, the skip is real and fails at once. A skip by a scoping filter (the user is assigned) is
 * never retried.
 *
 * The step never pauses, starts or restarts the job: a failed canary on a running job fails the deploy and says the
 * job was left running.
 */
import type { AppRoleAssignment, SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { servicePrincipalObjectId } from './ids';
import { readJob } from './job';
import { formatOnDemand, provisionOnDemand, type OnDemandResult } from './on-demand';
import { afterReplication } from './replication';
import { APP_ROLE_ASSIGNMENT } from './shapes';

/** The environment variable that bounds the wait for a new assignment to reach on-demand provisioning. */
export const CANARY_LAG_WAIT_ENV = 'ROLLBAR_CANARY_LAG_WAIT_MS';

/** The lag wait's default and range, in ms: five minutes ("up to a few minutes"), at most thirty. */
export const CANARY_LAG_WAIT = { default: 300_000, min: 0, max: 1_800_000 } as const;

/** Arguments of {@link runCanary}. */
export interface CanaryArgs {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  /** The canary user's object id. */
  readonly principalObjectId: string;
  /** Provisioning declared on. Off: the canary waits for the deploy that switches it on, and calls nothing. */
  readonly enabled: boolean;
  /** @default - {@link canaryLagWait} of the environment */
  readonly lagWaitMs?: number;
}

/** What the canary did. */
export interface CanaryResult {
  /** `provisioned` or `inSync` (Graph's RedundantExport), or `off` when provisioning is declared off. */
  readonly outcome: 'provisioned' | 'inSync' | 'off';
  /** provisionOnDemand requests answered. */
  readonly attempts: number;
  /** The job's schedule state as the step found it (`Disabled`, `Active`…); empty when off. */
  readonly jobState: string;
  readonly result?: OnDemandResult;
}

/**
 * {@link CANARY_LAG_WAIT_ENV} from `env`: a whole number of ms within {@link CANARY_LAG_WAIT}, else the default
 * (a value outside the range is clamped; either is said through `log`).
 */
export function canaryLagWait(env: NodeJS.ProcessEnv, log: (line: string) => void = () => undefined): number {
  const raw = env[CANARY_LAG_WAIT_ENV]?.trim();
  if (raw === undefined || raw === '') return CANARY_LAG_WAIT.default;
  if (!/^\d+$/.test(raw)) {
    log(`${CANARY_LAG_WAIT_ENV}=${raw} is not a whole number; using the default, ${CANARY_LAG_WAIT.default}.`);
    return CANARY_LAG_WAIT.default;
  }
  const value = Number(raw);
  const clamped = Math.min(CANARY_LAG_WAIT.max, Math.max(CANARY_LAG_WAIT.min, value));
  if (clamped !== value) {
    log(`${CANARY_LAG_WAIT_ENV}=${raw} is outside ${CANARY_LAG_WAIT.min}..${CANARY_LAG_WAIT.max}; using ${clamped}.`);
  }
  return clamped;
}

/**
 * Provisions the canary user on demand and resolves when Graph provisioned it (or found it already in sync).
 * @throws RollbarProvisioningError CANARY_FAILED (Graph's result is a failure) or CANARY_NOT_ENTITLED (skipped, and
 *   not replication lag, or still so at the bound), with Graph's steps and what became of the job
 */
export async function runCanary(client: GraphClient, a: CanaryArgs): Promise<CanaryResult> {
  const user = a.principalObjectId.toLowerCase();
  if (!a.enabled) {
    client.log(`Canary ${user}: provisioning is declared off; the canary runs when a deploy switches it on.`);
    return { outcome: 'off', attempts: 0, jobState: '' };
  }
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const lagWaitMs = a.lagWaitMs ?? CANARY_LAG_WAIT.default;
  const job = await afterReplication(client, `job '${a.jobId}' of service principal '${oid}'`, () =>
    readJob(client, { servicePrincipalId: oid, jobId: a.jobId }),
  );
  const jobState = stateOf(job);
  const started = Date.now();
  let assignment: AssignmentAge | undefined;
  for (let attempt = 1; ; attempt++) {
    const result = await provisionOnDemand(client, {
      servicePrincipalId: oid,
      jobId: a.jobId,
      subject: { user },
    });
    if (result.ok) {
      client.log(`Canary ${user}: ${result.outcome === 'inSync' ? 'already in sync' : 'provisioned'} in Rollbar.`);
      return { outcome: result.outcome === 'inSync' ? 'inSync' : 'provisioned', attempts: attempt, jobState, result };
    }
    if (result.outcome === 'failed') throw canaryError(result, jobState, attempt, undefined);
    if (!notYetAssigned(result)) {
      throw canaryError(result, jobState, attempt, 'Graph sees the user as assigned, so this is not replication lag.');
    }
    assignment ??= await assignmentAge(client, oid, user, lagWaitMs);
    if (assignment.kind === 'old') {
      throw canaryError(
        result,
        jobState,
        attempt,
        `The user's assignment dates from ${assignment.createdDateTime}, longer ago than the replication lag ` +
          `allowance (${seconds(lagWaitMs)}), so this is not replication lag.`,
      );
    }
    const waited = Date.now() - started;
    if (waited >= lagWaitMs) {
      throw canaryError(
        result,
        jobState,
        attempt,
        `Still so after ${seconds(waited)} and ${attempt} attempts (${CANARY_LAG_WAIT_ENV} allows ${seconds(lagWaitMs)} ` +
          'for a new assignment to reach on-demand provisioning).',
      );
    }
    if (attempt === 1) {
      client.log(
        `Canary ${user}: skipped as not assigned, ${assignment.kind === 'new' ? 'and its assignment is new' : 'and no direct assignment is visible yet'}; ` +
          `Microsoft documents a replication delay of up to a few minutes. Retrying for up to ${seconds(lagWaitMs)} (${CANARY_LAG_WAIT_ENV})…`,
      );
    }
    await client.backoff(attempt);
  }
}

/** Whether the user's assignment can still be replicating: new, not visible yet (or through a group), or old. */
type AssignmentAge =
  { readonly kind: 'new' } | { readonly kind: 'unseen' } | { readonly kind: 'old'; readonly createdDateTime: string };

/**
 * The age of the user's newest direct assignment to the app (`appRoleAssignedTo`, whose items carry
 * `createdDateTime`). None visible means "maybe new": the list itself lags for recent assignments
 * (api/serviceprincipal-list-approleassignedto.md: "might have replication delays for app role assignments that
 * were recently granted"), and a group's member has none of its own. A read that fails counts as unseen.
 */
async function assignmentAge(
  client: GraphClient,
  oid: string,
  user: string,
  lagWaitMs: number,
): Promise<AssignmentAge> {
  let assignments: AppRoleAssignment[];
  try {
    assignments = await client.list(`/servicePrincipals/${oid}/appRoleAssignedTo?$top=999`, {
      shape: APP_ROLE_ASSIGNMENT,
    });
  } catch (e) {
    client.log(`Canary ${user}: could not read the app's assignments (${(e as Error).message}); treating it as new.`);
    return { kind: 'unseen' };
  }
  const created = assignments
    .filter((x) => x.principalId?.toLowerCase() === user && typeof x.createdDateTime === 'string')
    .map((x) => x.createdDateTime!)
    .sort();
  const newest = created[created.length - 1];
  if (newest === undefined) return { kind: 'unseen' };
  const at = Date.parse(newest);
  return Number.isNaN(at) || Date.now() - at < lagWaitMs ? { kind: 'new' } : { kind: 'old', createdDateTime: newest };
}

/**
 * A skip that replication lag explains: not effectively entitled, and the scoping step does not see the user as
 * assigned (Graph names that detail `Assigned` or `Assigned to the application`). A skip with the user assigned
 * is a scoping filter's, which waiting does not change.
 */
function notYetAssigned(r: OnDemandResult): boolean {
  const entitlement = [r.errorCode, ...r.steps.map((s) => s.details.SkipReason)].some(
    (c) => c === 'NotEffectivelyEntitled',
  );
  if (!entitlement) return false;
  const assigned = r.steps
    .filter((s) => s.type.toLowerCase() === 'scoping')
    .flatMap((s) => Object.entries(s.details).filter(([k]) => /^assigned/i.test(k)))
    .map(([, v]) => v.toLowerCase());
  return !assigned.includes('true');
}

function stateOf(job: SynchronizationJob): string {
  return job.schedule?.state ?? job.status?.code ?? 'Unknown';
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The deploy's stop: Graph's verdict and steps, what became of the job, and what to do. */
function canaryError(
  r: OnDemandResult,
  jobState: string,
  attempts: number,
  why: string | undefined,
): RollbarProvisioningError {
  const running = jobState === 'Active';
  const job = running
    ? `The job is running (${jobState}) and was left running: the canary never pauses it. Fix the cause before the next cycle reaches everyone.`
    : `Provisioning stays off: the job is ${jobState} and was not started.`;
  const failed = r.outcome === 'failed';
  const value = [r.result, r.errorCode, r.errorMessage].filter(Boolean).join(': ');
  const error = new RollbarProvisioningError(
    [
      problem(
        failed ? 'CANARY_FAILED' : 'CANARY_NOT_ENTITLED',
        'canary.principalObjectId',
        failed ? 'be provisioned on demand without a failure' : 'be in scope for provisioning',
        value,
        [
          why,
          job,
          failed
            ? 'Graph says why in the steps below; fix the mapping or the credentials, then deploy again (rollbar-provisioning provision-on-demand --user tries it alone).'
            : 'Assign the user to the Rollbar app (directly, or through a group it is a direct member of) or fix the scoping filter named below, then deploy again.',
        ]
          .filter((x): x is string => x !== undefined)
          .join(' '),
      ),
    ],
    `The canary user ${r.objectId} was not provisioned on demand (${attempts} attempt${attempts === 1 ? '' : 's'})`,
  );
  // Graph's steps, as provision-on-demand prints them: what the deploy output must show.
  error.message = `${error.message}\nGraph's answer:\n${formatOnDemand(r).trimEnd()}`;
  return error;
}
