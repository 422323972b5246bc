/**
 * The bad-input corpus: configuration files that must be rejected, each with the exact problem codes (a multiset:
 * order does not matter) that every entry point yields for it: the CLI's `validate` and `loadConfig` (the file
 * entry points, which both stacks use), and the two engines, given the file's parsed object in code.
 *
 * The file and the engines run one shape check (derived from the spec's description), so a wrong type, a missing
 * or a misspelt key gets the same code from each. Where an entry point still honestly yields other codes, the case
 * says which and why (`engines`): repeated keys and tokens exist only in a file. Inputs that only exist as files
 * (bytes, syntax, an empty or missing file) are `fileOnly`.
 */
import type { ProblemCode } from '../../constructs/core';

/** One bad input. */
export interface CorpusCase {
  /** Unique, file-name safe. */
  readonly name: string;
  /** The file's content (bytes for encoding cases); `null` for a file that does not exist. */
  readonly yaml: string | Uint8Array | null;
  /** The codes every entry point yields, unless `engines` says otherwise for the engines. */
  readonly codes: readonly ProblemCode[];
  /** Why only the file entry points can be given this input (there is no object to hand an engine). */
  readonly fileOnly?: string;
  /**
   * The engines' codes when they differ from the file's, and why. An engine is given the file's parsed object
   * (duplicate keys: the last one wins, as in the loader), with its `secretToken` when the file has one, else
   * an unresolved engine value (a TerraformVariable, a Pulumi secret config).
   */
  readonly engines?: {
    readonly why: string;
    readonly cdktf: readonly ProblemCode[];
    readonly pulumi: readonly ProblemCode[];
  };
  /** Secret text in the input that no output may contain. */
  readonly secret?: string;
}

/**
 * The codes the offline validation can emit (validateSpec, constructs/config, mappings/validate-patch.ts) but this
 * corpus does not reach, with the reason; every other code of PROBLEM_CODES must appear in some case. Empty today.
 */
export const UNREACHED_VALIDATION_CODES: Readonly<Partial<Record<ProblemCode, string>>> = {};

/** Codes that no configuration can produce: they come from deploy time, Graph, the CLI's input or packaging. */
export const NOT_CONFIGURATION_CODES: Readonly<Partial<Record<ProblemCode, string>>> = {
  NO_MATCHING_ATTRIBUTE: "mergeSchema, at deploy time: it needs the template's schema",
  UNKNOWN_TARGET_ATTRIBUTE: "mergeSchema, at deploy time: it needs the template's schema",
  UNKNOWN_SOURCE_ATTRIBUTE: "mergeSchema, at deploy time: it needs the template's schema",
  UNKNOWN_OBJECT_MAPPING: "mergeSchema, at deploy time: it needs the template's schema",
  INVALID_JOB_ID: 'the graph steps, given a job id by the engine',
  INVALID_INPUT: "the CLI's graph steps, given JSON by the engine",
  TENANT_MISMATCH: 'the Graph client, comparing the token with the tenant',
  SYNC_TEMPLATE_NOT_FOUND: "the graph steps, reading the service principal's templates",
  TOO_MANY_DELETES: 'the set-provisioning step, reading a job quarantined for too many deletions',
  AMBIGUOUS_SYNC_TEMPLATE: "the graph steps, reading the service principal's templates",
  SYNC_JOB_NOT_FOUND: 'the graph steps, reading the jobs',
  SEVERAL_SYNC_JOBS: "the plan-time read, listing the service principal's jobs",
  CLI_BUNDLE_UNAVAILABLE: 'packaging of the CDKTF construct',
  GRAPH_BUNDLE_UNAVAILABLE: 'packaging of the Pulumi component',
  UNKNOWN_CLOUD: 'the Graph client, reading ARM_ENVIRONMENT',
  GRAPH_ENDPOINT_NOT_ALLOWED: 'the Graph client, checking ROLLBAR_GRAPH_URL and ROLLBAR_AUTHORITY_HOST',
  INVALID_GRAPH_TOKEN: 'the Graph client, checking the bearer token before sending it',
  JOB_BUSY: 'the provisioning step, waiting for another run on the same job',
  SYNC_RULE_NOT_FOUND: "provision-on-demand, reading the job's synchronization rules",
  AMBIGUOUS_SYNC_RULE: "provision-on-demand, reading the job's synchronization rules",
  INVALID_RESET_SCOPE: "restart, checking --scope against Graph's reset scopes",
  CONFIRMATION_REQUIRED: 'restart, asking before a destructive reset scope',
  CANARY_FAILED: "the canary step, reading Graph's on-demand result",
  CANARY_NOT_ENTITLED: "the canary step, reading Graph's on-demand result",
  GRAPH_HTTP_ERROR: 'the Graph client, on a non-success response',
  GRAPH_TIMEOUT: 'the Graph client, on a request that outlived its timeout',
  GRAPH_NETWORK_ERROR: 'the Graph client, on a request that did not reach Graph',
  GRAPH_MALFORMED_RESPONSE: 'the Graph client, on an answer that is not the documented one',
  GRAPH_RESPONSE_TOO_LARGE: 'the Graph client, reading a body past its cap',
  GRAPH_REDIRECT_REFUSED: 'the Graph client, on a redirect',
  GRAPH_CREDENTIAL_UNAVAILABLE: 'the Graph client, signing in',
  INVALID_ARGUMENT: 'the command line of the CLI, npm run synth and npm run bench',
};

