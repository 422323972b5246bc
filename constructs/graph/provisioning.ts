import type {
  SynchronizationJob,
  SynchronizationJobRestartCriteria,
  SynchronizationJobRestartScope,
} from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError, shownCode } from './errors';
import { jobPath, servicePrincipalObjectId, unknownJobHint } from './ids';
import { withJobLock } from './job-lock';
import { afterReplication } from './replication';
import { NO_CONTENT, SYNCHRONIZATION_JOB } from './shapes';

/**
 * What the step does with a job quarantined for too many deletions (reason `TooManyDeletes`):
 * - `stop` (the default): nothing; the step fails with the reason and the ways out. Microsoft leaves the choice
 *   to an admin: allow the deletions, or fix the cause and restart (MS-Entra accidental-deletions.md); a restart
 *   without either only trips the threshold again and hides the reason.
 * - `restart`: restart with `QuarantineState`, after the cause was fixed or the threshold raised.
 * - `force-deletes`: restart with `ForceDeletes, QuarantineState`, which "forces the system to delete the pending
 *   deleted users" (MS-Graph synchronization-synchronizationjobrestartcriteria.md): the portal's Allow deletes.
 */
export type TooManyDeletesAction = 'stop' | 'restart' | 'force-deletes';

/** The environment variable that sets {@link TooManyDeletesAction} for the deploy step. */
export const TOO_MANY_DELETES_ENV = 'ROLLBAR_TOO_MANY_DELETES';

/**
 * The action named by `ROLLBAR_TOO_MANY_DELETES` (`stop` when unset).
 * @throws RollbarProvisioningError INVALID_INPUT for another value
 */
export function tooManyDeletesAction(env: NodeJS.ProcessEnv = process.env): TooManyDeletesAction {
  const raw = (env[TOO_MANY_DELETES_ENV] ?? '').trim().toLowerCase();
  if (raw === '') return 'stop';
  if (raw === 'stop' || raw === 'restart' || raw === 'force-deletes') return raw;
  throw new RollbarProvisioningError([
    problem(
      'INVALID_INPUT',
      TOO_MANY_DELETES_ENV,
      'be stop, restart or force-deletes',
      env[TOO_MANY_DELETES_ENV],
      'Unset it to stop at a TooManyDeletes quarantine, or name how to leave it.',
    ),
  ]);
}

/** What `setProvisioning` did. */
export type ProvisioningAction = 'start' | 'restart' | 'pause' | 'none';

/** The schedule state each action leaves the job in. */
const STATE_AFTER: Readonly<Record<Exclude<ProvisioningAction, 'none'>, string>> = {
  start: 'Active',
  restart: 'Active',
  pause: 'Paused',
};

/**
 * The portal's Provisioning Status On/Off, made idempotent. On: start a disabled or paused job; restart a
 * quarantined one with `QuarantineState` (the fix after a credentials change), except a `TooManyDeletes`
 * quarantine, which stops the step unless `tooManyDeletes` says how to leave it; leave an active one alone,
 * because Graph warns that repeated starts on a running job can stop the service. Off: pause an active job.
 * Returns the schedule state the job is left in.
 *
 * The actions are not idempotent, so the client never resends them on its own. When one fails without a clear
 * answer (a 5xx, a timeout, a lost connection), the job is read again and the decision made again: a start that
 * took effect is not sent twice. After a timeout, a lost connection or a 504 the request may still be on its
 * way, so the same action is never sent again in this run; the job is only re-read, up to the client's retry
 * bound, until the action shows.
 *
 * Every action is decided on a read made immediately before it, under a per-job lock that serializes runs on
 * this machine (see job-lock.ts for why, and its limit: one job belongs to one state).
 */
export async function setProvisioning(
  client: GraphClient,
  a: {
    readonly servicePrincipalId: string;
    readonly jobId: string;
    readonly enabled: boolean;
    /** @default 'stop' (see {@link TooManyDeletesAction}) */
    readonly tooManyDeletes?: TooManyDeletesAction;
  },
): Promise<{ state: string; action: ProvisioningAction }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  // Serialized with other runs on this machine (job-lock.ts): the read below and the action it decides are then
  // one step, so two runs cannot both read "Disabled" and both start.
  return withJobLock({ graphRoot: client.baseUrl, servicePrincipalId: oid, jobId: a.jobId }, client.log, () =>
    decideAndSend(client, oid, a),
  );
}

