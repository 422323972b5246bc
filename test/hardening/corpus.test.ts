/**
 * Every case of the bad-input corpus through every entry point: the CLI's `validate` (in process, and a few as a
 * spawned process), `loadConfig` (what both stacks call), the CDKTF construct and the Pulumi component. Each
 * yields exactly its codes, as one RollbarProvisioningError (never a TypeError or a generic error), with no stack
 * trace and no secret in what it prints.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { TerraformStack, TerraformVariable, Testing, type App } from 'cdktf';
import { parse } from 'yaml';
import { RollbarProvisioning as CdktfRollbarProvisioning } from '../../constructs/cdktf';
import { cliBundlePath } from '../../constructs/bundle/cli';
import { PROBLEM_CODES, RollbarProvisioningError, type Problem, type ProblemCode } from '../../constructs/core';
import type { RollbarProvisioning as PulumiRollbarProvisioning } from '../../constructs/pulumi';
import { loadConfig } from '../../constructs/config';
import { runMain, spawnNode } from '../cli/run';
import { installMocks, promiseOf, type Recorder } from '../pulumi/mocks';
import { CORPUS, NOT_CONFIGURATION_CODES, UNREACHED_VALIDATION_CODES, type CorpusCase } from './corpus';

const ROOT = path.join(__dirname, '..', '..');
const sorted = (codes: readonly ProblemCode[]): ProblemCode[] => [...codes].sort();
const byName = new Map(CORPUS.map((c) => [c.name, c]));
const named = (cases: readonly CorpusCase[]): [string][] => cases.map((c) => [c.name]);
const get = (name: string): CorpusCase => byName.get(name)!;
const engineCases = CORPUS.filter((c) => c.fileOnly === undefined);

let dir: string;
const fileOf = (c: CorpusCase): string => path.join(dir, `${c.name}.yaml`);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rollbar-corpus-'));
  for (const c of CORPUS) if (c.yaml !== null) writeFileSync(fileOf(c), c.yaml);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a person must never see: a stack trace, a crash report, or the case's secret. */
function expectCleanOutput(c: CorpusCase, text: string): void {
  expect(text).not.toMatch(/^\s+at /m);
  expect(text).not.toMatch(/unexpected error|TypeError|ReferenceError|ROLLBAR_DEBUG/);
  if (c.secret !== undefined) expect(text).not.toContain(c.secret);
}

/** The error `fn` throws, which must be the project's own. */
function thrown(fn: () => unknown): RollbarProvisioningError | undefined {
  try {
    fn();
  } catch (e) {
    // A failure here names the wrong error type and its message, not only "expected …".
    if (!(e instanceof RollbarProvisioningError)) throw new Error(`threw ${String(e)}, not a RollbarProvisioningError`);
    return e;
  }
  return undefined;
}

function expectCodes(error: RollbarProvisioningError | undefined, codes: readonly ProblemCode[], c: CorpusCase): void {
  if (codes.length === 0) {
    expect(error?.message).toBeUndefined();
    return;
  }
  expect(error).toBeInstanceOf(RollbarProvisioningError);
  expect(sorted(error!.codes)).toEqual(sorted(codes));
  expectCleanOutput(c, error!.message);
}

/** The case as an engine gets it: the file's object, with the file's token or else `engineToken`. */
function engineProps(c: CorpusCase, engineToken: unknown): Record<string, unknown> {
  const text = typeof c.yaml === 'string' ? c.yaml : Buffer.from(c.yaml ?? '').toString('utf8');
  const raw = parse(text, { uniqueKeys: false }) as Record<string, unknown>;
  return Object.hasOwn(raw, 'secretToken') ? raw : { ...raw, secretToken: engineToken };
}

describe('the corpus', () => {
  test('has at least 60 cases, with unique names', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(byName.size).toBe(CORPUS.length);
  });

  test('reaches every code that a configuration can produce; the others are accounted for', () => {
    const reached = new Set(
      CORPUS.flatMap((c) => [...c.codes, ...(c.engines?.cdktf ?? []), ...(c.engines?.pulumi ?? [])]),
    );
    const unaccounted = PROBLEM_CODES.filter(
      (code) => !reached.has(code) && !(code in NOT_CONFIGURATION_CODES) && !(code in UNREACHED_VALIDATION_CODES),
    );
    expect(unaccounted).toEqual([]);
    expect(PROBLEM_CODES.filter((code) => reached.has(code) && code in NOT_CONFIGURATION_CODES)).toEqual([]);
  });

  test('every difference between entry points is explained', () => {
    for (const c of CORPUS) {
      if (c.engines !== undefined) expect(c.engines.why.length).toBeGreaterThan(20);
      if (c.fileOnly !== undefined) expect(c.engines).toBeUndefined();
    }
  });
});

