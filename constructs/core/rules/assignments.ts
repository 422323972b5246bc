import { isDefaultAccess } from '../default-access';
import { ASSIGNMENT_KEY_PATTERN } from '../naming';
import { problem, type Problem } from '../problems';
import { suggestion } from '../shape';
import { isRecord, type RuleContext, type SpecInput } from './context';
import { checkObjectId, GUID } from './object-id';
import { declaredRoles } from './roles';

/**
 * Each assignment, in key order: INVALID_ASSIGNMENT_KEY (the key is part of the resource address),
 * INVALID_OBJECT_ID, DEFAULT_ACCESS_ROLE, UNKNOWN_ROLE (against {@link declaredRoles}), DUPLICATE_ASSIGNMENT (Entra
 * rejects a second identical assignment).
 */
export function assignmentsRule(spec: SpecInput, context: RuleContext): Problem[] {
  const assignments = spec.assignments;
  if (!isRecord(assignments)) return [];
  const roles = declaredRoles(spec);
  const out: Problem[] = [];
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
    if (!isRecord(a)) continue;
    const principal = a.principalObjectId;
    const resolved = typeof principal === 'string' && !context.isUnresolved(principal);
    if (resolved) out.push(...checkObjectId(`${base}.principalObjectId`, principal, 'the user or group'));
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
  return out;
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

function toKebab(key: string): string {
  const k = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return k === '' ? 'my-assignment' : k;
}
