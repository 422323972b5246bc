/**
 * The dynamic providers as Pulumi runs them: their serialized text (the `__provider` input that
 * `pulumi.dynamic.Resource` registers) evaluated in a plain Node process, the way the provider host does,
 * against the fake Graph. Mocks alone never execute provider code.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { GRAPH_BUNDLE } from '../../constructs/bundle/graph';
import { exportConfig } from '../../constructs/core';
import { FAKE_TEMPLATE_ID, FakeGraph } from '../fake-graph/server';
import { newServicePrincipal } from '../fake-graph/directory';
import { portalJobSchema, portalSnapshot } from '../fixtures/portal-app';
import { findSecretForms } from '../secret-forms';
import { FAKE, installMocks, promiseOf, unwrapSecrets, withSecretOutputs, type Recorder } from './mocks';
import { scanSecrets } from './secret-scan';

const ROOT = join(__dirname, '..', '..');
const HOST = join(__dirname, 'provider-host.cjs');
// Built by the component in this checkout (constructs/bundle/graph.ts).
const BUNDLE = join(ROOT, GRAPH_BUNDLE);
const REQUIRE_FROM_STRING = createRequire(join(ROOT, 'node_modules', '@pulumi', 'pulumi', 'package.json')).resolve(
  'require-from-string',
);
const TOKEN = 'rollbar-serialized-token-5f1c9e7a2b8d4630';
const ROTATED = 'rollbar-serialized-token-rotated-9a7b3c1d';
const CANARY_USER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

type Kind = 'SyncTemplate' | 'Credentials' | 'Mappings' | 'Canary' | 'ProvisioningState' | 'SsoSettings';
interface Serialized {
  readonly text: string;
  readonly inputs: Record<string, unknown>;
}
interface Reply {
  readonly ok: boolean;
  readonly result?: {
    id?: string;
    outs?: Record<string, unknown>;
    props?: Record<string, unknown>;
    inputs?: Record<string, unknown>;
    changes?: boolean;
    replaces?: string[];
  } | null;
  readonly error?: string;
}

let recorder: Recorder;
let fake: FakeGraph;
let cwd: string;
const providers = new Map<Kind, Serialized>();
/** What the provider processes wrote to stderr: their log. */
const childOutput: string[] = [];
/** Every reply, by the kind of provider that gave it: what the engine would store in state. */
const replies: { kind: Kind; reply: Reply }[] = [];
/** The outputs each dynamic resource asks the engine to keep secret (its `additionalSecretOutputs`). */
const secretOutputs = new Map<Kind, readonly string[]>();

/** A provider host process: one Node process that runs serialized providers, as `pulumi up` has one. */
class ProviderHost {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, { kind: Kind; resolve: (reply: Reply) => void }>();
  private next = 0;

  constructor(workingDirectory: string) {
    this.child = spawn(process.execPath, [HOST], {
      cwd: workingDirectory,
      env: {
        PATH: process.env.PATH,
        ROLLBAR_GRAPH_URL: fake.url,
        ROLLBAR_GRAPH_TOKEN: fake.token(),
        ROLLBAR_GRAPH_MAX_RETRIES: '0',
      },
    });
    this.child.stderr.on('data', (chunk: Buffer) => childOutput.push(chunk.toString('utf8')));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const reply = JSON.parse(line) as Reply & { id: number };
      const pending = this.pending.get(reply.id);
      if (pending) replies.push({ kind: pending.kind, reply });
      pending?.resolve(reply);
      this.pending.delete(reply.id);
    });
  }

  /** Runs `method` of the provider of `kind` (or of the given serialized text). */
  run(kind: Kind, method: string, args: unknown[], text?: string): Promise<Reply> {
    const id = this.next++;
    const provider = text ?? providers.get(kind)!.text;
    return new Promise((resolve) => {
      this.pending.set(id, { kind, resolve });
      this.child.stdin.write(
        `${JSON.stringify({ id, requireFromString: REQUIRE_FROM_STRING, provider, method, args })}\n`,
      );
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin.end();
    });
  }
}

let host: ProviderHost;
const run = (kind: Kind, method: string, args: unknown[]): Promise<Reply> => host.run(kind, method, args);

