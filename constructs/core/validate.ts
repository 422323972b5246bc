import { DEFAULTS } from './defaults';
import { isDefaultAccess } from './default-access';
import { validateMappingsPatch } from './mappings/validate-patch';
import { ASSIGNMENT_KEY_PATTERN, ROLE_VALUE_PATTERN } from './naming';
import { problem, REDACTED, type Problem } from './problems';
import type { AppRoleSpec, RollbarProvisioningSpec } from './spec';

/** How `validateSpec` treats values that an engine resolves later. */
export interface ValidateOptions {
  /**
   * Recognises an unresolved engine value (a Terraform token, a Pulumi Output); such values are skipped,
   * not rejected.
   * @default - every value is treated as resolved
   */
  readonly isUnresolved?: (value: unknown) => boolean;
  /**
   * The token must be an unresolved engine value. CDKTF sets this: a literal would be written in clear text
   * into `cdk.tf.json`.
   * @default false
   */
  readonly secretTokenMustBeUnresolved?: boolean;
  /**
   * Require `secretToken`. A configuration file has none (tokens come from the engines' secret stores).
   * @default true
   */
  readonly requireSecretToken?: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Deliberately simple: one @, no spaces, a dot in the domain. Entra checks deliverability, not us.
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;.]+$/;
const SYNC_TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_DISPLAY_NAME = 256;
const SCOPES = ['assignedOnly', 'all'];
const PRINCIPAL_TYPES = ['User', 'Group'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a spec and returns every problem at once (an empty list when it is valid). Never throws, never
 * shows a secret value in a message.
 */
export function validateSpec(spec: RollbarProvisioningSpec<unknown>, options: ValidateOptions = {}): Problem[] {
  if (!isObject(spec)) {
    return [problem('INVALID_CONFIG', '(root)', 'be an object', spec, 'Pass a RollbarProvisioningSpec object.')];
  }
  const unresolved = options.isUnresolved ?? (() => false);
  const out: Problem[] = [];
  const objectId = (path: string, value: unknown, what: string): void => {
    if (unresolved(value)) return;
    if (typeof value !== 'string' || !GUID.test(value)) {
      out.push(
        problem(
          'INVALID_OBJECT_ID',
          path,
          'be an object id (a GUID such as 00000000-0000-0000-0000-000000000000)',
          value,
          `Copy the ${what}'s Object ID from the Entra admin center.`,
        ),
      );
    }
  };

  if (spec.displayName !== undefined) {
    const n = spec.displayName;
    if (typeof n !== 'string' || n.trim() === '' || n.length > MAX_DISPLAY_NAME) {
      out.push(
        problem(
          'INVALID_DISPLAY_NAME',
          'displayName',
          `be a non-empty string of at most ${MAX_DISPLAY_NAME} characters`,
          n,
          `Omit it to use '${DEFAULTS.displayName}'.`,
        ),
      );
    }
  }
  if (spec.applicationTemplateId !== undefined && !unresolved(spec.applicationTemplateId)) {
    if (typeof spec.applicationTemplateId !== 'string' || !GUID.test(spec.applicationTemplateId)) {
      out.push(
        problem(
          'INVALID_TEMPLATE_ID',
          'applicationTemplateId',
          'be the gallery template GUID',
          spec.applicationTemplateId,
          "Omit it to look the template up by display name 'Rollbar'.",
        ),
      );
    }
  }
  if (spec.syncTemplateId !== undefined && !unresolved(spec.syncTemplateId)) {
    if (typeof spec.syncTemplateId !== 'string' || !SYNC_TEMPLATE_ID.test(spec.syncTemplateId)) {
      out.push(
        problem(
          'INVALID_TEMPLATE_ID',
          'syncTemplateId',
          'be a synchronization template id (letters, digits, dot, dash, underscore)',
          spec.syncTemplateId,
          "Omit it to use the service principal's default sync template, read at deploy time.",
        ),
      );
    }
  }

  validateToken(spec.secretToken, options, unresolved, out);

  if (spec.tenantUrl !== undefined && !unresolved(spec.tenantUrl)) {
    if (!isHttpsUrl(spec.tenantUrl)) {
      out.push(
        problem(
          'INVALID_URL',
          'tenantUrl',
          'be an https:// URL',
          spec.tenantUrl,
          "Use Rollbar's SCIM base address, or omit it: the gallery connector knows Rollbar's endpoint.",
        ),
      );
    }
  }
  if (spec.notification !== undefined) {
    const n: unknown = spec.notification;
    const email = isObject(n) ? n.email : undefined;
    if (typeof email !== 'string' || !EMAIL.test(email)) {
      out.push(
        problem(
          'INVALID_EMAIL',
          'notification.email',
          'be an e-mail address',
          email,
          'Use a monitored mailbox such as identity-ops@example.com.',
        ),
      );
    }
  }
  if (spec.accidentalDeletionThreshold !== undefined) {
    const t = spec.accidentalDeletionThreshold;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > 1_000_000) {
      out.push(
        problem(
          'INVALID_THRESHOLD',
          'accidentalDeletionThreshold',
          'be a whole number from 0 to 1000000',
          t,
          `Use ${DEFAULTS.accidentalDeletionThreshold} (the suggested value), or 0 to turn the guard off.`,
        ),
      );
    }
  }
  if (spec.scope !== undefined && !SCOPES.includes(spec.scope)) {
    out.push(problem('INVALID_SCOPE', 'scope', "be 'assignedOnly' or 'all'", spec.scope, "Use 'assignedOnly' (recommended)."));
  }
  if (spec.existingServicePrincipalObjectId !== undefined) {
    objectId('existingServicePrincipalObjectId', spec.existingServicePrincipalObjectId, 'Rollbar enterprise application');
  }

  const roleValues = validateRoles(spec.roles, out);
  validateAssignments(spec.assignments, roleValues, objectId, unresolved, out);
  out.push(...validateMappingsPatch(spec.mappings));
  return out;
}

