/**
 * The CLI's single sign-on: `graph set-sso` (the step CDKTF runs) and what `status` says about the active
 * signing certificate, against the fake Graph.
 */
import { FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID } from '../fake-graph/directory';
import { useFakeGraph } from '../fake-graph/harness';
import { fakeEnv, runMain } from './run';

const ctx = useFakeGraph();

/** A Rollbar app in the fake's directory with a provisioning job, and one signing certificate ending `endDateTime`. */
function rollbarApp(endDateTime?: string): { sp: string; thumbprint: string } {
  const made = ctx.fake.directory.handle(
    'POST',
    `/applicationTemplates/${FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID}/instantiate`,
    new URLSearchParams(),
    { displayName: 'Rollbar' },
  ) as { body: { servicePrincipal: { id: string } } };
  const sp = made.body.servicePrincipal.id;
  ctx.fake.addJob(sp, { state: 'Active' });
  const cert = ctx.fake.directory.handle(
    'POST',
    `/servicePrincipals/${sp}/addTokenSigningCertificate`,
    new URLSearchParams(),
    endDateTime === undefined ? {} : { endDateTime },
  ) as { body: { thumbprint: string } };
  return { sp, thumbprint: cert.body.thumbprint };
}

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

async function setSso(sp: string, thumbprint: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return runMain(['graph', 'set-sso'], {
    input: JSON.stringify({ servicePrincipalId: sp, sso: { accountName: 'acme' }, activeThumbprint: thumbprint }),
    env: fakeEnv(ctx.fake),
  });
}

describe('graph set-sso', () => {
  test('sets SAML and the active certificate, then reports nothing changed on a second run', async () => {
    const { sp, thumbprint } = rollbarApp();
    const first = await setSso(sp, thumbprint);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).changed.split(',').sort()).toEqual(
      ['loginUrl', 'preferredSingleSignOnMode', 'preferredTokenSigningKeyThumbprint'].sort(),
    );
    ctx.fake.requests.length = 0;
    const second = await setSso(sp, thumbprint);
    expect(JSON.parse(second.stdout)).toEqual({ changed: '' });
    expect(ctx.fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('a bad account name is refused offline with its code and fix, before any request', async () => {
    const r = await runMain(['graph', 'set-sso'], {
      input: JSON.stringify({
        servicePrincipalId: '11111111-1111-4111-8111-111111111111',
        sso: { accountName: 'https://rollbar.com/acme' },
        activeThumbprint: 'AB',
      }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('INVALID_ACCOUNT_NAME');
    expect(r.stderr).toContain("Write the name alone, 'acme'");
    expect(ctx.fake.requests).toEqual([]);
  });

  test('--help names the permission it needs', async () => {
    const r = await runMain(['graph', 'set-sso', '--help']);
    expect(r.stdout).toContain('Application.ReadWrite.All');
  });
});

describe('status with SAML single sign-on', () => {
  test('a certificate expiring within 60 days warns, on stdout and stderr, and says how to rotate', async () => {
    const { sp, thumbprint } = rollbarApp(inDays(30));
    await setSso(sp, thumbprint);
    const r = await runMain(['status', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^SAML certificate: +${thumbprint}, expires .+ \\(in (29|30) days\\)$`, 'm'));
    expect(r.stdout).toMatch(
      /^Warning: +the SAML signing certificate expires on .+, in (29|30) days: rotate it in four deploys/m,
    );
    expect(r.stderr).toContain('warning: the SAML signing certificate expires');
    expect(r.stderr).toContain('sso.signingCertificates');
  });

  test('a certificate with more than 60 days left is shown without a warning', async () => {
    const { sp, thumbprint } = rollbarApp(inDays(400));
    await setSso(sp, thumbprint);
    const r = await runMain(['status', '--service-principal-id', sp, '--json'], { env: fakeEnv(ctx.fake) });
    const json = JSON.parse(r.stdout) as { sso: Record<string, unknown> };
    expect(json.sso).toMatchObject({ mode: 'saml', activeThumbprint: thumbprint, daysLeft: expect.any(Number) });
    expect(json.sso.warning).toBeUndefined();
    expect(r.stderr).not.toContain('warning: the SAML');
  });

  test('an app without SAML shows no certificate line', async () => {
    const { sp } = rollbarApp(inDays(30));
    const r = await runMain(['status', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    expect(r.stdout).not.toContain('SAML certificate');
  });
});
