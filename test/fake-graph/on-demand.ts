/**
 * The fake's provisionOnDemand: `POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/provisionOnDemand`.
 *
 * Shapes, from Microsoft's documented examples:
 * - request `{"parameters":[{"ruleId","subjects":[{"objectId","objectTypeName","links":{"members":[…]}}]}]}` and the
 *   answer, 200 with a stringKeyStringValuePair: `key` = `{"result":"Success"|"Skipped"|…,"details":{errorCode,
 *   errorMessage}}` and `value` = `{"action","provisioningSteps":[{name,type,status,description,timestamp,details}],
 *   "statusInfo","sourceIdentity","targetIdentity","modifiedProperties","reportableIdentifier",…}`, both as JSON
 *   strings; a group's `value` is `"{}"` (microsoftgraph/microsoft-graph-docs-contrib
 *   api-reference/v1.0/api/synchronization-synchronizationjob-provisionondemand.md, examples 1 to 3);
 * - the rate limit, 5 requests per 10 seconds (same page), answered with 429 and Retry-After as Graph throttles;
 * - a group with up to five members (MicrosoftDocs/entra-docs docs/identity/app-provisioning/provision-on-demand.md,
 *   "Known limitations");
 * - a user not assigned: the scoping step skipped with `SkipReason` `NotEffectivelyEntitled`, `Assigned to the
 *   application` False (MicrosoftDocs/entra-docs docs/identity/multi-tenant-organizations/
 *   cross-tenant-synchronization-configure.md, step 11, and application-provisioning-config-problem-no-users-
 *   provisioned.md); the scoping details name each filter "{title} {attribute} {operator} {value}"
 *   (provision-on-demand.md, step 3);
 * - replication lag: "There's a replication delay of up to a few minutes between when an object is assigned to an
 *   application and when that assignment is honored in on-demand provisioning" (provision-on-demand.md, "Step 5",
 *   troubleshooting tips), scripted with {@link FakeOnDemand.sequence}: a new assignment answers as not assigned
 *   (`notEntitled`) for the first calls, then as it is;
 * - on demand works whatever the job's state: "For applications that use a long-lived bearer token […] no more
 *   steps are required" (provision-on-demand.md, "Frequently asked questions"), so the fake answers for a
 *   disabled, paused or active job alike and never changes the job's state.
 * The descriptions and error texts are modelled on Graph's, not copied from it.
 */
import type { FakeJob } from './server';

/** What the fake answers for a subject. */
export type FakeOnDemandOutcome =
  | { readonly kind: 'success' }
  /** Skipped: source and target already match (example 1, RedundantExport). */
  | { readonly kind: 'inSync' }
  /** Skipped: not assigned (or a scoping filter false, named in `filters`). */
  | { readonly kind: 'notEntitled'; readonly filters?: Readonly<Record<string, 'True' | 'False'>> }
  /** The export failed with Graph's error code. */
  | { readonly kind: 'failure'; readonly errorCode: string; readonly reason: string };

type Send = (status: number, body?: unknown, headers?: Record<string, string>) => void;
type Fail = (status: number, code: string, message: string, headers?: Record<string, string>) => void;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** provisionOnDemand state of the fake: outcomes by subject, the rate limiter, and users' display names. */
export class FakeOnDemand {
  /** Outcome by subject object id (lower case); success when absent. */
  readonly outcomes = new Map<string, FakeOnDemandOutcome>();
  /** Outcomes to answer first, in order, by subject (lower case); then {@link outcomes} applies. */
  private readonly pending = new Map<string, FakeOnDemandOutcome[]>();
  /** User requests answered (not throttled), by subject (lower case). */
  readonly answered = new Map<string, number>();
  /** User principal names by object id, for the answer's identifiers. */
  readonly userPrincipalNames = new Map<string, string>();
  /** Graph's documented limit; tests may shorten the window. */
  rateLimit = { requests: 5, windowMs: 10_000 };
  private readonly calls = new Map<string, number[]>();

  /** Sets the outcome for a subject. */
  outcome(objectId: string, outcome: FakeOnDemandOutcome): void {
    this.outcomes.set(objectId.toLowerCase(), outcome);
  }

