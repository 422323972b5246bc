/**
 * Text from a configuration or from Graph never drives the terminal. ESC, CR and OSC sequences (and their 8-bit
 * C1 forms) go through `validate` and through a failing Graph step, run as Terraform runs the CLI (a separate
 * process on the bundle): the bytes on stdout and stderr hold no control character but the newline ending each
 * line, and what was there shows escaped. Graph's messages are cut in human output and whole in `--json`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MAX_GRAPH_MESSAGE } from '../../cli/output';
import { useFakeGraph } from '../fake-graph/harness';
import { fakeEnv, runMain, useBundle, type RunResult } from './run';

const ctx = useFakeGraph();
const cli = useBundle();

// ESC [ 2J clears the screen, OSC 0 sets the window title (ended by BEL), OSC 8 makes a link, CR rewinds the line,
// and U+009B / U+009D are the one-character (C1) CSI and OSC.
const HOSTILE =
  'Roll\u001b[2J\u001b]0;owned\u0007bar\rFAKE OK\u001b]8;;https://evil.example\u001b\\x\u009b31m\u009d0;t\u0007';

/** Every control character of `text` except the newline (C0, DEL, C1), as `U+XXXX`. */
function rawControls(text: string): string[] {
  // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
  return [...text.matchAll(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g)].map(
    (m) => `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function expectInert(r: RunResult): void {
  expect(rawControls(r.stdout)).toEqual([]);
  expect(rawControls(r.stderr)).toEqual([]);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rollbar-control-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate, on a configuration holding escape sequences', () => {
  const file = (): string => {
    const yaml = path.join(dir, 'hostile.yaml');
    // JSON strings are valid YAML double-quoted scalars: the file holds the characters themselves once parsed.
    writeFileSync(
      yaml,
      [
        `displayName: ${JSON.stringify(HOSTILE)}`,
        'roles:',
        '  - value: User',
        `    description: ${JSON.stringify(`Users ${HOSTILE}`)}`,
        `  - value: ${JSON.stringify(`Ad\u001b[8mmin`)}`,
        '',
      ].join('\n'),
    );
    return yaml;
  };

  test('prints every problem with the characters escaped, and no raw control byte', async () => {
    const r = await cli.run(['validate', file()]);
    expect(r.code).toBe(1);
    expectInert(r);
    expect(r.stderr).toContain('UNSAFE_CHARACTER: displayName must be text without control characters');
    expect(r.stderr).toContain("got 'Roll\\u001b[2J\\u001b]0;owned\\u0007bar\\u000dFAKE OK");
    expect(r.stderr).toContain('roles.0.description');
    expect(r.stderr).toContain('roles.1.value must be 1 to 120 letters, digits, dots, dashes or underscores');
    // Each problem is one line of its own: nothing in a value starts a new one.
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(4);
  });

  test('--json too', async () => {
    const r = await cli.run(['validate', '--json', file()]);
    expect(r.code).toBe(1);
    expectInert(r);
    const report = JSON.parse(r.stdout) as { problems: { code: string }[] };
    expect(report.problems.map((p) => p.code).sort()).toEqual([
      'INVALID_ROLE_VALUE',
      'UNSAFE_CHARACTER',
      'UNSAFE_CHARACTER',
    ]);
  });
});

describe('a Graph step whose Graph error holds escape sequences', () => {
  test('graph save-credentials: the failed Test Connection shows Graph message escaped, on one line', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    fake.fault({ path: /validateCredentials$/, status: 400, code: 'BadRequest', message: HOSTILE });
    const r = await cli.run(['graph', 'save-credentials'], {
      env: fakeEnv(fake, {
        ROLLBAR_SECRET_TOKEN: fake.validSecretToken,
        ROLLBAR_INPUT: JSON.stringify({ servicePrincipalId: sp, jobId }),
      }),
    });
    expect(r.code).toBe(1);
    expectInert(r);
    expect(r.stderr).toContain('Test Connection failed, nothing was saved.');
    expect(r.stderr).toContain('Roll\\u001b[2J\\u001b]0;owned\\u0007bar\\u000dFAKE OK');
    const errorLines = r.stderr.split('\n').filter((l) => l.includes('save-credentials: '));
    expect(errorLines).toHaveLength(1);
    expect(fake.servicePrincipal(sp).secretWrites).toBe(0);
  });

  test('a message longer than a screen is cut in the human error', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const long = `${'Graph says no. '.repeat(200)}THE-END`;
    fake.fault({ path: /templates$/, status: 400, code: 'BadRequest', message: long });
    const r = await runMain(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: sp }),
      env: fakeEnv(fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Graph says no. Graph says no.');
    expect(r.stderr).not.toContain('THE-END');
    const shown = /failed: ((?:Graph says no\. )+[^(]*)/.exec(r.stderr)?.[1] ?? '';
    expect(shown.trim().length).toBeLessThanOrEqual(MAX_GRAPH_MESSAGE);
    expect(r.stderr).toContain('code BadRequest');
  });
});

describe('status, on a job whose quarantine error holds escape sequences', () => {
  test('the human summary escapes and cuts it; --json keeps it whole (escaped only as JSON escapes)', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.quarantine(sp, jobId);
    const message = `${HOSTILE} ${'x'.repeat(2 * MAX_GRAPH_MESSAGE)} THE-END`;
    fake.job(sp, jobId).status.quarantine!.error = { code: 'BadRequest', message };
    // A quarantined job makes status exit 1; the read itself is what this test looks at.
    const args = ['status', '--service-principal-id', sp, '--job-id', jobId, '--no-exit-code'];

    const human = await cli.run(args, { env: fakeEnv(fake) });
    expect(human.code).toBe(0);
    expectInert(human);
    const line = human.stdout.split('\n').find((l) => l.startsWith('Quarantine error:')) ?? '';
    expect(line).toContain('Roll\\u001b[2J');
    expect(line).not.toContain('THE-END');
    expect(line.replace(/^Quarantine error:\s*/, '').length).toBeLessThanOrEqual(MAX_GRAPH_MESSAGE);

    const json = await cli.run([...args, '--json'], { env: fakeEnv(fake) });
    expect(json.code).toBe(0);
    expectInert(json);
    const status = JSON.parse(json.stdout) as { quarantine: { error: { message: string } } };
    expect(status.quarantine.error.message).toBe(message);
  });
});
