import { ssoRule } from '../../../constructs/core/rules/sso';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const emails = (n: number): string[] => Array.from({ length: n }, (_v, i) => `ops${i}@example.com`);

const rows: Row[] = [
  ['no sso', {}, []],
  ['an account name', { sso: { accountName: 'acme' } }, []],
  ['an account name with dots, dashes and underscores', { sso: { accountName: 'Acme.Inc_eu-1' } }, []],
  [
    'the Rollbar URL pasted',
    { sso: { accountName: 'https://rollbar.com/acme/' } },
    [['INVALID_ACCOUNT_NAME', 'sso.accountName']],
  ],
  ['a path', { sso: { accountName: 'acme/saml' } }, [['INVALID_ACCOUNT_NAME', 'sso.accountName']]],
  ['a space', { sso: { accountName: 'acme corp' } }, [['INVALID_ACCOUNT_NAME', 'sso.accountName']]],
  ['five e-mails', { sso: { accountName: 'acme', certificateNotificationEmails: emails(5) } }, []],
  [
    'six e-mails',
    { sso: { accountName: 'acme', certificateNotificationEmails: emails(6) } },
    [['TOO_MANY_EMAILS', 'sso.certificateNotificationEmails']],
  ],
  [
    'an e-mail without a domain',
    { sso: { accountName: 'acme', certificateNotificationEmails: ['ops@example.com', 'ops'] } },
    [['INVALID_EMAIL', 'sso.certificateNotificationEmails.1']],
  ],
  [
    'a certificate key in camel case',
    { sso: { accountName: 'acme', signingCertificates: { NextYear: {} } } },
    [['INVALID_CERTIFICATE_KEY', 'sso.signingCertificates.NextYear']],
  ],
  [
    'an end date in local time',
    { sso: { accountName: 'acme', signingCertificates: { primary: { endDate: '2027-06-01 00:00' } } } },
    [['INVALID_DATE', 'sso.signingCertificates.primary.endDate']],
  ],
  [
    'an end date in the past (a certificate made earlier keeps its date)',
    { sso: { accountName: 'acme', signingCertificates: { primary: { endDate: '2020-06-01T00:00:00Z' } } } },
    [],
  ],
  [
    'no certificate at all',
    { sso: { accountName: 'acme', signingCertificates: {} } },
    [['UNKNOWN_SIGNING_CERTIFICATE', 'sso.signingCertificates']],
  ],
  [
    'two certificates and no active one',
    { sso: { accountName: 'acme', signingCertificates: { primary: {}, '2029': {} } } },
    [['UNKNOWN_SIGNING_CERTIFICATE', 'sso.activeCertificate']],
  ],
  [
    'an active certificate not declared',
    { sso: { accountName: 'acme', activeCertificate: 'next' } },
    [['UNKNOWN_SIGNING_CERTIFICATE', 'sso.activeCertificate']],
  ],
  [
    'two certificates, one active',
    { sso: { accountName: 'acme', signingCertificates: { primary: {}, '2029': {} }, activeCertificate: '2029' } },
    [],
  ],
  ['sso that is not a map (the shape check says so)', { sso: 'acme' }, []],
];

describe('ssoRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(ssoRule(spec, context()))).toEqual(expected);
  });

  test('skips an unresolved account name', () => {
    expect(ssoRule({ sso: { accountName: UNRESOLVED } }, withUnresolved())).toEqual([]);
  });

  test('a pasted URL is answered with the name in it', () => {
    const [p] = ssoRule({ sso: { accountName: 'https://rollbar.com/acme/' } }, context());
    expect(p!.message).toContain("Write the name alone, 'acme'");
  });
});