  /**
   * Answers `first` in order to the next requests for the subject, then `then` (replication lag: a new
   * assignment is "not effectively entitled" a few times, then provisioned).
   */
  sequence(objectId: string, first: readonly FakeOnDemandOutcome[], then: FakeOnDemandOutcome): void {
    this.pending.set(objectId.toLowerCase(), [...first]);
    this.outcomes.set(objectId.toLowerCase(), then);
  }

  /** Forgets outcomes and the rate limiter's history, and restores the documented limit. */
  reset(): void {
    this.outcomes.clear();
    this.pending.clear();
    this.answered.clear();
    this.userPrincipalNames.clear();
    this.calls.clear();
    this.rateLimit = { requests: 5, windowMs: 10_000 };
  }

  /** Answers one request. */
  handle(job: FakeJob, body: unknown, send: Send, fail: Fail, now: number = Date.now()): void {
    const recent = (this.calls.get(job.id) ?? []).filter((t) => now - t < this.rateLimit.windowMs);
    if (recent.length >= this.rateLimit.requests) {
      const retryAfter = Math.max(1, Math.ceil((this.rateLimit.windowMs - (now - recent[0]!)) / 1000));
      this.calls.set(job.id, recent);
      return fail(429, 'TooManyRequests', 'Too many requests: provisionOnDemand allows 5 requests per 10 seconds.', {
        'Retry-After': String(retryAfter),
      });
    }
    recent.push(now);
    this.calls.set(job.id, recent);

    const parameters = (body as { parameters?: unknown } | undefined)?.parameters;
    if (!Array.isArray(parameters) || parameters.length !== 1) {
      return fail(400, 'BadRequest', 'parameters must be a list with one synchronizationJobApplicationParameters.');
    }
    const p = parameters[0] as { ruleId?: unknown; subjects?: unknown };
    const rules = (job.schema.synchronizationRules ?? []).map((r) => r.id);
    if (typeof p.ruleId !== 'string' || !rules.includes(p.ruleId)) {
      return fail(400, 'BadRequest', `The ruleId '${String(p.ruleId)}' is not a synchronization rule of this job.`);
    }
    if (!Array.isArray(p.subjects) || p.subjects.length !== 1) {
      return fail(400, 'BadRequest', 'subjects must hold one user or one group.');
    }
    const s = p.subjects[0] as { objectId?: unknown; objectTypeName?: unknown; links?: { members?: unknown } };
    if (typeof s.objectId !== 'string' || !GUID.test(s.objectId)) {
      return fail(400, 'BadRequest', `The objectId '${String(s.objectId)}' is not valid.`);
    }
    if (s.objectTypeName !== 'User' && s.objectTypeName !== 'Group') {
      return fail(400, 'BadRequest', `The objectTypeName '${String(s.objectTypeName)}' is not supported.`);
    }
    if (s.objectTypeName === 'Group') {
      const members = s.links?.members ?? [];
      if (!Array.isArray(members) || members.length > 5) {
        return fail(400, 'BadRequest', 'On-demand provisioning accepts a single group with up to 5 members.');
      }
      // Example 3: a group's answer carries its result and no step detail.
      return send(200, {
        '@odata.context':
          'https://syncfabric.windowsazure.com/api/$metadata#microsoft.synchronization.stringKeyStringValuePair',
        key: JSON.stringify({ result: 'Success', details: {} }),
        value: '{}',
      });
    }
    const subject = s.objectId.toLowerCase();
    this.answered.set(subject, (this.answered.get(subject) ?? 0) + 1);
    const outcome = this.pending.get(subject)?.shift() ?? this.outcomes.get(subject) ?? { kind: 'success' };
    const upn = this.userPrincipalNames.get(s.objectId.toLowerCase()) ?? `${s.objectId.slice(0, 8)}@fake.contoso.com`;
    return send(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.stringKeyStringValuePair',
      ...userAnswer(s.objectId, upn, outcome, new Date(now).toISOString()),
    });
  }
}

