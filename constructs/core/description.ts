/**
 * The one description of the spec: every key, its type, its default, what it does, and the portal step it
 * replaces. The shape checks of `validateSpec` (and so of the configuration loader and the CLI's JSON input), the
 * JSON Schema of `rollbar.yaml` (`rollbar.schema.json`) and README's configuration table are all derived from it,
 * so a key is added in one place: one entry here, plus its value rules in `rules/` (run by `validate.ts`) if it
 * has any.
 *
 * The types in `spec.ts` stay the TypeScript contract; `SPEC_DESCRIPTION` is checked against them at compile
 * time (a key in one and not the other fails to compile).
 */
import type { ProblemCode } from './problems';
import type {
  AppRoleSpec,
  AssignmentSpec,
  CanarySpec,
  AttributeMappingSpec,
  GroupMappingPatch,
  MappingsSpec,
  NotificationSpec,
  ObjectMappingPatch,
  RollbarProvisioningSpec,
  ScopingFilterClause,
  ScopingFilterGroup,
  SigningCertificateSpec,
  SsoSpec,
} from './spec';

/** What a value must be. */
export type ValueShape =
  | { readonly kind: 'string' }
  | { readonly kind: 'number'; readonly integer?: boolean; readonly minimum?: number; readonly maximum?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'object'; readonly keys: Readonly<Record<string, KeyDescription>> }
  /** A map keyed by a name the user picks (`keyName` names it in docs); `nullable`: a value may be null. */
  | {
      readonly kind: 'record';
      readonly keyName: string;
      readonly values: KeyDescription;
      readonly nullable?: boolean;
      readonly keyPattern?: string;
    }
  | { readonly kind: 'list'; readonly items: KeyDescription }
  /** The Rollbar token: never in a file; its rules are `validateSpec`'s own. */
  | { readonly kind: 'secret' };

/** One key of the spec (or one element of a list or map). */
export interface KeyDescription {
  readonly shape: ValueShape;
  /** The code of a value of the wrong type, or of a required key that is missing. */
  readonly code: ProblemCode;
  /** What it does, one sentence, for the JSON Schema and README. */
  readonly doc: string;
  /** The portal step it replaces, for README. */
  readonly portal?: string;
  /** The default, as README shows it; absent for required keys and keys whose absence is the default. */
  readonly default?: string;
  /** A JSON value of the default, for the JSON Schema (when the default is a plain value). */
  readonly defaultValue?: unknown;
  readonly required?: boolean;
  /** How to write it: the fix of a wrong type or a missing value. */
  readonly fix?: string;
  /** The fix when the value is null (a key written with nothing after the colon). */
  readonly nullFix?: string;
  /** Not allowed in a configuration file (the token comes from a secret store). */
  readonly notInFile?: boolean;
  /** A credential setting: carried by the CLI's `graph save-credentials` input under `settings`. */
  readonly credentialSetting?: boolean;
  /** A JSON Schema `pattern` the value must match (editors flag it; `validateSpec` has the exact rule). */
  readonly pattern?: string;
  /** README lists the children, not this key. */
  readonly tableChildren?: boolean;
  /** Why the key is kept although it has no effect. */
  readonly deprecated?: string;
}

const GUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const BOOLEAN_FIX = 'Write true or false without quotes (in YAML 1.2, yes, no, on and off are text).';

/** Keys of `T` described exactly: a key missing here, or one `T` lacks, fails to compile. */
type Keys<T> = { readonly [K in keyof Required<T>]: KeyDescription };

const object = <T>(keys: Keys<T>): ValueShape => ({ kind: 'object', keys });