const inputs = (kind: Kind): Record<string, unknown> => providers.get(kind)!.inputs;

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'rollbar-provider-host-'));
  recorder = await installMocks({ 'rollbar:secretToken': TOKEN }, ['rollbar:secretToken']);
  fake = await FakeGraph.start({ tenantId: FAKE.tenantId, validSecretToken: TOKEN });
  fake.addServicePrincipal({ id: FAKE.servicePrincipalObjectId });
  fake.addJob(FAKE.servicePrincipalObjectId, { id: FAKE.jobId, templateId: FAKE_TEMPLATE_ID });

  const p = await import('@pulumi/pulumi');
  const { RollbarProvisioning } = await import('../../constructs/pulumi');
  const component = new RollbarProvisioning('serialized', {
    secretToken: new p.Config('rollbar').requireSecret('secretToken'),
    notification: { email: 'identity-ops@example.com' },
    mappings: { users: { attributes: { 'name.givenName': { source: 'StripSpaces([givenName])' } } } },
    canary: { principalObjectId: CANARY_USER },
    sso: { accountName: 'acme' },
  });
  await promiseOf(component.synchronizationJobId);
  await recorder.settle();
  host = new ProviderHost(cwd);
  for (const r of recorder.registrations) {
    const kind = r.type.split(':').pop() as Kind;
    if (!r.type.startsWith('pulumi-nodejs:dynamic/')) continue;
    const { __provider, ...rest } = unwrapSecrets(r.inputs) as Record<string, unknown>;
    providers.set(kind, { text: String(__provider), inputs: rest });
    secretOutputs.set(kind, r.additionalSecretOutputs);
  }
});

