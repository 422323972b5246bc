import { DEFAULTS } from './defaults';
import { isDefaultAccess } from './default-access';
import { validateMappingsPatch } from './mappings/validate-patch';
import { ASSIGNMENT_KEY_PATTERN, ROLE_VALUE_PATTERN } from './naming';
import { problem, REDACTED, type Problem } from './problems';
import type { AppRoleSpec, AssignmentSpec, NotificationSpec, RollbarProvisioningSpec } from './spec';
import { redactText } from './redact';
import { closestMatch } from './suggest';

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
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';
// Deliberately simple: one @, no spaces, a dot in the domain. Entra checks deliverability, not us.
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;.]+$/;
const SYNC_TEMPLATE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const MAX_DISPLAY_NAME = 256;
const MAX_THRESHOLD = 1_000_000;
const SCOPES = ['assignedOnly', 'all'];
const PRINCIPAL_TYPES = ['User', 'Group'];
const BOOLEAN_SETTINGS = ['provisioningEnabled', 'testConnection', 'protect', 'skipOutOfScopeDeletions'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// The keys of each object of the spec. TypeScript rejects another key only in an object literal: from a spread,
// JSON or JavaScript, a misspelt `provisioningEnable: false` would be silently ignored (and provisioning started).
const SPEC_KEYS = Object.keys({
  displayName: 1,
  applicationTemplateId: 1,
  syncTemplateId: 1,
  secretToken: 1,
  tenantUrl: 1,
  notification: 1,
  accidentalDeletionThreshold: 1,
  scope: 1,
  provisioningEnabled: 1,
  testConnection: 1,
  roles: 1,
  assignments: 1,
  mappings: 1,
  protect: 1,
  existingServicePrincipalObjectId: 1,
  skipOutOfScopeDeletions: 1,
} satisfies Record<keyof RollbarProvisioningSpec, 1>);
const ROLE_KEYS = Object.keys({ value: 1, displayName: 1, description: 1, allowedMemberTypes: 1 } satisfies Record<
  keyof AppRoleSpec,
  1
>);
const ASSIGNMENT_KEYS = Object.keys({ principalObjectId: 1, principalType: 1, role: 1 } satisfies Record<
  keyof AssignmentSpec,
  1
>);
const NOTIFICATION_KEYS = Object.keys({ email: 1, sendOnFailure: 1 } satisfies Record<keyof NotificationSpec, 1>);

type Unresolved = (value: unknown) => boolean;

/**
 * Checks a spec and returns every problem at once (an empty list when it is valid). Never throws, never
 * shows a secret value in a message. Values that `options.isUnresolved` recognises are skipped.
 */
export function validateSpec(spec: RollbarProvisioningSpec<unknown>, options: ValidateOptions = {}): Problem[] {
  if (!isObject(spec)) {
    return [problem('INVALID_CONFIG', '(root)', 'be an object', spec, 'Pass a RollbarProvisioningSpec object.')];
  }
  const unresolved: Unresolved = options.isUnresolved ?? (() => false);
  const out: Problem[] = [];

  unknownKeys(spec, SPEC_KEYS, '', out);
  validateNames(spec, unresolved, out);
  validateToken(spec.secretToken, options, unresolved, out);
  validateSettings(spec, unresolved, out);
  if (spec.existingServicePrincipalObjectId !== undefined) {
    validateObjectId(
      'existingServicePrincipalObjectId',
      spec.existingServicePrincipalObjectId,
      'the Rollbar enterprise application',
      unresolved,
      out,
    );
  }
  const roles = validateRoles(spec.roles, unresolved, out);
  validateAssignments(spec.assignments, roles, unresolved, out);
  out.push(...validateMappingsPatch(spec.mappings));
  return scrubToken(out, spec.secretToken);
}

function validateNames(spec: RollbarProvisioningSpec<unknown>, unresolved: Unresolved, out: Problem[]): void {
  const name: unknown = spec.displayName;
  if (name !== undefined && !unresolved(name)) {
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_DISPLAY_NAME) {
      out.push(
        problem(
          'INVALID_DISPLAY_NAME',
          'displayName',
          `be a non-empty string of at most ${MAX_DISPLAY_NAME} characters`,
          name,
          `Omit it to use '${DEFAULTS.displayName}'.`,
        ),
      );
    }
  }
  const templateId: unknown = spec.applicationTemplateId;
  if (templateId !== undefined && !unresolved(templateId)) {
    if (typeof templateId !== 'string' || !GUID.test(templateId)) {
      out.push(
        problem(
          'INVALID_TEMPLATE_ID',
          'applicationTemplateId',
          'be the gallery template GUID',
          templateId,
          `Omit it to look the template up by display name '${DEFAULTS.galleryDisplayName}'.`,
        ),
      );
    }
  }
  const syncTemplateId: unknown = spec.syncTemplateId;
  if (syncTemplateId !== undefined && !unresolved(syncTemplateId)) {
    if (typeof syncTemplateId !== 'string' || !SYNC_TEMPLATE_ID.test(syncTemplateId)) {
      out.push(
        problem(
          'INVALID_TEMPLATE_ID',
          'syncTemplateId',
          'be a synchronization template id (letters, digits, dot, dash, underscore)',
          syncTemplateId,
          "Omit it to use the service principal's default sync template, read at deploy time.",
        ),
      );
    }
  }
}

