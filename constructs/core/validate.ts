import { DEFAULTS } from './defaults';
import { isDefaultAccess } from './default-access';
import { SPEC_DESCRIPTION } from './description';
import { mappingsPatchRules } from './mappings/validate-patch';
import { ASSIGNMENT_KEY_PATTERN, ROLE_VALUE_PATTERN } from './naming';
import { problem, REDACTED, type Problem } from './problems';
import type { RollbarProvisioningSpec } from './spec';
import { redactText } from './redact';
import { checkShape, suggestion, type Unresolved } from './shape';
import { escapeUnsafe, firstUnsafeCharacter } from './unsafe-text';

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

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Checks a spec and returns every problem at once (an empty list when it is valid). Never throws, never
 * shows a secret value in a message. Values that `options.isUnresolved` recognises are skipped.
 *
 * The shape (known keys, required keys, types) comes from {@link SPEC_DESCRIPTION}; the value rules below each
 * look at values of the right type only, so a value is reported once.
 */
export function validateSpec(spec: RollbarProvisioningSpec<unknown>, options: ValidateOptions = {}): Problem[] {
  if (!isObject(spec)) {
    return [problem('INVALID_CONFIG', '(root)', 'be an object', spec, 'Pass a RollbarProvisioningSpec object.')];
  }
  const unresolved: Unresolved = options.isUnresolved ?? (() => false);
  const out: Problem[] = [];
  checkShape(spec, SPEC_DESCRIPTION, '', unresolved, out);
  const s = spec as Record<string, unknown>;
  const value = (v: unknown): v is string => isString(v) && !unresolved(v);
  validateToken(spec.secretToken, options, unresolved, out);
  out.push(...tokenVersionRule(s.secretTokenVersion, value));
  out.push(...displayNameRule(s.displayName, value));
  out.push(...templateIdRules(s, value));
  out.push(...tenantUrlRule(s.tenantUrl, value));
  out.push(...emailRule(s.notification, value));
  out.push(...thresholdRule(s.accidentalDeletionThreshold));
  if (value(s.existingServicePrincipalObjectId)) {
    out.push(
      ...objectIdRule(
        'existingServicePrincipalObjectId',
        s.existingServicePrincipalObjectId,
        'the Rollbar enterprise application',
      ),
    );
  }
  const roles = validateRoles(spec.roles, unresolved, out);
  validateAssignments(s.assignments, roles, unresolved, out);
  out.push(...mappingsPatchRules(spec.mappings));
  out.push(...unsafeTextRule(s, value));
  return scrubToken(out, spec.secretToken);
}

/**
 * UNSAFE_CHARACTER for every text that Entra stores and shows (the app's name, role names and descriptions, the
 * notification address, the tenant URL, every key and text of the mappings) that holds a control character, NUL
 * or a bidirectional override: Entra would keep it, the admin center would show a name that is not what it
 * seems, and every terminal that prints it would obey it. Fields with a strict pattern of their own (role
 * values, ids, assignment keys) are left to it.
 */