const attribute: KeyDescription = {
  code: 'INVALID_CONFIG',
  doc: 'An attribute mapping, or null to remove the default mapping of this target attribute.',
  fix: 'Write source: "[mail]", or null.',
  shape: object<AttributeMappingSpec>({
    source: {
      shape: { kind: 'string' },
      code: 'INVALID_EXPRESSION',
      required: true,
      doc: 'Entra expression: an attribute ([mail]), a constant ("text") or a function call.',
      fix: 'Write an attribute ([mail]), a constant ("text") or a function call.',
    },
    matchingPriority: {
      shape: { kind: 'number', integer: true, minimum: 0 },
      code: 'INVALID_MATCHING_PRIORITY',
      doc: 'Match objects using this attribute: 0 is not matching, 1 is tried first.',
      default: "the default mapping's; 0 for a new one",
      fix: 'Use 0 for "not matching", 1 for the first matching attribute, 2 for the next.',
    },
    apply: {
      shape: { kind: 'enum', values: ['always', 'onCreateOnly'] },
      code: 'INVALID_CONFIG',
      doc: 'Apply this mapping: always, or only during object creation.',
      default: "the default mapping's; `always` for a new one",
      fix: 'onCreateOnly is the portal\'s "Only during object creation".',
    },
    defaultValue: {
      shape: { kind: 'string' },
      code: 'INVALID_CONFIG',
      doc: 'Value used when the source is null.',
      default: "the default mapping's; none for a new one",
      fix: 'Quote the value.',
    },
  }),
};

const clause: KeyDescription = {
  code: 'INVALID_FILTER',
  doc: 'A scoping clause { attribute, operator, values }.',
  fix: 'Write a clause { attribute, operator, values }.',
  shape: object<ScopingFilterClause>({
    attribute: {
      shape: { kind: 'string' },
      code: 'INVALID_FILTER',
      required: true,
      doc: 'The source (Entra) attribute the clause tests.',
      fix: 'Use an Entra attribute such as department.',
    },
    operator: {
      shape: { kind: 'string' },
      code: 'UNKNOWN_FILTER_OPERATOR',
      required: true,
      doc: "The admin center's operator name, such as EQUALS or IS TRUE.",
      fix: "Use an operator as the admin center names it, such as 'EQUALS'.",
    },
    values: {
      shape: { kind: 'list', items: { shape: { kind: 'string' }, code: 'INVALID_FILTER', doc: 'A value.' } },
      code: 'INVALID_FILTER',
      doc: 'Values to compare with; none for IS TRUE, IS FALSE, IS NULL and IS NOT NULL.',
      fix: 'Quote each value, as in ["Engineering"].',
    },
  }),
};

const filterGroup: KeyDescription = {
  code: 'INVALID_FILTER',
  doc: 'A scoping filter group: every clause must hold.',
  fix: 'Write a filter group { name, clauses }; clauses in a group are AND-ed.',
  shape: object<ScopingFilterGroup>({
    name: {
      shape: { kind: 'string' },
      code: 'INVALID_FILTER',
      required: true,
      doc: 'Name of the filter group, shown in the admin center.',
      fix: 'Name the filter group; the admin center shows it.',
    },
    clauses: {
      shape: { kind: 'list', items: clause },
      code: 'INVALID_FILTER',
      required: true,
      doc: 'Clauses, AND-ed.',
      fix: 'Add a clause { attribute, operator, values }.',
    },
  }),
};

const patchKeys = (what: string): Keys<ObjectMappingPatch> => ({
  attributes: {
    shape: { kind: 'record', keyName: 'target attribute', values: attribute, nullable: true },
    code: 'INVALID_CONFIG',
    doc: `Attribute mappings of ${what}, keyed by the Rollbar (target) attribute; null removes one.`,
    default: 'the default mappings',
    fix: 'Key each mapping by its target attribute, such as userName.',
  },
  scopingFilters: {
    shape: { kind: 'list', items: filterGroup },
    code: 'INVALID_FILTER',
    doc: `Scoping filter groups of ${what}: groups are OR-ed, clauses in a group AND-ed.`,
    default: 'the default scope',
    fix: 'Write a list of { name, clauses }; groups are OR-ed.',
  },
});