function userAnswer(
  objectId: string,
  upn: string,
  outcome: FakeOnDemandOutcome,
  at: string,
): { key: string; value: string } {
  const step = (name: string, type: string, status: string, description: string, details: Record<string, string>) => ({
    name,
    type,
    status,
    description,
    timestamp: at,
    details,
  });
  const entitled = outcome.kind !== 'notEntitled';
  const filters = outcome.kind === 'notEntitled' ? (outcome.filters ?? {}) : {};
  const filtersPass = Object.values(filters).every((v) => v === 'True');
  const assigned = outcome.kind !== 'notEntitled' || Object.keys(filters).length > 0;
  const steps = [
    step('EntryImport', 'Import', 'Success', `Retrieved User '${upn}' from Azure Active Directory`, {
      objectId,
      userPrincipalName: upn,
      IsSoftDeleted: 'False',
    }),
    step(
      'EntrySynchronizationScoping',
      'Scoping',
      entitled ? 'Success' : 'Skipped',
      entitled
        ? 'Determine if User in scope by evaluating against each scoping filter'
        : `The User '${upn}' will be skipped: ${assigned ? 'a scoping filter excludes it' : 'it is not assigned to the application'}.`,
      {
        ...(entitled ? {} : { SkipReason: 'NotEffectivelyEntitled' }),
        IsActive: 'True',
        Assigned: assigned ? 'True' : 'False',
        IsEffectivelyEntitledForProvisioning: entitled && filtersPass ? 'True' : 'False',
        ...filters,
      },
    ),
  ];
  if (entitled) {
    steps.push(step('EntryImport', 'Matching', 'Success', `Retrieved '${upn}' from customappsso`, {}));
    if (outcome.kind === 'success') {
      steps.push(step('EntryExportAdd', 'Export', 'Success', `User '${upn}' was created in customappsso`, {}));
    } else if (outcome.kind === 'inSync') {
      steps.push(
        step(
          'EntrySynchronizationSkip',
          'Export',
          'Skipped',
          `The state of the user in both the source and target systems already match. No change to the User '${upn}' currently needs to be made.`,
          { SkipReason: 'RedundantExport' },
        ),
      );
    } else if (outcome.kind === 'failure') {
      steps.push(step('EntryExportAdd', 'Export', 'Failure', `Failed to create User '${upn}' in customappsso`, {}));
    }
  }
  const result = outcome.kind === 'success' ? 'Success' : outcome.kind === 'failure' ? 'Failure' : 'Skipped';
  const details =
    outcome.kind === 'inSync'
      ? {
          errorCode: 'RedundantExport',
          errorMessage: 'The state of the user in both the source and target systems already match.',
        }
      : outcome.kind === 'notEntitled'
        ? { errorCode: 'NotEffectivelyEntitled', errorMessage: 'The user is not in scope for provisioning.' }
        : outcome.kind === 'failure'
          ? { errorCode: outcome.errorCode, errorMessage: outcome.reason }
          : {};
  const value = {
    action: outcome.kind === 'success' || outcome.kind === 'failure' ? 'Create' : 'Other',
    changeId: `fake-change-${objectId.slice(0, 8)}`,
    endTime: at,
    modifiedProperties: [
      { displayName: 'objectId', oldValue: null, newValue: objectId },
      { displayName: 'userPrincipalName', oldValue: null, newValue: upn },
    ],
    provisioningSteps: steps,
    reportableIdentifier: upn,
    startTime: at,
    statusInfo: {
      status: result,
      errorCode: outcome.kind === 'failure' ? outcome.errorCode : null,
      reason: outcome.kind === 'failure' ? outcome.reason : null,
      additionalDetails: null,
      errorCategory: outcome.kind === 'failure' ? 'NonServiceFailure' : null,
      recommendedAction: null,
    },
    sourceIdentity: { id: objectId, type: 'User', displayName: null, details: null },
    sourceSystem: { id: null, name: 'Azure Active Directory', details: null },
    targetIdentity: {
      id: outcome.kind === 'success' ? `rollbar-${objectId.slice(0, 8)}` : null,
      type: 'urn:ietf:params:scim:schemas:core:2.0:User',
      displayName: null,
      details: null,
    },
    targetSystem: { id: null, name: 'customappsso', details: null },
  };
  return { key: JSON.stringify({ result, details }), value: JSON.stringify(value) };
}