function unsafeTextRule(spec: Record<string, unknown>, value: (v: unknown) => v is string): Problem[] {
  const out: Problem[] = [];
  const check = (path: string, text: unknown, secret = false): void => {
    if (!value(text)) return;
    const at = firstUnsafeCharacter(text);
    if (at < 0) return;
    const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    out.push(
      problem(
        'UNSAFE_CHARACTER',
        // A key of the mappings may be the unsafe text itself.
        escapeUnsafe(path),
        'be text without control characters or bidirectional overrides',
        secret ? REDACTED : text,
        `Remove the character U+${code} at position ${at + 1}: Entra would store it, and terminals that print it would obey it.`,
      ),
    );
  };
  check('displayName', spec.displayName);
  // The URL may carry a credential (INVALID_URL says so), so it is not shown.
  check('tenantUrl', spec.tenantUrl, true);
  if (isObject(spec.notification)) check('notification.email', spec.notification.email);
  if (Array.isArray(spec.roles)) {
    (spec.roles as unknown[]).forEach((role, i) => {
      if (!isObject(role)) return;
      check(`roles.${i}.displayName`, role.displayName);
      check(`roles.${i}.description`, role.description);
    });
  }
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') check(path, node);
    else if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}.${i}`));
    else if (isObject(node)) {
      for (const [key, v] of Object.entries(node)) {
        check(`${path}.${key}`, key);
        walk(v, `${path}.${key}`);
      }
    }
  };
  walk(spec.mappings, 'mappings');
  return out;
}

function displayNameRule(name: unknown, value: (v: unknown) => v is string): Problem[] {
  if (!value(name) || (name.trim() !== '' && name.length <= MAX_DISPLAY_NAME)) return [];
  return [
    problem(
      'INVALID_DISPLAY_NAME',
      'displayName',
      `be a non-empty string of at most ${MAX_DISPLAY_NAME} characters`,
      name,
      `Omit it to use '${DEFAULTS.displayName}'.`,
    ),
  ];
}

function templateIdRules(spec: Record<string, unknown>, value: (v: unknown) => v is string): Problem[] {
  const out: Problem[] = [];
  const templateId = spec.applicationTemplateId;
  if (value(templateId) && !GUID.test(templateId)) {
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
  const syncTemplateId = spec.syncTemplateId;
  if (value(syncTemplateId) && !SYNC_TEMPLATE_ID.test(syncTemplateId)) {
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
  return out;
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
          'Pass the Rollbar SCIM token from a secret store (CDKTF: the ephemeral variable rollbar_secret_token; Pulumi: pulumi config set --secret rollbar:secretToken).',
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
        'be a Terraform token (the ephemeral TerraformVariable rollbar_secret_token, an ephemeral resource), not a literal',
        REDACTED,
        'A literal would be written in clear text to cdk.tf.json: use the variable rollbar_secret_token (TF_VAR_rollbar_secret_token).',
      ),
    );
  } else if (typeof token !== 'string') {
    out.push(problem('INVALID_CONFIG', 'secretToken', 'be a string', REDACTED, 'Pass the token as a string secret.'));
  }
}

const MAX_TOKEN_VERSION = 64;

function tokenVersionRule(version: unknown, value: (v: unknown) => v is string): Problem[] {
  if (!value(version) || (version.trim() !== '' && version.length <= MAX_TOKEN_VERSION)) return [];
  return [
    problem(
      'INVALID_CONFIG',
      'secretTokenVersion',
      `be non-empty text of at most ${MAX_TOKEN_VERSION} characters`,
      version,
      `Write a version such as '2' or a date, and change it whenever the token changes; omit it for '${DEFAULTS.secretTokenVersion}'.`,
    ),
  ];
}

function tenantUrlRule(url: unknown, value: (v: unknown) => v is string): Problem[] {
  if (!value(url)) return [];
  const parsed = parseUrl(url);
  if (parsed !== undefined && (parsed.username !== '' || parsed.password !== '')) {
    // The value may hold a credential, so it is not shown.
    return [
      problem(
        'INVALID_URL',
        'tenantUrl',
        'be an https:// URL without a user name or password',
        REDACTED,
        'Remove the credentials from the URL: the token goes in secretToken.',
      ),
    ];
  }
  if (parsed?.protocol === 'https:') return [];
  return [
    problem(
      'INVALID_URL',
      'tenantUrl',
      'be an https:// URL',
      url,
      "Use Rollbar's SCIM base address, or omit it: the gallery connector knows Rollbar's endpoint.",
    ),
  ];
}

function emailRule(notification: unknown, value: (v: unknown) => v is string): Problem[] {
  const email = isObject(notification) ? notification.email : undefined;
  if (!value(email) || EMAIL.test(email)) return [];
  return [
    problem(
      'INVALID_EMAIL',
      'notification.email',
      'be an e-mail address',
      email,
      'Use a monitored mailbox such as identity-ops@example.com, or omit notification.',
    ),
  ];
}

function thresholdRule(t: unknown): Problem[] {
  if (typeof t !== 'number' || (Number.isInteger(t) && t >= 0 && t <= MAX_THRESHOLD)) return [];
  return [
    problem(
      'INVALID_THRESHOLD',
      'accidentalDeletionThreshold',
      `be a whole number from 0 to ${MAX_THRESHOLD}`,
      t,
      `Use ${DEFAULTS.accidentalDeletionThreshold} (the suggested value), or 0 to turn the guard off.`,
    ),
  ];
}

function objectIdRule(path: string, value: string, what: string): Problem[] {
  if (!GUID.test(value)) {
    return [
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be an object id (a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)',
        value,
        `Copy the Object ID of ${what} from the Entra admin center.`,
      ),
    ];
  }
  if (value === ZERO_GUID) {
    return [
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be the object id of a real directory object',
        value,
        `The zero GUID is a placeholder: copy the Object ID of ${what} from the Entra admin center.`,
      ),
    ];
  }
  return [];
}

/**
 * Checks the roles' values and returns the declared ones (the default role when `roles` is omitted), or
 * `undefined` when the list is broken: then no assignment is told its role is unknown.
 */
function validateRoles(roles: unknown, unresolved: Unresolved, out: Problem[]): Set<string> | undefined {
  // Only an absent list means the default: null is a mistake (the shape check says so), as for every setting.
  const list: unknown = roles === undefined ? DEFAULTS.roles : roles;
  if (!Array.isArray(list)) return undefined;
  const seen = new Set<string>();
  let broken = false;
  list.forEach((role: unknown, i) => {
    if (!isObject(role) || typeof role.value !== 'string') {
      broken = true;
      return;
    }
    out.push(...roleRules(role, `roles.${i}`, seen, unresolved));
  });
  return broken ? undefined : seen;
}

function roleRules(role: Record<string, unknown>, base: string, seen: Set<string>, unresolved: Unresolved): Problem[] {
  const out: Problem[] = [];
  const value = role.value as string;
  if (!ROLE_VALUE_PATTERN.test(value)) {
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
    if (typeof text !== 'string' || unresolved(text)) continue;
    if (text.trim() === '') {
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
          `Name it after what the role grants, for example '${value}'.`,
        ),
      );
    }
  }
  const types = role.allowedMemberTypes;
  if (Array.isArray(types) && types.length === 0) {
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
  return out;
}

function validateAssignments(
  assignments: unknown,
  roles: Set<string> | undefined,
  unresolved: Unresolved,
  out: Problem[],
): void {
  if (!isObject(assignments)) return;
  const firstByPrincipalAndRole = new Map<string, string>();
  // Thousands of assignments name a handful of roles: whether a declared role is Default Access is decided once.
  const declaredDefaultAccess = new Set([...(roles ?? [])].filter(isDefaultAccess));
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
    if (!isObject(a)) continue;
    const principal = a.principalObjectId;
    const resolved = typeof principal === 'string' && !unresolved(principal);
    if (resolved) out.push(...objectIdRule(`${base}.principalObjectId`, principal, 'the user or group'));
    if (typeof a.role === 'string' && roles !== undefined) {
      out.push(...assignedRoleRule(`${base}.role`, a.role, roles, declaredDefaultAccess));
    }
    if (resolved && GUID.test(principal) && typeof a.role === 'string') {
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

function assignedRoleRule(
  path: string,
  role: string,
  roles: Set<string>,
  declaredDefaultAccess: Set<string>,
): Problem[] {
  const oneOf = (): string => (roles.size === 0 ? '' : `, or use one of: ${[...roles].join(', ')}`);
  if (roles.has(role) ? declaredDefaultAccess.has(role) : isDefaultAccess(role)) {
    // Entra provisions Default Access users since 2020: rejecting it is this project's rule, so the fix is a
    // choice of role, not a warning that provisioning would fail.
    return [
      problem(
        'DEFAULT_ACCESS_ROLE',
        path,
        'be an application-specific role, not Default Access',
        role,
        roles.size === 0
          ? 'Declare a role such as User under roles and assign it.'
          : `Assign a declared role instead: ${[...roles].join(', ')}.`,
      ),
    ];
  }
  if (roles.has(role)) return [];
  return [
    problem(
      'UNKNOWN_ROLE',
      path,
      'name a role declared under roles',
      role,
      `${suggestion(role, roles)}Declare it under roles${oneOf()}.`,
    ),
  ];
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
