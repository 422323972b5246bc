/**
 * Upgrading from the previous build (commit 5205f61) under the real terraform: its stack deployed, then this
 * build's stack on the same state plans only the replacements that CHANGELOG.md names, and after the apply the
 * next plan is empty.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import {
  exampleConfig,
  installStandIns,
  REPO,
  removeDir,
  run,
  startFake,
  synthStack,
  tempDir,
  Terraform,
} from './harness';

/** The previous build, as CHANGELOG.md's upgrade section names it. */
const PREVIOUS = '5205f61';

let dir: string;
let fake: FakeGraph;

beforeAll(async () => {
  dir = tempDir('upgrade');
  fake = await startFake();
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

/** The previous build's sources (git archive), with this checkout's node_modules, synthesizing `config`. */
async function synthPrevious(config: string, outDir: string): Promise<string> {
  const old = path.join(dir, 'previous');
  mkdirSync(old);
  const archive = path.join(dir, 'previous.tar');
  execFileSync('git', ['-C', REPO, 'archive', '-o', archive, PREVIOUS]);
  execFileSync('tar', ['-x', '-f', archive, '-C', old]);
  symlinkSync(path.join(REPO, 'node_modules'), path.join(old, 'node_modules'));
  const env = { ...process.env, ROLLBAR_CONFIG: config, CDKTF_OUTDIR: outDir, CHECKPOINT_DISABLE: '1' };
  const r = await run('npm', ['run', '--silent', 'synth:cdktf'], { cwd: old, env });
  if (r.code !== 0) throw new Error(`synth of ${PREVIOUS} failed:\n${r.output}`);
  return path.join(outDir, 'stacks', 'rollbar');
}

test(`from ${PREVIOUS}: the plan replaces ProvisioningState only, and the next plan is empty`, async () => {
  const standIns = installStandIns(dir);
  const config = exampleConfig(dir, 'protect: false');
  const stackDir = await synthPrevious(config, path.join(dir, 'previous.out'));
  const tf = new Terraform(stackDir, standIns, fake);
  await tf.ok(['init']);
  await tf.ok(['apply', '-auto-approve']);
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  const schemaWrites = fake.job(spId!, jobId!).schemaWrites;

  // This build's configuration over the same directory and state (the same state file name for rollbar).
  const next = await synthStack(config, path.join(dir, 'next.out'));
  rmSync(path.join(stackDir, 'assets'), { recursive: true });
  cpSync(path.join(next, 'cdk.tf.json'), path.join(stackDir, 'cdk.tf.json'));
  cpSync(path.join(next, 'assets'), path.join(stackDir, 'assets'), { recursive: true });
  await tf.ok(['init']);

  const plan = await tf.run(['plan', '-detailed-exitcode']);
  const changes = [...plan.stdout.matchAll(/# (\S+)\.Rollbar_(\w+?)_[0-9A-F]{8} (.+)$/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
  expect(changes).toEqual(['terraform_data ProvisioningState must be replaced']);
  expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy\./);
  expect(plan.code).toBe(2);

  await tf.ok(['apply', '-auto-approve']);
  expect(fake.servicePrincipalIds()).toEqual([spId]);
  expect(fake.job(spId!, jobId!).schemaWrites).toBe(schemaWrites);
  expect(fake.job(spId!, jobId!).startsWhileActive).toBe(0);
  const after = await tf.run(['plan', '-detailed-exitcode']);
  expect(after.stdout).toContain('No changes.');
  expect(after.code).toBe(0);
});
