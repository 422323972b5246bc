/**
 * Provision on demand: one user, or one group with up to five of its members, provisioned now instead of at the
 * next cycle (the Rollbar tutorial's "test with a single user first"). Graph's action is
 * `POST /servicePrincipals/{id}/synchronization/jobs/{jobId}/provisionOnDemand` (MS-Graph
 * api-reference/v1.0/api/synchronization-synchronizationjob-provisionondemand.md): the body names the
 * synchronization rule (`schema.synchronizationRules[].id`) and the subjects; the answer is a
 * stringKeyStringValuePair whose `key` holds the result and `value` the steps, both as JSON strings (`value` is
 * `"{}"` for a group: Graph gives no step detail for groups). The API allows 5 requests per 10 seconds and
 * "typically takes less than 30 seconds" (MS-Entra docs/identity/app-provisioning/provision-on-demand.md), so it
 * has its own timeout, and a 429 is waited out as its Retry-After says.
 */
import type {
  StringKeyStringValuePair,
  SynchronizationJobApplicationParameters,
  SynchronizationJobSubject,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError } from './errors';
import { jobPath, servicePrincipalObjectId, unknownJobHint } from './ids';
import { resolveJobId } from './job';
import { STRING_KEY_STRING_VALUE_PAIR, SYNCHRONIZATION_SCHEMA } from './shapes';

/** Who to provision: a user, or a group with up to {@link MAX_ON_DEMAND_MEMBERS} of its members. */
export type OnDemandSubject =
  { readonly user: string } | { readonly group: string; readonly members?: readonly string[] };

/** Arguments of {@link provisionOnDemand}. */
export interface OnDemandArgs {
  readonly servicePrincipalId: string;
  /** @default - the service principal's only job */
  readonly jobId?: string;
  readonly subject: OnDemandSubject;
  /** @default - the rule of the job's schema that maps the subject's object type */
  readonly ruleId?: string;
  /** Timeout of the provisionOnDemand request. @default 120000 (Graph documents "less than 30 seconds") */
  readonly timeoutMs?: number;
}

/** One step Graph reports (import, scoping, matching, export), as Graph names it. */
export interface OnDemandStep {
  readonly name: string;
  readonly type: string;
  readonly status: string;
  readonly description?: string;
  readonly timestamp?: string;
  readonly details: Readonly<Record<string, string>>;
}

/** The parsed answer. */
export interface OnDemandResult {
  readonly jobId: string;
  readonly ruleId: string;
  readonly subjectType: 'User' | 'Group';
  readonly objectId: string;
  readonly members: readonly string[];
  /** Graph's result word: `Success`, `Skipped`, `Failure`… */
  readonly result: string;
  /**
   * `provisioned` (result Success), `inSync` (skipped because source and target already match:
   * `RedundantExport`), `skipped` (any other skip, such as not in scope), `failed` (anything else).
   */
  readonly outcome: 'provisioned' | 'inSync' | 'skipped' | 'failed';
  /** True for `provisioned` and `inSync`. */
  readonly ok: boolean;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** False when Graph sent no step detail (groups: `value` is `"{}"`). */
  readonly stepsReported: boolean;
  readonly steps: readonly OnDemandStep[];
  /** For a skip: what excluded the subject (the skip reason and each scoping condition that was false). */
  readonly scopeReasons: readonly string[];
  readonly action?: string;
  readonly reportableIdentifier?: string;
  readonly statusInfo?: Readonly<Record<string, string>>;
  readonly sourceIdentity?: Readonly<Record<string, string>>;
  readonly targetIdentity?: Readonly<Record<string, string>>;
  readonly modifiedProperties?: readonly {
    readonly name: string;
    readonly oldValue?: string;
    readonly newValue?: string;
  }[];
}

/** Graph's limit for a group on demand (MS-Entra provision-on-demand.md, "Known limitations"). */
export const MAX_ON_DEMAND_MEMBERS = 5;
/** The request's own timeout: Graph says on demand typically takes less than 30 seconds. */
export const ON_DEMAND_TIMEOUT_MS = 120_000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Provisions the subject now and returns Graph's parsed result. Finds the rule id in the job's schema unless
 * given. The request is not resent after a timeout or a 5xx (Graph may be provisioning already); a 429 is.
 */
