import { secretTokenRule } from '../../../constructs/core/rules/secret-token';
import { codesAndPaths, context, UNRESOLVED, withUnresolved } from './table';

const TOKEN = 'rbr-scim-RULE-5e1f0c2d9a8b4c7d';

describe('secretTokenRule', () => {
  test.each([
    ['a token', { secretToken: TOKEN }, {}, []],
    ['no token', {}, {}, [['MISSING_SECRET_TOKEN', 'secretToken']]],
    ['null', { secretToken: null }, {}, [['MISSING_SECRET_TOKEN', 'secretToken']]],
    ['a blank token', { secretToken: '  ' }, {}, [['MISSING_SECRET_TOKEN', 'secretToken']]],
    ['no token in a configuration file', {}, { requireSecretToken: false }, []],
    [
      'a literal where CDKTF needs a token',
      { secretToken: TOKEN },
      { secretTokenMustBeUnresolved: true },
      [['SECRET_TOKEN_LITERAL', 'secretToken']],
    ],
    ['a number', { secretToken: 42 }, {}, [['INVALID_CONFIG', 'secretToken']]],
  ] as const)('%s', (_name, spec, options, expected) => {
    expect(codesAndPaths(secretTokenRule(spec, context(options)))).toEqual(expected);
  });

  test('an unresolved engine value is skipped, even where a literal would be rejected', () => {
    expect(secretTokenRule({ secretToken: UNRESOLVED }, withUnresolved({ secretTokenMustBeUnresolved: true }))).toEqual(
      [],
    );
  });

  test.each([
    ['a blank token', { secretToken: ' ' }, {}],
    ['a literal', { secretToken: TOKEN }, { secretTokenMustBeUnresolved: true }],
    ['a token in a list', { secretToken: [TOKEN] }, {}],
  ] as const)('never shows %s', (_name, spec, options) => {
    const [p] = secretTokenRule(spec, context(options));
    expect(p?.message).toContain("got '<redacted>'");
    expect(p?.message).not.toContain(TOKEN);
  });
});
