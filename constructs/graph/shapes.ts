import type {
  AppRoleAssignment,
  FilterOperatorSchema,
  ServicePrincipal,
  ParseExpressionResponse,
  ProvisioningObjectSummary,
  StringKeyStringValuePair,
  SynchronizationJob,
  SynchronizationSchema,
  SynchronizationScheduleState,
  SynchronizationSecretKeyStringValuePair,
  SynchronizationStatusCode,
  SynchronizationTemplate,
} from '@microsoft/microsoft-graph-types';
/**
 * The shape Microsoft documents for each Graph answer this project reads, checked on every 2xx before a step acts
 * on it. A proxy, a captive portal or a changed API can answer 200 with an error body, a list, `null` or an object
 * missing the field a decision rests on; read as Graph's answer, that turned into "provisioning is off and that is
 * fine". A mismatch is a GraphError naming the call and the field instead.
 *
 * How to use it (every call passes one; the client's `get`, `list` and `request` require it):
 *
 * ```ts
 * const job = await client.get(jobPath, { shape: SYNCHRONIZATION_JOB, notFound });       // one resource
 * const ts = await client.list(templatesPath, { shape: SYNCHRONIZATION_TEMPLATE });      // a collection's items
 * await client.request({ method: 'POST', path: `${jobPath}/start`, shape: NO_CONTENT }); // a documented 204
 * ```
 *
 * To add a call: write its shape here with {@link resource} (the fields the step relies on that Microsoft documents
 * as present, with their documented enum values, and the optional ones it reads, type-checked when present), name
 * the reference page it comes from, and type it with the resource from `@microsoft/microsoft-graph-types`.
 * Fields that are not listed pass untouched: Graph adds properties over time, and a new property must not break a
 * deploy. An enum value that is not documented does fail: a decision (start, pause) must not be made on a state
 * this code does not know. Reference pages are in microsoftgraph/microsoft-graph-docs-contrib, under
 * `api-reference/v1.0/`.
 */

/** A documented response shape. `T` is the Graph type the checked body is read as. */
export interface Shape<T> {
  /** Graph's name of the resource, said in errors (`synchronizationJob`). */
  readonly name: string;
  /** Problems with `value`, each naming the field (`schedule.state is 'X', expected one of …`); empty when it fits. */
  check(value: unknown): string[];
  /** Never set: carries `T` for the type checker. */
  readonly type?: T;
}

/** A field's expected type. */
export type Field =
  | { readonly kind: 'string' | 'boolean' | 'number' | 'array' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly required: Fields; readonly optional: Fields }
  | { readonly kind: 'list'; readonly of: Field };
/** Fields by name, each with its expected type. */
export type Fields = Readonly<Record<string, Field>>;

const STRING: Field = { kind: 'string' };
const BOOLEAN: Field = { kind: 'boolean' };
const NUMBER: Field = { kind: 'number' };
const ARRAY: Field = { kind: 'array' };
function oneOf<E extends string>(values: readonly E[]): Field {
  return { kind: 'enum', values };
}
function object(required: Fields, optional: Fields = {}): Field {
  return { kind: 'object', required, optional };
}
function listOf(of: Field): Field {
  return { kind: 'list', of };
}

/** A resource shape: an object with these required and optional fields. */
export function resource<T>(name: string, required: Fields, optional: Fields = {}): Shape<T> {
  const spec = object(required, optional);
  return { name, check: (value) => problemsOf(spec, value, '') };
}

/** The shape of a collection page, `{ value: [item…], @odata.nextLink? }`, for the client's `list`. */
export function collectionOf<T>(item: Shape<T>): Shape<{ value: T[]; '@odata.nextLink'?: string }> {
  return {
    name: `collection of ${item.name}`,
    check(value) {
      const top = problemsOf(object({ value: ARRAY }, { '@odata.nextLink': STRING }), value, '');
      if (top.length > 0) return top;
      const items = (value as { value: unknown[] }).value;
      return items.flatMap((v, i) => item.check(v).map((p) => `value[${i}]${p.startsWith('[') ? '' : '.'}${p}`));
    },
  };
}

/**
 * A documented `204 No Content`: an empty body fits; so does an object without Graph's `error` member (nothing of
 * it is read). An error object, a list, `null` or a scalar does not.
 */
export const NO_CONTENT: Shape<undefined> = {
  name: 'no content (HTTP 204)',
  check(value) {
    if (value === undefined) return [];
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return 'error' in value ? ['the body holds an error object, expected none'] : [];
    }
    return [`the body is ${describe(value)}, expected none`];
  },
};