export async function provisionOnDemand(client: GraphClient, a: OnDemandArgs): Promise<OnDemandResult> {
  const { subjectType, objectId, members } = checkSubject(a.subject);
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const jobId = await resolveJobId(client, { servicePrincipalId: oid, jobId: a.jobId });
  const path = jobPath(oid, jobId);
  const notFound = unknownJobHint(oid, jobId);
  const ruleId = a.ruleId ?? (await findRuleId(client, path, notFound, subjectType));
  const subject: SynchronizationJobSubject = {
    objectId,
    objectTypeName: subjectType,
    ...(subjectType === 'Group' &&
      members.length > 0 && { links: { members: members.map((m) => ({ objectId: m, objectTypeName: 'User' })) } }),
  };
  const parameters: SynchronizationJobApplicationParameters[] = [{ ruleId, subjects: [subject] }];
  const timeoutMs = a.timeoutMs ?? ON_DEMAND_TIMEOUT_MS;
  client.log(
    `Provisioning ${subjectType === 'User' ? 'user' : 'group'} ${objectId}` +
      `${members.length > 0 ? ` with ${members.length} member${members.length === 1 ? '' : 's'}` : ''} on demand (rule ${ruleId}; usually under 30 s)…`,
  );
  let answer: StringKeyStringValuePair | undefined;
  try {
    answer = await client.request<StringKeyStringValuePair>({
      method: 'POST',
      path: `${path}/provisionOnDemand`,
      body: { parameters },
      shape: STRING_KEY_STRING_VALUE_PAIR,
      notFound,
      idempotent: false,
      timeoutMs,
    });
  } catch (e) {
    if (e instanceof GraphError && e.code === 'GRAPH_TIMEOUT') {
      throw e.withMessage(
        `provisionOnDemand did not answer within ${(timeoutMs / 1000).toFixed(timeoutMs < 10_000 ? 1 : 0)} s (Graph documents under 30 s). ` +
          'It was not sent again: Graph may still be provisioning. Check `rollbar-provisioning logs` before retrying, ' +
          'or allow longer with --timeout.',
      );
    }
    throw e;
  }
  return { jobId, ruleId, subjectType, objectId, members, ...parseOnDemandAnswer(answer) };
}

/** Parses Graph's answer (the key/value pair of JSON strings). Pure; a malformed answer is a GraphError. */
export function parseOnDemandAnswer(
  answer: unknown,
): Omit<OnDemandResult, 'jobId' | 'ruleId' | 'subjectType' | 'objectId' | 'members'> {
  const pair = answer as StringKeyStringValuePair | undefined;
  if (typeof pair !== 'object' || pair === null || typeof pair.key !== 'string') {
    throw malformed('no "key" string');
  }
  const key = parseJsonObject(pair.key, 'key');
  const result = typeof key.result === 'string' ? key.result : undefined;
  if (result === undefined) throw malformed('"key" has no "result"');
  const keyDetails = record(key.details);
  const value = typeof pair.value === 'string' && pair.value.trim() !== '' ? parseJsonObject(pair.value, 'value') : {};
  const rawSteps = Array.isArray(value.provisioningSteps) ? (value.provisioningSteps as unknown[]) : undefined;
  const steps = (rawSteps ?? []).map(step);
  const statusInfo = strings(value.statusInfo);
  const errorCode = keyDetails.errorCode ?? statusInfo?.errorCode;
  const errorMessage = keyDetails.errorMessage ?? statusInfo?.reason;
  const outcome =
    result === 'Success'
      ? 'provisioned'
      : result === 'Skipped' && errorCode === 'RedundantExport'
        ? 'inSync'
        : result === 'Skipped'
          ? 'skipped'
          : 'failed';
  const modified = Array.isArray(value.modifiedProperties)
    ? (value.modifiedProperties as unknown[]).flatMap((p) => {
        const r = strings(p);
        return r?.displayName
          ? [
              compact({
                name: r.displayName,
                oldValue: r.oldValue,
                newValue: r.newValue,
              }),
            ]
          : [];
      })
    : undefined;
  return compact({
    result,
    outcome,
    ok: outcome === 'provisioned' || outcome === 'inSync',
    errorCode,
    errorMessage,
    stepsReported: rawSteps !== undefined,
    steps,
    scopeReasons: outcome === 'skipped' ? scopeReasons(steps, errorCode) : [],
    action: typeof value.action === 'string' ? value.action : undefined,
    reportableIdentifier: typeof value.reportableIdentifier === 'string' ? value.reportableIdentifier : undefined,
    statusInfo,
    sourceIdentity: strings(value.sourceIdentity),
    targetIdentity: strings(value.targetIdentity),
    modifiedProperties: modified,
  });
}

