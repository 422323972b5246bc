import { tenantUrlRule } from '../../../constructs/core/rules/tenant-url';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const rows: Row[] = [
  ['absent', {}, []],
  ['an https URL', { tenantUrl: 'https://api.rollbar.com/scim/v2' }, []],
  ['http', { tenantUrl: 'http://api.rollbar.com/scim/v2' }, [['INVALID_URL', 'tenantUrl']]],
  ['not a URL', { tenantUrl: 'api.rollbar.com' }, [['INVALID_URL', 'tenantUrl']]],
  ['a URL with credentials', { tenantUrl: 'https://rollbar:hunter22@api.rollbar.com' }, [['INVALID_URL', 'tenantUrl']]],
];

describe('tenantUrlRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(tenantUrlRule(spec, context()))).toEqual(expected);
  });

  test('shows a wrong URL', () => {
    expect(tenantUrlRule({ tenantUrl: 'http://x.example' }, context())[0]?.message).toContain("got 'http://x.example'");
  });

  test.each(['https://rollbar:hunter22@api.rollbar.com', 'http://:hunter22@api.rollbar.com'])(
    'never shows a URL with credentials (%s)',
    (tenantUrl) => {
      const [p] = tenantUrlRule({ tenantUrl }, context());
      expect(p?.message).toMatch(
        /^tenantUrl must be an https:\/\/ URL without a user name or password, got '<redacted>'\./,
      );
      expect(p?.message).not.toContain('hunter22');
    },
  );

  test('skips an unresolved value', () => {
    expect(tenantUrlRule({ tenantUrl: UNRESOLVED }, withUnresolved())).toEqual([]);
  });
});
