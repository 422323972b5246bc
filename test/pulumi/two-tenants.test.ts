/**
 * One Pulumi program, two tenants: two azuread providers, two components, each given its provider. Each
 * component's dynamic steps must sign in as its own provider (tenant and client id copied from it), run as Pulumi
 * runs them (serialized, in a separate provider host process) against one fake Graph that serves both tenants.
 * The sign-in itself is the Azure CLI path of the ARM_* settings, answered by a stand-in `az` that issues a token
 * for the tenant it is asked for, so a step that asked for the wrong tenant would be refused by the fake.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_TEMPLATE_ID, FakeGraph } from '../fake-graph/server';
import { startProviderHost, type ProviderHost } from './host';
import { FAKE, installMocks, promiseOf, unwrapSecrets, type Recorder } from './mocks';

const TENANT_A = FAKE.tenantId;
const TENANT_B = '3f4e5d6c-7b8a-4901-8c2d-3e4f5a6b7c8d';
const SP_A = '0a0a0a0a-1111-4111-8111-aaaaaaaaaaaa';
const SP_B = '0b0b0b0b-2222-4222-8222-bbbbbbbbbbbb';
const OIDC_IN_CONFIG = 'stale-oidc-token-in-stack-config-4d2a';

/** The tenant of a recorded `Authorization: Bearer <JWT>` header. */
function tidOf(authorization: string | undefined): unknown {
  const payload = (authorization ?? '').replace(/^Bearer /, '').split('.')[1] ?? '';
  return (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown }).tid;
}

let recorder: Recorder;
let fake: FakeGraph;
let dir: string;
const syncTemplates = new Map<string, { text: string; inputs: Record<string, unknown> }>();

/** A provider host process with the stand-in `az` first on PATH and no ready Graph token. */
function startHost(): ProviderHost {
  return startProviderHost(dir, {
    PATH: `${dir}:${process.env.PATH ?? ''}`,
    ROLLBAR_GRAPH_URL: fake.url,
    ROLLBAR_GRAPH_MAX_RETRIES: '0',
    ROLLBAR_GRAPH_REPLICATION_WAIT_MS: '0',
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollbar-two-tenants-'));
  // The stand-in Azure CLI: `az account get-access-token --output json --resource R --tenant T` prints a token of
  // tenant T, as @azure/identity's AzureCliCredential runs it.
  const az = join(dir, 'az');
  writeFileSync(
    az,
    `#!${process.execPath}\n` +
      `const a = process.argv.slice(2); const t = a[a.indexOf('--tenant') + 1];\n` +
      `const b = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');\n` +
      `process.stdout.write(JSON.stringify({ accessToken: b({ alg: 'none' }) + '.' + b({ tid: t }) + '.sig', ` +
      `expires_on: Math.floor(Date.now() / 1000) + 3600, expiresOn: new Date(Date.now() + 3600e3).toISOString() }));\n`,
  );
  chmodSync(az, 0o755);

  recorder = await installMocks({ 'rollbar:secretToken': 'two-tenant-token', 'azuread:oidcToken': OIDC_IN_CONFIG }, [
    'rollbar:secretToken',
    'azuread:oidcToken',
  ]);
  fake = await FakeGraph.start({ tenantId: TENANT_A, otherTenantIds: [TENANT_B] });
  fake.addServicePrincipal({ id: SP_A, tenantId: TENANT_A });
  fake.addServicePrincipal({ id: SP_B, tenantId: TENANT_B });

  const azuread = await import('@pulumi/azuread');
  const p = await import('@pulumi/pulumi');
  const { RollbarProvisioning } = await import('../../constructs/pulumi');
  const secretToken = new p.Config('rollbar').requireSecret('secretToken');
  const components = [
    ['tenant-a', TENANT_A, SP_A],
    ['tenant-b', TENANT_B, SP_B],
  ].map(([name, tenantId, sp]) => {
    const provider = new azuread.Provider(`${name}-azuread`, { tenantId, clientId: `${name}-client-id` });
    return new RollbarProvisioning(
      name!,
      { secretToken, existingServicePrincipalObjectId: sp!, notification: { email: 'ops@example.com' } },
      { provider },
    );
  });
  for (const c of components) await promiseOf(c.synchronizationJobId);
  await recorder.settle();
  for (const r of recorder.registrations) {
    if (!r.type.startsWith('pulumi-nodejs:dynamic/') || !r.type.endsWith('SyncTemplate')) continue;
    const { __provider, ...inputs } = unwrapSecrets(r.inputs) as Record<string, unknown>;
    syncTemplates.set(r.name, { text: String(__provider), inputs });
  }
});

afterAll(async () => {
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("both components are declared, each with its own provider's tenant and client id", () => {
  expect([...syncTemplates.keys()].sort()).toEqual(['tenant-a-sync-template', 'tenant-b-sync-template']);
  const a = syncTemplates.get('tenant-a-sync-template')!.inputs;
  const b = syncTemplates.get('tenant-b-sync-template')!.inputs;
  expect(a).toMatchObject({ tenantId: TENANT_A, graphAuth: { ARM_TENANT_ID: TENANT_A } });
  expect(b).toMatchObject({ tenantId: TENANT_B, graphAuth: { ARM_TENANT_ID: TENANT_B } });
  expect(a.graphAuthSecrets).toEqual({ ARM_CLIENT_ID: 'tenant-a-client-id' });
  expect(b.graphAuthSecrets).toEqual({ ARM_CLIENT_ID: 'tenant-b-client-id' });
});

test("each component's Graph step signs in to its own tenant, and again in a new provider process", async () => {
  for (let run = 0; run < 2; run++) {
    // A new process each time, as a later `pulumi refresh` or `up` starts one: nothing is carried over.
    const host = startHost();
    try {
      for (const [name, tenant, sp] of [
        ['tenant-a-sync-template', TENANT_A, SP_A],
        ['tenant-b-sync-template', TENANT_B, SP_B],
      ] as const) {
        fake.reset();
        const { text, inputs } = syncTemplates.get(name)!;
        const reply = await host.run(text, 'create', [inputs]);
        expect(reply).toMatchObject({ ok: true, result: { outs: { templateId: FAKE_TEMPLATE_ID } } });
        expect(fake.requests.map((r) => tidOf(r.authorization))).toEqual([tenant]);
        expect(fake.requests[0]?.path).toBe(`/servicePrincipals/${sp}/synchronization/templates`);
      }
    } finally {
      await host.stop();
    }
  }
});

test('no short-lived token from the stack configuration is in the recorded state', () => {
  const recorded = JSON.stringify(recorder.registrations.map((r) => [r.inputs, r.state]));
  expect(recorded).not.toContain(OIDC_IN_CONFIG);
  expect(recorded).not.toContain('ARM_OIDC_TOKEN');
});
