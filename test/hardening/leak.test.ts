/**
 * The Rollbar token leaks nowhere. One distinctive random token (the canary) goes through the main job's two
 * syntheses (the CDKTF stack with TF_VAR_rollbar_secret_token set, the Pulumi program under mocks with
 * rollbar:secretToken) and through every CLI command against the fake Graph, in passing and in failing runs,
 * including a Graph that echoes the token in its error. Every produced file, registration, serialized provider,
 * snapshot and line of output is scanned for the token in every form of test/secret-forms.ts (raw, JSON-escaped,
 * URL-encoded, hex, base64 and base64url at every alignment, its SHA-256) and for its random part alone, which also
 * catches a cut-short token. The Pulumi state keeps the token's SHA-256 to notice a rotation: that form is allowed
 * there only as the whole value of a Pulumi secret, in the one output that holds it.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { cliBundlePath } from '../../constructs/bundle/cli';
import { loadConfig } from '../../constructs/config';
import { RollbarStack, STACK_ID } from '../../stacks/cdktf/rollbar-stack';
import { stateBackendFromEnv } from '../../stacks/cdktf/state-backend';
import { fakeEnv, runMain, spawnNode, type RunResult } from '../cli/run';
import { FakeGraph } from '../fake-graph/server';
import { installMocks, SECRET_SIG, type Recorder } from '../pulumi/mocks';
import { monitorResources, scanSecrets } from '../pulumi/secret-scan';
import { secretForms } from '../secret-forms';

const ROOT = path.join(__dirname, '..', '..');
const RANDOM = randomBytes(12).toString('hex');
// The tail makes each encoding differ from the raw text: '+' and '/' change in URL encoding, '"' in JSON.
const CANARY = `rb-leak-canary-${RANDOM}+/"`;

/** Every form of `secret` that would reveal it, by name; for the canary also its random part and its prefix. */
function forms(secret: string): Record<string, string> {
  return secret === CANARY
    ? { ...secretForms(secret), 'random part': RANDOM, prefix: 'rb-leak-canary' }
    : secretForms(secret);
}

const CANARY_FORMS = forms(CANARY);

/** The forms of the canary found in `text`, as `where: form`. */
function leaks(where: string, text: string, needles: Record<string, string> = CANARY_FORMS): string[] {
  return Object.entries(needles)
    .filter(([, needle]) => text.includes(needle))
    .map(([form]) => `${where}: ${form}`);
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(file) : e.isFile() ? [file] : [];
  });
}

let out: string;
let fake: FakeGraph;

beforeAll(async () => {
  out = fs.mkdtempSync(path.join(tmpdir(), 'rollbar-leak-'));
  fake = await FakeGraph.start();
});
afterAll(async () => {
  await fake.stop();
  fs.rmSync(out, { recursive: true, force: true });
});

test('the scanner finds the canary in each form, also inside longer text', () => {
  for (const [form, needle] of Object.entries(forms(CANARY))) {
    expect(leaks('probe', `before ${needle} after`)).toContain(`probe: ${form}`);
  }
  expect(Object.keys(CANARY_FORMS)).toEqual(expect.arrayContaining(['hex (lower case)', 'SHA-256 (hex, lower case)']));
  const header = Buffer.from(`user:${CANARY}`).toString('base64');
  expect(leaks('basic auth', header).length).toBeGreaterThan(0);
  expect(leaks('cut short', `token 'rb-leak-canary-${RANDOM.slice(0, 5)}…'`)).toEqual(['cut short: prefix']);
  expect(leaks('clean', 'nothing to see <redacted>')).toEqual([]);
});

