import { canaryRule } from '../../../constructs/core/rules/canary';
import { codesAndPaths, context, type Row, UNRESOLVED, USER, withUnresolved, ZERO } from './table';

const PATH = 'canary.principalObjectId';
const rows: Row[] = [
  ['absent', {}, []],
  ['a user object id', { canary: { principalObjectId: USER } }, []],
  ['a user principal name', { canary: { principalObjectId: 'alice@contoso.com' } }, [['INVALID_OBJECT_ID', PATH]]],
  ['the zero GUID', { canary: { principalObjectId: ZERO } }, [['INVALID_OBJECT_ID', PATH]]],
  // A missing id or a wrong type is the shape check's (description.ts), not reported twice.
  ['no object id', { canary: {} }, []],
];

describe('canaryRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(canaryRule(spec, context()))).toEqual(expected);
  });

  test('skips an unresolved value', () => {
    expect(canaryRule({ canary: { principalObjectId: UNRESOLVED } }, withUnresolved())).toEqual([]);
  });
});