const USER = '11111111-1111-4111-8111-111111111111';
const GROUP = '22222222-2222-4222-8222-222222222222';
const SP = '33333333-3333-4333-8333-333333333333';
const ZERO = '00000000-0000-0000-0000-000000000000';

/** Lines joined with newlines, ending with one. */
const lines = (...ls: string[]): string => `${ls.join('\n')}\n`;

const ROLES = ['roles:', '  - value: User', '  - value: Admin'];

/** A file with the two roles and one assignment `key` whose fields are given as YAML `name: value` text. */
function assignment(fields: { id?: string; type?: string; role?: string }, key = 'jane-doe'): string {
  return lines(
    ...ROLES,
    'assignments:',
    `  ${key}:`,
    `    principalObjectId: ${fields.id ?? USER}`,
    `    principalType: ${fields.type ?? 'User'}`,
    `    role: ${fields.role ?? 'User'}`,
  );
}

/** A file with one user attribute mapping, given as YAML lines below the target attribute. */
function userMapping(target: string, ...body: string[]): string {
  return lines('mappings:', '  users:', '    attributes:', `      ${target}:`, ...body.map((l) => `        ${l}`));
}

/** A file with one user scoping filter group, given as YAML lines below the group's `- `. */
function userFilter(...group: string[]): string {
  const [first = '', ...rest] = group;
  return lines('mappings:', '  users:', '    scopingFilters:', `      - ${first}`, ...rest.map((l) => `        ${l}`));
}

/** One clause under a group named "Engineering". */
const clause = (...fields: string[]): string =>
  userFilter('name: Engineering', 'clauses:', ...fields.map((f, i) => `${i === 0 ? '  - ' : '    '}${f}`));

const DUPLICATE_KEY_DIFFERENCE =
  'a repeated key exists only in a file (an object literal holds a key once): the engines get the value that the ' +
  'loader also keeps, the last one';
const TOKEN_DIFFERENCE =
  'a token in the file is SECRET_IN_CONFIG; an engine given that text as its token applies its own rule: CDKTF ' +
  'refuses a literal (it would be written to cdk.tf.json), Pulumi makes it a secret';
const NO_OBJECT = 'not a YAML map: there is no object to give an engine';

const longName = 'R'.repeat(300);
const longExpression = `Join(" ", ${Array.from({ length: 2_500 }, () => '[mail]').join(', ')})`;
const deepExpression = `${'Not('.repeat(300)}[mail]${')'.repeat(300)}`;
const manyRoles = lines(
  'roles:',
  ...Array.from({ length: 1_000 }, (_, i) => `  - value: Role${i}`),
  '  - value: Role0',
);