function validateToken(token: unknown, options: ValidateOptions, unresolved: Unresolved, out: Problem[]): void {
  if (unresolved(token)) return;
  const required = options.requireSecretToken ?? true;
  if (token === undefined || token === null || (typeof token === 'string' && token.trim() === '')) {
    if (required) {
      out.push(
        problem(
          'MISSING_SECRET_TOKEN',
          'secretToken',
          'be set',
          token === undefined || token === null ? token : REDACTED,
          'Pass the Rollbar SCIM token from a secret store (CDKTF: the sensitive variable rollbar_secret_token; Pulumi: pulumi config set --secret rollbar:secretToken).',
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

function validateSettings(spec: RollbarProvisioningSpec<unknown>, unresolved: Unresolved, out: Problem[]): void {
  const url: unknown = spec.tenantUrl;
  if (url !== undefined && !unresolved(url)) {
    const parsed = parseUrl(url);
    if (parsed !== undefined && (parsed.username !== '' || parsed.password !== '')) {
      // The value may hold a credential, so it is not shown.
      out.push(
        problem(
          'INVALID_URL',
          'tenantUrl',
          'be an https:// URL without a user name or password',
          REDACTED,
          'Remove the credentials from the URL: the token goes in secretToken.',
        ),
      );
    } else if (parsed?.protocol !== 'https:') {
      out.push(
        problem(
          'INVALID_URL',
          'tenantUrl',
          'be an https:// URL',
          url,
          "Use Rollbar's SCIM base address, or omit it: the gallery connector knows Rollbar's endpoint.",
        ),
      );
    }
  }

  if (spec.notification !== undefined) {
    const n: unknown = spec.notification;
    const email = isObject(n) ? n.email : n;
    if (!unresolved(email) && (typeof email !== 'string' || !EMAIL.test(email))) {
      out.push(
        problem(
          'INVALID_EMAIL',
          'notification.email',
          'be an e-mail address',
          email,
          'Use a monitored mailbox such as identity-ops@example.com, or omit notification.',
        ),
      );
    }
    if (isObject(n)) {
      unknownKeys(n, NOTIFICATION_KEYS, 'notification.', out);
      booleanSetting('notification.sendOnFailure', n.sendOnFailure, unresolved, out);
    }
  }

  const t: unknown = spec.accidentalDeletionThreshold;
  if (t !== undefined && !unresolved(t)) {
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > MAX_THRESHOLD) {
      out.push(
        problem(
          'INVALID_THRESHOLD',
          'accidentalDeletionThreshold',
          `be a whole number from 0 to ${MAX_THRESHOLD}`,
          t,
          `Use ${DEFAULTS.accidentalDeletionThreshold} (the suggested value), or 0 to turn the guard off.`,
        ),
      );
    }
  }

  const scope: unknown = spec.scope;
  if (scope !== undefined && !unresolved(scope) && (typeof scope !== 'string' || !SCOPES.includes(scope))) {
    out.push(
      problem(
        'INVALID_SCOPE',
        'scope',
        "be 'assignedOnly' or 'all'",
        scope,
        `${suggestion(scope, SCOPES)}Use 'assignedOnly' (recommended: only assigned users and groups) or 'all'.`,
      ),
    );
  }

  for (const key of BOOLEAN_SETTINGS) booleanSetting(key, spec[key], unresolved, out);
}

function booleanSetting(path: string, value: unknown, unresolved: Unresolved, out: Problem[]): void {
  if (value === undefined || unresolved(value) || typeof value === 'boolean') return;
  out.push(
    problem('INVALID_CONFIG', path, 'be true or false', value, 'Write true or false, or omit it for the default.'),
  );
}

function validateObjectId(path: string, value: unknown, what: string, unresolved: Unresolved, out: Problem[]): void {
  if (unresolved(value)) return;
  if (typeof value !== 'string' || !GUID.test(value)) {
    out.push(
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be an object id (a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)',
        value,
        `Copy the Object ID of ${what} from the Entra admin center.`,
      ),
    );
  } else if (value === ZERO_GUID) {
    out.push(
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be the object id of a real directory object',
        value,
        `The zero GUID is a placeholder: copy the Object ID of ${what} from the Entra admin center.`,
      ),
    );
  }
}

/** Checks the roles and returns the declared values (the default role when `roles` is omitted). */
function validateRoles(roles: unknown, unresolved: Unresolved, out: Problem[]): Set<string> {
  // Only an absent list means the default: null is a mistake, as for every other setting.
  const list: unknown = roles === undefined ? DEFAULTS.roles : roles;
  const seen = new Set<string>();
  if (!Array.isArray(list)) {
    out.push(
      problem(
        'INVALID_CONFIG',
        'roles',
        'be a list of roles',
        list,
        'Write roles as a list of { value, displayName }.',
      ),
    );
    return seen;
  }
  list.forEach((role: unknown, i) => {
    const base = `roles.${i}`;
    if (!isObject(role)) {
      out.push(problem('INVALID_CONFIG', base, 'be a role object', role, 'Write the role as { value, displayName }.'));
      return;
    }
    unknownKeys(role, ROLE_KEYS, `${base}.`, out);
    const value = role.value;
    if (typeof value !== 'string' || !ROLE_VALUE_PATTERN.test(value)) {
      out.push(
        problem(
          'INVALID_ROLE_VALUE',
          `${base}.value`,
          'be 1 to 120 letters, digits, dots, dashes or underscores, starting with a letter or digit',
          value,
          'Use a value such as Admin or Platform.Engineer.',
        ),
      );
    } else if (isDefaultAccess(value)) {
      out.push(
        problem(
          'DEFAULT_ACCESS_ROLE',
          `${base}.value`,
          'not redeclare the gallery role Default Access',
          value,
          'The gallery app already has it: declare an application-specific role such as User or Admin instead.',
        ),
      );
    } else if (seen.has(value)) {
      out.push(
        problem(
          'DUPLICATE_ROLE',
          `${base}.value`,
          'be unique among roles',
          value,
          'Remove the duplicate or give it another value: the role id is derived from the value.',
        ),
      );
    } else {
      seen.add(value);
    }
    for (const field of ['displayName', 'description'] as const) {
      const text = role[field];
      if (text === undefined || unresolved(text)) continue;
      if (typeof text !== 'string' || text.trim() === '') {
        out.push(
          problem(
            'INVALID_CONFIG',
            `${base}.${field}`,
            'be non-empty text',
            text,
            'Write text, or omit it for the default.',
          ),
        );
      } else if (field === 'displayName' && isDefaultAccess(text)) {
        out.push(
          problem(
            'DEFAULT_ACCESS_ROLE',
            `${base}.displayName`,
            'differ from the gallery role Default Access',
            text,
            `Name it after what the role grants, for example '${typeof value === 'string' ? value : 'User'}'.`,
          ),
        );
      }
    }
    const types = role.allowedMemberTypes;
    if (types !== undefined && (!Array.isArray(types) || types.length === 0 || types.some((t) => t !== 'User'))) {
      out.push(
        problem(
          'INVALID_CONFIG',
          `${base}.allowedMemberTypes`,
          "be ['User'] (users and groups)",
          types,
          'Omit it: Rollbar roles are held by users and groups.',
        ),
      );
    }
  });
  return seen;
}

function validateAssignments(assignments: unknown, roles: Set<string>, unresolved: Unresolved, out: Problem[]): void {
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
  const firstByPrincipalAndRole = new Map<string, string>();
  // Thousands of assignments name a handful of roles: whether a declared role is Default Access is decided once.
  const declaredDefaultAccess = new Set([...roles].filter(isDefaultAccess));
  for (const key of Object.keys(assignments).sort()) {
    const a = assignments[key];
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
    unknownKeys(a, ASSIGNMENT_KEYS, `${base}.`, out);
    const type = a.principalType;
    validateObjectId(
      `${base}.principalObjectId`,
      a.principalObjectId,
      type === 'Group' ? 'the group' : 'the user',
      unresolved,
      out,
    );
    if (!unresolved(type) && (typeof type !== 'string' || !PRINCIPAL_TYPES.includes(type))) {
      out.push(
        problem(
          'INVALID_PRINCIPAL_TYPE',
          `${base}.principalType`,
          "be 'User' or 'Group'",
          type,
          `${suggestion(type, PRINCIPAL_TYPES)}Use 'User' for a user or 'Group' for a group.`,
        ),
      );
    }
    validateAssignedRole(`${base}.role`, a.role, roles, declaredDefaultAccess, out);

    const principal = a.principalObjectId;
    if (typeof principal === 'string' && !unresolved(principal) && GUID.test(principal) && typeof a.role === 'string') {
      const identity = `${principal.toLowerCase()} ${a.role}`;
      const first = firstByPrincipalAndRole.get(identity);
      if (first === undefined) {
        firstByPrincipalAndRole.set(identity, key);
      } else {
        out.push(
          problem(
            'DUPLICATE_ASSIGNMENT',
            base,
            'assign a principal a role at most once',
            `${principal} as ${a.role}`,
            `Remove one of them: assignments.${first} already assigns it, and Entra rejects a second identical assignment.`,
          ),
        );
      }
    }
  }
}

function validateAssignedRole(
  path: string,
  role: unknown,
  roles: Set<string>,
  declaredDefaultAccess: Set<string>,
  out: Problem[],
): void {
  const oneOf = (): string => (roles.size === 0 ? '' : `, or use one of: ${[...roles].join(', ')}`);
  if (typeof role !== 'string') {
    out.push(
      problem('UNKNOWN_ROLE', path, 'name a role declared under roles', role, `Declare it under roles${oneOf()}.`),
    );
  } else if (roles.has(role) ? declaredDefaultAccess.has(role) : isDefaultAccess(role)) {
    // Entra provisions Default Access users since 2020: rejecting it is this project's rule, so the fix is a
    // choice of role, not a warning that provisioning would fail.
    out.push(
      problem(
        'DEFAULT_ACCESS_ROLE',
        path,
        'be an application-specific role, not Default Access',
        role,
        roles.size === 0
          ? 'Declare a role such as User under roles and assign it.'
          : `Assign a declared role instead: ${[...roles].join(', ')}.`,
      ),
    );
  } else if (!roles.has(role)) {
    out.push(
      problem(
        'UNKNOWN_ROLE',
        path,
        'name a role declared under roles',
        role,
        `${suggestion(role, roles)}Declare it under roles${oneOf()}.`,
      ),
    );
  }
}

/** An INVALID_CONFIG problem for each key of `value` that is not one of `known`; `prefix` is its parent's path. */
function unknownKeys(value: Record<string, unknown>, known: readonly string[], prefix: string, out: Problem[]): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closestMatch(key, known);
    out.push(
      problem(
        'INVALID_CONFIG',
        `${prefix}${key}`,
        'be a known setting',
        key,
        near === undefined ? `Remove it; the settings here are: ${known.join(', ')}.` : `Did you mean '${near}'?`,
      ),
    );
  }
}

/** `"Did you mean 'x'? "` when a candidate is a near miss of the value, else `''`. */
function suggestion(value: unknown, candidates: Iterable<string>): string {
  if (typeof value !== 'string') return '';
  const match = closestMatch(value, candidates);
  return match === undefined ? '' : `Did you mean '${match}'? `;
}

function parseUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return new URL(value);
  } catch {
    return undefined;
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

/**
 * Belt and braces: a token typed into the wrong field (a role, an object id) would be echoed as that field's
 * value. Whatever the path, the token's text never leaves in a message.
 */
function scrubToken(problems: Problem[], token: unknown): Problem[] {
  if (typeof token !== 'string') return problems;
  return problems.map((p) => {
    const message = redactText(p.message, [token]);
    return message === p.message ? p : { ...p, message };
  });
}
