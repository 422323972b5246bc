/**
 * The model a user declares: the whole Rollbar provisioning procedure of the Entra admin center, as data.
 *
 * `V` is the type of values that may be engine tokens (a Terraform token string in CDKTF,
 * `pulumi.Input<string>` in Pulumi). Values that decide the shape of what is declared (role values,
 * assignment keys, mappings) are always plain.
 */
export interface RollbarProvisioningSpec<V = string> {
  /**
   * Display name of the enterprise application created from the gallery template.
   * @default 'Rollbar'
   */
  readonly displayName?: string;

  /**
   * Gallery application template id (a GUID).
   * @default - looked up by display name 'Rollbar' at plan time
   */
  readonly applicationTemplateId?: string;

  /**
   * Synchronization template id for the provisioning job (for example the id Graph lists under
   * `/servicePrincipals/{id}/synchronization/templates`).
   * @default - the service principal's default sync template, read at deploy time
   */
  readonly syncTemplateId?: string;

  /**
   * The Rollbar SCIM access token (Rollbar ▸ Account Settings ▸ Identity Provider ▸ Provisioning Options).
   * In CDKTF it must be a Terraform token (the ephemeral variable `rollbar_secret_token`, an ephemeral Key Vault
   * secret), never a literal; in Pulumi it is always wrapped as a secret.
   */
  readonly secretToken: V;

  /**
   * The token's version: change it (`"2"`, a date…) whenever the token changes, and the next deploy tests and
   * saves the new token. CDKTF needs it: the token is an ephemeral variable, so nothing of it is stored and
   * Terraform cannot see that it changed. Pulumi also notices a changed token by itself (it compares the
   * encrypted secret), and a changed version re-runs the step there too.
   * @default '1'
   */
  readonly secretTokenVersion?: string;

  /**
   * Rollbar SCIM base address ("Tenant URL"), sent as the `BaseAddress` credential.
   * @default - no BaseAddress is sent; the gallery connector carries Rollbar's endpoint
   */
  readonly tenantUrl?: V;

  /**
   * Failure notification e-mail (Settings ▸ Notification Email).
   * @default - no notification e-mail
   */
  readonly notification?: NotificationSpec;

  /**
   * Accidental-deletion threshold: the job stops when a cycle would delete more than this many accounts.
   * `0` turns the guard off.
   * @default 500
   */
  readonly accidentalDeletionThreshold?: number;

  /**
   * Which users and groups are provisioned (Settings ▸ Scope).
   * @default 'assignedOnly'
   */
  readonly scope?: ProvisioningScope;

  /**
   * Provisioning Status: on starts (or resumes) the job, off pauses it.
   * @default true
   */
  readonly provisioningEnabled?: boolean;

  /**
   * Test the connection (Graph `validateCredentials`) before the credentials are saved.
   * @default true
   */
  readonly testConnection?: boolean;

  /**
   * Application roles created on the Rollbar application.
   * @default [{ value: 'User', displayName: 'User' }]
   */
  readonly roles?: readonly AppRoleSpec[];

  /**
   * Users and groups assigned to Rollbar, keyed by a stable kebab-case name that is part of each
   * assignment's resource address.
   * @default - no assignments
   */
  readonly assignments?: Readonly<Record<string, AssignmentSpec<V>>>;

  /**
   * Attribute mapping and scoping filter patches, applied on top of Rollbar's default schema.
   * @default - the synchronization schema is not managed
   */
  readonly mappings?: MappingsSpec;

  /**
   * Protect the application from accidental destruction (`prevent_destroy` / `protect`).
   * @default true
   */
  readonly protect?: boolean;

  /**
   * Object id of an existing Rollbar service principal to adopt instead of instantiating a new app.
   * @default - a new app is instantiated from the gallery
   */
  readonly existingServicePrincipalObjectId?: string;

  /**
   * Do not disable accounts that go out of scope (credential `SkipOutOfScopeDeletions`).
   * @default false
   */
  readonly skipOutOfScopeDeletions?: boolean;

  /**
   * A user provisioned on demand before provisioning is switched on (the tutorial's "test with a single user
   * first"): the deploy stops when Graph reports a failure for this user, and the job stays as it was (a disabled
   * job disabled; a running job is never paused). It runs on first enablement and again when the credentials or
   * the mappings change.
   * @default - no canary
   */
  readonly canary?: CanarySpec<V>;

  /**
   * SAML single sign-on for the same Rollbar app (Single sign-on ▸ SAML): SAML mode, Rollbar's identifier, reply
   * and sign-on URLs for the account, and an active token-signing certificate. An adopted app without it keeps the
   * SSO settings the portal gave it.
   * @default - single sign-on is not managed
   */
  readonly sso?: SsoSpec;
}

/** The canary user (see {@link RollbarProvisioningSpec.canary}). */
export interface CanarySpec<V = string> {
  /**
   * Object id of a user, assigned to Rollbar directly or through a group. Groups are not accepted: Graph
   * reports no step detail for a group provisioned on demand.
   */
  readonly principalObjectId: V;
}

/** SAML single sign-on with Rollbar. */
export interface SsoSpec {
  /** The Rollbar account name, as in `https://rollbar.com/<accountName>/`. */
  readonly accountName: string;
  /**
   * Who Entra e-mails when the active signing certificate nears its expiry (`notificationEmailAddresses`).
   * @default - left as Entra has them
   */
  readonly certificateNotificationEmails?: readonly string[];
  /**
   * Token-signing certificates, keyed by a stable kebab-case name that is part of each one's resource address.
   * Rotation declares a second one, then makes it active, then removes the first (README, "Rotating the signing
   * certificate").
   * @default { primary: {} }
   */
  readonly signingCertificates?: Readonly<Record<string, SigningCertificateSpec>>;
  /**
   * The key of the certificate that signs Rollbar's SAML responses (`preferredTokenSigningKeyThumbprint`).
   * @default - the only certificate; required when there are several
   */
  readonly activeCertificate?: string;
}

