/** The CLI's commands, run in-process through `main` against the fake Graph. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../cli/main';
import { useFakeGraph } from '../fake-graph/harness';
import { fakeJwt } from '../fake-graph/server';
import { fakeEnv, runMain } from './run';

const ctx = useFakeGraph();
const noStack = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

describe('--help', () => {
  test('the main help lists every command', async () => {
    const r = await runMain(['--help']);
    expect(r.code).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(c.name.replace(/^graph /, ''));
    expect(r.stdout).toContain('ROLLBAR_SECRET_TOKEN');
  });

  test.each([[[]], [['help']], [['-h']]])('%p prints the main help', async (args) => {
    const r = await runMain(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: rollbar-provisioning <command>');
  });

  test.each([[['graph', '--help']], [['help', 'graph']]])('%p prints the graph help', async (args) => {
    const r = await runMain(args);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: rollbar-provisioning graph <step>');
    expect(r.stdout).toContain('set-provisioning');
  });

  test.each(COMMANDS.map((c) => [c.name]))('%s --help gives usage, fields and environment', async (name) => {
    const words = name.split(' ');
    const viaFlag = await runMain([...words, '--help']);
    const viaHelp = await runMain(['help', ...words]);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain(`Usage: rollbar-provisioning ${name}`);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    if (name.startsWith('graph ')) {
      expect(viaFlag.stdout).toContain('Input fields:');
      expect(viaFlag.stdout).toContain('Output fields (all strings):');
      expect(viaFlag.stdout).toContain('servicePrincipalId');
      expect(viaFlag.stdout).toContain('ROLLBAR_INPUT');
      expect(viaFlag.stdout).toContain('ROLLBAR_GRAPH_URL');
      expect(viaFlag.stdout).toContain('ARM_CLIENT_SECRET');
    }
  });

  test.each([
    [['deploy'], "unknown command 'deploy'"],
    [['graph'], 'graph needs a step'],
    [['graph', 'sync-templates'], "unknown graph step 'sync-templates'"],
    [['status', '--service-principal'], 'unknown option --service-principal'],
    [['status'], '--service-principal-id is required'],
    [['validate', 'a.yaml', 'b.yaml'], "unexpected argument 'b.yaml'"],
  ])('%p is a usage error (exit 2)', async (args, message) => {
    const r = await runMain(args, { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('graph command input', () => {
  test('ROLLBAR_INPUT is read when it is set, and then stdin is not read at all; stdin otherwise', async () => {
    const { fake } = ctx;
    const a = fake.addServicePrincipal({ templates: [{ id: 'from-env', default: true }] });
    const b = fake.addServicePrincipal({ templates: [{ id: 'from-stdin', default: true }] });
    const env = fakeEnv(fake, { ROLLBAR_INPUT: JSON.stringify({ servicePrincipalId: a }) });

    const fromEnv = await runMain(['graph', 'sync-template'], { env });
    const both = await runMain(['graph', 'sync-template'], { env, input: JSON.stringify({ servicePrincipalId: b }) });
    const fromStdin = await runMain(['graph', 'sync-template'], {
      env: fakeEnv(fake),
      input: JSON.stringify({ servicePrincipalId: b }),
    });

    expect(fromEnv.stdout).toBe('{"templateId":"from-env"}\n');
    expect(both.stdout).toBe('{"templateId":"from-env"}\n');
    expect(fromStdin.stdout).toBe('{"templateId":"from-stdin"}\n');
  });

  test.each([
    ['no input at all', undefined, 'must be one JSON object on stdin or in ROLLBAR_INPUT'],
    ['malformed JSON', '{"servicePrincipalId": ', 'must be valid JSON (read from stdin)'],
    ['a list', '[1]', "must be a JSON object (read from stdin), got 'a list'"],
  ])('%s exits 1 with a readable message', async (_name, input, message) => {
    const r = await runMain(['graph', 'sync-template'], { input, env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    noStack(r.stderr);
  });

  test.each([
    ['a token pasted in place of the JSON', 'rbr-pasted-token-4f1c9a7e2b', ''],
    ['a token pasted inside the JSON', '{"servicePrincipalId": rbr-pasted-token-4f1c9a7e2b}', ''],
    ['a token after the JSON', '{"servicePrincipalId":"x"} rbr-pasted-token-4f1c9a7e2b', ' at line 1, column 28'],
    ['a token cut short', '{"servicePrincipalId":"rbr-pasted-token-4f1c9a7e2b', ''],
    ['a JSON string holding a token', '"rbr-pasted-token-4f1c9a7e2b"', ''],
  ])('%s: the parse error says where, never what was there', async (_name, input, where) => {
    const r = await runMain(['graph', 'sync-template'], { input, env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\(input\) must be (valid JSON|a JSON object) \(read from stdin\)/);
    if (where !== '') expect(r.stderr).toContain(where);
    for (let i = 0; i + 6 <= 'rbr-pasted-token-4f1c9a7e2b'.length; i++) {
      expect(r.stderr).not.toContain('rbr-pasted-token-4f1c9a7e2b'.slice(i, i + 6));
    }
  });

  test('every problem of the input is reported at once, unknown fields included', async () => {
    const r = await runMain(['graph', 'set-provisioning'], {
      input: JSON.stringify({ servicePrincipalId: '', enabled: 'yes', jobID: 'x' }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Invalid command input (4 problems)');
    expect(r.stderr).toContain('[INVALID_INPUT] servicePrincipalId must be a non-empty string');
    expect(r.stderr).toContain('[INVALID_INPUT] jobId must be a non-empty string');
    expect(r.stderr).toContain("[INVALID_INPUT] enabled must be true or false, got 'yes'");
    expect(r.stderr).toContain('[INVALID_INPUT] jobID must be a field of this command');
    expect(ctx.fake.requests).toHaveLength(0);
  });

  test('settings are checked with the spec rules before any call', async () => {
    const r = await runMain(['graph', 'save-credentials'], {
      input: JSON.stringify({
        servicePrincipalId: ctx.fake.addServicePrincipal(),
        jobId: 'job',
        settings: { notification: { email: 'not-an-email' }, scope: 'everyone', colour: 'blue' },
      }),
      env: fakeEnv(ctx.fake, { ROLLBAR_SECRET_TOKEN: 'some-token-value' }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[INVALID_EMAIL] settings.notification.email must be an e-mail address');
    expect(r.stderr).toContain('[INVALID_SCOPE] settings.scope');
    // The spec's own code for an unknown setting, as in rollbar.yaml.
    expect(r.stderr).toContain('[INVALID_CONFIG] settings.colour must be a known setting');
    expect(ctx.fake.requests).toHaveLength(0);
  });

  test('save-credentials reads the token from ROLLBAR_SECRET_TOKEN only', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);

    const missing = await runMain(['graph', 'save-credentials'], {
      input: JSON.stringify({ servicePrincipalId: sp, jobId }),
      env: fakeEnv(fake),
    });
    const inInput = await runMain(['graph', 'save-credentials'], {
      input: JSON.stringify({ servicePrincipalId: sp, jobId, secretToken: fake.validSecretToken }),
      env: fakeEnv(fake),
    });

    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[MISSING_SECRET_TOKEN] ROLLBAR_SECRET_TOKEN must hold the Rollbar SCIM token');
    expect(inInput.code).toBe(1);
    expect(inInput.stderr).toContain('secretToken must be a field of this command');
    expect(inInput.stderr).not.toContain(fake.validSecretToken);
    expect(fake.requests).toHaveLength(0);
  });

  test('test: "false" skips Test Connection', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const r = await runMain(['graph', 'save-credentials'], {
      input: JSON.stringify({ servicePrincipalId: sp, jobId, test: 'false', settings: '{"scope":"all"}' }),
      env: fakeEnv(fake, { ROLLBAR_SECRET_TOKEN: 'not-checked-token' }),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ validated: 'false', saved: '4' });
    expect(fake.requests.map((q) => q.method)).toEqual(['GET', 'PUT']);
    expect(fake.servicePrincipal(sp).secrets).toContainEqual({ key: 'SyncAll', value: 'true' });
  });

  test('a token of another tenant is refused: nothing is sent', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const r = await runMain(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: sp, tenantId: fake.tenantId }),
      env: fakeEnv(fake, { ROLLBAR_GRAPH_TOKEN: fakeJwt('99999999-8888-4777-8666-555555555555') }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[TENANT_MISMATCH]');
    expect(fake.requests).toHaveLength(0);
  });

  test('every line is redacted: a secret the step never handled still never reaches the output', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    // sync-template does not know the Rollbar token, so only the CLI's own redaction can hide it.
    const rollbarToken = 'rollbar-token-in-the-environment';
    fake.fault({ path: /templates$/, status: 400, message: `rejected ${rollbarToken}` });
    const r = await runMain(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: sp }),
      env: fakeEnv(fake, { ROLLBAR_SECRET_TOKEN: rollbarToken }),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rejected <redacted>');
    expect(r.stderr).not.toContain(rollbarToken);
  });

  test('Graph failures show Graph message, code and request id, without a stack trace', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ path: /templates$/, status: 403, message: 'Insufficient privileges to complete the operation.' });
    const r = await runMain(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: sp }),
      env: fakeEnv(fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^rollbar-provisioning graph sync-template: Microsoft Graph GET .* failed: Insufficient privileges/,
    );
    expect(r.stderr).toContain('code Authorization_RequestDenied, request-id ');
    expect(r.stderr).toContain('Synchronization.ReadWrite.All');
    noStack(r.stderr);
  });
});

describe('graph mapping steps', () => {
  const mappings = JSON.stringify({
    users: { attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } } },
  });

  test('plan, apply, plan, reset: flat string outputs, one write', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const env = fakeEnv(fake);
    const input = JSON.stringify({ servicePrincipalId: sp, jobId, mappings });

    const plan = JSON.parse((await runMain(['graph', 'plan-mappings'], { input, env })).stdout);
    const apply = JSON.parse((await runMain(['graph', 'apply-mappings'], { input, env })).stdout);
    const again = JSON.parse((await runMain(['graph', 'apply-mappings'], { input, env })).stdout);
    const after = JSON.parse((await runMain(['graph', 'plan-mappings'], { input, env })).stdout);
    const reset = JSON.parse(
      (await runMain(['graph', 'reset-mappings'], { input: JSON.stringify({ servicePrincipalId: sp, jobId }), env }))
        .stdout,
    );

    expect(plan).toEqual({
      inSync: 'false',
      desiredDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
      liveDigest: expect.any(String),
      warnings: '',
    });
    expect(apply).toEqual({ changed: 'true', desiredDigest: plan.desiredDigest, warnings: '' });
    expect(again).toEqual({ changed: 'false', desiredDigest: plan.desiredDigest, warnings: '' });
    expect(after).toMatchObject({ inSync: 'true', liveDigest: plan.desiredDigest });
    expect(reset).toEqual({ changed: 'true' });
    expect(fake.job(sp, jobId).schemaWrites).toBe(2);
  });

  test('an invalid expression is rejected offline, before any call', async () => {
    const r = await runMain(['graph', 'apply-mappings'], {
      input: JSON.stringify({
        servicePrincipalId: ctx.fake.addServicePrincipal(),
        jobId: 'job',
        mappings: { users: { attributes: { displayName: { source: 'Jion([givenName])' } } } },
      }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('UNKNOWN_FUNCTION');
    expect(r.stderr).toContain('mappings.users.attributes.displayName.source');
    expect(ctx.fake.requests).toHaveLength(0);
  });
});

describe('status', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollbar-status-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('--json prints the job status', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Paused' });
    const r = await runMain(['status', '--service-principal-id', sp, '--job-id', jobId, '--json'], {
      env: fakeEnv(fake),
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ jobId, state: 'Paused', statusCode: 'Paused' });
  });

  test('--config adds mapping drift', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    const managed = path.join(dir, 'managed.yaml');
    const unmanaged = path.join(dir, 'unmanaged.yaml');
    writeFileSync(managed, 'mappings:\n  users:\n    attributes:\n      title: null\n');
    writeFileSync(unmanaged, 'displayName: Rollbar\n');

    const drift = await runMain(['status', '--service-principal-id', sp, '--config', managed], { env: fakeEnv(fake) });
    const none = await runMain(['status', '--service-principal-id', sp, `--config=${unmanaged}`], {
      env: fakeEnv(fake),
    });
    const json = await runMain(['status', '--service-principal-id', sp, '--config', managed, '--json'], {
      env: fakeEnv(fake),
    });

    expect(drift.stdout).toMatch(/^Mappings: +OUT OF SYNC with the configuration/m);
    expect(none.stdout).toMatch(/^Mappings: +not managed/m);
    expect(JSON.parse(json.stdout)).toMatchObject({ jobId, mappings: { managed: true, inSync: false } });
  });

  test('a quarantined job shows the reason and the fix', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.quarantine(sp, jobId, 'TooManyDeletes');
    const r = await runMain(['status', '--service-principal-id', sp], { env: fakeEnv(fake) });
    expect(r.stdout).toMatch(/^Quarantine: +TooManyDeletes, since/m);
    expect(r.stdout).toMatch(/^Fix: +review the pending deletions/m);
  });
});

describe('validate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rollbar-validate-'));
    writeFileSync(
      path.join(dir, 'good.yaml'),
      'displayName: Rollbar\nscope: assignedOnly\nnotification:\n  email: identity-ops@example.com\n',
    );
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      'displayName: Rollbar\nscope: everyone\nnotification:\n  email: nobody\nsecretToken: abcdefghijklmnop\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('a valid file prints one OK line and exits 0', async () => {
    const r = await runMain(['validate', 'good.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('OK: good.yaml is a valid Rollbar provisioning configuration.\n');
  });

  test('ROLLBAR_CONFIG names the default file', async () => {
    const r = await runMain(['validate'], { cwd: dir, env: { ROLLBAR_CONFIG: 'good.yaml' } });
    expect(r.code).toBe(0);
  });

  test('every problem is printed with file, line, code, path and message; exit 1', async () => {
    const r = await runMain(['validate', 'bad.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^bad\.yaml:2:8: INVALID_SCOPE: scope must be/m);
    expect(r.stderr).toMatch(/^bad\.yaml:4:\d+: INVALID_EMAIL: notification\.email must /m);
    expect(r.stderr).toMatch(/^bad\.yaml:5:\d+: SECRET_IN_CONFIG: secretToken must /m);
    expect(r.stderr).toContain('3 problems in bad.yaml.');
    expect(r.stderr).not.toContain('abcdefghijklmnop');
  });

  test('--json prints the problems as JSON', async () => {
    const r = await runMain(['validate', 'bad.yaml', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.ok).toBe(false);
    expect(out.problems.map((p: { code: string }) => p.code).sort()).toEqual([
      'INVALID_EMAIL',
      'INVALID_SCOPE',
      'SECRET_IN_CONFIG',
    ]);
  });

  test('a missing file is CONFIG_NOT_FOUND', async () => {
    const r = await runMain(['validate', 'nope.yaml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CONFIG_NOT_FOUND');
  });
});

describe('validate: warnings', () => {
  const example = path.join(__dirname, '..', '..', 'rollbar.yaml');

  test('the shipped example is valid, with its placeholder object ids named as warnings', async () => {
    const r = await runMain(['validate', example]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^rollbar\.yaml:\d+:\d+: warning: PLACEHOLDER_OBJECT_ID: assignments\.platform-team\.principalObjectId looks like a placeholder/m,
    );
    expect(r.stderr).toMatch(/warning: PLACEHOLDER_OBJECT_ID: assignments\.jane-doe\.principalObjectId/);
    expect(r.stdout).toBe('OK: rollbar.yaml is valid, with 2 warnings.\n');
  });

  test('--strict makes the warnings a failure', async () => {
    const r = await runMain(['validate', example, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('warning: PLACEHOLDER_OBJECT_ID');
    expect(r.stderr).toContain('rollbar.yaml is valid, with 2 warnings: failing because of --strict.');
  });

  test('--json carries the warnings, with line and column; --strict sets ok to false', async () => {
    const plain = await runMain(['validate', example, '--json']);
    const strict = await runMain(['validate', example, '--json', '--strict']);
    const out = JSON.parse(plain.stdout);
    expect(plain.code).toBe(0);
    expect(out).toMatchObject({ ok: true, strict: false, problems: [] });
    expect(out.warnings).toEqual([
      expect.objectContaining({ code: 'PLACEHOLDER_OBJECT_ID', path: 'assignments.platform-team.principalObjectId' }),
      expect.objectContaining({ code: 'PLACEHOLDER_OBJECT_ID', path: 'assignments.jane-doe.principalObjectId' }),
    ]);
    expect(out.warnings[0].line).toEqual(expect.any(Number));
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ ok: false, strict: true });
  });

  test.each([
    ['scope all with the guard off', 'scope: all\naccidentalDeletionThreshold: 0\n', 'DELETION_GUARD_OFF'],
    ['Test Connection off', 'testConnection: false\n', 'TEST_CONNECTION_OFF'],
    [
      'a setting adoption ignores',
      'existingServicePrincipalObjectId: 3f2504e0-4f89-41d3-9a0c-0305e82c3301\nprotect: false\n',
      'IGNORED_WHEN_ADOPTING',
    ],
    [
      'an undocumented target attribute',
      'mappings:\n  users:\n    attributes:\n      title:\n        source: "[jobTitle]"\n',
      'UNDOCUMENTED_TARGET_ATTRIBUTE',
    ],
  ])('%s is a warning', async (_name, body, code) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollbar-warn-'));
    try {
      writeFileSync(path.join(dir, 'w.yaml'), `notification:\n  email: ops@example.com\n${body}`);
      const r = await runMain(['validate', 'w.yaml', '--json'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout).warnings.map((w: { code: string }) => w.code)).toContain(code);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('no notification e-mail is a warning', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rollbar-warn-'));
    try {
      writeFileSync(path.join(dir, 'w.yaml'), 'scope: assignedOnly\n');
      const r = await runMain(['validate', 'w.yaml'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/^w\.yaml: warning: NO_NOTIFICATION_EMAIL: notification names no e-mail/m);
      expect(r.stdout).toBe('OK: w.yaml is valid, with 1 warning.\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