// synchronization-synchronizationschedule.md ("state … The possible values are: Active, Disabled, Paused").
const SCHEDULE_STATES: readonly SynchronizationScheduleState[] = ['Active', 'Disabled', 'Paused'];
// synchronization-synchronizationstatus.md ("code … Possible values are: NotConfigured, NotRun, Active, Paused,
// Quarantine").
const STATUS_CODES: readonly SynchronizationStatusCode[] = [
  'NotConfigured',
  'NotRun',
  'Active',
  'Paused',
  'Quarantine',
];

/**
 * resources/synchronization-synchronizationjob.md: `id`, `templateId`, `schedule` (synchronizationSchedule),
 * `status` (synchronizationStatus). Whether to start, restart or pause is decided on `schedule.state` and
 * `status.code`, so both are required.
 */
export const SYNCHRONIZATION_JOB: Shape<SynchronizationJob> = resource<SynchronizationJob>(
  'synchronizationJob',
  {
    id: STRING,
    schedule: object({ state: oneOf(SCHEDULE_STATES) }, { interval: STRING }),
    status: object(
      { code: oneOf(STATUS_CODES) },
      {
        synchronizedEntryCountByType: ARRAY,
        // What `status --wait` follows (synchronization-synchronizationstatus.md, -synchronizationprogress.md).
        steadyStateFirstAchievedTime: STRING,
        steadyStateLastAchievedTime: STRING,
        progress: listOf(object({ completedUnits: NUMBER, totalUnits: NUMBER }, { units: STRING })),
        lastExecution: object({}, { state: STRING }),
      },
    ),
  },
  { templateId: STRING },
);

/** resources/synchronization-synchronizationtemplate.md: `id`, and `default` (Boolean) that picks the template. */
export const SYNCHRONIZATION_TEMPLATE: Shape<SynchronizationTemplate> = resource<SynchronizationTemplate>(
  'synchronizationTemplate',
  { id: STRING },
  { default: BOOLEAN },
);

/**
 * resources/synchronization-synchronizationschema.md: `directories` (directoryDefinition collection) and
 * `synchronizationRules` (synchronizationRule collection); a PUT replaces the whole schema, so a read without them
 * must not become the base of one.
 */
export const SYNCHRONIZATION_SCHEMA: Shape<SynchronizationSchema> = resource<SynchronizationSchema>(
  'synchronizationSchema',
  { directories: ARRAY, synchronizationRules: listOf(object({}, { id: STRING, objectMappings: ARRAY })) },
  { version: STRING },
);

/**
 * resources/synchronization-synchronizationsecretkeystringvaluepair.md: `key` names a saved secret; only the keys
 * are read (to clear a saved `BaseAddress`), never the values, which Graph may mask.
 */
export const SYNCHRONIZATION_SECRET: Shape<SynchronizationSecretKeyStringValuePair> =
  resource<SynchronizationSecretKeyStringValuePair>('synchronizationSecretKeyStringValuePair', { key: STRING });

/** resources/synchronization-filteroperatorschema.md: `name`, the operator a scoping clause names. */
export const FILTER_OPERATOR_SCHEMA: Shape<FilterOperatorSchema> = resource<FilterOperatorSchema>(
  'filterOperatorSchema',
  { name: STRING },
);

/**
 * resources/synchronization-parseexpressionresponse.md: `parsingSucceeded` (Boolean) decides whether an expression
 * is written; `error` (publicError) explains a failure; `parsedExpression` (attributeMappingSource) is the tree
 * written for it (resources/synchronization-attributemappingsource.md: `type`, `name`, `expression`, `parameters`).
 */
export const PARSE_EXPRESSION_RESPONSE: Shape<ParseExpressionResponse> = resource<ParseExpressionResponse>(
  'parseExpressionResponse',
  { parsingSucceeded: BOOLEAN },
  {
    error: object({}, { message: STRING }),
    parsedExpression: object({}, { type: STRING, name: STRING, expression: STRING, parameters: ARRAY }),
  },
);

/**
 * api/synchronization-synchronizationjob-provisionondemand.md: "a stringKeyStringValuePair"; `key` holds the result
 * (a JSON string, parsed by on-demand.ts) and `value` the steps (a JSON string, `"{}"` for a group).
 */
export const STRING_KEY_STRING_VALUE_PAIR: Shape<StringKeyStringValuePair> = resource<StringKeyStringValuePair>(
  'stringKeyStringValuePair',
  { key: STRING },
  { value: STRING },
);