test('the state scan allows the SHA-256 only as the whole value of a secret, and the token nowhere unwrapped', () => {
  const hash = secretForms(CANARY)['SHA-256 (hex, lower case)']!;
  const secret = (value: unknown) => ({ [SECRET_SIG]: '1b47061264138c4ac30d75fd1eb44270', value });
  const scan = scanSecrets(
    'r',
    {
      plainHash: hash,
      secretHash: secret(hash),
      secretToken: secret(CANARY),
      inSecretText: secret(`token=${CANARY}`),
      nested: [{ upper: hash.toUpperCase() }],
    },
    [CANARY],
    forms,
  );
  expect(scan.hashes).toEqual(['r.secretHash (secret #0)']);
  expect(scan.wrapped).toEqual(['r.secretToken (secret #0)']);
  expect(scan.leaks).toEqual(
    expect.arrayContaining([
      'r.plainHash: secret #0 SHA-256 (hex, lower case)',
      'r.nested[0].upper: secret #0 SHA-256 (hex, upper case)',
    ]),
  );
  expect(scan.leaks.every((l) => /^r\.(plainHash|nested\[0\]\.upper):/.test(l))).toBe(true);
  expect(scan.inSecret).toEqual(expect.arrayContaining(['r.inSecretText: secret #0 raw']));
  expect(scan.inSecret.every((l) => l.startsWith('r.inSecretText: '))).toBe(true);
});

