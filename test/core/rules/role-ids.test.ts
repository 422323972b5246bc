import { roleId } from '../../../constructs/core';
import { roleIdsRule } from '../../../constructs/core/rules/role-ids';
import { codesAndPaths, type Row, ZERO } from './table';

const PORTAL = '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a';

const rows: Row[] = [
  ['no ids: derived from the values', { roles: [{ value: 'User' }, { value: 'Admin' }] }, []],
  ['a portal id', { roles: [{ value: 'User', id: PORTAL }, { value: 'Admin' }] }, []],
  ['an id that is not a GUID', { roles: [{ value: 'User', id: 'user' }] }, [['INVALID_ROLE_ID', 'roles.0.id']]],
  ['the zero GUID', { roles: [{ value: 'User', id: ZERO }] }, [['INVALID_ROLE_ID', 'roles.0.id']]],
  [
    'one id given twice, in another case',
    {
      roles: [
        { value: 'User', id: PORTAL },
        { value: 'Admin', id: PORTAL.toUpperCase() },
      ],
    },
    [['DUPLICATE_ROLE_ID', 'roles.1.id']],
  ],
  [
    "a given id equal to another role's derived id",
    { roles: [{ value: 'User' }, { value: 'Admin', id: roleId('User') }] },
    [['DUPLICATE_ROLE_ID', 'roles.1.id']],
  ],
  [
    'a derived id equal to an earlier given id',
    { roles: [{ value: 'Admin', id: roleId('User') }, { value: 'User' }] },
    [['DUPLICATE_ROLE_ID', 'roles.1.value']],
  ],
  // Two equal values are DUPLICATE_ROLE's; a list that is not one is the shape check's.
  ['two equal values without ids', { roles: [{ value: 'User' }, { value: 'User' }] }, []],
  ['a list that is not a list', { roles: 'User' }, []],
];

describe('roleIdsRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(roleIdsRule(spec))).toEqual(expected);
  });
});
