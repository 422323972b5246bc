import { ROLE_VALUE_PATTERN } from '../naming';
import { problem, type Problem } from '../problems';
import { roleId } from '../role-id';
import { isRecord, type SpecInput } from './context';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * The roles' ids: INVALID_ROLE_ID (a given id that is not a GUID, or the zero GUID, which Entra uses for Default
 * Access of apps without roles), DUPLICATE_ROLE_ID (Graph keys app roles by id, so two roles with one id are one
 * role). A given id is compared with the ids derived from the other roles' values too; two derived ids are equal
 * only when the values are, which DUPLICATE_ROLE reports already.
 */
export function roleIdsRule(spec: SpecInput): Problem[] {
  if (!Array.isArray(spec.roles)) return [];
  const out: Problem[] = [];
  const ids = new Map<string, { path: string; given: boolean }>();
  (spec.roles as unknown[]).forEach((role, i) => {
    if (!isRecord(role)) return;
    const base = `roles.${i}`;
    const given = role.id;
    if (given !== undefined && typeof given !== 'string') return;
    if (typeof given === 'string' && (!GUID.test(given) || given === ZERO_GUID)) {
      out.push(
        problem(
          'INVALID_ROLE_ID',
          `${base}.id`,
          given === ZERO_GUID
            ? 'not be the zero GUID, which Entra uses for Default Access'
            : 'be a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301',
          given,
          "Copy the role's id from the app's manifest (appRoles[].id), or omit it to derive one from the value.",
        ),
      );
      return;
    }
    if (typeof role.value !== 'string' || !ROLE_VALUE_PATTERN.test(role.value)) return;
    const id = (given ?? roleId(role.value)).toLowerCase();
    const first = ids.get(id);
    if (first === undefined) {
      ids.set(id, { path: base, given: given !== undefined });
      return;
    }
    if (given === undefined && !first.given) return;
    out.push(
      problem(
        'DUPLICATE_ROLE_ID',
        given === undefined ? `${base}.value` : `${base}.id`,
        'give each role its own id',
        id,
        `The role at ${first.path} has the same id: give one of them another id, or omit the id to derive it from the value.`,
      ),
    );
  });
  return out;
}
