/**
 * Export: what Graph says about a Rollbar app set up in the admin center, turned into a configuration that
 * adopts it (`existingServicePrincipalObjectId`) and changes nothing. Pure: it takes a read snapshot (see
 * graph/export.ts for the reads) and returns the configuration, the import ids and every note for the person.
 *
 * Decisions, in the model's terms:
 * - **Default Access** (`msiam_access`, the zero GUID) stays this project's rule (`DEFAULT_ACCESS_ROLE`): such an
 *   assignment is listed in {@link ExportResult.defaultAccess}, left out of the file and of the imports, and the
 *   note says how to move it to a role. Adopting does not touch it (nothing manages it), so it keeps working.
 * - **Roles** keep their ids (`roles[].id`): a role made in the admin center has a random one.
 * - **Assignment keys** come from display names in kebab-case, made unique in object-id order, so that a second
 *   export gives the same keys; without a usable name, `user-<first 8 of the object id>` or `group-…`. Keys are
 *   identity: they never follow a later rename.
 * - **Secrets**: the token is never exported. Graph returns some saved values masked as `*` (the azuread provider
 *   treats `*` as "sensitive, not returned": hashicorp/terraform-provider-azuread,
 *   internal/services/synchronization/synchronization.go, flattenSynchronizationSecretKeyStringValuePair); a
 *   masked value is unknown: left out, with a note.
 * - **Mappings** are `schemaToPatch(template, job)`: a patch against Microsoft's current template, so a template
 *   that changed since the app was set up shows as part of the patch. What no patch expresses is listed.
 */
import type {
  AppRole,
  AppRoleAssignment,
  FilterOperatorSchema,
  SynchronizationSchema,
  SynchronizationSecretKeyStringValuePair,
} from '@microsoft/microsoft-graph-types';
import { DEFAULTS } from './defaults';
import { isDefaultAccess } from './default-access';
import { schemaToPatch, type SchemaDifference } from './mappings/schema-to-patch';
import { ASSIGNMENT_KEY_PATTERN, ROLE_VALUE_PATTERN } from './naming';
import type { AppRoleSpec, AssignmentSpec, MappingsSpec, RollbarProvisioningSpec } from './spec';

/** What export reads from Graph. */
export interface PortalSnapshot {
  /** The service principal's object id. */
  readonly servicePrincipalId: string;
  /** The application's object id (what role resources are addressed by). */
  readonly applicationObjectId: string;
  /** The application's app roles (`GET /applications/{id}` appRoles). */
  readonly appRoles: readonly AppRole[];
  /** `GET /servicePrincipals/{id}/appRoleAssignedTo`. */
  readonly assignments: readonly AppRoleAssignment[];
  /** The provisioning job. */
  readonly job: {
    readonly id: string;
    readonly templateId?: string | null;
    readonly scheduleState?: string | null;
  };
  /** The job's live schema. */
  readonly jobSchema: SynchronizationSchema;
  /** The sync template's schema: Microsoft's current default. Absent when it cannot be read. */
  readonly templateSchema?: SynchronizationSchema;
  /** The job's scoping filter operators, when read. */
  readonly filterOperators?: readonly FilterOperatorSchema[];
  /** `GET /servicePrincipals/{id}/synchronization/secrets`. */
  readonly secrets: readonly SynchronizationSecretKeyStringValuePair[];
}

/** The value Graph returns in place of a saved secret it does not give back. */
export const MASKED_SECRET_VALUE = '*';

/** Kinds of note. Stable: tests and scripts read them. */
export const EXPORT_NOTE_KINDS = [
  /** A Default Access assignment, left out (see {@link ExportResult.defaultAccess}). */
  'DEFAULT_ACCESS_ASSIGNMENT',
  /** An assignment of a service principal, left out: the model assigns users and groups. */
  'SERVICE_PRINCIPAL_ASSIGNMENT',
  /** A saved secret Graph returned masked: unknown, left out. */
  'MASKED_SECRET',
  /** The token: never exported. */
  'SECRET_TOKEN',
  /** An assignment key fell back to the object id (no usable display name). */
  'KEY_FROM_OBJECT_ID',
  /** The template's schema could not be read: `mappings` is left out, the schema stays unmanaged. */
  'NO_TEMPLATE_SCHEMA',
] as const;

