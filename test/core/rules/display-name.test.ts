import { displayNameRule } from '../../../constructs/core/rules/display-name';
import { codesAndPaths, context, type Row } from './table';

const rows: Row[] = [
  ['absent', {}, []],
  ['a name', { displayName: 'Rollbar (production)' }, []],
  ['256 characters', { displayName: 'x'.repeat(256) }, []],
  ['empty', { displayName: '' }, [['INVALID_DISPLAY_NAME', 'displayName']]],
  ['blank', { displayName: '   ' }, [['INVALID_DISPLAY_NAME', 'displayName']]],
  ['257 characters', { displayName: 'x'.repeat(257) }, [['INVALID_DISPLAY_NAME', 'displayName']]],
  ['not text (the shape check says so)', { displayName: 5 }, []],
];

describe('displayNameRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(displayNameRule(spec, context()))).toEqual(expected);
  });

  test('names the default', () => {
    expect(displayNameRule({ displayName: '' }, context())[0]?.message).toBe(
      "displayName must be a non-empty string of at most 256 characters, got ''. Omit it to use 'Rollbar'.",
    );
  });
});
