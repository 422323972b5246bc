import { declaredRoles, rolesRule } from '../../../constructs/core/rules/roles';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const rows: Row[] = [
  ['the default role', {}, []],
  ['declared roles', { roles: [{ value: 'User' }, { value: 'Platform.Engineer', displayName: 'Engineer' }] }, []],
  ['a value with a space', { roles: [{ value: 'Read Only' }] }, [['INVALID_ROLE_VALUE', 'roles.0.value']]],
  ['a value of 121 characters', { roles: [{ value: 'a'.repeat(121) }] }, [['INVALID_ROLE_VALUE', 'roles.0.value']]],
  [
    'msiam_access redeclared',
    { roles: [{ value: 'User' }, { value: 'msiam_access' }] },
    [['DEFAULT_ACCESS_ROLE', 'roles.1.value']],
  ],
  [
    'the zero GUID as a value',
    { roles: [{ value: '00000000-0000-0000-0000-000000000000' }] },
    [['DEFAULT_ACCESS_ROLE', 'roles.0.value']],
  ],
  [
    'Default Access as a display name',
    { roles: [{ value: 'User', displayName: 'Default Access' }] },
    [['DEFAULT_ACCESS_ROLE', 'roles.0.displayName']],
  ],
  [
    'a duplicate',
    { roles: [{ value: 'User' }, { value: 'Admin' }, { value: 'User' }] },
    [['DUPLICATE_ROLE', 'roles.2.value']],
  ],
  [
    'a blank display name',
    { roles: [{ value: 'User', displayName: ' ' }] },
    [['INVALID_CONFIG', 'roles.0.displayName']],
  ],
  ['a blank description', { roles: [{ value: 'User', description: '' }] }, [['INVALID_CONFIG', 'roles.0.description']]],
  [
    'no member types',
    { roles: [{ value: 'User', allowedMemberTypes: [] }] },
    [['INVALID_CONFIG', 'roles.0.allowedMemberTypes']],
  ],
  [
    'every problem of a role, value first',
    { roles: [{ value: 'User', displayName: '', description: ' ', allowedMemberTypes: [] }, { value: 'User' }] },
    [
      ['INVALID_CONFIG', 'roles.0.displayName'],
      ['INVALID_CONFIG', 'roles.0.description'],
      ['INVALID_CONFIG', 'roles.0.allowedMemberTypes'],
      ['DUPLICATE_ROLE', 'roles.1.value'],
    ],
  ],
  // Broken lists and entries are the shape check's.
  ['a list that is not a list', { roles: 'User' }, []],
  [
    'an entry without a value',
    { roles: [{ displayName: 'User' }, { value: 'User', displayName: '' }] },
    [['INVALID_CONFIG', 'roles.1.displayName']],
  ],
];

describe('rolesRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(rolesRule(spec, context()))).toEqual(expected);
  });

  test('skips unresolved texts', () => {
    expect(
      rolesRule({ roles: [{ value: 'User', displayName: UNRESOLVED, description: UNRESOLVED }] }, withUnresolved()),
    ).toEqual([]);
  });

  test('says a duplicate role id would follow from the value', () => {
    expect(rolesRule({ roles: [{ value: 'User' }, { value: 'User' }] }, context())[0]?.message).toBe(
      "roles.1.value must be unique among roles, got 'User'. Remove the duplicate or give it another value: the role id is derived from the value.",
    );
  });
});

describe('declaredRoles', () => {
  test.each([
    ['the default role when roles is omitted', {}, ['User']],
    ['the values in declaration order', { roles: [{ value: 'Viewer' }, { value: 'Admin' }] }, ['Viewer', 'Admin']],
    ['each value once', { roles: [{ value: 'Admin' }, { value: 'Admin' }] }, ['Admin']],
    [
      'no value that is itself a problem',
      { roles: [{ value: 'Read Only' }, { value: 'msiam_access' }, { value: 'User' }] },
      ['User'],
    ],
    ['none for an empty list', { roles: [] }, []],
  ] as const)('are %s', (_name, spec, expected) => {
    expect([...(declaredRoles(spec) ?? ['(broken)'])]).toEqual(expected);
  });

  test.each([
    ['roles is null', { roles: null }],
    ['roles is not a list', { roles: 'User' }],
    ['an entry has no value', { roles: [{ value: 'User' }, { displayName: 'Admin' }] }],
    ['a value is not text', { roles: [{ value: 5 }] }],
  ])('are unknown when %s, so no assignment is told its role is unknown', (_name, spec) => {
    expect(declaredRoles(spec)).toBeUndefined();
  });
});
