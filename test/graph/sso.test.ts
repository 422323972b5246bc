/**
 * The single sign-on step against the fake Graph: what it writes to the service principal, that a second run
 * writes nothing, that it refuses a certificate the service principal does not have, the plan-time read's SSO
 * answer, and the federation metadata URL per cloud.
 */
import { RollbarProvisioningError } from '../../constructs/core';
import {
  federationMetadataUrlFor,
  planDeployment,
  readSingleSignOn,
  setSingleSignOn,
  thumbprintOf,
} from '../../constructs/graph';
import { FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID } from '../fake-graph/directory';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';

const ctx = useFakeGraph();

/** A Rollbar app instantiated in the fake's directory (as the gallery does it), with one signing certificate. */
function rollbarApp(): { spId: string; appId: string; thumbprint: string } {
  const made = ctx.fake.directory.handle(
    'POST',
    `/applicationTemplates/${FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID}/instantiate`,
    new URLSearchParams(),
    { displayName: 'Rollbar' },
  ) as { body: { servicePrincipal: { id: string; appId: string } } };
  const sp = made.body.servicePrincipal;
  const cert = ctx.fake.directory.handle(
    'POST',
    `/servicePrincipals/${sp.id}/addTokenSigningCertificate`,
    new URLSearchParams(),
    {},
  ) as {
    body: { thumbprint: string };
  };
  return { spId: sp.id, appId: sp.appId, thumbprint: cert.body.thumbprint };
}