async function decideAndSend(
  client: GraphClient,
  oid: string,
  a: { readonly jobId: string; readonly enabled: boolean; readonly tooManyDeletes?: TooManyDeletesAction },
): Promise<{ state: string; action: ProvisioningAction }> {
  const path = jobPath(oid, a.jobId);
  const notFound = unknownJobHint(oid, a.jobId);
  // The last action sent whose outcome is unknown.
  let unsure: { readonly action: Exclude<ProvisioningAction, 'none'>; readonly error: GraphError } | undefined;
  for (let round = 0; ; round++) {
    if (round > 0) await client.backoff(round);
    // Read immediately before deciding and sending: the decision is never made on an older read. The first read
    // waits for a job created moments ago to become visible (replication.ts).
    const read = (): Promise<SynchronizationJob> => client.get(path, { shape: SYNCHRONIZATION_JOB, notFound });
    const job =
      round === 0
        ? await afterReplication(client, `job '${a.jobId}' of service principal '${oid}'`, read)
        : await read();
    const { action, state } = decide(job, a.enabled);
    const forceDeletes = action === 'restart' && tooManyDeletes(job);
    if (forceDeletes && (a.tooManyDeletes ?? 'stop') === 'stop') throw tooManyDeletesError(job, a.jobId);
    if (action === 'none') return { state, action: unsure?.action ?? 'none' };
    if (unsure !== undefined && unsure.action === action && mayStillArrive(unsure.error)) {
      if (round < client.maxRetries) continue;
      throw stillUnapplied(unsure.action, unsure.error, state, round + 1);
    }
    try {
      await send(client, path, notFound, action, forceDeletes && a.tooManyDeletes === 'force-deletes');
      return { state: STATE_AFTER[action], action };
    } catch (e) {
      if (!(e instanceof GraphError) || !outcomeUnknown(e) || round >= client.maxRetries) throw e;
      unsure = { action, error: e };
      client.log(
        `The ${action} request failed (${failure(e)}); reading the job again before deciding whether to resend it…`,
      );
    }
  }
}

/** What {@link readProvisioning} found. */
export interface LiveProvisioning {
  /** The job's schedule state (`Active`, `Paused`, `Disabled`), or its status code when Graph sends none. */
  readonly state: string;
  /** The job's status code (`Active`, `Paused`, `Quarantine`…; `Unknown` when Graph sends none). */
  readonly statusCode: string;
  /** Provisioning is switched on: the schedule is active (a quarantined job is on, and failing). */
  readonly enabled: boolean;
  /** The quarantine's reason, when the job is quarantined. */
  readonly quarantineReason?: string;
  /** What `setProvisioning` with `enabled` would do now; `none` for a TooManyDeletes quarantine, which waits for an admin. */
  readonly action: ProvisioningAction;
  /** What differs from `enabled`, one line each, and a TooManyDeletes quarantine (reported, never repaired). */
  readonly drift: string[];
}

/**
 * Read-only: the job's state against the desired `enabled` (what Pulumi's `diff` and `refresh` read). A
 * quarantine other than TooManyDeletes is drift that a deploy repairs (restart with QuarantineState); a
 * TooManyDeletes quarantine is reported and left to an admin, so it never makes a deploy fail or repeat.
 */
export async function readProvisioning(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string; readonly enabled: boolean },
): Promise<LiveProvisioning> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const job = await client.get(jobPath(oid, a.jobId), {
    shape: SYNCHRONIZATION_JOB,
    notFound: unknownJobHint(oid, a.jobId),
  });
  const { action: next, state } = decide(job, a.enabled);
  const statusCode = job.status?.code ?? 'Unknown';
  const reason = statusCode === 'Quarantine' ? (job.status?.quarantine?.reason ?? undefined) : undefined;
  const tooManyDeletes = reason === 'TooManyDeletes';
  const action = tooManyDeletes && next === 'restart' ? 'none' : next;
  const drift: string[] = [];
  if (action === 'start') drift.push(`the job is ${state}, provisioning is declared on`);
  if (action === 'pause') drift.push(`the job is ${state}, provisioning is declared off`);
  if (action === 'restart') drift.push(`the job is quarantined (${reason ?? 'no reason given'}); a deploy restarts it`);
  if (tooManyDeletes) {
    drift.push(
      'the job is quarantined for TooManyDeletes: review the provisioning logs, then allow the deletions in the ' +
        'portal or raise accidentalDeletionThreshold; a deploy does not lift it',
    );
  }
  return {
    state,
    statusCode,
    enabled: job.schedule?.state === 'Active' || (job.schedule?.state == null && statusCode === 'Active'),
    ...(reason !== undefined && { quarantineReason: reason }),
    action,
    drift,
  };
}