describe('the main job', () => {
  test('the CDKTF synthesis, with TF_VAR_rollbar_secret_token set, writes no form of it to any file', () => {
    const saved = process.env.TF_VAR_rollbar_secret_token;
    process.env.TF_VAR_rollbar_secret_token = CANARY;
    try {
      const app = new App({ outdir: path.join(out, 'cdktf') });
      const stackDir = path.join(app.outdir, 'stacks', STACK_ID);
      const config = loadConfig(path.join(ROOT, 'rollbar.yaml'));
      new RollbarStack(app, STACK_ID, { config, backend: stateBackendFromEnv(process.env, stackDir, ROOT) });
      app.synth();
    } finally {
      if (saved === undefined) delete process.env.TF_VAR_rollbar_secret_token;
      else process.env.TF_VAR_rollbar_secret_token = saved;
    }
    const files = filesUnder(path.join(out, 'cdktf'));
    const tf = fs.readFileSync(path.join(out, 'cdktf', 'stacks', STACK_ID, 'cdk.tf.json'), 'utf8');
    // The token travels as a reference to the sensitive variable, and the CLI bundle was copied in.
    expect(tf).toContain('var.rollbar_secret_token');
    expect(files.some((f) => f.endsWith('rollbar-provisioning.cjs'))).toBe(true);
    expect(files.flatMap((f) => leaks(path.relative(out, f), fs.readFileSync(f, 'latin1')))).toEqual([]);
  });

  describe('the Pulumi program under mocks, with rollbar:secretToken', () => {
    let recorder: Recorder;

    beforeAll(async () => {
      recorder = await installMocks(
        { 'rollbar:secretToken': CANARY, 'rollbar:configFile': path.join(ROOT, 'rollbar.yaml') },
        ['rollbar:secretToken'],
      );
      // After the mocks: the program registers resources when it loads.
      await import('../../stacks/pulumi/index');
      await recorder.settle();
    });

    test('the token is in registered inputs only inside secret wrappers, and there it is whole', () => {
      const inputs = [
        ...recorder.registrations.map((r) => scanSecrets(r.name, r.inputs, [CANARY], forms)),
        ...recorder.invocations.map((i) => scanSecrets(i.token, i.inputs, [CANARY], forms)),
      ];
      expect(inputs.flatMap((s) => [...s.leaks, ...s.inSecret, ...s.hashes])).toEqual([]);
      expect(inputs.flatMap((s) => s.wrapped)).toEqual(['rollbar-credentials.secretToken (secret #0)']);
    });

    test('the state holds its SHA-256 only as a secret, in Credentials tokenHash, and no other form of it', async () => {
      const credentials = recorder.registrations.find((r) => r.name === 'rollbar-credentials')!;
      // What makes the engine keep tokenHash secret in state; the mocks apply it as the engine does.
      expect(credentials.additionalSecretOutputs).toContain('tokenHash');
      const states = recorder.registrations.map((r) => scanSecrets(`${r.name} state`, r.state, [CANARY], forms));
      const registered = (await monitorResources()).map((r) => scanSecrets(r.urn, r.state, [CANARY], forms));
      for (const scans of [states, registered]) {
        expect(scans.flatMap((s) => [...s.leaks, ...s.inSecret, ...s.wrapped])).toEqual([]);
      }
      expect(states.flatMap((s) => s.hashes)).toEqual(['rollbar-credentials state.tokenHash (secret #0)']);
      expect(registered.flatMap((s) => s.hashes)).toEqual([
        expect.stringMatching(/:Credentials::rollbar-credentials\.tokenHash \(secret #0\)$/),
      ]);
    });

    test('no serialized provider holds any form of it', () => {
      const providers = recorder.registrations.flatMap((r) =>
        typeof r.inputs.__provider === 'string' ? [[r.name, r.inputs.__provider] as const] : [],
      );
      expect(providers.length).toBeGreaterThanOrEqual(4);
      expect(providers.flatMap(([name, text]) => leaks(`${name} provider`, text))).toEqual([]);
    });
  });
});

describe('the CLI with ROLLBAR_SECRET_TOKEN set', () => {
  const runs: { label: string; result: RunResult }[] = [];
  let sp: string;
  let jobId: string;
  const mappings = { users: { attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } } } };

  const env = (): Record<string, string> => fakeEnv(fake, { ROLLBAR_SECRET_TOKEN: CANARY });
  const input = (extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ servicePrincipalId: sp, jobId, tenantId: fake.tenantId, ...extra });
  /** Every command, as an engine runs it. */
  const COMMANDS: [string, string[], () => string | undefined][] = [
    ['sync-template', ['graph', 'sync-template'], () => JSON.stringify({ servicePrincipalId: sp })],
    [
      'save-credentials',
      ['graph', 'save-credentials'],
      () => input({ settings: { notification: { email: 'ops@example.com' } }, test: true }),
    ],
    [
      'plan',
      ['graph', 'plan'],
      () => JSON.stringify({ servicePrincipalId: sp, tenantId: fake.tenantId, enabled: 'true', mappings }),
    ],
    ['plan-mappings', ['graph', 'plan-mappings'], () => input({ mappings })],
    ['apply-mappings', ['graph', 'apply-mappings'], () => input({ mappings })],
    ['reset-mappings', ['graph', 'reset-mappings'], () => input()],
    ['set-provisioning', ['graph', 'set-provisioning'], () => input({ enabled: true })],
    ['status', ['status', '--service-principal-id', 'SP', '--json'], () => undefined],
  ];
  const argsOf = (args: string[]): string[] => args.map((a) => (a === 'SP' ? sp : a));
  const command = (name: string): [string, string[], () => string | undefined] => COMMANDS.find(([n]) => n === name)!;

  async function run(label: string, args: string[], stdin: string | undefined): Promise<RunResult> {
    const result = await runMain(argsOf(args), { input: stdin, env: env() });
    runs.push({ label, result });
    return result;
  }

  beforeAll(() => {
    sp = fake.addServicePrincipal();
    jobId = fake.addJob(sp);
  });
  afterEach(() => fake.reset());

  test('every command succeeds once with the token Rollbar accepts', async () => {
    fake.validSecretToken = CANARY;
    for (const [name, args, stdin] of COMMANDS) {
      const r = await run(`${name} (passing)`, args, stdin());
      expect(`${name} exited ${r.code}`).toBe(`${name} exited 0`);
    }
    // The token reached Graph, where it belongs: in the bodies of validateCredentials and the secrets PUT only.
    const carrying = fake.requests.filter((q) => JSON.stringify(q).includes(RANDOM));
    expect(carrying.map((q) => `${q.method} ${q.path.split('/').slice(3).join('/')}`).sort()).toEqual([
      'POST synchronization/jobs/' + jobId + '/validateCredentials',
      'PUT synchronization/secrets',
    ]);
    expect(carrying.every((q) => !q.path.includes(RANDOM) && !(q.authorization ?? '').includes(RANDOM))).toBe(true);
  });

  test('a token that Rollbar rejects fails the connection test (Graph 400)', async () => {
    fake.validSecretToken = 'rollbar-accepts-another-token';
    const [name, args, stdin] = command('save-credentials');
    const r = await run(`${name} (rejected token)`, args, stdin());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('401 Unauthorized');
  });

  // The plan-time read reports a Graph failure in its answer (readError) instead of failing: a destroy must not be
  // blocked by it. Its answer is held to the same rules as an error message.
  const failure = (name: string, r: RunResult): { code: number; text: string } =>
    name === 'plan'
      ? { code: r.code === 0 ? 1 : -1, text: (JSON.parse(r.stdout) as { readError: string }).readError }
      : { code: r.code, text: r.stderr };

  test.each(COMMANDS.map(([name]) => [name]))('%s fails readably when Graph answers 500', async (name) => {
    const [, args, stdin] = command(name);
    fake.fault({ status: 500, times: 100 });
    const r = failure(name, await run(`${name} (Graph 500)`, args, stdin()));
    expect(r.code).toBe(1);
    expect(r.text).toContain('HTTP 500');
  });

  test.each(COMMANDS.map(([name]) => [name]))('%s redacts the token that Graph echoes in an error', async (name) => {
    const [, args, stdin] = command(name);
    fake.fault({ status: 400, times: 100, message: `The credential '${CANARY}' is not valid for this tenant.` });
    const r = failure(name, await run(`${name} (Graph echoes the token)`, args, stdin()));
    expect(r.code).toBe(1);
    expect(r.text).toContain('is not valid for this tenant');
    expect(r.text).toContain('<redacted>');
  });

  test('an echo in errors that are retried (503) is redacted in every line', async () => {
    const [name, args, stdin] = command('save-credentials');
    fake.fault({ status: 503, times: 100, retryAfter: '0', message: `Upstream rejected ${CANARY}; retry later.` });
    const r = await run(`${name} (Graph echoes in 503s)`, args, stdin());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('retry later');
  });

  test('the token pasted into the wrong field is not echoed back', async () => {
    const r = await run(
      'save-credentials (token in wrong fields)',
      ['graph', 'save-credentials'],
      JSON.stringify({
        servicePrincipalId: CANARY,
        jobId: CANARY,
        settings: { notification: { email: CANARY }, tenantUrl: CANARY },
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_EMAIL');
    expect(fake.requests).toEqual([]);
  });

  test('as separate processes (the bundle Terraform runs), passing and failing, the output holds no form of it', async () => {
    fake.validSecretToken = CANARY;
    const bundle = cliBundlePath();
    const [, args, stdin] = command('save-credentials');
    const passing = await spawnNode([bundle, ...args], { input: stdin(), env: env() });
    fake.fault({ status: 400, times: 100, message: `Echo: ${CANARY}` });
    const echoing = await spawnNode([bundle, ...args], {
      input: undefined,
      env: { ...env(), ROLLBAR_INPUT: stdin()! },
    });
    runs.push({ label: 'spawned save-credentials (passing)', result: passing });
    runs.push({ label: 'spawned save-credentials (Graph echoes the token)', result: echoing });
    expect([passing.code, echoing.code]).toEqual([0, 1]);
  });

  // Last in this block (jest runs tests in order), so that every run above is scanned.
  test('no line of any run, passing or failing, holds any form of it', () => {
    expect(runs.length).toBeGreaterThanOrEqual(20);
    expect(
      runs.flatMap(({ label, result }) => [
        ...leaks(`${label} stdout`, result.stdout),
        ...leaks(`${label} stderr`, result.stderr),
      ]),
    ).toEqual([]);
  });
});

describe('jest snapshots', () => {
  /** Token-like literals of the test sources: what any snapshot could have captured. */
  function testTokens(): string[] {
    const sources = filesUnder(path.join(ROOT, 'test')).filter((f) => f.endsWith('.ts') && f !== __filename);
    const found = new Set<string>();
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\b(?:const|let)\s+(\w+)\s*=\s*'([A-Za-z0-9_-]{12,})'/g)) {
        const [, name = '', value = ''] = m;
        const named = /token|secret/i.test(name) || /token|secret/i.test(value);
        if (named && /[0-9a-f]{4}/.test(value) && !/^[0-9a-f]+$/.test(value)) found.add(value);
      }
    }
    return [...found];
  }

  test('no snapshot holds the canary or any token the tests use, in any form', () => {
    const snapshots = filesUnder(path.join(ROOT, 'test')).filter((f) => f.includes(`__snapshots__${path.sep}`));
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    const tokens = testTokens();
    expect(tokens).toEqual(expect.arrayContaining(['rollbar-token-under-mocks-3c9d8e7f6a5b']));
    expect(tokens.length).toBeGreaterThanOrEqual(8);
    const found = snapshots.flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const where = path.relative(ROOT, file);
      return [...leaks(where, text), ...tokens.flatMap((t) => leaks(`${where} (${t})`, text, forms(t)))];
    });
    expect(found).toEqual([]);
  });
});