afterAll(async () => {
  await host?.stop();
  await fake?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

test('every dynamic provider is registered with its serialized code, which captured the built graph module path', () => {
  expect([...providers.keys()].sort()).toEqual([
    'Canary',
    'Credentials',
    'Mappings',
    'ProvisioningState',
    'SsoSettings',
    'SyncTemplate',
  ]);
  for (const { text } of providers.values()) {
    expect(text).toContain('exports.handler');
    expect(text).toContain(JSON.stringify(BUNDLE));
  }
});

test('SyncTemplate: create reads the service principal default template id', async () => {
  const reply = await run('SyncTemplate', 'create', [inputs('SyncTemplate')]);
  expect(reply).toMatchObject({ ok: true, result: { outs: { templateId: FAKE_TEMPLATE_ID } } });
  const again = await run('SyncTemplate', 'diff', ['id', reply.result!.outs, inputs('SyncTemplate')]);
  expect(again.result).toEqual({ changes: false, replaces: [] });
});

test('Credentials: create tests then saves; a rotated token is diffed by hash, tested and saved by update', async () => {
  const sp = fake.servicePrincipal(FAKE.servicePrincipalObjectId);
  const created = await run('Credentials', 'create', [inputs('Credentials')]);
  expect(created.ok).toBe(true);
  const outs = created.result!.outs!;
  expect(outs).toMatchObject({ tokenHash: sha256(TOKEN), validated: true });
  // The outputs as the engine stores them: the token in no form, its SHA-256 in tokenHash only, kept secret.
  const stored = scanSecrets('outs', withSecretOutputs(outs, secretOutputs.get('Credentials')!), [TOKEN]);
  expect(stored).toEqual({ leaks: [], inSecret: [], wrapped: [], hashes: ['outs.tokenHash (secret #0)'] });
  expect(sp.secrets?.find((s) => s.key === 'SecretToken')?.value).toBe(TOKEN);
  expect(sp.secrets?.map((s) => s.key)).toEqual([
    'SecretToken',
    'SyncNotificationSettings',
    'SyncAll',
    'SkipOutOfScopeDeletions',
  ]);

  const unchanged = await run('Credentials', 'diff', ['id', outs, inputs('Credentials')]);
  expect(unchanged.result).toEqual({ changes: false, replaces: [] });

  const rotated = { ...inputs('Credentials'), secretToken: ROTATED };
  expect((await run('Credentials', 'diff', ['id', outs, rotated])).result).toEqual({ changes: true, replaces: [] });
  fake.validSecretToken = ROTATED;
  const validations = fake.requestsTo('POST', /validateCredentials$/).length;
  const updated = await run('Credentials', 'update', ['id', outs, rotated]);
  expect(updated.result!.outs).toMatchObject({ tokenHash: sha256(ROTATED), validated: true });
  expect(fake.requestsTo('POST', /validateCredentials$/)).toHaveLength(validations + 1);
  expect(sp.secrets?.find((s) => s.key === 'SecretToken')?.value).toBe(ROTATED);
});

test('Credentials: a bumped secretTokenVersion is a change; state written before the version existed is not', async () => {
  fake.validSecretToken = TOKEN;
  const created = await run('Credentials', 'create', [inputs('Credentials')]);
  const outs = created.result!.outs!;
  expect(outs).toMatchObject({ secretTokenVersion: '1' });
  const bumped = { ...inputs('Credentials'), secretTokenVersion: '2' };
  expect((await run('Credentials', 'diff', ['id', outs, bumped])).result).toEqual({ changes: true, replaces: [] });
  const { secretTokenVersion: _v, ...previousRelease } = outs;
  const upgraded = await run('Credentials', 'diff', ['id', previousRelease, inputs('Credentials')]);
  expect(upgraded.result).toEqual({ changes: false, replaces: [] });
});

test('Credentials: a token Rollbar rejects fails with Graph message, saves nothing and never shows the token', async () => {
  const sp = fake.servicePrincipal(FAKE.servicePrincipalObjectId);
  const writes = sp.secretWrites;
  const bad = 'rollbar-serialized-token-rejected-77e2';
  const reply = await run('Credentials', 'create', [{ ...inputs('Credentials'), secretToken: bad }]);
  expect(reply.ok).toBe(false);
  expect(reply.error).toContain('the SCIM endpoint answered 401 Unauthorized');
  expect(findSecretForms('the error', reply.error ?? '', [bad])).toEqual([]);
  expect(sp.secretWrites).toBe(writes);
});

test('Mappings: create writes once; diff reads the live schema, so a portal edit is a change that update corrects', async () => {
  const job = fake.job(FAKE.servicePrincipalObjectId, FAKE.jobId);
  const created = await run('Mappings', 'create', [inputs('Mappings')]);
  expect(created).toMatchObject({
    ok: true,
    result: { outs: { changed: true, mappings: inputs('Mappings').mappings } },
  });
  expect(job.schemaWrites).toBe(1);

  const outs = created.result!.outs!;
  expect((await run('Mappings', 'diff', ['id', outs, inputs('Mappings')])).result).toEqual({ changes: false });

  fake.editSchema(FAKE.servicePrincipalObjectId, FAKE.jobId, (schema) => {
    const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
    const given = users?.attributeMappings?.find((a) => a.targetAttributeName === 'name.givenName');
    given!.source = { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] };
  });
  expect((await run('Mappings', 'diff', ['id', outs, inputs('Mappings')])).result).toEqual({ changes: true });
  const updated = await run('Mappings', 'update', ['id', outs, inputs('Mappings')]);
  expect(updated).toMatchObject({ ok: true, result: { outs: { changed: true } } });
  expect(job.schemaWrites).toBe(2);
  expect((await run('Mappings', 'diff', ['id', updated.result!.outs, inputs('Mappings')])).result).toEqual({
    changes: false,
  });
});

test('Mappings, adopting an exported portal app: create writes nothing, and diff reports no changes', async () => {
  // The job as the portal left it (a changed mapping, a scoping filter), and the mappings `export` writes for it.
  const jobId = fake.addJob(FAKE.servicePrincipalObjectId, { templateId: FAKE_TEMPLATE_ID });
  const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
  job.schema = portalJobSchema(job.schema, { inexpressible: false });
  const exported = exportConfig({
    ...portalSnapshot(),
    jobSchema: structuredClone(job.schema),
    templateSchema: fake.servicePrincipal(FAKE.servicePrincipalObjectId).templates[0]!.schema,
  });
  expect(exported.differences).toEqual([]);
  const adopted = { ...inputs('Mappings'), jobId, mappings: exported.config.mappings };

  const created = await run('Mappings', 'create', [adopted]);
  expect(created).toMatchObject({ ok: true, result: { outs: { changed: false } } });
  expect(job.schemaWrites).toBe(0);
  expect((await run('Mappings', 'diff', ['id', created.result!.outs, adopted])).result).toEqual({ changes: false });
  expect(job.schemaWrites).toBe(0);
});

describe('Canary', () => {
  const job = () => fake.job(FAKE.servicePrincipalObjectId, FAKE.jobId);
  const since = (n: number): string[] =>
    fake.requests
      .slice(n)
      .filter((r) => r.method !== 'GET')
      .map((r) => `${r.method} ${r.path.split('/').pop()}`);
  afterEach(() => {
    fake.onDemand.reset();
    job().schedule.state = 'Disabled';
    job().status.code = 'NotConfigured';
  });

  test("a failure fails create with Graph's steps; the disabled job is not started", async () => {
    fake.onDemand.outcome(CANARY_USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      reason: 'Rollbar rejected the user.',
    });
    const n = fake.requests.length;
    const reply = await run('Canary', 'create', [inputs('Canary')]);
    expect(reply.ok).toBe(false);
    expect(reply.error).toContain('[CANARY_FAILED]');
    expect(reply.error).toContain('Provisioning stays off: the job is Disabled and was not started.');
    expect(reply.error).toMatch(/Export +Failure +Failed to create User/);
    expect(since(n)).toEqual(['POST provisionOnDemand']);
    expect(job().schedule.state).toBe('Disabled');
  });

  test('a failure on a running job fails and sends no pause', async () => {
    job().schedule.state = 'Active';
    job().status.code = 'Active';
    fake.onDemand.outcome(CANARY_USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
      reason: 'Bad request.',
    });
    const n = fake.requests.length;
    const reply = await run('Canary', 'create', [inputs('Canary')]);
    expect(reply.ok).toBe(false);
    expect(reply.error).toContain('was left running: the canary never pauses it');
    expect(since(n)).toEqual(['POST provisionOnDemand']);
    expect(job().schedule.state).toBe('Active');
  });

  test('a success creates; new credentials (a new revision) are a change that runs it again', async () => {
    const created = await run('Canary', 'create', [inputs('Canary')]);
    expect(created).toMatchObject({
      ok: true,
      result: { outs: { outcome: 'provisioned', attempts: 1, jobState: 'Disabled' } },
    });
    const outs = created.result!.outs!;
    expect((await run('Canary', 'diff', ['id', outs, inputs('Canary')])).result).toEqual({
      changes: false,
      replaces: [],
    });
    const rotated = { ...inputs('Canary'), after: { credentials: 'another-revision' } };
    expect((await run('Canary', 'diff', ['id', outs, rotated])).result).toEqual({ changes: true, replaces: [] });
    const n = fake.requests.length;
    expect(await run('Canary', 'update', ['id', outs, rotated])).toMatchObject({ ok: true });
    expect(since(n)).toEqual(['POST provisionOnDemand']);
  });
});