/**
 * resources/provisioningobjectsummary.md (api/provisioningobjectsummary-list.md, examples 1 and 2): each event's
 * `id` and `activityDateTime` (the newest-first order rests on it); the fields a log line shows, checked when
 * present. The status and action are shown, not decided on, so values Graph adds later pass.
 */
export const PROVISIONING_OBJECT_SUMMARY: Shape<ProvisioningObjectSummary> = resource<ProvisioningObjectSummary>(
  'provisioningObjectSummary',
  { id: STRING, activityDateTime: STRING },
  {
    jobId: STRING,
    provisioningAction: STRING,
    provisioningStatusInfo: object(
      {},
      {
        status: STRING,
        errorInformation: object({}, { errorCode: STRING, reason: STRING, recommendedAction: STRING }),
      },
    ),
    sourceIdentity: object({}, { id: STRING, displayName: STRING, identityType: STRING }),
    targetIdentity: object({}, { id: STRING, displayName: STRING, identityType: STRING }),
  },
);

/**
 * api/serviceprincipal-list-approleassignedto.md (the example's items): who is assigned (`principalId`) and since
 * when (`createdDateTime`), which the canary reads to tell replication lag from a real skip.
 */
export const APP_ROLE_ASSIGNMENT: Shape<AppRoleAssignment> = resource<AppRoleAssignment>(
  'appRoleAssignment',
  { principalId: STRING },
  { createdDateTime: STRING, principalType: STRING },
);

/** api/user-get.md: the user's `id`, which the provisioning logs filter on. */
export const USER_ID: Shape<{ id: string }> = resource<{ id: string }>('user', { id: STRING });

function problemsOf(field: Field, value: unknown, path: string): string[] {
  const at = path === '' ? 'the body' : path;
  if (field.kind === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return [`${at} is ${describe(value)}, expected an object`];
    }
    const o = value as Record<string, unknown>;
    const out: string[] = [];
    for (const [key, f] of Object.entries(field.required)) {
      const p = path === '' ? key : `${path}.${key}`;
      if (o[key] === undefined || o[key] === null) out.push(`${p} is missing`);
      else out.push(...problemsOf(f, o[key], p));
    }
    for (const [key, f] of Object.entries(field.optional)) {
      if (o[key] !== undefined && o[key] !== null)
        out.push(...problemsOf(f, o[key], path === '' ? key : `${path}.${key}`));
    }
    return out;
  }
  if (field.kind === 'enum') {
    return typeof value === 'string' && field.values.includes(value)
      ? []
      : [`${at} is ${describe(value)}, expected one of ${field.values.join(', ')}`];
  }
  if (field.kind === 'list') {
    if (!Array.isArray(value)) return [`${at} is ${describe(value)}, expected a list`];
    return value.flatMap((v, i) => problemsOf(field.of, v, `${path}[${i}]`));
  }
  if (field.kind === 'array') return Array.isArray(value) ? [] : [`${at} is ${describe(value)}, expected a list`];
  return typeof value === field.kind ? [] : [`${at} is ${describe(value)}, expected a ${field.kind}`];
}

/** A short, secret-free description of a value: its type, and a short string value (enum values are not secret). */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length <= 40 ? `'${value}'` : 'a long string';
  if (typeof value === 'object') return 'an object';
  return typeof value === 'undefined' ? 'empty' : `a ${typeof value}`;
}

/**
 * resources/serviceprincipal.md, the single sign-on part read with `$select` (api/serviceprincipal-get.md): `id`
 * and `appId` are always present; `preferredSingleSignOnMode`, `loginUrl` and `preferredTokenSigningKeyThumbprint`
 * may be null, `notificationEmailAddresses` and `keyCredentials` (keyCredential.md: `keyId`, `usage`,
 * `customKeyIdentifier`, `endDateTime`) are collections.
 */
export const SERVICE_PRINCIPAL_SSO: Shape<ServicePrincipal> = resource<ServicePrincipal>(
  'servicePrincipal',
  { id: STRING, appId: STRING },
  {
    preferredSingleSignOnMode: STRING,
    loginUrl: STRING,
    preferredTokenSigningKeyThumbprint: STRING,
    notificationEmailAddresses: listOf(STRING),
    keyCredentials: listOf(
      object({}, { keyId: STRING, usage: STRING, customKeyIdentifier: STRING, endDateTime: STRING }),
    ),
  },
);
