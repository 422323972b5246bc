/**
 * SAML single sign-on under the real terraform, on one state: a deploy of the example with `sso` gives the app
 * Rollbar's identifier and reply URL (the azuread identifier URI and redirect URIs resources), one token-signing
 * certificate (the provider's resource, `addTokenSigningCertificate`), then SAML mode, the sign-on URL, the
 * expiry e-mails and that certificate as the active one (the `graph set-sso` step); the next plan is empty and
 * a second apply writes nothing to Graph.
 */
import { createHash } from 'node:crypto';
import type { FakeGraph } from '../fake-graph/server';
import { exampleStack, mark, report, writesSince, type ExampleStack, type Terraform } from './harness';

let example: ExampleStack;
let fake: FakeGraph;
let tf: Terraform;

const SSO = ['sso:', '  accountName: acme', '  certificateNotificationEmails:', '    - ops@example.com'].join('\n');

beforeAll(async () => {
  example = await exampleStack('sso', { extraConfig: `protect: false\n${SSO}` });
  ({ fake, tf } = example);
});

afterAll(async () => {
  await example?.stop();
});

test('a deploy with sso sets SAML mode and the URLs and adds one active signing certificate', async () => {
  const since = mark(fake);
  const apply = await tf.ok(['apply', '-auto-approve']);
  report('apply', apply);

  const [app, ...otherApps] = [...fake.directory.applications.values()];
  const [sp, ...otherSps] = [...fake.directory.servicePrincipals.values()];
  expect(otherApps).toEqual([]);
  expect(otherSps).toEqual([]);
  expect(app!.identifierUris).toEqual(['https://saml.rollbar.com']);
  expect(app!.web?.redirectUris).toEqual(['https://rollbar.com/acme/saml/sso/azure/']);
  expect(sp!.preferredSingleSignOnMode).toBe('saml');
  expect(sp!.loginUrl).toBe('https://rollbar.com/acme/saml/login/azure/');
  expect(sp!.notificationEmailAddresses).toEqual(['ops@example.com']);

  // One certificate: its Sign and Verify keys share one customKeyIdentifier; it is the active one.
  const keys = sp!.keyCredentials ?? [];
  expect(keys.map((k) => k.usage).sort()).toEqual(['Sign', 'Verify']);
  expect(new Set(keys.map((k) => k.customKeyIdentifier)).size).toBe(1);
  const verify = keys.find((k) => k.usage === 'Verify')!;
  const thumbprint = createHash('sha1').update(Buffer.from(verify.key!, 'base64')).digest('hex').toUpperCase();
  expect(sp!.preferredTokenSigningKeyThumbprint?.toUpperCase()).toBe(thumbprint);

  const writes = writesSince(fake, since);
  const appPath = `/applications/${app!.id}`;
  const spPath = `/servicePrincipals/${sp!.id}`;
  expect(writes.filter((w) => w === `POST ${spPath}/addTokenSigningCertificate`)).toHaveLength(1);
  // The SAML step comes after the application holds the identifier and reply URL and the certificate exists.
  const settings = writes.lastIndexOf(`PATCH ${spPath}`);
  const certificate = writes.indexOf(`POST ${spPath}/addTokenSigningCertificate`);
  const appPatches = writes.flatMap((w, i) => (w === `PATCH ${appPath}` ? [i] : []));
  expect(settings).toBeGreaterThan(certificate);
  expect(appPatches.length).toBeGreaterThanOrEqual(3); // two roles, the identifier URI, the reply URL
  expect(settings).toBeGreaterThan(Math.max(...appPatches));

  const outputs = JSON.parse((await tf.ok(['output', '-json'])).stdout) as Record<string, { value: unknown }>;
  const output = (suffix: string): unknown =>
    Object.entries(outputs).find(([name]) => name.endsWith(suffix))?.[1]?.value;
  expect(output('sso_signing_certificate_thumbprint')).toBe(thumbprint);
  expect(output('sso_signing_certificate_expiry')).toBe(verify.endDateTime.replace(/\.\d+Z$/, 'Z'));
  expect(output('sso_federation_metadata_url')).toEqual(expect.stringContaining(app!.appId));
});

test('the next plan shows no changes, and a second apply writes nothing', async () => {
  const plan = await tf.run(['plan', '-detailed-exitcode']);
  report('no-op plan', plan);
  expect(plan.output).toContain('No changes.');
  expect(plan.code).toBe(0);

  const since = mark(fake);
  const apply = await tf.ok(['apply', '-auto-approve']);
  expect(apply.stdout).toContain('Apply complete! Resources: 0 added, 0 changed, 0 destroyed.');
  expect(writesSince(fake, since)).toEqual([]);
});

test('destroy removes the SSO pieces through their own resources, then the app', async () => {
  const [app] = [...fake.directory.applications.values()];
  const [sp] = [...fake.directory.servicePrincipals.values()];
  const since = mark(fake);
  await tf.ok(['destroy', '-auto-approve']);
  const requests = fake.requests.slice(since);
  const at = (test: (r: (typeof requests)[number]) => boolean): number => requests.findIndex(test);
  const deleted = at((r) => r.method === 'DELETE' && r.path === `/applications/${app!.id}`);
  // The certificate's resource writes back the service principal's keys without its own, and the URI resources
  // empty the application's lists, before the application is deleted.
  const certificate = at(
    (r) =>
      r.method === 'PATCH' &&
      r.path === `/servicePrincipals/${sp!.id}` &&
      JSON.stringify((r.body as { keyCredentials?: unknown }).keyCredentials) === '[]',
  );
  const identifier = at(
    (r) =>
      r.method === 'PATCH' &&
      r.path === `/applications/${app!.id}` &&
      JSON.stringify((r.body as { identifierUris?: unknown }).identifierUris) === '[]',
  );
  const replyUrls = at(
    (r) =>
      r.method === 'PATCH' &&
      r.path === `/applications/${app!.id}` &&
      JSON.stringify((r.body as { web?: unknown }).web) === '{"redirectUris":[]}',
  );
  for (const step of [certificate, identifier, replyUrls]) {
    expect(step).toBeGreaterThanOrEqual(0);
    expect(step).toBeLessThan(deleted);
  }
  expect(fake.directory.objectCount()).toBe(0);
});