test('ProvisioningState: create starts the job; update with enabled false pauses it', async () => {
  const job = fake.job(FAKE.servicePrincipalObjectId, FAKE.jobId);
  const created = await run('ProvisioningState', 'create', [inputs('ProvisioningState')]);
  expect(created).toMatchObject({ ok: true, result: { outs: { enabled: true, state: 'Active', action: 'start' } } });
  expect(job.schedule.state).toBe('Active');

  const off = { ...inputs('ProvisioningState'), enabled: false };
  expect((await run('ProvisioningState', 'diff', ['id', created.result!.outs, off])).result).toEqual({
    changes: true,
    replaces: [],
  });
  const updated = await run('ProvisioningState', 'update', ['id', created.result!.outs, off]);
  expect(updated).toMatchObject({ ok: true, result: { outs: { enabled: false, action: 'pause' } } });
  expect(job.schedule.state).toBe('Paused');
});

describe('SsoSettings against the fake Graph', () => {
  /**
   * The service principal in the fake's directory too (the azuread provider's part: the app and, through
   * addTokenSigningCertificate, its certificate); the step's input takes that certificate's thumbprint, as the
   * certificate resource's output would give it.
   */
  function samlApp(): { inputs: Record<string, unknown>; sp: () => { preferredSingleSignOnMode?: string | null } } {
    const oid = FAKE.servicePrincipalObjectId;
    fake.directory.servicePrincipals.set(
      oid,
      newServicePrincipal({
        id: oid,
        appId: FAKE.clientId,
        applicationId: FAKE.applicationObjectId,
        displayName: 'Rollbar',
      }),
    );
    const cert = fake.directory.handle(
      'POST',
      `/servicePrincipals/${oid}/addTokenSigningCertificate`,
      new URLSearchParams(),
      {},
    ) as {
      body: { thumbprint: string };
    };
    return {
      inputs: { ...inputs('SsoSettings'), activeThumbprint: cert.body.thumbprint },
      sp: () => fake.directory.servicePrincipals.get(oid)!,
    };
  }
  const writes = (): string[] => fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`);

  test('create sets SAML mode, the sign-on URL and the active certificate; a second deploy changes nothing', async () => {
    const { inputs: ssoInputs, sp } = samlApp();
    fake.requests.length = 0;
    const created = await run('SsoSettings', 'create', [ssoInputs]);
    expect(created).toMatchObject({
      ok: true,
      result: {
        outs: {
          accountName: 'acme',
          federationMetadataUrl: `https://login.microsoftonline.com/${FAKE.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${FAKE.clientId}`,
        },
      },
    });
    expect(sp()).toMatchObject({
      preferredSingleSignOnMode: 'saml',
      loginUrl: 'https://rollbar.com/acme/saml/login/azure/',
      preferredTokenSigningKeyThumbprint: ssoInputs.activeThumbprint,
    });
    expect(writes()).toEqual([`PATCH /servicePrincipals/${FAKE.servicePrincipalObjectId}`]);

    fake.requests.length = 0;
    const again = await run('SsoSettings', 'diff', ['id', created.result!.outs, ssoInputs]);
    expect(again.result).toEqual({ changes: false, replaces: [] });
    expect(writes()).toEqual([]);
  });

  test('SAML switched off in the portal: diff reports it, read names it, update repairs it', async () => {
    const { inputs: ssoInputs, sp } = samlApp();
    const created = await run('SsoSettings', 'create', [ssoInputs]);
    sp().preferredSingleSignOnMode = 'password';
    expect((await run('SsoSettings', 'diff', ['id', created.result!.outs, ssoInputs])).result).toMatchObject({
      changes: true,
    });
    const read = await run('SsoSettings', 'read', ['id', created.result!.outs]);
    expect(read.result!.props!.drift).toEqual(["preferredSingleSignOnMode is 'password', not 'saml'"]);
    await run('SsoSettings', 'update', ['id', created.result!.outs, ssoInputs]);
    expect(sp().preferredSingleSignOnMode).toBe('saml');
  });
});