/** A kind of {@link ExportNote}. */
export type ExportNoteKind = (typeof EXPORT_NOTE_KINDS)[number];

/** Something the person should know; not a loss of configuration. */
export interface ExportNote {
  readonly kind: ExportNoteKind;
  readonly path: string;
  readonly message: string;
}

/** Kinds of portal configuration that the model cannot express, besides the schema's. */
export const EXPORT_DIFFERENCE_KINDS = [
  /** A role the model cannot declare: no value, a value outside its pattern, other member types, disabled. */
  'ROLE',
  /** An assignment of a role that is not exported. */
  'ASSIGNMENT',
  /** Several notification recipients: the model takes one. */
  'NOTIFICATION_RECIPIENTS',
  /** A saved setting the model has no key for, or a value it cannot read. */
  'SETTING',
] as const;

/** One piece of portal configuration that the file does not carry: export exits with its own code for these. */
export interface ExportDifference {
  /** A schema difference kind ({@link SchemaDifference}) or one of {@link EXPORT_DIFFERENCE_KINDS}. */
  readonly kind: SchemaDifference['kind'] | (typeof EXPORT_DIFFERENCE_KINDS)[number];
  readonly path: string;
  readonly message: string;
  /** What the job (or the app) has, as short JSON, when known. */
  readonly job?: string;
}

/** A Default Access assignment, and how to move it to a role. */
export interface DefaultAccessAssignment {
  readonly assignmentId: string;
  readonly principalObjectId: string;
  readonly principalType: 'User' | 'Group';
  readonly principalDisplayName?: string;
  /** The key the assignment would get under `assignments`. */
  readonly suggestedKey: string;
}

/**
 * The import ids of what adopting takes over, by model name: the azuread provider's ids, which Terraform's
 * `import` blocks and `pulumi import` both take.
 */
export interface ExportImports {
  /** `/servicePrincipals/{oid}/synchronization/jobs/{jobId}`. */
  readonly job: string;
  /** By role value: `/applications/{appOid}/appRoles/{roleId}`. */
  readonly roles: Readonly<Record<string, string>>;
  /** By assignment key: `/servicePrincipals/{oid}/appRoleAssignedTo/{assignmentId}`. */
  readonly assignments: Readonly<Record<string, string>>;
}

/** The outcome of {@link exportConfig}. */
export interface ExportResult {
  /** The configuration: the spec without `secretToken`, keys in a fixed order. */
  readonly config: Omit<RollbarProvisioningSpec, 'secretToken'>;
  readonly imports: ExportImports;
  readonly defaultAccess: readonly DefaultAccessAssignment[];
  readonly notes: readonly ExportNote[];
  /** Portal configuration the file does not carry. Empty: adopting the file changes nothing. */
  readonly differences: readonly ExportDifference[];
}

const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
const MAX_KEY_LENGTH = 60;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Kebab-case of a display name, Latin letters folded to ASCII; empty when nothing usable is left. */
export function kebabKey(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= MAX_KEY_LENGTH) return ascii;
  return ascii.slice(0, MAX_KEY_LENGTH).replace(/-[^-]*$/, '') || ascii.slice(0, MAX_KEY_LENGTH);
}

/**
 * Keys for assignments: kebab-case of the display name; in object-id order (then assignment id), the first of a
 * name keeps it and the next get `-2`, `-3`…, so the same assignments always get the same keys whatever order
 * Graph lists them in. A name that yields nothing falls back to `user-<first 8 of the object id>` or `group-…`.
 */