/** The corpus. */
export const CORPUS: readonly CorpusCase[] = [
  // ---- Default Access, in every spelling people copy from the portal, a manifest or Graph ----------------
  ...(
    [
      ['msiam_access', 'msiam_access'],
      ['display-name', 'Default Access'],
      ['zero-guid', ZERO],
      ['upper-case', 'MSIAM_ACCESS'],
      ['lower-case-spaced', 'default access'],
      ['snake-case', 'default_access'],
      ['kebab-case', 'msiam-access'],
      ['braced-zero-guid', `"{${ZERO}}"`],
      ['zero-guid-without-dashes', '"00000000000000000000000000000000"'],
      ['padded', '" Default Access "'],
    ] as const
  ).map(([name, role]): CorpusCase => ({
    name: `default-access-${name}`,
    yaml: assignment({ role }),
    codes: ['DEFAULT_ACCESS_ROLE'],
  })),
  {
    name: 'default-access-zero-guid-unquoted-is-a-number',
    // YAML reads 32 digits as an integer: a role that is not text, UNKNOWN_ROLE from every entry point.
    yaml: assignment({ role: '00000000000000000000000000000000' }),
    codes: ['UNKNOWN_ROLE'],
  },
  {
    name: 'default-access-declared-as-role-value',
    yaml: lines('roles:', '  - value: msiam_access'),
    codes: ['DEFAULT_ACCESS_ROLE'],
  },
  {
    name: 'default-access-as-role-display-name',
    yaml: lines('roles:', '  - value: Member', '    displayName: Default Access'),
    codes: ['DEFAULT_ACCESS_ROLE'],
  },

  // ---- roles and assignments ------------------------------------------------------------------------------
  { name: 'unknown-role', yaml: assignment({ role: 'Admn' }), codes: ['UNKNOWN_ROLE'] },
  { name: 'role-value-is-case-sensitive', yaml: assignment({ role: 'admin' }), codes: ['UNKNOWN_ROLE'] },
  {
    name: 'unknown-role-with-default-roles',
    yaml: lines(
      'assignments:',
      '  jane-doe:',
      `    principalObjectId: ${USER}`,
      '    principalType: User',
      '    role: Admin',
    ),
    codes: ['UNKNOWN_ROLE'],
  },
  { name: 'duplicate-role', yaml: lines('roles:', '  - value: User', '  - value: User'), codes: ['DUPLICATE_ROLE'] },
  {
    name: 'role-id-not-a-guid',
    yaml: lines('roles:', '  - value: User', '    id: user-role'),
    codes: ['INVALID_ROLE_ID'],
  },
  {
    name: 'role-id-given-twice',
    yaml: lines(
      'roles:',
      '  - value: User',
      '    id: 7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a',
      '  - value: Admin',
      '    id: 7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a',
    ),
    codes: ['DUPLICATE_ROLE_ID'],
  },
  {
    name: 'role-value-with-space',
    yaml: lines('roles:', '  - value: Platform Engineer'),
    codes: ['INVALID_ROLE_VALUE'],
  },
  {
    name: 'role-value-too-long',
    yaml: lines('roles:', `  - value: ${'a'.repeat(121)}`),
    codes: ['INVALID_ROLE_VALUE'],
  },
  {
    name: 'role-for-applications',
    yaml: lines('roles:', '  - value: Robot', '    allowedMemberTypes: [Application]'),
    codes: ['INVALID_CONFIG'],
  },
  {
    name: 'role-display-name-blank',
    yaml: lines('roles:', '  - value: User', '    displayName: "  "'),
    codes: ['INVALID_CONFIG'],
  },
  {
    name: 'duplicate-assignment',
    yaml: lines(
      ...ROLES,
      'assignments:',
      '  jane-doe:',
      `    principalObjectId: ${USER}`,
      '    principalType: User',
      '    role: Admin',
      '  jane-again:',
      `    principalObjectId: ${USER.toUpperCase()}`,
      '    principalType: User',
      '    role: Admin',
    ),
    codes: ['DUPLICATE_ASSIGNMENT'],
  },
  { name: 'assignment-key-camel-case', yaml: assignment({}, 'PlatformTeam'), codes: ['INVALID_ASSIGNMENT_KEY'] },
  { name: 'assignment-key-snake-case', yaml: assignment({}, 'platform_team'), codes: ['INVALID_ASSIGNMENT_KEY'] },
  { name: 'assignment-key-double-dash', yaml: assignment({}, 'platform--team'), codes: ['INVALID_ASSIGNMENT_KEY'] },
  { name: 'principal-type-lower-case', yaml: assignment({ type: 'user' }), codes: ['INVALID_PRINCIPAL_TYPE'] },
  {
    name: 'principal-type-service-principal',
    yaml: assignment({ type: 'ServicePrincipal' }),
    codes: ['INVALID_PRINCIPAL_TYPE'],
  },
  {
    name: 'assignment-without-role',
    yaml: lines(...ROLES, 'assignments:', '  jane-doe:', `    principalObjectId: ${USER}`, '    principalType: User'),
    codes: ['UNKNOWN_ROLE'],
  },
  {
    name: 'assignment-field-misspelt',
    yaml: lines(
      ...ROLES,
      'assignments:',
      '  jane-doe:',
      `    principalObjectID: ${USER}`,
      '    principalType: User',
      '    role: User',
    ),
    codes: ['INVALID_CONFIG', 'INVALID_OBJECT_ID'],
  },
  {
    name: 'several-problems-at-once',
    yaml: lines(
      'scope: everyone',
      ...ROLES,
      'assignments:',
      '  PlatformTeam:',
      '    principalObjectId: not-a-guid',
      '    principalType: Group',
      '    role: msiam_access',
    ),
    codes: ['INVALID_SCOPE', 'INVALID_ASSIGNMENT_KEY', 'INVALID_OBJECT_ID', 'DEFAULT_ACCESS_ROLE'],
  },

  // ---- object id forms ----------------------------------------------------------------------------------
  {
    name: 'principal-id-service-principal-path',
    yaml: assignment({ id: `/servicePrincipals/${USER}` }),
    codes: ['INVALID_OBJECT_ID'],
  },
  { name: 'principal-id-users-path', yaml: assignment({ id: `/users/${USER}` }), codes: ['INVALID_OBJECT_ID'] },
  { name: 'principal-id-braced', yaml: assignment({ id: `"{${USER}}"` }), codes: ['INVALID_OBJECT_ID'] },
  { name: 'principal-id-too-short', yaml: assignment({ id: '1111-4111' }), codes: ['INVALID_OBJECT_ID'] },
  { name: 'principal-id-zero-guid', yaml: assignment({ id: ZERO }), codes: ['INVALID_OBJECT_ID'] },
  { name: 'principal-id-is-a-upn', yaml: assignment({ id: 'jane@example.com' }), codes: ['INVALID_OBJECT_ID'] },
  { name: 'principal-id-padded', yaml: assignment({ id: `" ${USER}"` }), codes: ['INVALID_OBJECT_ID'] },
  {
    name: 'principal-id-not-hex',
    yaml: assignment({ id: '1111111g-1111-4111-8111-111111111111' }),
    codes: ['INVALID_OBJECT_ID'],
  },
  {
    name: 'upper-case-ids-are-accepted',
    // Only the scope is wrong: GUIDs are case-insensitive, so upper-case ids are valid.
    yaml: lines(
      'scope: everyone',
      `existingServicePrincipalObjectId: ${SP.toUpperCase()}`,
      ...ROLES,
      'assignments:',
      '  platform-team:',
      `    principalObjectId: ${GROUP.toUpperCase()}`,
      '    principalType: Group',
      '    role: User',
    ),
    codes: ['INVALID_SCOPE'],
  },
  {
    name: 'existing-service-principal-path',
    yaml: lines(`existingServicePrincipalObjectId: /servicePrincipals/${SP}`),
    codes: ['INVALID_OBJECT_ID'],
  },
  {
    name: 'existing-service-principal-braced',
    yaml: lines(`existingServicePrincipalObjectId: "{${SP}}"`),
    codes: ['INVALID_OBJECT_ID'],
  },
  {
    name: 'existing-service-principal-is-a-client-id-url',
    yaml: lines(`existingServicePrincipalObjectId: https://rollbar.com/${SP}`),
    codes: ['INVALID_OBJECT_ID'],
  },
  {
    name: 'application-template-id-not-a-guid',
    yaml: lines('applicationTemplateId: rollbar'),
    codes: ['INVALID_TEMPLATE_ID'],
  },
  {
    name: 'sync-template-id-with-space',
    yaml: lines('syncTemplateId: rollbar template'),
    codes: ['INVALID_TEMPLATE_ID'],
  },

  // ---- settings -----------------------------------------------------------------------------------------
  {
    name: 'notification-email-invalid',
    yaml: lines('notification:', '  email: identity-ops'),
    codes: ['INVALID_EMAIL'],
  },
  {
    name: 'notification-email-two-addresses',
    yaml: lines('notification:', '  email: a@example.com, b@example.com'),
    codes: ['INVALID_EMAIL'],
  },
  {
    name: 'notification-without-email',
    yaml: lines('notification:', '  sendOnFailure: true'),
    codes: ['INVALID_EMAIL'],
  },
  // ---- SAML single sign-on ------------------------------------------------------------------------------
  {
    name: 'sso-account-name-as-url',
    yaml: lines('sso:', '  accountName: https://rollbar.com/acme'),
    codes: ['INVALID_ACCOUNT_NAME'],
  },
  {
    name: 'sso-account-name-missing',
    yaml: lines('sso:', '  certificateNotificationEmails: [ops@example.com]'),
    codes: ['INVALID_ACCOUNT_NAME'],
  },
  {
    name: 'sso-account-name-with-slash',
    yaml: lines('sso:', '  accountName: acme/saml'),
    codes: ['INVALID_ACCOUNT_NAME'],
  },
  {
    name: 'sso-notification-email-invalid',
    yaml: lines('sso:', '  accountName: acme', '  certificateNotificationEmails: [identity-ops]'),
    codes: ['INVALID_EMAIL'],
  },
  {
    name: 'sso-six-notification-emails',
    yaml: lines(
      'sso:',
      '  accountName: acme',
      `  certificateNotificationEmails: [${[1, 2, 3, 4, 5, 6].map((i) => `o${i}@example.com`).join(', ')}]`,
    ),
    codes: ['TOO_MANY_EMAILS'],
  },
  {
    name: 'sso-certificate-key-camel-case',
    yaml: lines(
      'sso:',
      '  accountName: acme',
      '  signingCertificates: { Primary: {} }',
      '  activeCertificate: Primary',
    ),
    codes: ['INVALID_CERTIFICATE_KEY'],
  },
  {
    name: 'sso-certificate-end-date-local-time',
    yaml: lines(
      'sso:',
      '  accountName: acme',
      '  signingCertificates:',
      '    primary: { endDate: "2027-06-01 00:00" }',
    ),
    codes: ['INVALID_DATE'],
  },
  {
    name: 'sso-active-certificate-unknown',
    yaml: lines('sso:', '  accountName: acme', '  activeCertificate: next'),
    codes: ['UNKNOWN_SIGNING_CERTIFICATE'],
  },
  {
    name: 'sso-two-certificates-none-active',
    yaml: lines('sso:', '  accountName: acme', '  signingCertificates: { primary: {}, "2029": {} }'),
    codes: ['UNKNOWN_SIGNING_CERTIFICATE'],
  },
  {
    name: 'notification-send-on-failure-text',
    yaml: lines('notification:', '  email: ops@example.com', '  sendOnFailure: "no"'),
    codes: ['INVALID_CONFIG'],
  },
  { name: 'tenant-url-http', yaml: lines('tenantUrl: http://rollbar.example.com/scim/v2'), codes: ['INVALID_URL'] },
  {
    name: 'tenant-url-with-credentials',
    yaml: lines('tenantUrl: https://scim:hunter2-password@rollbar.example.com/scim/v2'),
    codes: ['INVALID_URL'],
    secret: 'hunter2-password',
  },
  { name: 'tenant-url-not-a-url', yaml: lines('tenantUrl: rollbar'), codes: ['INVALID_URL'] },
  { name: 'threshold-negative', yaml: lines('accidentalDeletionThreshold: -1'), codes: ['INVALID_THRESHOLD'] },
  { name: 'threshold-fraction', yaml: lines('accidentalDeletionThreshold: 1.5'), codes: ['INVALID_THRESHOLD'] },
  { name: 'threshold-too-large', yaml: lines('accidentalDeletionThreshold: 2000000'), codes: ['INVALID_THRESHOLD'] },
  {
    name: 'threshold-quoted',
    yaml: lines('accidentalDeletionThreshold: "500"'),
    codes: ['INVALID_THRESHOLD'],
  },
  { name: 'scope-unknown', yaml: lines('scope: everyone'), codes: ['INVALID_SCOPE'] },
  { name: 'scope-wrong-case', yaml: lines('scope: All'), codes: ['INVALID_SCOPE'] },
  { name: 'display-name-300-characters', yaml: lines(`displayName: ${longName}`), codes: ['INVALID_DISPLAY_NAME'] },
  { name: 'display-name-blank', yaml: lines('displayName: "   "'), codes: ['INVALID_DISPLAY_NAME'] },
  // Control characters, NUL and bidirectional overrides, written with YAML's double-quoted escapes.
  {
    name: 'display-name-escape-sequence',
    yaml: lines('displayName: "Rollbar\\e[2J\\e]0;owned\\a"'),
    codes: ['UNSAFE_CHARACTER'],
  },
  { name: 'display-name-nul', yaml: lines('displayName: "Roll\\0bar"'), codes: ['UNSAFE_CHARACTER'] },
  {
    name: 'display-name-carriage-return',
    yaml: lines('displayName: "Rollbar\\rProduction"'),
    codes: ['UNSAFE_CHARACTER'],
  },
  {
    name: 'role-description-bidi-override',
    yaml: lines('roles:', '  - value: User', '    description: "Users \\u202Enimda\\u202C"'),
    codes: ['UNSAFE_CHARACTER'],
  },
  {
    name: 'role-display-name-c1-csi',
    yaml: lines('roles:', '  - value: User', '    displayName: "User\\x9b31m"'),
    codes: ['UNSAFE_CHARACTER'],
  },
  {
    name: 'display-name-number',
    yaml: lines('displayName: 123'),
    codes: ['INVALID_DISPLAY_NAME'],
  },
  // YAML 1.2: yes, no, on and off are text, not booleans.
  { name: 'boolean-written-yes', yaml: lines('provisioningEnabled: yes'), codes: ['INVALID_CONFIG'] },
  { name: 'boolean-quoted', yaml: lines('protect: "false"'), codes: ['INVALID_CONFIG'] },

  // ---- YAML types and shapes ----------------------------------------------------------------------------
  { name: 'roles-as-a-map', yaml: lines('roles:', '  User: {}'), codes: ['INVALID_CONFIG'] },
  { name: 'roles-as-text', yaml: lines('roles: User'), codes: ['INVALID_CONFIG'] },
  { name: 'roles-null', yaml: lines('roles:'), codes: ['INVALID_CONFIG'] },
  { name: 'role-as-text', yaml: lines('roles:', '  - User'), codes: ['INVALID_CONFIG'] },
  {
    name: 'assignments-as-a-list',
    yaml: lines('assignments:', `  - principalObjectId: ${USER}`, '    principalType: User', '    role: User'),
    codes: ['INVALID_CONFIG'],
  },
  { name: 'mappings-null', yaml: lines('mappings:'), codes: ['INVALID_CONFIG'] },
  { name: 'unknown-setting', yaml: lines('colour: blue'), codes: ['INVALID_CONFIG'] },
  { name: 'misspelt-setting', yaml: lines('provisioningEnable: false'), codes: ['INVALID_CONFIG'] },
  {
    name: 'misspelt-role-field',
    yaml: lines('roles:', '  - value: User', '    displayname: User'),
    codes: ['INVALID_CONFIG'],
  },

  // ---- duplicate keys -----------------------------------------------------------------------------------
  {
    name: 'duplicate-top-level-key',
    yaml: lines('scope: all', 'scope: everyone'),
    codes: ['INVALID_CONFIG', 'INVALID_SCOPE'],
    engines: { why: DUPLICATE_KEY_DIFFERENCE, cdktf: ['INVALID_SCOPE'], pulumi: ['INVALID_SCOPE'] },
  },
  {
    name: 'duplicate-assignment-key',
    yaml: lines(
      ...ROLES,
      'assignments:',
      '  jane-doe:',
      `    principalObjectId: ${USER}`,
      '    principalType: User',
      '    role: User',
      '  jane-doe:',
      `    principalObjectId: ${USER}`,
      '    principalType: User',
      '    role: msiam_access',
    ),
    codes: ['INVALID_CONFIG', 'DEFAULT_ACCESS_ROLE'],
    engines: { why: DUPLICATE_KEY_DIFFERENCE, cdktf: ['DEFAULT_ACCESS_ROLE'], pulumi: ['DEFAULT_ACCESS_ROLE'] },
  },
  {
    name: 'duplicate-nested-key',
    yaml: lines('notification:', '  email: ops@example.com', '  email: not-an-address'),
    codes: ['INVALID_CONFIG', 'INVALID_EMAIL'],
    engines: { why: DUPLICATE_KEY_DIFFERENCE, cdktf: ['INVALID_EMAIL'], pulumi: ['INVALID_EMAIL'] },
  },

  // ---- the token ----------------------------------------------------------------------------------------
  {
    name: 'secret-token-in-file',
    yaml: lines('secretToken: rollbar-token-in-a-file-5e1f0a'),
    codes: ['SECRET_IN_CONFIG'],
    engines: { why: TOKEN_DIFFERENCE, cdktf: ['SECRET_TOKEN_LITERAL'], pulumi: [] },
    secret: 'rollbar-token-in-a-file-5e1f0a',
  },
  {
    name: 'secret-token-empty-in-file',
    yaml: lines('secretToken: ""'),
    codes: ['SECRET_IN_CONFIG'],
    engines: { why: TOKEN_DIFFERENCE, cdktf: ['MISSING_SECRET_TOKEN'], pulumi: ['MISSING_SECRET_TOKEN'] },
  },
  {
    name: 'secret-token-null-in-file',
    yaml: lines('secretToken:'),
    codes: ['SECRET_IN_CONFIG'],
    engines: { why: TOKEN_DIFFERENCE, cdktf: ['MISSING_SECRET_TOKEN'], pulumi: ['MISSING_SECRET_TOKEN'] },
  },
  {
    name: 'secret-token-kebab-spelling',
    yaml: lines('secret-token: rollbar-token-kebab-3b9f0e'),
    codes: ['SECRET_IN_CONFIG'],
    engines: {
      why:
        'the file names any key spelled like the token SECRET_IN_CONFIG; an engine reports a key that the spec ' +
        'does not have as INVALID_CONFIG, and never reads its value',
      cdktf: ['INVALID_CONFIG'],
      pulumi: ['INVALID_CONFIG'],
    },
    secret: 'rollbar-token-kebab-3b9f0e',
  },
  {
    name: 'secret-token-graph-spelling-nested',
    yaml: lines(
      'scope: everyone',
      'notification:',
      '  email: ops@example.com',
      '  SecretToken: rollbar-token-nested-77aa21',
    ),
    codes: ['SECRET_IN_CONFIG', 'INVALID_SCOPE'],
    engines: {
      why:
        'the file names any key spelled like the token SECRET_IN_CONFIG, wherever it is; an engine reports a key ' +
        'that its notification does not have as INVALID_CONFIG, and never reads its value',
      cdktf: ['INVALID_CONFIG', 'INVALID_SCOPE'],
      pulumi: ['INVALID_CONFIG', 'INVALID_SCOPE'],
    },
    secret: 'rollbar-token-nested-77aa21',
  },
  {
    name: 'secret-token-on-a-syntax-error-line',
    yaml: lines('scope: everyone', 'secretToken: "rollbar-token-unterminated-0c4d'),
    codes: ['SECRET_IN_CONFIG', 'INVALID_CONFIG'],
    fileOnly: 'not valid YAML: there is no object to give an engine',
    secret: 'rollbar-token-unterminated-0c4d',
  },

  // ---- expressions --------------------------------------------------------------------------------------
  {
    name: 'expression-unknown-function',
    yaml: userMapping('userName', 'source: Lower([mail])'),
    codes: ['UNKNOWN_FUNCTION'],
  },
  { name: 'expression-wrong-arity', yaml: userMapping('userName', 'source: Append([mail])'), codes: ['WRONG_ARITY'] },
  {
    name: 'expression-unknown-function-and-wrong-arity',
    yaml: userMapping('userName', 'source: Lower(Append([mail]))'),
    codes: ['UNKNOWN_FUNCTION', 'WRONG_ARITY'],
  },
  {
    name: 'expression-unclosed-attribute',
    yaml: userMapping('userName', 'source: "[mail"'),
    codes: ['INVALID_EXPRESSION'],
  },
  {
    name: 'expression-not-equal-operator',
    yaml: userMapping('active', `source: 'IIF([accountEnabled] != "True", "False", "True")'`),
    codes: ['INVALID_EXPRESSION'],
  },
  {
    name: 'expression-unclosed-string',
    yaml: userMapping('userName', `source: 'Append([mail], "x)'`),
    codes: ['INVALID_EXPRESSION'],
  },
  { name: 'expression-empty', yaml: userMapping('userName', 'source: ""'), codes: ['INVALID_EXPRESSION'] },
  {
    name: 'expression-20000-characters',
    yaml: userMapping('userName', `source: '${longExpression}'`),
    codes: ['INVALID_EXPRESSION'],
  },
  {
    name: 'expression-nested-300-deep',
    yaml: userMapping('userName', `source: '${deepExpression}'`),
    codes: ['INVALID_EXPRESSION'],
  },
  {
    name: 'expression-a-number',
    yaml: userMapping('userName', 'source: 5'),
    codes: ['INVALID_EXPRESSION'],
  },
  {
    name: 'expression-source-misspelt',
    yaml: userMapping('userName', 'sorce: "[mail]"'),
    codes: ['INVALID_CONFIG', 'INVALID_EXPRESSION'],
  },
  {
    name: 'matching-priority-negative',
    yaml: userMapping('userName', 'source: "[mail]"', 'matchingPriority: -1'),
    codes: ['INVALID_MATCHING_PRIORITY'],
  },
  {
    name: 'matching-priority-fraction',
    yaml: userMapping('userName', 'source: "[mail]"', 'matchingPriority: 1.5'),
    codes: ['INVALID_MATCHING_PRIORITY'],
  },
  {
    name: 'matching-priority-duplicate',
    yaml: lines(
      'mappings:',
      '  users:',
      '    attributes:',
      '      userName:',
      '        source: "[userPrincipalName]"',
      '        matchingPriority: 1',
      '      externalId:',
      '        source: "[objectId]"',
      '        matchingPriority: 1',
    ),
    codes: ['DUPLICATE_MATCHING_PRIORITY'],
  },
  {
    name: 'mapping-apply-unknown',
    yaml: userMapping('userName', 'source: "[mail]"', 'apply: onCreate'),
    codes: ['INVALID_CONFIG'],
  },
  {
    name: 'mapping-for-unknown-object',
    yaml: lines('mappings:', '  accounts:', '    attributes: {}'),
    codes: ['INVALID_CONFIG'],
  },

  // ---- scoping filters ----------------------------------------------------------------------------------
  {
    name: 'filter-operator-unknown',
    yaml: clause('attribute: department', 'operator: EQUAL', 'values: [Engineering]'),
    codes: ['UNKNOWN_FILTER_OPERATOR'],
  },
  {
    name: 'filter-operator-lower-case',
    yaml: clause('attribute: department', 'operator: equals', 'values: [Engineering]'),
    codes: ['UNKNOWN_FILTER_OPERATOR'],
  },
  {
    name: 'filter-unary-operator-with-values',
    yaml: clause('attribute: department', 'operator: IS NULL', 'values: [Engineering]'),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'filter-binary-operator-without-values',
    yaml: clause('attribute: department', 'operator: EQUALS'),
    codes: ['INVALID_FILTER'],
  },
  { name: 'filter-without-clauses', yaml: userFilter('name: Engineering', 'clauses: []'), codes: ['INVALID_FILTER'] },
  {
    name: 'filter-on-members',
    yaml: clause('attribute: members', 'operator: IS NOT NULL'),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'filter-without-name',
    yaml: userFilter('clauses:', '  - attribute: department', '    operator: EQUALS', '    values: [Engineering]'),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'filter-values-numbers',
    yaml: clause('attribute: employeeId', 'operator: Greater_Than', 'values: [5]'),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'filters-as-a-map',
    yaml: lines('mappings:', '  users:', '    scopingFilters:', '      Engineering: {}'),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'groups-enabled-text',
    yaml: lines('mappings:', '  groups:', '    enabled: "no"'),
    codes: ['INVALID_CONFIG'],
  },

  // ---- oversized ----------------------------------------------------------------------------------------
  { name: 'a-thousand-roles-last-one-repeated', yaml: manyRoles, codes: ['DUPLICATE_ROLE'] },

  // ---- files --------------------------------------------------------------------------------------------
  { name: 'empty-file', yaml: '', codes: ['INVALID_CONFIG'], fileOnly: 'an empty file has no object' },
  {
    name: 'comments-only',
    yaml: lines('# Rollbar provisioning', '   '),
    codes: ['INVALID_CONFIG'],
    fileOnly: 'a file of comments has no object',
  },
  {
    name: 'latin-1-bytes',
    yaml: Buffer.concat([Buffer.from('displayName: Rollbar '), Buffer.from([0xe9, 0x0a])]),
    codes: ['INVALID_CONFIG'],
    fileOnly: 'bytes that are not UTF-8 exist only in a file',
  },
  {
    name: 'utf-16-file',
    yaml: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('scope: all\n', 'utf16le')]),
    codes: ['INVALID_CONFIG'],
    fileOnly: 'bytes that are not UTF-8 exist only in a file',
  },
  { name: 'utf-8-bom-is-accepted', yaml: '\uFEFFscope: everyone\n', codes: ['INVALID_SCOPE'] },
  { name: 'missing-file', yaml: null, codes: ['CONFIG_NOT_FOUND'], fileOnly: 'no file, no object' },
  { name: 'yaml-syntax-error', yaml: lines('roles: [User'), codes: ['INVALID_CONFIG'], fileOnly: NO_OBJECT },
  { name: 'yaml-tab-indentation', yaml: 'roles:\n\t- value: User\n', codes: ['INVALID_CONFIG'], fileOnly: NO_OBJECT },
  { name: 'root-is-a-list', yaml: lines('- scope: all'), codes: ['INVALID_CONFIG'], fileOnly: NO_OBJECT },
  {
    name: 'root-is-a-pasted-token',
    yaml: lines('rollbar-token-pasted-alone-9d8c7b'),
    codes: ['INVALID_CONFIG'],
    fileOnly: NO_OBJECT,
    secret: 'rollbar-token-pasted-alone-9d8c7b',
  },
  {
    name: 'alias-bomb',
    yaml: lines(
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
    ),
    codes: ['INVALID_CONFIG'],
    fileOnly: "the aliases expand past the loader's limit: there is no object to give an engine",
  },
];