const role: KeyDescription = {
  code: 'INVALID_CONFIG',
  doc: 'An application role.',
  fix: 'Write the role as { value, displayName }.',
  shape: object<AppRoleSpec>({
    value: {
      shape: { kind: 'string' },
      code: 'INVALID_ROLE_VALUE',
      required: true,
      doc: 'What assignments name, and what the role id is derived from.',
      fix: 'Use a value such as Admin or Platform.Engineer.',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$',
    },
    id: {
      shape: { kind: 'string' },
      code: 'INVALID_ROLE_ID',
      doc: 'The role id (a GUID): set it for a role made in the admin center, so that adopting keeps it.',
      default: 'a UUID v5 of the value',
      fix: "Copy the role's id from the app's manifest (appRoles[].id), or omit it.",
      pattern: GUID_PATTERN,
    },
    displayName: {
      shape: { kind: 'string' },
      code: 'INVALID_CONFIG',
      doc: 'Name shown in the admin center.',
      default: 'the value',
      fix: 'Write text, or omit it for the default.',
    },
    description: {
      shape: { kind: 'string' },
      code: 'INVALID_CONFIG',
      doc: 'Description shown in the admin center.',
      default: '`<displayName> role for Rollbar provisioning`',
      fix: 'Write text, or omit it for the default.',
    },
    allowedMemberTypes: {
      shape: {
        kind: 'list',
        items: { shape: { kind: 'enum', values: ['User'] }, code: 'INVALID_CONFIG', doc: 'A member type.' },
      },
      code: 'INVALID_CONFIG',
      doc: 'Who may hold the role: User covers users and groups.',
      default: '`[User]`',
      fix: 'Omit it: Rollbar roles are held by users and groups.',
    },
  }),
};

const assignment: KeyDescription = {
  code: 'INVALID_CONFIG',
  doc: 'A user or group assigned with a role.',
  fix: 'Give principalObjectId and role.',
  shape: object<AssignmentSpec>({
    principalObjectId: {
      shape: { kind: 'string' },
      code: 'INVALID_OBJECT_ID',
      required: true,
      doc: 'Object ID of the user or group.',
      fix: 'Copy the Object ID of the user or group from the Entra admin center.',
      pattern: GUID_PATTERN,
    },
    principalType: {
      shape: { kind: 'enum', values: ['User', 'Group'] },
      code: 'INVALID_PRINCIPAL_TYPE',
      doc: 'Deprecated, ignored: Entra knows whether the principal is a user or a group.',
      fix: 'Remove it: Entra knows whether the object is a user or a group.',
      deprecated: 'no resource takes it; Entra reads the type from the object id',
    },
    role: {
      shape: { kind: 'string' },
      code: 'UNKNOWN_ROLE',
      required: true,
      doc: 'The value of a role declared under roles.',
      fix: 'Name a role declared under roles.',
    },
  }),
};

