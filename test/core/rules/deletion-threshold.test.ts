import { deletionThresholdRule } from '../../../constructs/core/rules/deletion-threshold';
import { codesAndPaths, type Row } from './table';

const rows: Row[] = [
  ['absent', {}, []],
  ['the suggested value', { accidentalDeletionThreshold: 500 }, []],
  ['0 (the guard off)', { accidentalDeletionThreshold: 0 }, []],
  ['a million', { accidentalDeletionThreshold: 1_000_000 }, []],
  ['negative', { accidentalDeletionThreshold: -5 }, [['INVALID_THRESHOLD', 'accidentalDeletionThreshold']]],
  ['a fraction', { accidentalDeletionThreshold: 1.5 }, [['INVALID_THRESHOLD', 'accidentalDeletionThreshold']]],
  [
    'over a million',
    { accidentalDeletionThreshold: 1_000_001 },
    [['INVALID_THRESHOLD', 'accidentalDeletionThreshold']],
  ],
  ['not a number', { accidentalDeletionThreshold: NaN }, [['INVALID_THRESHOLD', 'accidentalDeletionThreshold']]],
  ['text (the shape check says so)', { accidentalDeletionThreshold: '500' }, []],
];

describe('deletionThresholdRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(deletionThresholdRule(spec))).toEqual(expected);
  });

  test('says how to turn the guard off', () => {
    expect(deletionThresholdRule({ accidentalDeletionThreshold: -1 })[0]?.message).toBe(
      "accidentalDeletionThreshold must be a whole number from 0 to 1000000, got '-1'. Use 500 (the suggested value), or 0 to turn the guard off.",
    );
  });
});