test('in a consumer project, without the captured path, the provider loads rollbar-provisioning/graph by name', async () => {
  const project = mkdtempSync(join(tmpdir(), 'rollbar-consumer-'));
  const consumer = new ProviderHost(project);
  try {
    mkdirSync(join(project, 'node_modules'));
    // An installed package, as npm links a local one: its package.json "exports" maps ./graph to the bundle.
    symlinkSync(ROOT, join(project, 'node_modules', 'rollbar-provisioning'), 'dir');
    // The path captured on another machine, as in the state of an earlier deployment.
    const text = providers.get('SyncTemplate')!.text.split(JSON.stringify(BUNDLE)).join('"/nonexistent/graph.cjs"');
    const reply = await consumer.run('SyncTemplate', 'create', [inputs('SyncTemplate')], text);
    expect(reply).toMatchObject({ ok: true, result: { outs: { templateId: FAKE_TEMPLATE_ID } } });

    const nowhere = await host.run('SyncTemplate', 'create', [inputs('SyncTemplate')], text);
    expect(nowhere.ok).toBe(false);
    expect(nowhere.error).toContain('cannot load rollbar-provisioning/graph');
    // A RollbarProvisioningError with its code, made without the class the failed load would have provided.
    expect(nowhere.error).toContain('[GRAPH_BUNDLE_UNAVAILABLE]');
  } finally {
    await consumer.stop();
    rmSync(project, { recursive: true, force: true });
  }
});

/**
 * Refresh and preview as Pulumi runs them. `read` and `delete` run the provider recorded in the state (the
 * properties' `__provider`), `diff` the program's; the old state a diff receives is the resource's outputs
 * (`Olds: mOldOutputs` in pulumi/pulumi sdk/go/common/resource/plugin/provider_plugin.go), which after a refresh
 * are read's `props`, holding read's `inputs`. One job per case, so that cases cannot see each other's edits.
 */
