import { assignmentsRule } from '../../../constructs/core/rules/assignments';
import type { SpecInput } from '../../../constructs/core/rules/context';
import { codesAndPaths, context, GROUP, type Row, UNRESOLVED, USER, withUnresolved, ZERO } from './table';

const ROLES = [{ value: 'User' }, { value: 'Admin' }];
const spec = (assignments: Record<string, unknown>, roles: unknown = ROLES): SpecInput => ({ roles, assignments });
const group = (patch: Record<string, unknown> = {}) => ({
  principalObjectId: GROUP,
  principalType: 'Group',
  role: 'User',
  ...patch,
});

const rows: Row[] = [
  ['none', {}, []],
  [
    'valid assignments',
    spec({ 'platform-team': group(), 'jane-doe': group({ principalObjectId: USER, role: 'Admin' }) }),
    [],
  ],
  ['the default role when roles is omitted', { assignments: { team: group() } }, []],
  ['a camel-case key', spec({ PlatformTeam: group() }), [['INVALID_ASSIGNMENT_KEY', 'assignments.PlatformTeam']]],
  [
    'a key with a double dash',
    spec({ 'platform--team': group() }),
    [['INVALID_ASSIGNMENT_KEY', 'assignments.platform--team']],
  ],
  [
    'a name instead of an object id',
    spec({ team: group({ principalObjectId: 'Platform Team' }) }),
    [['INVALID_OBJECT_ID', 'assignments.team.principalObjectId']],
  ],
  [
    'the zero GUID',
    spec({ team: group({ principalObjectId: ZERO }) }),
    [['INVALID_OBJECT_ID', 'assignments.team.principalObjectId']],
  ],
  ...['msiam_access', 'Default Access', ZERO, 'MSIAM-ACCESS', `{${ZERO}}`].map((role): Row => [
    `Default Access as '${role}'`,
    spec({ team: group({ role }) }),
    [['DEFAULT_ACCESS_ROLE', 'assignments.team.role']],
  ]),
  ['an undeclared role', spec({ team: group({ role: 'Owner' }) }), [['UNKNOWN_ROLE', 'assignments.team.role']]],
  ['a role when roles is empty', spec({ team: group() }, []), [['UNKNOWN_ROLE', 'assignments.team.role']]],
  ['any role when roles is broken (the shape check says so)', spec({ team: group({ role: 'Owner' }) }, 'User'), []],
  [
    'the same principal and role twice, reported at the later key',
    spec({ 'b-team': group(), 'a-team': group({ principalObjectId: GROUP.toUpperCase() }) }),
    [['DUPLICATE_ASSIGNMENT', 'assignments.b-team']],
  ],
  ['the same principal with two roles', spec({ a: group(), b: group({ role: 'Admin' }) }), []],
  [
    'every problem of an assignment, in key order',
    spec({ 'z-ok': group({ principalObjectId: USER }), Bad: group({ principalObjectId: 'x', role: 'Owner' }) }),
    [
      ['INVALID_ASSIGNMENT_KEY', 'assignments.Bad'],
      ['INVALID_OBJECT_ID', 'assignments.Bad.principalObjectId'],
      ['UNKNOWN_ROLE', 'assignments.Bad.role'],
    ],
  ],
  [
    'an entry that is not a map (the shape check says so), by its key only',
    spec({ Team: 'x' }),
    [['INVALID_ASSIGNMENT_KEY', 'assignments.Team']],
  ],
];

describe('assignmentsRule', () => {
  test.each(rows)('%s', (_name, input, expected) => {
    expect(codesAndPaths(assignmentsRule(input, context()))).toEqual(expected);
  });

  test('suggests a kebab-case key', () => {
    expect(assignmentsRule(spec({ PlatformTeam: group() }), context())[0]?.message).toContain(
      "Rename it, for example to 'platform-team': the name is part of the resource address.",
    );
  });

  test('suggests the near miss of a role and lists the declared ones', () => {
    expect(assignmentsRule(spec({ team: group({ role: 'admin' }) }), context())[0]?.message).toBe(
      "assignments.team.role must name a role declared under roles, got 'admin'. Did you mean 'Admin'? Declare it under roles, or use one of: User, Admin.",
    );
  });

  test('names the earlier assignment of a duplicate', () => {
    expect(assignmentsRule(spec({ a: group(), b: group() }), context())[0]?.message).toContain(
      'Remove one of them: assignments.a already assigns it',
    );
  });

  test('skips an unresolved principal, and does not count it as a duplicate', () => {
    const input = spec({ a: group({ principalObjectId: UNRESOLVED }), b: group({ principalObjectId: UNRESOLVED }) });
    expect(assignmentsRule(input, withUnresolved())).toEqual([]);
  });
});
