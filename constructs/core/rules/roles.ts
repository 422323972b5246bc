import { DEFAULTS } from '../defaults';
import { isDefaultAccess } from '../default-access';
import { ROLE_VALUE_PATTERN } from '../naming';
import { problem, type Problem } from '../problems';
import { isRecord, type RuleContext, type SpecInput } from './context';

/**
 * The roles' values, display names, descriptions and member types: INVALID_ROLE_VALUE, DEFAULT_ACCESS_ROLE (a
 * redeclared gallery role), DUPLICATE_ROLE (the role id derives from the value), INVALID_CONFIG.
 */
export function rolesRule(spec: SpecInput, context: RuleContext): Problem[] {
  return walkRoles(spec.roles, context).problems;
}

/**
 * The role values that assignments may name (the default role when `roles` is omitted), in declaration order;
 * `undefined` when the list is broken, so that no assignment is told its role is unknown.
 */
export function declaredRoles(spec: SpecInput): Set<string> | undefined {
  return walkRoles(spec.roles, undefined).declared;
}

function walkRoles(
  roles: unknown,
  context: RuleContext | undefined,
): { problems: Problem[]; declared: Set<string> | undefined } {
  // Only an absent list means the default: null is a mistake (the shape check says so), as for every setting.
  const list: unknown = roles === undefined ? DEFAULTS.roles : roles;
  const problems: Problem[] = [];
  if (!Array.isArray(list)) return { problems, declared: undefined };
  const seen = new Set<string>();
  let broken = false;
  list.forEach((role: unknown, i) => {
    if (!isRecord(role) || typeof role.value !== 'string') {
      broken = true;
      return;
    }
    const found = valueRules(role.value, `roles.${i}.value`, seen);
    if (context !== undefined) problems.push(...found, ...textRules(role, `roles.${i}`, context));
  });
  return { problems, declared: broken ? undefined : seen };
}

/** The value's problems; a value without any joins `seen`. */
function valueRules(value: string, path: string, seen: Set<string>): Problem[] {
  if (!ROLE_VALUE_PATTERN.test(value)) {
    return [
      problem(
        'INVALID_ROLE_VALUE',
        path,
        'be 1 to 120 letters, digits, dots, dashes or underscores, starting with a letter or digit',
        value,
        'Use a value such as Admin or Platform.Engineer.',
      ),
    ];
  }
  if (isDefaultAccess(value)) {
    return [
      problem(
        'DEFAULT_ACCESS_ROLE',
        path,
        'not redeclare the gallery role Default Access',
        value,
        'The gallery app already has it: declare an application-specific role such as User or Admin instead.',
      ),
    ];
  }
  if (seen.has(value)) {
    return [
      problem(
        'DUPLICATE_ROLE',
        path,
        'be unique among roles',
        value,
        'Remove the duplicate or give it another value: the role id is derived from the value.',
      ),
    ];
  }
  seen.add(value);
  return [];
}

function textRules(role: Record<string, unknown>, base: string, context: RuleContext): Problem[] {
  const out: Problem[] = [];
  for (const field of ['displayName', 'description'] as const) {
    const text = role[field];
    if (typeof text !== 'string' || context.isUnresolved(text)) continue;
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
          `Name it after what the role grants, for example '${role.value as string}'.`,
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