/** One token-signing certificate (`addTokenSigningCertificate`). */
export interface SigningCertificateSpec {
  /**
   * When it expires, an RFC 3339 UTC time such as `2029-01-01T00:00:00Z`, at most three years after it is made.
   * @default - three years after it is made (Graph's default)
   */
  readonly endDate?: string;
}

/** Scope of provisioning: assigned users and groups only, or every user and group. */
export type ProvisioningScope = 'assignedOnly' | 'all';

/** Failure notification settings. */
export interface NotificationSpec {
  /** Recipient of quarantine and failure e-mails. */
  readonly email: string;
  /**
   * Send an e-mail notification when a failure occurs.
   * @default true
   */
  readonly sendOnFailure?: boolean;
}

/** An application role created on the Rollbar application. */
export interface AppRoleSpec {
  /** The role's value: what assignments name, and what its id is derived from unless `id` is given. */
  readonly value: string;
  /**
   * The role's id (a GUID). Give it for a role made in the admin center, whose id is random, so that adopting
   * the app keeps the role (and its assignments) instead of replacing it; `export` writes it.
   * @default - a UUID v5 of the value (core `roleId`), the same in every process and engine
   */
  readonly id?: string;
  /**
   * Name shown in the admin center.
   * @default - the value
   */
  readonly displayName?: string;
  /**
   * Description shown in the admin center.
   * @default - '<displayName> role for Rollbar provisioning'
   */
  readonly description?: string;
  /**
   * Who may hold the role. `User` covers users and groups.
   * @default ['User']
   */
  readonly allowedMemberTypes?: readonly 'User'[];
}

/** One user or group assigned to Rollbar with an application role. */
export interface AssignmentSpec<V = string> {
  /** Object id of the user or group. */
  readonly principalObjectId: V;
  /**
   * Whether the principal is a user or a group.
   * @deprecated Ignored: no resource takes it, and Entra reads the principal's type from its object id. It is
   *   still accepted (and must be `User` or `Group`) so that existing configurations load; `validate` warns.
   */
  readonly principalType?: PrincipalType;
  /** The value of a role declared under `roles`. */
  readonly role: string;
}

/** Kinds of principal that can be assigned. */
export type PrincipalType = 'User' | 'Group';

/** Mapping patches for the users and groups object mappings. */
export interface MappingsSpec {
  /** Patch for "Synchronize Microsoft Entra users to Rollbar". */
  readonly users?: ObjectMappingPatch;
  /** Patch for "Synchronize Microsoft Entra groups to Rollbar". */
  readonly groups?: GroupMappingPatch;
}

/** A patch to one object mapping. */
export interface ObjectMappingPatch {
  /**
   * Attribute mappings keyed by target attribute; `null` removes the mapping.
   * @default - the default mappings are kept
   */
  readonly attributes?: Readonly<Record<string, AttributeMappingSpec | null>>;
  /**
   * Scoping filter groups: groups are OR-ed, clauses in a group AND-ed.
   * @default - the default scope is kept
   */
  readonly scopingFilters?: readonly ScopingFilterGroup[];
}

/** A patch to the groups object mapping, which can also be switched off. */
export interface GroupMappingPatch extends ObjectMappingPatch {
  /**
   * Provision groups (the mapping's Enabled toggle).
   * @default - the default (enabled) is kept
   */
  readonly enabled?: boolean;
}

/** One attribute mapping. */
export interface AttributeMappingSpec {
  /** Entra expression: `[mail]`, `"constant"`, or a function call such as `Join(" ", [givenName], [surname])`. */
  readonly source: string;
  /**
   * Matching precedence; `0` means not used for matching, `1` is tried first.
   * @default - the default mapping's value; 0 (not matching) for a new mapping
   */
  readonly matchingPriority?: number;
  /**
   * When the mapping applies: always, or only when the object is created.
   * @default - the default mapping's value; 'always' for a new mapping
   */
  readonly apply?: 'always' | 'onCreateOnly';
  /**
   * Value used when the source evaluates to null.
   * @default - the default mapping's value; none for a new mapping
   */
  readonly defaultValue?: string;
}

/** A scoping filter group: every clause must hold. */
export interface ScopingFilterGroup {
  /** Name of the filter group, shown in the admin center. */
  readonly name: string;
  /** Clauses, AND-ed. */
  readonly clauses: readonly ScopingFilterClause[];
}

/** One scoping filter clause. */
export interface ScopingFilterClause {
  /** Source (Entra) attribute the clause tests. */
  readonly attribute: string;
  /** The admin center's operator name. */
  readonly operator: FilterOperator;
  /**
   * Values to compare with; none for unary operators such as `IS TRUE`.
   * @default - no values
   */
  readonly values?: readonly string[];
}

/** Scoping filter operators, as the admin center names them. */
export type FilterOperator =
  | '&'
  | '!&'
  | 'ENDS_WITH'
  | 'EQUALS'
  | 'Greater_Than'
  | 'Greater_Than_OR_EQUALS'
  | 'Includes'
  | 'IS FALSE'
  | 'IS NOT NULL'
  | 'IS NULL'
  | 'IS TRUE'
  | 'NOT EQUALS'
  | 'NOT REGEX MATCH'
  | 'REGEX MATCH';