const settingKeys: Keys<RollbarProvisioningSpec> = {
  displayName: {
    shape: { kind: 'string' },
    code: 'INVALID_DISPLAY_NAME',
    doc: 'Name of the enterprise application.',
    portal: 'Add Rollbar from the gallery: the name',
    default: '`Rollbar`',
    defaultValue: 'Rollbar',
    fix: "Omit it to use 'Rollbar'.",
  },
  applicationTemplateId: {
    shape: { kind: 'string' },
    code: 'INVALID_TEMPLATE_ID',
    doc: 'Gallery application template id (a GUID).',
    portal: 'Add Rollbar from the gallery: the entry',
    default: 'looked up by display name `Rollbar`',
    fix: "Omit it to look the template up by display name 'Rollbar'.",
    pattern: GUID_PATTERN,
  },
  syncTemplateId: {
    shape: { kind: 'string' },
    code: 'INVALID_TEMPLATE_ID',
    doc: 'Synchronization template id of the provisioning job.',
    portal: '(hidden) provisioning template',
    default: "the app's default sync template, read at deploy time",
    fix: "Omit it to use the service principal's default sync template, read at deploy time.",
    pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$',
  },
  secretToken: {
    shape: { kind: 'secret' },
    code: 'MISSING_SECRET_TOKEN',
    required: true,
    notInFile: true,
    doc: 'The Rollbar SCIM token: from a secret store, never in the file.',
    portal: 'Admin Credentials ▸ Secret Token',
  },
  secretTokenVersion: {
    shape: { kind: 'string' },
    code: 'INVALID_CONFIG',
    doc: 'Which token is deployed: change it whenever the token changes, and the next deploy tests and saves the new one.',
    portal: '(IaC) rotation of the Secret Token',
    default: '`"1"`',
    defaultValue: '1',
    fix: "Write a version such as '2' or a date, in quotes.",
  },
  tenantUrl: {
    shape: { kind: 'string' },
    code: 'INVALID_URL',
    credentialSetting: true,
    doc: "Rollbar's SCIM base address, sent as BaseAddress.",
    portal: 'Admin Credentials ▸ Tenant URL',
    default: "not sent (the gallery connector knows Rollbar's endpoint); one saved earlier is cleared",
    fix: "Use Rollbar's SCIM base address (https://…), or omit it.",
  },
  notification: {
    shape: object<NotificationSpec>({
      email: {
        shape: { kind: 'string' },
        code: 'INVALID_EMAIL',
        required: true,
        doc: 'Recipient of failure and quarantine e-mails.',
        portal: 'Settings ▸ Notification Email',
        fix: 'Use a monitored mailbox such as identity-ops@example.com, or omit notification.',
      },
      sendOnFailure: {
        shape: { kind: 'boolean' },
        code: 'INVALID_CONFIG',
        doc: 'Send an e-mail notification when a failure occurs.',
        portal: 'Settings ▸ Send an email notification when a failure occurs',
        default: '`true`',
        defaultValue: true,
        fix: BOOLEAN_FIX,
      },
    }),
    code: 'INVALID_CONFIG',
    credentialSetting: true,
    tableChildren: true,
    doc: 'Failure notification e-mail.',
    default: 'no notification e-mail',
    fix: 'Write notification as a map with email (and sendOnFailure).',
  },
  accidentalDeletionThreshold: {
    shape: { kind: 'number', integer: true, minimum: 0, maximum: 1_000_000 },
    code: 'INVALID_THRESHOLD',
    credentialSetting: true,
    doc: 'A cycle that would delete more accounts than this stops for review; 0 turns the guard off.',
    portal: 'Settings ▸ Prevent accidental deletion',
    default: '`500` (`0` turns it off)',
    defaultValue: 500,
    fix: 'Use 500 (the suggested value), or 0 to turn the guard off.',
  },
  scope: {
    shape: { kind: 'enum', values: ['assignedOnly', 'all'] },
    code: 'INVALID_SCOPE',
    credentialSetting: true,
    doc: 'Sync only assigned users and groups, or all users and groups.',
    portal: 'Settings ▸ Scope',
    default: '`assignedOnly`',
    defaultValue: 'assignedOnly',
    fix: "Use 'assignedOnly' (recommended: only assigned users and groups) or 'all'.",
  },
  provisioningEnabled: {
    shape: { kind: 'boolean' },
    code: 'INVALID_CONFIG',
    doc: 'On starts (or resumes) the job once the token has passed the connection test; off pauses it.',
    portal: 'Provisioning Status On/Off',
    default: '`true`',
    defaultValue: true,
    fix: BOOLEAN_FIX,
  },
  testConnection: {
    shape: { kind: 'boolean' },
    code: 'INVALID_CONFIG',
    doc: 'Test the token with Graph before the credentials are saved.',
    portal: 'Admin Credentials ▸ Test Connection',
    default: '`true`',
    defaultValue: true,
    fix: BOOLEAN_FIX,
  },
  roles: {
    shape: { kind: 'list', items: role },
    code: 'INVALID_CONFIG',
    doc: 'Application roles the library creates on the app (Default Access is not allowed).',
    portal: 'Users and groups ▸ Select a role',
    default: '`[{ value: User }]`',
    fix: 'Write roles as a list of { value, displayName }.',
  },
  assignments: {
    shape: {
      kind: 'record',
      keyName: 'assignment name',
      values: assignment,
      keyPattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    },
    code: 'INVALID_CONFIG',
    doc: 'Users and groups assigned to Rollbar, keyed by a stable kebab-case name (part of the resource address).',
    portal: 'Users and groups ▸ Add user/group',
    default: 'none',
    fix: 'Write assignments as { platform-team: { principalObjectId, role } }.',
  },
  mappings: {
    shape: object<MappingsSpec>({
      users: {
        shape: object<ObjectMappingPatch>(patchKeys('users')),
        code: 'INVALID_CONFIG',
        doc: 'Patch of "Synchronize Microsoft Entra ID Users to Rollbar".',
        portal: 'Mappings ▸ users: attribute mappings, matching, scoping filters',
        default: 'not managed',
        fix: 'Write it as a map with attributes and/or scopingFilters.',
      },
      groups: {
        shape: object<GroupMappingPatch>({
          ...patchKeys('groups'),
          enabled: {
            shape: { kind: 'boolean' },
            code: 'INVALID_CONFIG',
            doc: 'Provision groups (the mapping\'s "Enabled" toggle).',
            default: 'the default (enabled)',
            fix: 'Write enabled: false to stop provisioning groups.',
          },
        }),
        code: 'INVALID_CONFIG',
        doc: 'Patch of "Synchronize Microsoft Entra ID Groups to Rollbar".',
        portal: 'Mappings ▸ groups: attribute mappings, scoping filters, Enabled',
        default: 'not managed',
        fix: 'Write it as a map with attributes, scopingFilters and/or enabled.',
      },
    }),
    code: 'INVALID_CONFIG',
    tableChildren: true,
    doc: "Attribute mapping and scoping filter patches on top of Rollbar's default schema.",
    default: 'not managed (portal edits are kept)',
    fix: 'Write mappings as a map with users and/or groups.',
    nullFix:
      "Remove the key to leave the schema unmanaged, or write 'mappings: {}' to manage it with Rollbar's defaults.",
  },
  protect: {
    shape: { kind: 'boolean' },
    code: 'INVALID_CONFIG',
    doc: 'The application cannot be destroyed by accident (prevent_destroy / protect).',
    portal: '(IaC) protection from destroy',
    default: '`true`',
    defaultValue: true,
    fix: BOOLEAN_FIX,
  },
  existingServicePrincipalObjectId: {
    shape: { kind: 'string' },
    code: 'INVALID_OBJECT_ID',
    doc: 'Object ID of a Rollbar service principal set up in the portal, to adopt instead of creating an app.',
    portal: 'adopt a Rollbar app set up in the portal',
    default: 'a new app is created',
    fix: 'Copy the Object ID of the Rollbar enterprise application from the Entra admin center.',
    pattern: GUID_PATTERN,
  },
  skipOutOfScopeDeletions: {
    shape: { kind: 'boolean' },
    code: 'INVALID_CONFIG',
    credentialSetting: true,
    doc: 'Keep accounts that go out of scope enabled in Rollbar (SkipOutOfScopeDeletions).',
    portal: '(Graph only) keep out-of-scope accounts enabled',
    default: '`false` (sent as `"False"`)',
    defaultValue: false,
    fix: BOOLEAN_FIX,
  },
  canary: {
    shape: object<CanarySpec>({
      principalObjectId: {
        shape: { kind: 'string' },
        code: 'INVALID_OBJECT_ID',
        required: true,
        doc: 'Object ID of the canary user (a user, not a group).',
        fix: 'Copy the Object ID of the user from the Entra admin center (Users ▸ Overview ▸ Object ID).',
        pattern: GUID_PATTERN,
      },
    }),
    code: 'INVALID_CONFIG',
    doc: 'A user provisioned on demand before provisioning is switched on; a failure stops the deploy.',
    portal: 'Provision on demand (test with a single user first)',
    default: 'no canary',
    fix: 'Write canary: { principalObjectId: <user object id> }.',
  },
  sso: {
    shape: object<SsoSpec>({
      accountName: {
        shape: { kind: 'string' },
        code: 'INVALID_ACCOUNT_NAME',
        required: true,
        doc: 'The Rollbar account name, as in https://rollbar.com/<accountName>/: it makes the reply and sign-on URLs.',
        portal: 'Basic SAML Configuration ▸ Reply URL and Sign on URL',
        fix: 'Copy the account name from your Rollbar URL, https://rollbar.com/<accountName>/.',
        pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$',
      },
      certificateNotificationEmails: {
        shape: { kind: 'list', items: { shape: { kind: 'string' }, code: 'INVALID_EMAIL', doc: 'An e-mail address.' } },
        code: 'INVALID_EMAIL',
        doc: 'Who Entra e-mails before the active signing certificate expires (at most 5).',
        portal: 'SAML Certificates ▸ Notification Email',
        default: 'left as Entra has them',
        fix: 'Write a list of e-mail addresses, as in [identity-ops@example.com].',
      },
      signingCertificates: {
        shape: {
          kind: 'record',
          keyName: 'certificate name',
          keyPattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
          values: {
            shape: object<SigningCertificateSpec>({
              endDate: {
                shape: { kind: 'string' },
                code: 'INVALID_DATE',
                doc: 'Expiry, an RFC 3339 UTC time such as 2029-01-01T00:00:00Z, at most three years ahead.',
                default: 'three years after it is made',
                fix: "Write a UTC time such as '2029-01-01T00:00:00Z', in quotes.",
              },
            }),
            code: 'INVALID_CONFIG',
            doc: 'A token-signing certificate.',
            fix: 'Write {} for the defaults, or { endDate }.',
          },
        },
        code: 'INVALID_CONFIG',
        doc: 'Token-signing certificates keyed by a stable kebab-case name (part of the resource address).',
        portal: 'SAML Certificates ▸ Token signing certificate ▸ New Certificate',
        default: '`{ primary: {} }`',
        fix: 'Write signingCertificates as { primary: {} }.',
      },
      activeCertificate: {
        shape: { kind: 'string' },
        code: 'UNKNOWN_SIGNING_CERTIFICATE',
        doc: 'The key of the certificate that signs (preferredTokenSigningKeyThumbprint).',
        portal: 'SAML Certificates ▸ Make certificate active',
        default: 'the only certificate (required when there are several)',
        fix: 'Name one of the keys under sso.signingCertificates.',
      },
    }),
    code: 'INVALID_CONFIG',
    tableChildren: true,
    doc: 'SAML single sign-on for the same app: SAML mode, Rollbar URLs, an active signing certificate.',
    portal: 'Single sign-on ▸ SAML',
    default: 'not managed (portal settings are kept)',
    fix: 'Write sso as a map with accountName.',
  },
};

/** The spec: the root of the description. */
export const SPEC_DESCRIPTION: KeyDescription = {
  shape: { kind: 'object', keys: settingKeys },
  code: 'INVALID_CONFIG',
  doc: 'Microsoft Entra ID provisioning of the Rollbar gallery app.',
  fix: 'Write settings as key: value lines.',
};

/** The keys of an object shape (empty for any other shape). */
export function objectKeys(description: KeyDescription): Readonly<Record<string, KeyDescription>> {
  return description.shape.kind === 'object' ? description.shape.keys : {};
}

/** The description of a top-level key. */
export function describedKey(name: keyof RollbarProvisioningSpec): KeyDescription {
  return settingKeys[name];
}

/** The credential settings (`graph save-credentials`' `settings`), in description order. */
export const CREDENTIAL_SETTING_KEYS: readonly string[] = Object.entries(settingKeys)
  .filter(([, d]) => d.credentialSetting === true)
  .map(([k]) => k);
