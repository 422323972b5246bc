import { secretTokenVersionRule } from '../../../constructs/core/rules/secret-token-version';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const rows: Row[] = [
  ['absent', {}, []],
  ['a version', { secretTokenVersion: '2' }, []],
  ['a date of 64 characters', { secretTokenVersion: 'x'.repeat(64) }, []],
  ['blank', { secretTokenVersion: ' ' }, [['INVALID_CONFIG', 'secretTokenVersion']]],
  ['65 characters', { secretTokenVersion: 'x'.repeat(65) }, [['INVALID_CONFIG', 'secretTokenVersion']]],
  // A wrong type is the shape check's.
  ['a number', { secretTokenVersion: 2 }, []],
];

describe('secretTokenVersionRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(secretTokenVersionRule(spec, context()))).toEqual(expected);
  });

  test('says how to rotate', () => {
    expect(secretTokenVersionRule({ secretTokenVersion: '' }, context())[0]?.message).toBe(
      "secretTokenVersion must be non-empty text of at most 64 characters, got ''. Write a version such as '2' or a date, and change it whenever the token changes; omit it for '1'.",
    );
  });

  test('skips an unresolved value', () => {
    expect(secretTokenVersionRule({ secretTokenVersion: UNRESOLVED }, withUnresolved())).toEqual([]);
  });
});