/**
 * The scoping step's reasons: its skip reason and every condition that evaluated to False (assignment, active,
 * entitlement, and each scoping filter, which Graph names "{title} {attribute} {operator} {value}").
 */
function scopeReasons(steps: readonly OnDemandStep[], errorCode: string | undefined): string[] {
  const reasons: string[] = [];
  for (const s of steps.filter((x) => x.type.toLowerCase() === 'scoping')) {
    for (const [k, v] of Object.entries(s.details)) {
      if (k === 'SkipReason') reasons.push(`SkipReason ${v}`);
      else if (v.toLowerCase() === 'false') reasons.push(`${k}: False`);
    }
    if (s.status.toLowerCase() !== 'success' && s.description) reasons.push(s.description);
  }
  if (reasons.length === 0 && errorCode) reasons.push(errorCode);
  return [...new Set(reasons)];
}

function checkSubject(subject: OnDemandSubject): {
  subjectType: 'User' | 'Group';
  objectId: string;
  members: string[];
} {
  const isUser = 'user' in subject;
  const objectId = isUser ? subject.user : subject.group;
  const members = isUser ? [] : [...(subject.members ?? [])];
  const problems = [];
  if (typeof objectId !== 'string' || !GUID.test(objectId)) {
    problems.push(
      problem(
        'INVALID_OBJECT_ID',
        isUser ? 'user' : 'group',
        `be the ${isUser ? "user's" : "group's"} object id (a GUID)`,
        objectId,
        'Copy it from Entra ID (Users or Groups, Overview, Object ID).',
      ),
    );
  }
  members.forEach((m, i) => {
    if (!GUID.test(m)) {
      problems.push(
        problem(
          'INVALID_OBJECT_ID',
          `members[${i}]`,
          "be a member user's object id (a GUID)",
          m,
          'Pass user object ids.',
        ),
      );
    }
  });
  if (members.length > MAX_ON_DEMAND_MEMBERS) {
    problems.push(
      problem(
        'INVALID_INPUT',
        'members',
        `hold at most ${MAX_ON_DEMAND_MEMBERS} users (Graph's limit for a group on demand)`,
        `${members.length} members`,
        'Provision the group with five members at a time; the next cycle provisions the rest.',
      ),
    );
  }
  if (problems.length > 0) throw new RollbarProvisioningError(problems);
  return {
    subjectType: isUser ? 'User' : 'Group',
    objectId: objectId.toLowerCase(),
    members: members.map((m) => m.toLowerCase()),
  };
}

/**
 * The id of the schema's rule that maps the subject's object type from Entra ID: `synchronizationRules[].id`
 * (MS-Graph resources/synchronization-synchronizationjobapplicationparameters.md). A Rollbar job has one rule.
 */
async function findRuleId(
  client: GraphClient,
  path: string,
  notFound: string,
  subjectType: 'User' | 'Group',
): Promise<string> {
  const schema: SynchronizationSchema = await client.get(`${path}/schema`, { shape: SYNCHRONIZATION_SCHEMA, notFound });
  const rules = (schema.synchronizationRules ?? []).filter((r) => typeof r.id === 'string' && r.id !== '');
  const mapping = rules.filter((r) =>
    (r.objectMappings ?? []).some(
      (m) => m.enabled !== false && m.sourceObjectName?.toLowerCase() === subjectType.toLowerCase(),
    ),
  );
  const candidates = mapping.length > 0 ? mapping : rules.length === 1 ? rules : [];
  if (candidates.length === 1) return candidates[0]!.id!;
  throw new RollbarProvisioningError([
    problem(
      candidates.length === 0 ? 'SYNC_RULE_NOT_FOUND' : 'AMBIGUOUS_SYNC_RULE',
      'ruleId',
      candidates.length === 0
        ? `name a synchronization rule that maps ${subjectType === 'User' ? 'users' : 'groups'}, but the job's schema has ${rules.length === 0 ? 'no rules' : 'none enabled for them'}`
        : `be given, because ${candidates.length} rules of the job's schema map ${subjectType === 'User' ? 'users' : 'groups'}`,
      undefined,
      candidates.length === 0
        ? subjectType === 'Group'
          ? 'Enable the groups mapping (mappings.groups.enabled), or provision a user instead.'
          : 'Check the job (rollbar-provisioning status) and its attribute mappings.'
        : `Pass --rule-id, one of: ${candidates.map((r) => r.id).join(', ')}.`,
    ),
  ]);
}