describe('refresh and preview tell the truth', () => {
  /** A resource's state: its outputs and the provider text recorded with them. */
  interface State {
    outs: Record<string, unknown>;
    provider: string;
  }

  const newJob = (): string => fake.addJob(FAKE.servicePrincipalObjectId, { templateId: FAKE_TEMPLATE_ID });
  const program = (kind: Kind, jobId: string): Record<string, unknown> => ({ ...inputs(kind), jobId });

  async function ok(reply: Promise<Reply>): Promise<NonNullable<Reply['result']>> {
    const r = await reply;
    if (!r.ok) throw new Error(r.error);
    return r.result!;
  }

  async function create(kind: Kind, jobId: string, provider = providers.get(kind)!.text): Promise<State> {
    const result = await ok(host.run(kind, 'create', [program(kind, jobId)], provider));
    return { outs: result.outs!, provider };
  }

  /** `pulumi refresh`: the recorded provider's read; its props become the outputs, its inputs (if any) the inputs. */
  async function refresh(kind: Kind, state: State): Promise<{ state: State; inputs?: Record<string, unknown> }> {
    const result = await ok(host.run(kind, 'read', ['id', state.outs], state.provider));
    return {
      state: { outs: result.props!, provider: state.provider },
      ...(result.inputs && { inputs: result.inputs }),
    };
  }

  /** The preview's question, asked of the program's provider with the state's outputs as the old state. */
  async function changes(kind: Kind, state: State, jobId: string): Promise<boolean | undefined> {
    return (await ok(run(kind, 'diff', ['id', state.outs, program(kind, jobId)]))).changes;
  }

  /** `pulumi up` on a change: the program's provider updates, and the state records it. */
  async function update(kind: Kind, state: State, jobId: string): Promise<State> {
    const result = await ok(run(kind, 'update', ['id', state.outs, program(kind, jobId)]));
    return { outs: result.outs!, provider: providers.get(kind)!.text };
  }

  test('a portal mapping edit: read shows it as the inputs and names it; diff reports it; update repairs; then none', async () => {
    const jobId = newJob();
    const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
    let state = await create('Mappings', jobId);
    fake.editSchema(FAKE.servicePrincipalObjectId, jobId, (schema) => {
      const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
      const given = users?.attributeMappings?.find((a) => a.targetAttributeName === 'name.givenName');
      given!.source = { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] };
      const title = users?.attributeMappings?.find((a) => a.targetAttributeName === 'title');
      title!.flowBehavior = 'FlowAlways';
    });

    const read = await refresh('Mappings', state);
    // The preview then shows ~ mappings.users.attributes.name.givenName.source: "[displayName]" => "StripSpaces(…)".
    expect(read.inputs?.mappings).toEqual({
      users: { attributes: { 'name.givenName': { source: '[displayName]' } } },
    });
    expect(read.state.outs).toMatchObject(read.inputs!);
    expect(read.state.outs.drift).toEqual([
      'users.attributes.name.givenName: live "[displayName]", desired "StripSpaces([givenName])"',
      expect.stringMatching(/^mappings\.users\.attributes\.title\.flowBehavior: .*FlowAlways/),
    ]);
    state = read.state;
    expect(await changes('Mappings', state, jobId)).toBe(true);

    state = await update('Mappings', state, jobId);
    expect(state.outs).toMatchObject({ changed: true, drift: [] });
    expect(job.schemaWrites).toBe(2);
    const again = await refresh('Mappings', state);
    expect(again.inputs?.mappings).toEqual(inputs('Mappings').mappings);
    expect(again.state.outs.drift).toEqual([]);
    expect(await changes('Mappings', again.state, jobId)).toBe(false);
    expect(job.schemaWrites).toBe(2);
  });

  test('a job paused in the portal: a plain diff (no refresh) reports it; read shows it; update starts it; then none', async () => {
    const jobId = newJob();
    const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
    let state = await create('ProvisioningState', jobId);
    expect(job.schedule.state).toBe('Active');
    expect(await changes('ProvisioningState', state, jobId)).toBe(false);
    // The portal's Provisioning Status Off: Graph's pause.
    job.schedule.state = 'Paused';
    job.status.code = 'Paused';

    expect(await changes('ProvisioningState', state, jobId)).toBe(true);
    const read = await refresh('ProvisioningState', state);
    expect(read.inputs).toMatchObject({ enabled: false, jobId });
    expect(read.state.outs).toMatchObject({ ...read.inputs, state: 'Paused', statusCode: 'Paused' });
    expect(read.state.outs.drift).toEqual(['the job is Paused, provisioning is declared on']);
    state = read.state;
    expect(await changes('ProvisioningState', state, jobId)).toBe(true);

    state = await update('ProvisioningState', state, jobId);
    expect(state.outs).toMatchObject({ action: 'start', state: 'Active' });
    expect(job.schedule.state).toBe('Active');
    const again = await refresh('ProvisioningState', state);
    expect(again.inputs).toMatchObject({ enabled: true });
    expect(again.state.outs.drift).toEqual([]);
    expect(await changes('ProvisioningState', again.state, jobId)).toBe(false);
  });

  test('a quarantined job: diff and read report it; update restarts it; then none', async () => {
    const jobId = newJob();
    const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
    let state = await create('ProvisioningState', jobId);
    fake.quarantine(FAKE.servicePrincipalObjectId, jobId);

    expect(await changes('ProvisioningState', state, jobId)).toBe(true);
    const read = await refresh('ProvisioningState', state);
    expect(read.state.outs).toMatchObject({
      statusCode: 'Quarantine',
      quarantineReason: 'EncounteredQuarantineException',
      drift: ['the job is quarantined (EncounteredQuarantineException); a deploy restarts it'],
    });
    state = read.state;
    expect(await changes('ProvisioningState', state, jobId)).toBe(true);

    const restarts = fake.requestsTo('POST', new RegExp(`${jobId}/restart$`)).length;
    state = await update('ProvisioningState', state, jobId);
    expect(state.outs).toMatchObject({ action: 'restart' });
    expect(fake.requestsTo('POST', new RegExp(`${jobId}/restart$`))).toHaveLength(restarts + 1);
    expect(job.status.code).toBe('Active');
    const again = await refresh('ProvisioningState', state);
    expect(again.state.outs).not.toHaveProperty('quarantineReason');
    expect(again.state.outs.drift).toEqual([]);
    expect(await changes('ProvisioningState', again.state, jobId)).toBe(false);
  });

  test('a TooManyDeletes quarantine is reported by read and is no change: a deploy neither lifts it nor stops for it', async () => {
    const jobId = newJob();
    const state = await create('ProvisioningState', jobId);
    fake.quarantine(FAKE.servicePrincipalObjectId, jobId, 'TooManyDeletes');

    expect(await changes('ProvisioningState', state, jobId)).toBe(false);
    const read = await refresh('ProvisioningState', state);
    expect(read.inputs).toMatchObject({ enabled: true });
    expect(read.state.outs).toMatchObject({ statusCode: 'Quarantine', quarantineReason: 'TooManyDeletes' });
    expect(read.state.outs.drift).toEqual([expect.stringContaining('quarantined for TooManyDeletes')]);
    expect(await changes('ProvisioningState', read.state, jobId)).toBe(false);
    // An up that updates the step for its provider version alone records the job and does not stop.
    const upgraded = await update(
      'ProvisioningState',
      { ...state, outs: { ...state.outs, providerVersion: 1 } },
      jobId,
    );
    expect(upgraded.outs).toMatchObject({ action: 'none', drift: [expect.stringContaining('TooManyDeletes')] });
    expect(fake.requestsTo('POST', new RegExp(`${jobId}/restart$`))).toHaveLength(0);
  });

  test('a job deleted in the portal: read answers that both resources are gone', async () => {
    const jobId = newJob();
    const mappings = await create('Mappings', jobId);
    const provisioning = await create('ProvisioningState', jobId);
    fake.servicePrincipal(FAKE.servicePrincipalObjectId).jobs.delete(jobId);
    expect(await ok(host.run('Mappings', 'read', ['id', mappings.outs], mappings.provider))).toEqual({ id: '' });
    expect(await ok(host.run('ProvisioningState', 'read', ['id', provisioning.outs], provisioning.provider))).toEqual({
      id: '',
    });
  });

  describe('upgrade from the previous release (state whose __provider is 5205f61)', () => {
    // The previous release's serialized providers, with the graph module path they captured: in an upgraded
    // checkout or package, that path holds this release's graph module.
    const previous = JSON.parse(
      readFileSync(join(__dirname, '..', 'fixtures', 'previous-release', 'providers.json'), 'utf8'),
    ) as { placeholder: string; providers: Record<'Mappings' | 'ProvisioningState', string> };
    const old = (kind: 'Mappings' | 'ProvisioningState'): string =>
      previous.providers[kind].split(previous.placeholder).join(BUNDLE);

    test('the first refresh runs the old code (no read: nothing is seen); one up records the new; then refresh reads', async () => {
      const jobId = newJob();
      const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
      let mappings = await create('Mappings', jobId, old('Mappings'));
      let provisioning = await create('ProvisioningState', jobId, old('ProvisioningState'));
      expect(mappings.outs).not.toHaveProperty('providerVersion');
      fake.editSchema(FAKE.servicePrincipalObjectId, jobId, (schema) => {
        const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
        const given = users?.attributeMappings?.find((a) => a.targetAttributeName === 'name.givenName');
        given!.source = { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] };
      });
      job.schedule.state = 'Paused';
      job.status.code = 'Paused';

      // Refresh: the state's provider is the old one, which has no read.
      const first = await refresh('Mappings', mappings);
      expect(first.inputs).toBeUndefined();
      expect(first.state.outs).toEqual(mappings.outs);
      expect((await refresh('ProvisioningState', provisioning)).state.outs).toEqual(provisioning.outs);

      // Up: diff and update run the program's provider, and the update records it.
      expect(await changes('Mappings', mappings, jobId)).toBe(true);
      expect(await changes('ProvisioningState', provisioning, jobId)).toBe(true);
      mappings = await update('Mappings', mappings, jobId);
      provisioning = await update('ProvisioningState', provisioning, jobId);
      expect(mappings.provider).toBe(providers.get('Mappings')!.text);
      expect(job.schedule.state).toBe('Active');

      // Refresh again: the new code reads, and finds nothing to say.
      const second = await refresh('Mappings', mappings);
      expect(second.inputs?.mappings).toEqual(inputs('Mappings').mappings);
      expect(second.state.outs).toMatchObject({ drift: [], providerVersion: expect.any(Number) });
      expect((await refresh('ProvisioningState', provisioning)).state.outs.drift).toEqual([]);
      expect(await changes('Mappings', second.state, jobId)).toBe(false);
      expect(await changes('ProvisioningState', provisioning, jobId)).toBe(false);
    });

    test('with nothing drifted, the up that records the new code writes nothing to Graph', async () => {
      const jobId = newJob();
      const job = fake.job(FAKE.servicePrincipalObjectId, jobId);
      const mappings = await create('Mappings', jobId, old('Mappings'));
      const provisioning = await create('ProvisioningState', jobId, old('ProvisioningState'));
      const writes = job.schemaWrites;
      const actions = fake.requestsTo('POST', new RegExp(`${jobId}/(start|pause|restart)$`)).length;

      expect(await changes('Mappings', mappings, jobId)).toBe(true);
      expect(await changes('ProvisioningState', provisioning, jobId)).toBe(true);
      expect((await update('Mappings', mappings, jobId)).outs).toMatchObject({ changed: false });
      expect((await update('ProvisioningState', provisioning, jobId)).outs).toMatchObject({ action: 'none' });
      expect(job.schemaWrites).toBe(writes);
      expect(fake.requestsTo('POST', new RegExp(`${jobId}/(start|pause|restart)$`))).toHaveLength(actions);
      // delete of the old state runs the old code: nothing to undo, as before.
      expect(await ok(host.run('Mappings', 'delete', ['id', mappings.outs], mappings.provider))).toBeNull();
    });
  });
});

