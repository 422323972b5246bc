/**
 * The README's main command, `npm run synth`, run as a new user would: on a copy of the repository, with no
 * terraform on PATH, no credentials and no network. Its error and help paths run in this process, through the
 * same `run` the command calls.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run as runJob } from '../../stacks/synth';
import type * as SynthModule from '../../stacks/synth';
import { captureOutput } from '../capture-output';

const ROOT = path.resolve(__dirname, '../..');
const SKIP = new Set(['node_modules', '.git', 'cdktf.out', 'lib', 'dist', 'coverage', 'docs']);

let copy: string;
/** In the environment of every run, as a user who exported it for `cdktf deploy` would have it. */
const CANARY = `rb-main-job-canary-${process.pid}-${Date.now().toString(16)}`;

/** PATH without terraform: the main job must not need it. */
function pathWithoutTerraform(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => !fs.existsSync(path.join(dir, 'terraform')))
    .join(path.delimiter);
}

function runSynth() {
  const result = spawnSync('npm', ['run', '--silent', 'synth'], {
    cwd: copy,
    encoding: 'utf8',
    env: {
      ...process.env,
      PATH: pathWithoutTerraform(),
      CHECKPOINT_DISABLE: '1',
      ROLLBAR_CONFIG: '',
      TF_VAR_rollbar_secret_token: CANARY,
    },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  copy = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-main-job-'));
  fs.cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(path.basename(src)) || src === ROOT });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
});

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

