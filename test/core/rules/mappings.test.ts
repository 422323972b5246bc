import { mappingsRule } from '../../../constructs/core/rules/mappings';
import { codesAndPaths, type Row } from './table';

// The patch rules themselves are tested in test/core/validate-patch.test.ts; this table shows that the spec rule
// hands them the spec's mappings.
const rows: Row[] = [
  ['no mappings', {}, []],
  ['a valid patch', { mappings: { users: { attributes: { emails: { source: '[mail]' } } } } }, []],
  [
    'a broken expression',
    { mappings: { users: { attributes: { emails: { source: '[mail' } } } } },
    [['INVALID_EXPRESSION', 'mappings.users.attributes.emails.source']],
  ],
  [
    'an unknown function, on the groups side',
    { mappings: { groups: { attributes: { displayName: { source: 'Shout([displayName])' } } } } },
    [['UNKNOWN_FUNCTION', 'mappings.groups.attributes.displayName.source']],
  ],
  ['mappings that are not a map (the shape check says so)', { mappings: 'users' }, []],
];

describe('mappingsRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(mappingsRule(spec))).toEqual(expected);
  });
});