/** What `setProvisioning` would do to `job` (the plan-time read asks the same question). Pure. */
export function decide(job: SynchronizationJob, enabled: boolean): { action: ProvisioningAction; state: string } {
  const state = job.schedule?.state ?? undefined;
  const code = job.status?.code ?? undefined;
  // A job with no schedule state is judged by its status code, and never started unless clearly stopped.
  const active = state === 'Active' || (state === undefined && code === 'Active');
  const stopped = state === 'Disabled' || state === 'Paused';
  const quarantined = code === 'Quarantine';
  let action: ProvisioningAction = 'none';
  if (enabled) {
    if (stopped) action = 'start';
    else if (quarantined) action = 'restart';
  } else if (active) {
    action = 'pause';
  }
  return { action, state: state ?? code ?? 'Unknown' };
}

function tooManyDeletes(job: SynchronizationJob): boolean {
  return job.status?.quarantine?.reason === 'TooManyDeletes';
}

/**
 * The step's stop at a TooManyDeletes quarantine: the reason, how many deletions Graph holds back (as far as the
 * job says: the threshold from its settings, Graph's own quarantine message), and the ways out.
 */
function tooManyDeletesError(job: SynchronizationJob, jobId: string): RollbarProvisioningError {
  const q = job.status?.quarantine;
  const threshold = job.synchronizationJobSettings?.find((s) => s.name === 'QuarantineTooManyDeletesThreshold')?.value;
  const details = [
    q?.currentBegan ? `since ${q.currentBegan}` : undefined,
    threshold ? `deletion threshold ${threshold}` : undefined,
    q?.error?.message ? `Graph says: ${q.error.message}` : undefined,
  ].filter((d): d is string => d !== undefined);
  return new RollbarProvisioningError(
    [
      problem(
        'TOO_MANY_DELETES',
        'provisioningEnabled',
        'find a job it may start, but Entra quarantined it: a cycle would delete or disable more accounts than the accidental-deletion threshold allows',
        q?.reason ?? 'TooManyDeletes',
        `${details.length > 0 ? `Quarantine: ${details.join('; ')}. ` : ''}` +
          'The pending deletions are listed in the provisioning logs (rollbar-provisioning logs --failed, or the portal, ' +
          'Action StagedDelete). Either they are wanted: allow them (portal: Allow deletes, or ' +
          'rollbar-provisioning restart --scope force-deletes, or deploy with ROLLBAR_TOO_MANY_DELETES=force-deletes); ' +
          'or they are not: fix the cause (assignments, scoping filters) or raise accidentalDeletionThreshold, then ' +
          'restart (rollbar-provisioning restart --scope quarantine, or deploy with ROLLBAR_TOO_MANY_DELETES=restart). ' +
          'The deploy does not lift this quarantine by itself: it would only trip again and hide the reason.',
      ),
    ],
    `Provisioning job '${jobId}' is quarantined for too many deletions; nothing was restarted`,
  );
}

async function send(
  client: GraphClient,
  path: string,
  notFound: string,
  action: Exclude<ProvisioningAction, 'none'>,
  forceDeletes = false,
): Promise<void> {
  if (action === 'start') {
    client.log('Starting the provisioning job…');
    await client.request({ method: 'POST', path: `${path}/start`, shape: NO_CONTENT, notFound, idempotent: false });
  } else if (action === 'restart') {
    const resetScope = forceDeletes ? 'ForceDeletes, QuarantineState' : 'QuarantineState';
    client.log(`Restarting the quarantined provisioning job (resetScope ${resetScope})…`);
    // resetScope is "a comma-separated combination" (MS-Graph synchronization-synchronizationjobrestartcriteria.md);
    // the typings list the single values only.
    const criteria: SynchronizationJobRestartCriteria = { resetScope: resetScope as SynchronizationJobRestartScope };
    await client.request({
      method: 'POST',
      path: `${path}/restart`,
      body: { criteria },
      shape: NO_CONTENT,
      notFound,
      idempotent: false,
    });
  } else {
    client.log('Pausing the provisioning job…');
    await client.request({ method: 'POST', path: `${path}/pause`, shape: NO_CONTENT, notFound, idempotent: false });
  }
}

/** Graph may or may not have acted: it failed (5xx), or its answer never came. */
function outcomeUnknown(e: GraphError): boolean {
  return mayStillArrive(e) || (e.status !== undefined && e.status >= 500);
}

/** The request may still be on its way to Graph's backend: resending it could make it arrive twice. */
function mayStillArrive(e: GraphError): boolean {
  return e.code === 'GRAPH_TIMEOUT' || e.code === 'GRAPH_NETWORK_ERROR' || e.status === 504;
}

function failure(e: GraphError): string {
  return e.status === undefined ? e.code : `HTTP ${e.status} ${shownCode(e)}`;
}

function stillUnapplied(action: string, e: GraphError, state: string, reads: number): GraphError {
  return e.withMessage(
    `${e.message} The job is still ${state} after ${reads} reads; Graph may yet apply the ${action}, so it was not ` +
      `sent again. Run the step again in a few minutes: it sends ${action} only if the job still needs it.`,
  );
}