describe('npm run synth on the example configuration', () => {
  let run: ReturnType<typeof runSynth>;
  beforeAll(() => {
    run = runSynth();
  });

  test('exits 0 with a progress line for each step', () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    for (const step of [
      '[1/4] Validating rollbar.yaml',
      '[2/4] Synthesizing the CDKTF stack',
      '[3/4] Listing',
      '[4/4]',
    ]) {
      expect(run.stdout).toContain(step);
    }
  });

  test('prints one summary table with both engines and counts', () => {
    expect(run.stdout).toMatch(/^Piece\s+CDKTF address\s+Pulumi name\s+Count$/m);
    expect(run.stdout).toMatch(/^App roles\s+azuread_application_app_role\.\S+\s.*rollbar-role-\S+.*\s2$/m);
    expect(run.stdout).toMatch(
      /^Assignments\s+azuread_app_role_assignment\.\S+\["jane-doe"\].*rollbar-assignment-jane-doe.*\s2$/m,
    );
    expect(run.stdout).toMatch(/^Provisioning On\/Off\s+terraform_data\.\S+\s+rollbar-provisioning-state\s+1$/m);
  });

  test('writes the Terraform JSON, the Pulumi listing and the diagram', () => {
    const out = path.join(copy, 'cdktf.out');
    const tf = JSON.parse(fs.readFileSync(path.join(out, 'stacks/rollbar/cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource)).toEqual(expect.arrayContaining(['azuread_synchronization_job', 'terraform_data']));
    const listing = JSON.parse(fs.readFileSync(path.join(out, 'pulumi-resources.json'), 'utf8'));
    expect(listing.note).toMatch(/not a deployment/);
    expect(listing.resources.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['rollbar-app', 'rollbar-job', 'rollbar-credentials', 'rollbar-provisioning-state']),
    );
    const diagram = fs.readFileSync(path.join(out, 'provisioning-flow.md'), 'utf8');
    expect(diagram).toMatch(/```mermaid\nflowchart TD\n/);
    expect(diagram).toContain('credentials --> mappings');
  });

  test('writes no secret and no path of this machine, in any file or line it prints', () => {
    const forms = [CANARY, Buffer.from(CANARY).toString('base64'), encodeURIComponent(CANARY)];
    const out = path.join(copy, 'cdktf.out');
    const files = fs
      .readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => fs.statSync(path.join(out, f)).isFile());
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const file of files) {
      const text = fs.readFileSync(path.join(out, file), 'utf8');
      for (const form of forms) expect(text).not.toContain(form);
      if (file.endsWith('.json') || file.endsWith('.md')) {
        expect(text).not.toContain(copy);
        expect(text).not.toContain('offline-listing-placeholder');
      }
    }
    for (const form of forms) expect(run.stdout + run.stderr).not.toContain(form);
  });
});

test('a broken configuration prints every problem with path, code and fix, exits 1, and shows no stack trace', async () => {
  const broken = path.join(copy, 'broken.yaml');
  fs.writeFileSync(
    broken,
    [
      'scope: everyone',
      'roles:',
      '  - value: User',
      'assignments:',
      '  Platform Team:',
      '    principalObjectId: not-a-guid',
      '    principalType: Group',
      '    role: msiam_access',
      '',
    ].join('\n'),
  );
  const out = path.join(copy, 'broken-out');
  const run = await captureOutput(() => runJob(['--config', broken, '--out', out]));
  expect(run.code).toBe(1);
  for (const [code, where] of [
    ['INVALID_SCOPE', 'broken.yaml:1'],
    ['INVALID_ASSIGNMENT_KEY', 'broken.yaml:5'],
    ['INVALID_OBJECT_ID', 'broken.yaml:6'],
    ['DEFAULT_ACCESS_ROLE', 'broken.yaml:8'],
  ]) {
    expect(run.stderr).toMatch(new RegExp(`${where}:\\d+: ${code}: \\S.* must .*\\. \\S`));
  }
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).not.toContain('[2/4]');
  expect(fs.existsSync(out)).toBe(false);
});

test('--help says what the job does; an unknown argument is a usage error', async () => {
  const help = await captureOutput(() => runJob(['--help']));
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: npm run synth');
  const unknown = await captureOutput(() => runJob(['--outdir', 'x']));
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^npm run synth: unknown argument '--outdir'\n\nUsage: npm run synth/);
});

describe('npm run synth -- --only', () => {
  /** Runs the job in this process with `module` replaced by one that fails when loaded. */
  async function runWithout(module: string, argv: string[]) {
    let job!: typeof runJob;
    jest.isolateModules(() => {
      jest.doMock(module, () => {
        throw new Error(`npm run synth ${argv.join(' ')} loaded ${module}`);
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      ({ run: job } = require('../../stacks/synth') as typeof SynthModule);
    });
    try {
      return await captureOutput(() => job(argv));
    } finally {
      jest.dontMock(module);
    }
  }

  test('cdktf synthesizes the stack and never loads the Pulumi listing', async () => {
    const out = path.join(copy, 'only-cdktf');
    const run = await runWithout('../../stacks/pulumi/offline-mocks', [
      '--config',
      path.join(ROOT, 'rollbar.yaml'),
      '--out',
      out,
      '--only',
      'cdktf',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[2/3] Synthesizing the CDKTF stack');
    expect(run.stdout).not.toContain('Listing');
    expect(run.stdout).toMatch(/^Piece\s+CDKTF address\s+Count$/m);
    expect(run.stdout).toMatch(/^App roles\s+azuread_application_app_role\.\S+ \(\+1 more\)\s+2$/m);
    expect(fs.existsSync(path.join(out, 'stacks', 'rollbar', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'pulumi-resources.json'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'provisioning-flow.md'))).toBe(true);
  });

  test('pulumi lists the program and never loads cdktf', async () => {
    const out = path.join(copy, 'only-pulumi');
    const run = await runWithout('cdktf', [
      '--config',
      path.join(ROOT, 'rollbar.yaml'),
      '--out',
      out,
      '--only',
      'pulumi',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('[2/3] Listing the resources the Pulumi program declares');
    expect(run.stdout).not.toContain('Synthesizing');
    expect(run.stdout).toMatch(/^Piece\s+Pulumi name\s+Count$/m);
    expect(run.stdout).toMatch(/^Provisioning On\/Off\s+rollbar-provisioning-state\s+1$/m);
    expect(fs.existsSync(path.join(out, 'stacks'))).toBe(false);
    const listing = JSON.parse(fs.readFileSync(path.join(out, 'pulumi-resources.json'), 'utf8'));
    expect(listing.resources.map((r: { name: string }) => r.name)).toContain('rollbar-credentials');
  });

  test('another engine is a usage error; --help names the option', async () => {
    const wrong = await captureOutput(() => runJob(['--only', 'terraform']));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^npm run synth: --only must be one of cdktf, pulumi, got 'terraform'\n/);
    const help = await captureOutput(() => runJob(['--help']));
    expect(help.stdout).toContain('--only ENGINE');
  });
});
