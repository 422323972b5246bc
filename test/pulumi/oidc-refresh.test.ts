/**
 * OIDC sign-in across processes (issue 19, acceptance 6): a component given an azuread provider is deployed by one
 * provider host process with a federated token A in its environment (ARM_USE_OIDC, ARM_OIDC_TOKEN: the names the
 * azuread provider reads, hashicorp/terraform-provider-azuread `internal/provider/provider.go`, `use_oidc` and
 * `oidc_token`), and refreshed by a new process with a fresh token B, as a later `pulumi refresh` in CI runs with
 * the token of its own job. Both sign in against a loopback Entra authority over https (test/fake-entra/authority.ts)
 * that exchanges a federated token only when it matches the app's federated identity credential, and Graph is the
 * fake. The dynamic providers run as Pulumi runs them: their serialized text in a separate Node process
 * (provider-host.cjs). Nothing a sign-in used or got (either federated token, any access token) may be in what
 * Pulumi records: the registered inputs and the outputs every create and read returned.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JWT_BEARER, LoopbackAuthority } from '../fake-entra/authority';
import { FAKE_TEMPLATE_ID, FakeGraph } from '../fake-graph/server';
import { findSecretForms } from '../secret-forms';
import { startProviderHost, type HostReply } from './host';
import { FAKE, installMocks, promiseOf, unwrapSecrets, type Recorder } from './mocks';

const CLIENT_ID = '44444444-4444-4444-8444-444444444444';
const ROLLBAR_TOKEN = 'rollbar-oidc-refresh-token-3b9d';
// A GitHub Actions deployment job's federated identity credential, as Microsoft documents the fields.
const ISSUER = 'https://token.actions.githubusercontent.com';
const SUBJECT = 'repo:example/rollbar-provisioning:environment:production';
const AUDIENCE = 'api://AzureADTokenExchange';
const SLOW_MS = 120_000;
const KINDS = ['SyncTemplate', 'Credentials', 'Mappings', 'ProvisioningState'] as const;
type Kind = (typeof KINDS)[number];

/** A token as the external issuer signs it (RS256 with its key), valid for an hour. */
function federatedToken(key: KeyObject, claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT', kid: 'issuer-key' })}.${part({
    iss: ISSUER,
    sub: SUBJECT,
    aud: AUDIENCE,
    iat: now,
    nbf: now,
    exp: now + 3600,
    jti: randomUUID(),
    ...claims,
  })}`;
  return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
}

const issuerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const TOKEN_A = federatedToken(issuerKeys.privateKey);
const TOKEN_B = federatedToken(issuerKeys.privateKey);

let recorder: Recorder;
let fake: FakeGraph;
let authority: LoopbackAuthority;
let dir: string;
const providers = new Map<Kind, { text: string; inputs: Record<string, unknown> }>();

/** A provider host process signing in with OIDC and `oidcToken` in its environment, as `pulumi` passes ARM_*. */
function startHost(oidcToken: string): {
  run(kind: Kind, method: string, args: unknown[]): Promise<HostReply>;
  stop(): Promise<void>;
} {
  const host = startProviderHost(dir, {
    PATH: process.env.PATH,
    ROLLBAR_GRAPH_URL: fake.url,
    ROLLBAR_GRAPH_MAX_RETRIES: '0',
    ROLLBAR_GRAPH_REPLICATION_WAIT_MS: '0',
    ROLLBAR_AUTHORITY_HOST: authority.url,
    NODE_EXTRA_CA_CERTS: authority.caFile,
    ARM_USE_OIDC: 'true',
    ARM_OIDC_TOKEN: oidcToken,
  });
  return { run: (kind, method, args) => host.run(providers.get(kind)!.text, method, args), stop: host.stop };
}

/** What the deploy recorded for each step: its id and outputs (the state a refresh starts from). */
const deployed = new Map<Kind, { id: string; outs: Record<string, unknown> }>();
/** Every output a create or read returned, for the scan. */
const recordedOutputs: unknown[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rollbar-oidc-refresh-'));
  fake = await FakeGraph.start({ tenantId: FAKE.tenantId, validSecretToken: ROLLBAR_TOKEN });
  fake.addServicePrincipal({ id: FAKE.servicePrincipalObjectId });
  fake.addJob(FAKE.servicePrincipalObjectId, { id: FAKE.jobId, templateId: FAKE_TEMPLATE_ID });
  authority = await LoopbackAuthority.start({
    dir,
    tenantId: FAKE.tenantId,
    clientId: CLIENT_ID,
    federatedCredential: { issuer: ISSUER, subject: SUBJECT, audience: AUDIENCE, publicKey: issuerKeys.publicKey },
  });

  recorder = await installMocks({ 'rollbar:secretToken': ROLLBAR_TOKEN }, ['rollbar:secretToken']);
  // The program runs with the deploy job's ARM_* environment, as `pulumi up` in CI does: nothing it registers may
  // take the token from there.
  const saved = { ARM_USE_OIDC: process.env.ARM_USE_OIDC, ARM_OIDC_TOKEN: process.env.ARM_OIDC_TOKEN };
  process.env.ARM_USE_OIDC = 'true';
  process.env.ARM_OIDC_TOKEN = TOKEN_A;
  try {
    const azuread = await import('@pulumi/azuread');
    const p = await import('@pulumi/pulumi');
    const { RollbarProvisioning } = await import('../../constructs/pulumi');
    const provider = new azuread.Provider('oidc-azuread', {
      tenantId: FAKE.tenantId,
      clientId: CLIENT_ID,
      useOidc: true,
    });
    const component = new RollbarProvisioning(
      'oidc',
      {
        secretToken: new p.Config('rollbar').requireSecret('secretToken'),
        notification: { email: 'ops@example.com' },
        // A mapping, so that the refresh reads the job's schema too.
        mappings: { users: { attributes: { 'name.givenName': { source: 'StripSpaces([givenName])' } } } },
      },
      { provider },
    );
    await promiseOf(component.synchronizationJobId);
    await recorder.settle();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  for (const r of recorder.registrations) {
    if (!r.type.startsWith('pulumi-nodejs:dynamic/')) continue;
    const { __provider, ...inputs } = unwrapSecrets(r.inputs) as Record<string, unknown>;
    providers.set(r.type.split(':').pop() as Kind, { text: String(__provider), inputs });
  }

  // Bounds, not budgets: Pulumi's runtime under mocks, the graph bundle and each provider process are slow when
  // the machine is loaded.
}, SLOW_MS);

afterAll(async () => {
  await authority?.stop();
  await fake?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test(
  'a deploy in one process with token A: the steps take tenant and client id from the provider, and sign in with A',
  async () => {
    expect([...providers.keys()].sort()).toEqual([...KINDS].sort());
    const host = startHost(TOKEN_A);
    try {
      for (const kind of KINDS) {
        const reply = await host.run(kind, 'create', [providers.get(kind)!.inputs]);
        expect({ kind, ok: reply.ok, error: reply.error }).toEqual({ kind, ok: true, error: undefined });
        deployed.set(kind, { id: reply.result!.id!, outs: reply.result!.outs! });
        recordedOutputs.push(reply.result!.outs);
      }
    } finally {
      await host.stop();
    }
    for (const { inputs } of providers.values()) {
      expect(inputs).toMatchObject({ tenantId: FAKE.tenantId });
      // `public` is the azuread provider's default environment (@pulumi/azuread provider.js).
      expect(inputs.graphAuth).toEqual({ ARM_TENANT_ID: FAKE.tenantId, ARM_ENVIRONMENT: 'public' });
      expect(inputs.graphAuthSecrets).toEqual({ ARM_CLIENT_ID: CLIENT_ID });
    }
    // The deploy signed in with token A, by the federated-credential request Microsoft documents.
    expect(authority.tokenRequests.length).toBeGreaterThan(0);
    for (const request of authority.tokenRequests) {
      expect(request).toEqual({
        tenant: FAKE.tenantId,
        clientId: CLIENT_ID,
        grantType: 'client_credentials',
        scope: `${fake.url}/.default`,
        clientAssertionType: JWT_BEARER,
        clientAssertion: TOKEN_A,
      });
    }
    expect(fake.job(FAKE.servicePrincipalObjectId, FAKE.jobId).schedule.state).toBe('Active');
  },
  SLOW_MS,
);

test(
  'a refresh in a new process with a fresh token B signs in with B, and its Graph reads succeed',
  async () => {
    const signInsBefore = authority.tokenRequests.length;
    const issuedBefore = authority.issuedTokens.length;
    const graphBefore = fake.requests.length;
    const host = startHost(TOKEN_B);
    try {
      for (const kind of KINDS) {
        const { id, outs } = deployed.get(kind)!;
        const reply = await host.run(kind, 'read', [id, outs]);
        expect({ kind, ok: reply.ok, error: reply.error }).toEqual({ kind, ok: true, error: undefined });
        expect(reply.result).toMatchObject({ id });
        recordedOutputs.push(reply.result!.props);
      }
    } finally {
      await host.stop();
    }
    const signIns = authority.tokenRequests.slice(signInsBefore);
    expect(signIns.length).toBeGreaterThan(0);
    expect(signIns.map((r) => r.clientAssertion)).toEqual(signIns.map(() => TOKEN_B));
    expect(signIns.every((r) => r.clientAssertionType === JWT_BEARER && r.clientId === CLIENT_ID)).toBe(true);

    // The reads reached Graph, each with an access token the authority issued for B.
    const reads = fake.requests.slice(graphBefore);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.every((r) => r.method === 'GET')).toBe(true);
    const issuedForB = new Set(authority.issuedTokens.slice(issuedBefore).map((t) => `Bearer ${t}`));
    expect(issuedForB.size).toBeGreaterThan(0);
    expect(reads.filter((r) => !issuedForB.has(r.authorization ?? ''))).toEqual([]);
  },
  SLOW_MS,
);

test(
  'a token the app does not trust fails the refresh with the authority reason, and the error holds no token',
  async () => {
    const untrusted = federatedToken(issuerKeys.privateKey, { sub: 'repo:example/rollbar-provisioning:pull_request' });
    const host = startHost(untrusted);
    try {
      const { id, outs } = deployed.get('ProvisioningState')!;
      const reply = await host.run('ProvisioningState', 'read', [id, outs]);
      expect(reply.ok).toBe(false);
      expect(reply.error).toContain('OIDC federation (ARM_USE_OIDC)');
      expect(reply.error).toContain('AADSTS70021');
      expect(findSecretForms('the error', reply.error ?? '', [untrusted, TOKEN_A, TOKEN_B])).toEqual([]);
    } finally {
      await host.stop();
    }
  },
  SLOW_MS,
);

test('no federated token and no access token is in the recorded state, in any form', () => {
  const recorded = JSON.stringify([recorder.registrations.map((r) => [r.inputs, r.state]), recordedOutputs]);
  // The scan looks where the values are: the state does hold the sign-in settings the steps keep.
  expect(recorded).toContain(CLIENT_ID);
  const tokens = [TOKEN_A, TOKEN_B, ...authority.issuedTokens];
  expect(authority.issuedTokens.length).toBeGreaterThan(1);
  expect(findSecretForms('recorded state', recorded, tokens)).toEqual([]);
  expect(recorded).not.toContain('ARM_OIDC_TOKEN');
});