/** The human report: the verdict, each step, and for a skip what excluded the subject. */
export function formatOnDemand(r: OnDemandResult): string {
  const who = `${r.subjectType === 'User' ? 'User' : 'Group'} ${r.objectId}${r.reportableIdentifier ? ` (${r.reportableIdentifier})` : ''}`;
  const lines = [`${who}: ${onDemandVerdict(r)}`];
  if (r.members.length > 0) lines.push(`Members sent: ${r.members.join(', ')}`);
  if (r.stepsReported) {
    const width = Math.max(8, ...r.steps.map((s) => s.type.length)) + 2;
    const statusWidth = Math.max(8, ...r.steps.map((s) => s.status.length)) + 2;
    for (const s of r.steps)
      lines.push(`  ${s.type.padEnd(width)}${s.status.padEnd(statusWidth)}${s.description ?? s.name}`);
  } else {
    lines.push(
      r.subjectType === 'Group'
        ? "Graph reports no step detail for groups: its result is Graph's word alone. See each member with 'rollbar-provisioning logs --user <member>'."
        : 'Graph reported no steps.',
    );
  }
  if (r.scopeReasons.length > 0) {
    lines.push('Excluded by:');
    for (const reason of r.scopeReasons) lines.push(`  ${reason}`);
    lines.push(
      'Fix: assign the user to the Rollbar app (directly or through a group it is a direct member of) with an app role,',
      '     or change the scoping filter named above; assignments take a few minutes to reach on-demand provisioning.',
    );
  }
  if (r.outcome === 'failed' && r.statusInfo?.recommendedAction)
    lines.push(`Recommended: ${r.statusInfo.recommendedAction}`);
  return `${lines.join('\n')}\n`;
}

/** Graph's answer in a few words: provisioned, already in sync, skipped (and why) or failed (and why). */
export function onDemandVerdict(r: OnDemandResult): string {
  const because = [r.errorCode, r.errorMessage].filter(Boolean).join(': ');
  switch (r.outcome) {
    case 'provisioned':
      return `provisioned (${r.result}${r.action ? `, ${r.action}` : ''})`;
    case 'inSync':
      return 'already in sync, nothing to change (Skipped: RedundantExport)';
    case 'skipped':
      return `skipped, not in scope${because ? ` (${because})` : ''}`;
    default:
      return `failed (${r.result}${because ? `: ${because}` : ''})`;
  }
}

function step(raw: unknown): OnDemandStep {
  const r = record(raw);
  const details = strings((raw as { details?: unknown } | null)?.details) ?? {};
  return compact({
    name: r.name ?? '',
    type: r.type ?? r.provisioningStepType ?? '',
    status: r.status ?? '',
    description: r.description,
    timestamp: r.timestamp,
    details,
  });
}

function parseJsonObject(text: string, field: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw malformed(`"${field}" is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw malformed(`"${field}" is not an object`);
  return parsed as Record<string, unknown>;
}

/** The string-valued fields of an object (Graph's details hold strings; null and nested values are dropped). */
function record(value: unknown): Record<string, string | undefined> {
  return strings(value) ?? {};
}

function strings(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

function malformed(what: string): GraphError {
  return new GraphError({
    code: 'GRAPH_MALFORMED_RESPONSE',
    message: `Microsoft Graph provisionOnDemand returned an answer this tool cannot read (${what}); expected the documented {"key":"{\\"result\\":…}","value":"{…}"}.`,
  });
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