function validateToken(
  token: unknown,
  options: ValidateOptions,
  unresolved: (v: unknown) => boolean,
  out: Problem[],
): void {
  if (unresolved(token)) return;
  const required = options.requireSecretToken ?? true;
  if (token === undefined || token === null || token === '') {
    if (required) {
      out.push(
        problem(
          'MISSING_SECRET_TOKEN',
          'secretToken',
          'be set',
          token,
          'Pass the Rollbar SCIM token from a secret store (CDKTF: a sensitive variable; Pulumi: a secret config value).',
        ),
      );
    }
    return;
  }
  if (options.secretTokenMustBeUnresolved) {
    out.push(
      problem(
        'SECRET_TOKEN_LITERAL',
        'secretToken',
        'be a Terraform token (a sensitive TerraformVariable or a data source), not a literal',
        REDACTED,
        'A literal would be written in clear text to cdk.tf.json: use the variable rollbar_secret_token (TF_VAR_rollbar_secret_token).',
      ),
    );
  } else if (typeof token !== 'string') {
    out.push(problem('INVALID_CONFIG', 'secretToken', 'be a string', REDACTED, 'Pass the token as a string secret.'));
  }
}

function validateRoles(roles: readonly AppRoleSpec[] | undefined, out: Problem[]): Set<string> {
  const list: unknown = roles ?? DEFAULTS.roles;
  const seen = new Set<string>();
  if (!Array.isArray(list)) {
    out.push(problem('INVALID_CONFIG', 'roles', 'be a list of roles', list, 'Write roles as a list of { value, displayName }.'));
    return seen;
  }
  list.forEach((role: unknown, i) => {
    const path = `roles.${i}.value`;
    const value = isObject(role) ? role.value : undefined;
    if (typeof value !== 'string' || !ROLE_VALUE_PATTERN.test(value)) {
      out.push(
        problem(
          'INVALID_ROLE_VALUE',
          path,
          'be 1 to 120 letters, digits, dots, dashes or underscores, starting with a letter or digit',
          value,
          'Use a value such as Admin or Platform.Engineer.',
        ),
      );
      return;
    }
    if (isDefaultAccess(value)) {
      out.push(
        problem(
          'DEFAULT_ACCESS_ROLE',
          path,
          'not redeclare the gallery role Default Access',
          value,
          'Declare an application-specific role such as User or Admin.',
        ),
      );
      return;
    }
    if (seen.has(value)) {
      out.push(
        problem('DUPLICATE_ROLE', path, 'be unique among roles', value, 'Remove the duplicate or give it another value.'),
      );
      return;
    }
    seen.add(value);
    const types = isObject(role) ? role.allowedMemberTypes : undefined;
    if (types !== undefined && (!Array.isArray(types) || types.length === 0 || types.some((t) => t !== 'User'))) {
      out.push(
        problem(
          'INVALID_CONFIG',
          `roles.${i}.allowedMemberTypes`,
          "be ['User'] (users and groups)",
          types,
          'Omit it: Rollbar roles are held by users and groups.',
        ),
      );
    }
  });
  return seen;
}

