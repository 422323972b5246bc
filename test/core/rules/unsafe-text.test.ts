import { unsafeTextRule } from '../../../constructs/core/rules/unsafe-text';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const ESC = '\u001b';
const RLO = '\u202e';
const rows: Row[] = [
  ['plain texts', { displayName: 'Rollbar', roles: [{ value: 'User', displayName: 'Utilisateur · Ü' }] }, []],
  ['a control character in the name', { displayName: `Roll${ESC}bar` }, [['UNSAFE_CHARACTER', 'displayName']]],
  ['a bidirectional override in the name', { displayName: `Roll${RLO}bar` }, [['UNSAFE_CHARACTER', 'displayName']]],
  ['NUL in the tenant URL', { tenantUrl: 'https://x.example/\u0000' }, [['UNSAFE_CHARACTER', 'tenantUrl']]],
  [
    'a newline in the address',
    { notification: { email: 'ops@example.com\n' } },
    [['UNSAFE_CHARACTER', 'notification.email']],
  ],
  [
    'a role name and description',
    { roles: [{ value: 'User' }, { value: 'Admin', displayName: `A${ESC}`, description: `B${RLO}` }] },
    [
      ['UNSAFE_CHARACTER', 'roles.1.displayName'],
      ['UNSAFE_CHARACTER', 'roles.1.description'],
    ],
  ],
  [
    'a text deep in the mappings',
    {
      mappings: {
        users: {
          scopingFilters: [
            { name: 'f', clauses: [{ attribute: 'department', operator: 'EQUALS', values: [`IT${ESC}`] }] },
          ],
        },
      },
    },
    [['UNSAFE_CHARACTER', 'mappings.users.scopingFilters.0.clauses.0.values.0']],
  ],
  // The key itself is escaped in the path, so that the path is safe to print too.
  [
    'a key of the mappings',
    { mappings: { users: { attributes: { [`ti${ESC}tle`]: { source: '[mail]' } } } } },
    [['UNSAFE_CHARACTER', 'mappings.users.attributes.ti\\u001btle']],
  ],
  // Role values, ids and assignment keys have strict patterns of their own.
  ['a role value', { roles: [{ value: `User${ESC}` }] }, []],
];

describe('unsafeTextRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(unsafeTextRule(spec, context()))).toEqual(expected);
  });

  test('names the character and its position, and shows the value escaped', () => {
    expect(unsafeTextRule({ displayName: `Roll${ESC}bar` }, context())[0]?.message).toBe(
      "displayName must be text without control characters or bidirectional overrides, got 'Roll\\u001bbar'. Remove the character U+001B at position 5: Entra would store it, and terminals that print it would obey it.",
    );
  });

  test('never shows the tenant URL, which may carry a credential', () => {
    expect(unsafeTextRule({ tenantUrl: `https://x.example/?key=hunter22${ESC}` }, context())[0]?.message).toContain(
      "got '<redacted>'",
    );
  });

  test('skips unresolved values', () => {
    expect(unsafeTextRule({ displayName: UNRESOLVED, tenantUrl: UNRESOLVED }, withUnresolved())).toEqual([]);
  });
});