export function assignmentKeys(
  list: readonly { id: string; principalId: string; principalType: 'User' | 'Group'; principalDisplayName?: string }[],
): { keys: Map<string, string>; fromObjectId: Set<string> } {
  const sorted = [...list].sort(
    (a, b) => byString(a.principalId.toLowerCase(), b.principalId.toLowerCase()) || byString(a.id, b.id),
  );
  const used = new Set<string>();
  const keys = new Map<string, string>();
  const fromObjectId = new Set<string>();
  for (const a of sorted) {
    let base = kebabKey(a.principalDisplayName ?? '');
    if (base === '' || !ASSIGNMENT_KEY_PATTERN.test(base)) {
      base = `${a.principalType === 'Group' ? 'group' : 'user'}-${a.principalId.toLowerCase().slice(0, 8)}`;
      fromObjectId.add(a.id);
    }
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}-${n}`;
    used.add(key);
    keys.set(a.id, key);
  }
  return { keys, fromObjectId };
}

function isMasked(value: string | null | undefined): boolean {
  return value === MASKED_SECRET_VALUE;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

/** The settings saved with the token, read back into the model's keys. */
function readSettings(
  secrets: readonly SynchronizationSecretKeyStringValuePair[],
  notes: ExportNote[],
  differences: ExportDifference[],
): Pick<
  RollbarProvisioningSpec,
  'tenantUrl' | 'notification' | 'accidentalDeletionThreshold' | 'scope' | 'skipOutOfScopeDeletions'
> {
  const out: {
    tenantUrl?: string;
    notification?: { email: string; sendOnFailure: boolean };
    accidentalDeletionThreshold?: number;
    scope?: 'assignedOnly' | 'all';
    skipOutOfScopeDeletions?: boolean;
  } = {};
  const masked = (key: string, path: string, what: string): void => {
    notes.push({
      kind: 'MASKED_SECRET',
      path,
      message: `Graph returned the saved ${key} masked: ${what} is unknown and left out. Set it yourself if the portal has one.`,
    });
  };
  for (const { key, value } of [...secrets].sort((a, b) => byString(a.key ?? '', b.key ?? ''))) {
    switch (key) {
      case 'SecretToken':
        notes.push({
          kind: 'SECRET_TOKEN',
          path: 'secretToken',
          message:
            'The Rollbar token is never exported: give it to the engine (TF_VAR_rollbar_secret_token, or pulumi config set --secret rollbar:secretToken).',
        });
        break;
      case 'BaseAddress':
        if (isMasked(value)) masked(key, 'tenantUrl', 'the tenant URL');
        else if (typeof value === 'string' && value !== '') out.tenantUrl = value;
        break;
      case 'SyncAll':
        if (isMasked(value)) masked(key, 'scope', 'the scope');
        else out.scope = String(value).toLowerCase() === 'true' ? 'all' : 'assignedOnly';
        break;
      case 'SkipOutOfScopeDeletions':
        if (isMasked(value)) masked(key, 'skipOutOfScopeDeletions', 'whether out-of-scope deletions are skipped');
        else out.skipOutOfScopeDeletions = ['true', '1'].includes(String(value).toLowerCase());
        break;
      case 'SyncNotificationSettings':
        if (isMasked(value)) masked(key, 'notification', 'the notification e-mail and the deletion threshold');
        else readNotification(value ?? '', out, differences);
        break;
      default:
        if (key === undefined || key === null) break;
        differences.push({
          kind: 'SETTING',
          path: `secrets.${key}`,
          message: `The saved setting ${key} has no key in the model: a deploy saves the complete set without it.`,
        });
    }
  }
  return out;
}

function readNotification(
  text: string,
  out: { notification?: { email: string; sendOnFailure: boolean }; accidentalDeletionThreshold?: number },
  differences: ExportDifference[],
): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    differences.push({
      kind: 'SETTING',
      path: 'notification',
      message: 'The saved SyncNotificationSettings is not a JSON object: the notification and threshold are left out.',
    });
    return;
  }
  const n = parsed as Record<string, unknown>;
  const recipients = typeof n.Recipients === 'string' ? n.Recipients.split(/[;,]/).map((r) => r.trim()) : [];
  const emails = recipients.filter((r) => r !== '');
  if (emails.length > 0) {
    out.notification = { email: emails[0]!, sendOnFailure: n.Enabled === true };
    if (emails.length > 1) {
      differences.push({
        kind: 'NOTIFICATION_RECIPIENTS',
        path: 'notification.email',
        job: short(n.Recipients),
        message: `The portal sends notifications to ${emails.length} addresses; the model takes one: only ${emails[0]} is written.`,
      });
    }
  }
  if (n.DeleteThresholdEnabled === false) out.accidentalDeletionThreshold = 0;
  else if (n.DeleteThresholdEnabled === true) {
    const value = Number(n.DeleteThresholdValue);
    if (Number.isInteger(value) && value > 0) out.accidentalDeletionThreshold = value;
    else {
      differences.push({
        kind: 'SETTING',
        path: 'accidentalDeletionThreshold',
        job: short(n.DeleteThresholdValue),
        message: `The deletion guard is on without a threshold the model reads: the default ${DEFAULTS.accidentalDeletionThreshold} would apply.`,
      });
    }
  }
}

/** Whether a role is the gallery's Default Access role. */
function isDefaultAccessRole(role: AppRole): boolean {
  return (
    (role.id ?? '').toLowerCase() === ZERO_GUID ||
    [role.value, role.displayName].some((v) => typeof v === 'string' && isDefaultAccess(v))
  );
}

/** The roles the model can declare, and the ids of every other role with why it is not exported. */
function readRoles(
  appRoles: readonly AppRole[],
  differences: ExportDifference[],
): { roles: AppRoleSpec[]; defaultAccessIds: Set<string>; byId: Map<string, string> } {
  const roles: AppRoleSpec[] = [];
  const defaultAccessIds = new Set<string>([ZERO_GUID]);
  const byId = new Map<string, string>();
  const sorted = [...appRoles].sort(
    (a, b) => byString(a.value ?? '', b.value ?? '') || byString(a.id ?? '', b.id ?? ''),
  );
  for (const role of sorted) {
    const id = (role.id ?? '').toLowerCase();
    if (isDefaultAccessRole(role)) {
      defaultAccessIds.add(id);
      continue;
    }
    const value = role.value ?? '';
    const path = `roles[${value || id}]`;
    const why =
      value === ''
        ? 'has no value, which the model needs'
        : !ROLE_VALUE_PATTERN.test(value)
          ? "has a value outside the model's pattern (letters, digits, dots, dashes, underscores)"
          : role.isEnabled === false
            ? 'is disabled; the model declares enabled roles'
            : !(role.allowedMemberTypes?.length === 1 && role.allowedMemberTypes[0] === 'User')
              ? `is held by ${short(role.allowedMemberTypes)}; the model declares roles held by users and groups`
              : undefined;
    if (why !== undefined) {
      differences.push({
        kind: 'ROLE',
        path,
        job: short({ id: role.id, value: role.value, displayName: role.displayName }),
        message: `The role ${why}: it is left out, and nothing manages it.`,
      });
      continue;
    }
    byId.set(id, value);
    roles.push({
      value,
      id,
      displayName: role.displayName ?? value,
      description: role.description ?? '',
    });
  }
  return { roles, defaultAccessIds, byId };
}

/**
 * The configuration that adopts the app in `snapshot`, its import ids, the Default Access assignments left out,
 * notes, and what the file cannot carry. Deterministic: the same snapshot (in any list order) gives an equal
 * result.
 */
export function exportConfig(snapshot: PortalSnapshot): ExportResult {
  const notes: ExportNote[] = [];
  const differences: ExportDifference[] = [];
  const sp = snapshot.servicePrincipalId.toLowerCase();

  const { roles, defaultAccessIds, byId } = readRoles(snapshot.appRoles, differences);

  const people = snapshot.assignments.flatMap((a) => {
    const type: string | null | undefined = a.principalType;
    if (type !== 'User' && type !== 'Group') {
      notes.push({
        kind: 'SERVICE_PRINCIPAL_ASSIGNMENT',
        path: `assignments[${a.principalId ?? a.id ?? '?'}]`,
        message: `The assignment of ${a.principalType ?? 'a principal'} '${a.principalDisplayName ?? a.principalId ?? '?'}' is skipped: the model assigns users and groups only. It stays as it is.`,
      });
      return [];
    }
    return [
      {
        id: a.id ?? '',
        principalId: a.principalId ?? '',
        principalType: type === 'Group' ? ('Group' as const) : ('User' as const),
        appRoleId: (a.appRoleId ?? ZERO_GUID).toLowerCase(),
        ...(a.principalDisplayName && { principalDisplayName: a.principalDisplayName }),
      },
    ];
  });
  const { keys, fromObjectId } = assignmentKeys(people);

  const assignments: Record<string, AssignmentSpec> = {};
  const assignmentImports: Record<string, string> = {};
  const defaultAccess: DefaultAccessAssignment[] = [];
  for (const a of [...people].sort((x, y) => byString(keys.get(x.id)!, keys.get(y.id)!))) {
    const key = keys.get(a.id)!;
    if (defaultAccessIds.has(a.appRoleId)) {
      defaultAccess.push({
        assignmentId: a.id,
        principalObjectId: a.principalId,
        principalType: a.principalType,
        ...(a.principalDisplayName !== undefined && { principalDisplayName: a.principalDisplayName }),
        suggestedKey: key,
      });
      notes.push({
        kind: 'DEFAULT_ACCESS_ASSIGNMENT',
        path: `assignments.${key}`,
        message: `'${a.principalDisplayName ?? a.principalId}' has Default Access, which this project does not assign: it is left out and keeps working. To manage it, add it under assignments with a role and remove the Default Access assignment in the portal.`,
      });
      continue;
    }
    const role = byId.get(a.appRoleId);
    if (role === undefined) {
      differences.push({
        kind: 'ASSIGNMENT',
        path: `assignments.${key}`,
        job: short({ principalId: a.principalId, appRoleId: a.appRoleId }),
        message: `The assignment's role ${a.appRoleId} is not exported (see the roles above): the assignment is left out too.`,
      });
      continue;
    }
    if (fromObjectId.has(a.id)) {
      notes.push({
        kind: 'KEY_FROM_OBJECT_ID',
        path: `assignments.${key}`,
        message: `The principal ${a.principalId} has no display name the key can be made from: the key is taken from its object id.`,
      });
    }
    assignments[key] = { principalObjectId: a.principalId, role };
    assignmentImports[key] = `/servicePrincipals/${sp}/appRoleAssignedTo/${a.id}`;
  }

  const settings = readSettings(snapshot.secrets, notes, differences);

  let mappings: MappingsSpec | undefined;
  if (snapshot.templateSchema === undefined) {
    notes.push({
      kind: 'NO_TEMPLATE_SCHEMA',
      path: 'mappings',
      message:
        "The sync template's schema could not be read: mappings are left out, so the job's schema stays as it is and unmanaged.",
    });
  } else {
    const inverse = schemaToPatch(
      snapshot.templateSchema,
      snapshot.jobSchema,
      snapshot.filterOperators ? { filterOperators: snapshot.filterOperators } : {},
    );
    mappings = inverse.patch;
    for (const d of inverse.differences) {
      differences.push({ kind: d.kind, path: d.path, message: d.message, ...(d.job !== undefined && { job: d.job }) });
    }
  }

  const state = snapshot.job.scheduleState ?? '';
  const config: Omit<RollbarProvisioningSpec, 'secretToken'> = {
    existingServicePrincipalObjectId: sp,
    ...(settings.tenantUrl !== undefined && { tenantUrl: settings.tenantUrl }),
    ...(settings.notification !== undefined && { notification: settings.notification }),
    ...(settings.accidentalDeletionThreshold !== undefined && {
      accidentalDeletionThreshold: settings.accidentalDeletionThreshold,
    }),
    ...(settings.scope !== undefined && { scope: settings.scope }),
    ...(settings.skipOutOfScopeDeletions !== undefined && {
      skipOutOfScopeDeletions: settings.skipOutOfScopeDeletions,
    }),
    provisioningEnabled: state === 'Active',
    roles,
    assignments,
    ...(mappings !== undefined && { mappings }),
  };

  const roleImports: Record<string, string> = {};
  for (const r of roles) roleImports[r.value] = `/applications/${snapshot.applicationObjectId}/appRoles/${r.id!}`;
  return {
    config,
    imports: {
      job: `/servicePrincipals/${sp}/synchronization/jobs/${snapshot.job.id}`,
      roles: roleImports,
      assignments: assignmentImports,
    },
    defaultAccess,
    notes,
    differences,
  };
}