describe('rollbar-provisioning validate, in process', () => {
  test.each(named(CORPUS))('%s: --json lists exactly its codes', async (name) => {
    const c = get(name);
    const r = await runMain(['validate', '--json', fileOf(c)], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; problems: Problem[] };
    expect(report.ok).toBe(false);
    expect(sorted(report.problems.map((p) => p.code))).toEqual(sorted(c.codes));
    expectCleanOutput(c, r.stdout);
  });

  test.each(named(CORPUS))('%s: the readable report names each problem, with no stack trace', async (name) => {
    const c = get(name);
    const r = await runMain(['validate', `${c.name}.yaml`], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe(
      `${c.codes.length} problem${c.codes.length === 1 ? '' : 's'} in ${c.name}.yaml.`,
    );
    for (const code of new Set(c.codes)) expect(r.stderr).toMatch(new RegExp(` ${code}(: | at )`));
    expectCleanOutput(c, r.stderr);
  });
});

describe('loadConfig, the file entry point of both stacks', () => {
  test.each(named(CORPUS))('%s', (name) => {
    const c = get(name);
    expectCodes(
      thrown(() => loadConfig(fileOf(c))),
      c.codes,
      c,
    );
  });
});

describe('the CLI as a separate process', () => {
  // Spawning is slow: a few cases, chosen to cover bytes, a missing file, a secret and a large input.
  const SPAWNED = [
    'several-problems-at-once',
    'latin-1-bytes',
    'empty-file',
    'missing-file',
    'secret-token-on-a-syntax-error-line',
    'expression-20000-characters',
  ];

  test.each(SPAWNED.map((n) => [n]))('%s, through the bundle that Terraform runs', async (name) => {
    const c = get(name);
    const r = await spawnNode([cliBundlePath(), 'validate', '--json', fileOf(c)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { problems: Problem[] };
    expect(sorted(report.problems.map((p) => p.code))).toEqual(sorted(c.codes));
    expectCleanOutput(c, r.stdout);
  });

  test('through bin/rollbar-provisioning (the launcher, once: it compiles with ts-node), the readable report', async () => {
    const c = get('root-is-a-pasted-token');
    const r = await spawnNode([path.join(ROOT, 'bin', 'rollbar-provisioning'), 'validate', fileOf(c)]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(' INVALID_CONFIG: (root) must ');
    expect(r.stderr).toContain('1 problem in ');
    expectCleanOutput(c, r.stderr);
  });
});

describe('the CDKTF construct, given the file as props', () => {
  let app: App;
  beforeAll(() => {
    app = Testing.app();
  });

  test.each(named(engineCases))('%s', (name) => {
    const c = get(name);
    const stack = new TerraformStack(app, `corpus-${engineCases.indexOf(c)}`);
    const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
    const props = engineProps(c, token.stringValue);
    expectCodes(
      thrown(() => new CdktfRollbarProvisioning(stack, 'Rollbar', props as never)),
      c.engines?.cdktf ?? c.codes,
      c,
    );
  });
});

describe('the Pulumi component, given the file as args (under mocks)', () => {
  let recorder: Recorder;
  let RollbarProvisioning: typeof PulumiRollbarProvisioning;
  let secretToken: () => unknown;

  beforeAll(async () => {
    recorder = await installMocks({ 'rollbar:secretToken': 'rollbar-corpus-token-1f2e3d4c' }, ['rollbar:secretToken']);
    // After the mocks: a module that registers resources must never load before them.
    const pulumi = await import('@pulumi/pulumi');
    ({ RollbarProvisioning } = await import('../../constructs/pulumi'));
    secretToken = () => new pulumi.Config('rollbar').requireSecret('secretToken');
  });

  test.each(named(engineCases))('%s', async (name) => {
    const c = get(name);
    const expected = c.engines?.pulumi ?? c.codes;
    let component: PulumiRollbarProvisioning | undefined;
    const error = thrown(() => {
      component = new RollbarProvisioning(`corpus-${engineCases.indexOf(c)}`, engineProps(c, secretToken()) as never);
    });
    expectCodes(error, expected, c);
    if (component !== undefined) {
      // Accepted (a literal token, made secret): let its registrations finish inside the test.
      await promiseOf(component.synchronizationJobId);
      await recorder.settle();
    }
  });
});