const writes = (): string[] =>
  ctx.fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.split('?')[0]}`);

describe('setSingleSignOn', () => {
  test('GIVEN a new app WHEN the step runs THEN one PATCH sets SAML mode, sign-on URL, e-mails and the certificate', async () => {
    const app = rollbarApp();
    const { client } = fakeClient(ctx.fake);
    const r = await setSingleSignOn(client, {
      servicePrincipalId: `/servicePrincipals/${app.spId}`,
      accountName: 'acme',
      notificationEmails: ['ops@example.com'],
      activeThumbprint: app.thumbprint,
    });
    expect(r.changed.sort()).toEqual(
      [
        'loginUrl',
        'notificationEmailAddresses',
        'preferredSingleSignOnMode',
        'preferredTokenSigningKeyThumbprint',
      ].sort(),
    );
    expect(writes()).toEqual([`PATCH /servicePrincipals/${app.spId}`]);
    const sp = ctx.fake.directory.servicePrincipals.get(app.spId)!;
    expect(sp.preferredSingleSignOnMode).toBe('saml');
    expect(sp.loginUrl).toBe('https://rollbar.com/acme/saml/login/azure/');
    expect(sp.notificationEmailAddresses).toEqual(['ops@example.com']);
    expect(sp.preferredTokenSigningKeyThumbprint).toBe(app.thumbprint);
  });

  test('a second run with the same settings writes nothing', async () => {
    const app = rollbarApp();
    const { client, lines } = fakeClient(ctx.fake);
    const args = { servicePrincipalId: app.spId, accountName: 'acme', activeThumbprint: app.thumbprint };
    await setSingleSignOn(client, args);
    ctx.fake.requests.length = 0;
    await expect(setSingleSignOn(client, args)).resolves.toEqual({ changed: [] });
    expect(writes()).toEqual([]);
    expect(lines).toContain('Single sign-on settings are as declared: nothing to write.');
  });

  test('without declared e-mails, the ones the portal set are left alone', async () => {
    const app = rollbarApp();
    ctx.fake.directory.servicePrincipals.get(app.spId)!.notificationEmailAddresses = ['admin@example.com'];
    const { client } = fakeClient(ctx.fake);
    const r = await setSingleSignOn(client, {
      servicePrincipalId: app.spId,
      accountName: 'acme',
      activeThumbprint: app.thumbprint,
    });
    expect(r.changed).not.toContain('notificationEmailAddresses');
    expect(ctx.fake.directory.servicePrincipals.get(app.spId)!.notificationEmailAddresses).toEqual([
      'admin@example.com',
    ]);
  });

  test('a second certificate becomes active only when named: rotation step 3 switches, nothing else', async () => {
    const app = rollbarApp();
    const { client } = fakeClient(ctx.fake);
    await setSingleSignOn(client, {
      servicePrincipalId: app.spId,
      accountName: 'acme',
      activeThumbprint: app.thumbprint,
    });
    const next = ctx.fake.directory.handle(
      'POST',
      `/servicePrincipals/${app.spId}/addTokenSigningCertificate`,
      new URLSearchParams(),
      {},
    ) as {
      body: { thumbprint: string };
    };
    // Step 1: a new certificate exists, the old one still signs.
    expect((await readSingleSignOn(client, app.spId)).activeThumbprint).toBe(app.thumbprint);
    ctx.fake.requests.length = 0;
    const r = await setSingleSignOn(client, {
      servicePrincipalId: app.spId,
      accountName: 'acme',
      activeThumbprint: next.body.thumbprint,
    });
    expect(r.changed).toEqual(['preferredTokenSigningKeyThumbprint']);
    expect(ctx.fake.requestsTo('PATCH', /servicePrincipals/).map((q) => q.body)).toEqual([
      { preferredTokenSigningKeyThumbprint: next.body.thumbprint },
    ]);
  });

  test('refuses a thumbprint the service principal has no certificate for, and writes nothing', async () => {
    const app = rollbarApp();
    const { client } = fakeClient(ctx.fake);
    const e = await setSingleSignOn(client, {
      servicePrincipalId: app.spId,
      accountName: 'acme',
      activeThumbprint: '0'.repeat(40),
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['UNKNOWN_SIGNING_CERTIFICATE']);
    expect((e as Error).message).toContain(app.thumbprint);
    expect(writes()).toEqual([]);
  });
});

describe('readSingleSignOn', () => {
  test("reads each certificate's thumbprint from customKeyIdentifier, the same as addTokenSigningCertificate answered", async () => {
    const app = rollbarApp();
    const live = await readSingleSignOn(fakeClient(ctx.fake).client, app.spId);
    expect(live.certificates.map((c) => c.thumbprint)).toEqual([app.thumbprint]);
    expect(live.appId).toBe(app.appId);
  });

  test("thumbprintOf decodes Graph's documented example", () => {
    // api-reference/v1.0/api/serviceprincipal-addtokensigningcertificate.md, the example response.
    expect(thumbprintOf('2iD8ppbE+D6Kmu1ZvjM2jtQh88E=')).toBe('DA20FCA696C4F83E8A9AED59BE33368ED421F3C1');
  });
});

describe('the plan-time read with sso', () => {
  test('reports the drift before the step, none after it, and the metadata URL', async () => {
    const app = rollbarApp();
    const { client } = fakeClient(ctx.fake);
    const sso = {
      accountName: 'acme',
      tenantId: ctx.fake.tenantId,
      authorityHost: 'https://login.microsoftonline.com',
    };
    const before = await planDeployment(client, { servicePrincipalId: app.spId, enabled: true, sso });
    expect(before.ssoInSync).toBe(false);
    expect(before.ssoDrift).toContain("preferredSingleSignOnMode is 'none', not 'saml'");
    expect(before.federationMetadataUrl).toBe(
      `https://login.microsoftonline.com/${ctx.fake.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${app.appId}`,
    );
    await setSingleSignOn(client, {
      servicePrincipalId: app.spId,
      accountName: 'acme',
      activeThumbprint: app.thumbprint,
    });
    const after = await planDeployment(client, { servicePrincipalId: app.spId, enabled: true, sso });
    expect(after).toMatchObject({ ssoInSync: true, ssoDrift: '' });
  });

  test('without sso, the service principal is not read for it', async () => {
    const app = rollbarApp();
    const r = await planDeployment(fakeClient(ctx.fake).client, { servicePrincipalId: app.spId, enabled: true });
    expect(r).toMatchObject({ federationMetadataUrl: '', ssoInSync: true });
    expect(ctx.fake.requests.filter((q) => q.path.includes('preferredSingleSignOnMode'))).toEqual([]);
  });
});

describe('federationMetadataUrlFor', () => {
  test.each([
    [{}, 'https://login.microsoftonline.com'],
    [{ ARM_ENVIRONMENT: 'usgovernment' }, 'https://login.microsoftonline.us'],
    [{ ARM_ENVIRONMENT: 'china' }, 'https://login.chinacloudapi.cn'],
    [{ ROLLBAR_GRAPH_URL: 'https://microsoftgraph.chinacloudapi.cn' }, 'https://login.chinacloudapi.cn'],
    // A loopback emulator (and an authority override) is where this process talks, not where Rollbar reads.
    [
      { ROLLBAR_GRAPH_URL: 'http://127.0.0.1:1234', ROLLBAR_AUTHORITY_HOST: 'http://127.0.0.1:1235' },
      'https://login.microsoftonline.com',
    ],
  ])('follows the cloud in use: %j', (env, host) => {
    expect(federationMetadataUrlFor(env, 't-1', 'a-1')).toBe(
      `${host}/t-1/federationmetadata/2007-06/federationmetadata.xml?appid=a-1`,
    );
  });
});