function validateAssignments(
  assignments: unknown,
  roles: Set<string>,
  objectId: (path: string, value: unknown, what: string) => void,
  unresolved: (v: unknown) => boolean,
  out: Problem[],
): void {
  if (assignments === undefined) return;
  if (!isObject(assignments)) {
    out.push(
      problem(
        'INVALID_CONFIG',
        'assignments',
        'be a map from a kebab-case name to an assignment',
        assignments,
        'Write assignments as { platform-team: { principalObjectId, principalType, role } }.',
      ),
    );
    return;
  }
  const known = [...roles].join(', ');
  for (const [key, a] of Object.entries(assignments)) {
    const base = `assignments.${key}`;
    if (!ASSIGNMENT_KEY_PATTERN.test(key)) {
      out.push(
        problem(
          'INVALID_ASSIGNMENT_KEY',
          base,
          'be named in kebab-case (lower-case letters and digits, joined by single dashes)',
          key,
          `Rename it, for example to '${toKebab(key)}': the name is part of the resource address.`,
        ),
      );
    }
    if (!isObject(a)) {
      out.push(problem('INVALID_CONFIG', base, 'be an object', a, 'Give principalObjectId, principalType and role.'));
      continue;
    }
    const type = a.principalType;
    const what = type === 'Group' ? 'group' : 'user';
    objectId(`${base}.principalObjectId`, a.principalObjectId, what);
    if (!unresolved(type) && (typeof type !== 'string' || !PRINCIPAL_TYPES.includes(type))) {
      out.push(
        problem(
          'INVALID_PRINCIPAL_TYPE',
          `${base}.principalType`,
          "be 'User' or 'Group'",
          type,
          'Say whether the principal is a user or a group.',
        ),
      );
    }
    const role = a.role;
    if (typeof role !== 'string') {
      out.push(problem('UNKNOWN_ROLE', `${base}.role`, 'name a declared role', role, `Use one of: ${known}.`));
    } else if (isDefaultAccess(role)) {
      out.push(
        problem(
          'DEFAULT_ACCESS_ROLE',
          `${base}.role`,
          'be an application-specific role, not Default Access',
          role,
          `Assign one of the declared roles: ${known}.`,
        ),
      );
    } else if (!roles.has(role)) {
      out.push(
        problem(
          'UNKNOWN_ROLE',
          `${base}.role`,
          'name a role declared under roles',
          role,
          `Declare it under roles, or use one of: ${known}.`,
        ),
      );
    }
  }
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function toKebab(key: string): string {
  const k = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return k === '' ? 'my-assignment' : k;
}