// Last in the file (jest runs tests in order), so that every reply above is scanned.
test('no serialized provider and no provider process output holds a token in any form, its SHA-256 only as a secret', () => {
  const tokens = [TOKEN, ROTATED];
  const texts = [...providers].map(([kind, { text }]) => findSecretForms(`${kind} provider`, text, tokens));
  expect([...texts.flat(), ...findSecretForms('provider log', childOutput.join('\n'), tokens)]).toEqual([]);
  expect(replies.length).toBeGreaterThan(20);
  // What the engine stores from a reply (create/update outs, read props), with the secret outputs made secret.
  const stored = replies.map(({ kind, reply }, i) => {
    const secret = (state: Record<string, unknown> | undefined) =>
      state && withSecretOutputs(state, secretOutputs.get(kind)!);
    const result = reply.result && {
      ...reply.result,
      outs: secret(reply.result.outs),
      props: secret(reply.result.props),
    };
    return scanSecrets(`reply #${i} (${kind})`, { ...reply, result }, tokens);
  });
  expect(stored.flatMap((s) => [...s.leaks, ...s.inSecret, ...s.wrapped])).toEqual([]);
  const hashes = stored.flatMap((s) => s.hashes);
  expect(hashes.length).toBeGreaterThanOrEqual(3);
  expect(hashes.filter((h) => !/^reply #\d+ \(Credentials\)\.result\.outs\.tokenHash /.test(h))).toEqual([]);
});
