/**
 * The `sso` model: offline validation (codes, paths, fixes), the defaults, Rollbar's URLs for an account and the
 * certificate expiry rule `status` uses.
 */
import {
  certificateExpiry,
  resolveSpec,
  resolveSso,
  rollbarSamlUrls,
  ssoRules,
  validateSpec,
  type RollbarProvisioningSpec,
} from '../../constructs/core';

const base: RollbarProvisioningSpec = { secretToken: 't' };
const problemsOf = (sso: unknown) =>
  validateSpec({ ...base, sso } as RollbarProvisioningSpec).map((p) => ({
    code: p.code,
    path: p.path,
    message: p.message,
  }));

describe('validation of sso', () => {
  test('a valid sso has no problem', () => {
    expect(problemsOf({ accountName: 'acme-prod', certificateNotificationEmails: ['ops@example.com'] })).toEqual([]);
  });

  test.each([
    ['a full URL', 'https://rollbar.com/acme/', "Write the name alone, 'acme'"],
    ['a path', 'acme/saml', 'Copy the account name from your Rollbar URL'],
    ['a space', 'acme corp', 'Copy the account name'],
    ['a leading dash', '-acme', 'Copy the account name'],
    ['an empty name', '', 'Copy the account name'],
    ['a query', 'acme?x=1', 'Copy the account name'],
    ['101 characters', 'a'.repeat(101), 'Copy the account name'],
  ])('rejects an account name with %s: INVALID_ACCOUNT_NAME with a fix', (_what, accountName, fix) => {
    const [p, ...rest] = problemsOf({ accountName });
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'INVALID_ACCOUNT_NAME', path: 'sso.accountName' });
    expect(p!.message).toContain('sso.accountName must be a Rollbar account name');
    expect(p!.message).toContain(fix);
  });

  test.each(['acme', 'Acme.Inc', 'acme_corp', 'a1-b2', 'a'.repeat(100)])(
    'accepts the account name %s',
    (accountName) => {
      expect(problemsOf({ accountName })).toEqual([]);
    },
  );

  test('a missing account name is reported', () => {
    expect(problemsOf({}).map((p) => p.path)).toEqual(['sso.accountName']);
  });

  test('rejects a bad notification e-mail at its index: INVALID_EMAIL with a fix', () => {
    const problems = problemsOf({ accountName: 'acme', certificateNotificationEmails: ['ops@example.com', 'ops'] });
    expect(problems).toEqual([
      {
        code: 'INVALID_EMAIL',
        path: 'sso.certificateNotificationEmails.1',
        message:
          "sso.certificateNotificationEmails.1 must be an e-mail address, got 'ops'. Use a monitored mailbox such as identity-ops@example.com.",
      },
    ]);
  });

  test('more than five addresses: TOO_MANY_EMAILS (Entra keeps five)', () => {
    const emails = [1, 2, 3, 4, 5, 6].map((i) => `ops${i}@example.com`);
    expect(problemsOf({ accountName: 'acme', certificateNotificationEmails: emails }).map((p) => p.code)).toEqual([
      'TOO_MANY_EMAILS',
    ]);
  });

  test('several certificates need activeCertificate, and it must name one of them', () => {
    const two = { '2026': {}, '2029': {} };
    expect(problemsOf({ accountName: 'acme', signingCertificates: two }).map((p) => [p.code, p.path])).toEqual([
      ['UNKNOWN_SIGNING_CERTIFICATE', 'sso.activeCertificate'],
    ]);
    const wrong = problemsOf({ accountName: 'acme', signingCertificates: two, activeCertificate: '2030' });
    expect(wrong.map((p) => p.code)).toEqual(['UNKNOWN_SIGNING_CERTIFICATE']);
    expect(wrong[0]!.message).toContain('Use one of: 2026, 2029.');
    expect(problemsOf({ accountName: 'acme', signingCertificates: two, activeCertificate: '2029' })).toEqual([]);
  });

  test('certificate keys are kebab-case, and end dates RFC 3339 UTC within three years', () => {
    const now = new Date('2026-12-01T00:00:00Z');
    const problems = ssoRules(
      {
        accountName: 'acme',
        signingCertificates: {
          Primary: {},
          late: { endDate: '2030-06-01T00:00:00Z' },
          local: { endDate: '2027-06-01 00:00' },
          ok: { endDate: '2029-11-30T00:00:00Z' },
        },
        activeCertificate: 'ok',
      },
      (v): v is string => typeof v === 'string',
      now,
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['INVALID_CERTIFICATE_KEY', 'sso.signingCertificates.Primary'],
      ['INVALID_DATE', 'sso.signingCertificates.late.endDate'],
      ['INVALID_DATE', 'sso.signingCertificates.local.endDate'],
    ]);
  });

  test('an unsafe character in an e-mail is UNSAFE_CHARACTER too', () => {
    const codes = problemsOf({ accountName: 'acme', certificateNotificationEmails: ['ops\u202e@example.com'] }).map(
      (p) => p.code,
    );
    expect(codes).toContain('UNSAFE_CHARACTER');
  });
});

describe('resolving sso', () => {
  test("Rollbar's URLs for the account, from the tutorial", () => {
    expect(rollbarSamlUrls('acme')).toEqual({
      identifierUri: 'https://saml.rollbar.com',
      replyUrl: 'https://rollbar.com/acme/saml/sso/azure/',
      signOnUrl: 'https://rollbar.com/acme/saml/login/azure/',
    });
  });

  test('defaults: one certificate, primary, active; e-mails not managed', () => {
    expect(resolveSso({ accountName: 'acme' })).toEqual({
      accountName: 'acme',
      identifierUri: 'https://saml.rollbar.com',
      replyUrl: 'https://rollbar.com/acme/saml/sso/azure/',
      signOnUrl: 'https://rollbar.com/acme/saml/login/azure/',
      certificates: [{ key: 'primary' }],
      activeCertificate: 'primary',
    });
  });

  test('without sso, the resolved spec has none', () => {
    expect(resolveSpec(base).sso).toBeUndefined();
  });
});

describe('certificateExpiry', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  test('warns inside 60 days and says how to rotate', () => {
    const e = certificateExpiry('2027-01-15T00:00:00Z', now);
    expect(e).toMatchObject({ daysLeft: 45, warn: true });
    expect(e.message).toContain('expires on 2027-01-15, in 45 days');
    expect(e.message).toContain('rotate it in four deploys');
    expect(e.message).toContain('sso.activeCertificate');
  });

  test('does not warn 60 days or more ahead', () => {
    expect(certificateExpiry('2027-01-30T00:00:00Z', now)).toMatchObject({ daysLeft: 60, warn: false });
  });

  test('an expired certificate warns', () => {
    const e = certificateExpiry('2026-11-01T00:00:00Z', now);
    expect(e.warn).toBe(true);
    expect(e.message).toContain('expired on 2026-11-01');
  });
});
