/**
 * Two ways a stack leaves the single-tenant, JSON path, under the real terraform:
 * - two tenants from one project (one configuration file each, synthesized into the same output directory, as
 *   `cdktf deploy` does): each has its own state, so deploying the second leaves the first one's plan empty;
 * - `cdktf synth --hcl`, HashiCorp's exit path from the archived CDKTF: the HCL validates, plans and applies like
 *   the JSON, and its next plan is empty.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  type StandIns,
} from './harness';

let dir: string;
let fake: FakeGraph;
let standIns: StandIns;

beforeAll(async () => {
  dir = tempDir('exits');
  standIns = installStandIns(dir);
  fake = await startFake();
  // The two-tenant example's principals.
  fake.directory.addPrincipal('55555555-5555-4555-8555-555555555555', 'Group', 'Contoso engineering');
  fake.directory.addPrincipal('66666666-6666-4666-8666-666666666666', 'Group', 'Fabrikam developers');
  fake.directory.addPrincipal('77777777-7777-4777-8777-777777777777', 'User', 'Fabrikam head of engineering');
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

/** The repository's synth (stacks/cdktf/main.ts) run in `project`, as `cdktf synth` runs it in a user's project. */
async function synthIn(project: string, config: string): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ROLLBAR_CONFIG: config,
    CDKTF_OUTDIR: path.join(project, 'cdktf.out'),
  };
  delete env.ROLLBAR_STATE_KEY;
  const tsNode = path.join(REPO, 'node_modules', '.bin', 'ts-node');
  const transpiler = path.join(REPO, 'tools', 'esbuild-transpiler.js');
  const main = path.join(REPO, 'stacks', 'cdktf', 'main.ts');
  const r = await run(tsNode, ['--transpile-only', '--transpiler', transpiler, main], { cwd: project, env });
  if (r.code !== 0) throw new Error(`synth of ${config} failed:\n${r.output}`);
  return path.join(project, 'cdktf.out', 'stacks', 'rollbar');
}

test('two tenants: deploy A, deploy B, and A still plans no change', async () => {
  const project = path.join(dir, 'project');
  mkdirSync(path.join(project, 'tenants'), { recursive: true });
  for (const tenant of ['contoso', 'fabrikam']) {
    const example = readFileSync(path.join(REPO, 'examples', 'two-tenants', `${tenant}.yaml`), 'utf8');
    writeFileSync(path.join(project, 'tenants', `${tenant}.yaml`), `${example}\nprotect: false\n`);
  }
  const deploy = async (tenant: string): Promise<Terraform> => {
    const tf = new Terraform(await synthIn(project, `tenants/${tenant}.yaml`), standIns, fake);
    // One output directory for both: the backend changed under it, so init is told to take the new one.
    await tf.ok(['init', '-reconfigure']);
    return tf;
  };

  await (await deploy('contoso')).ok(['apply', '-auto-approve']);
  await (await deploy('fabrikam')).ok(['apply', '-auto-approve']);
  expect(fake.servicePrincipalIds()).toHaveLength(2);

  const planA = await (await deploy('contoso')).run(['plan', '-detailed-exitcode']);
  expect(planA.stdout).toContain('No changes.');
  expect(planA.code).toBe(0);
  expect(fake.servicePrincipalIds()).toHaveLength(2);
});

test('cdktf synth --hcl: the HCL validates, plans and applies like the JSON; its next plan is empty', async () => {
  const hclDir = await synthStack(exampleConfig(path.join(dir), 'protect: false'), path.join(dir, 'hcl.out'), {
    SYNTH_HCL_OUTPUT: 'true',
  });
  // Only the HCL: terraform would read both files of a directory.
  const stackDir = path.join(dir, 'hcl-stack');
  mkdirSync(stackDir);
  cpSync(path.join(hclDir, 'cdk.tf'), path.join(stackDir, 'main.tf'));
  cpSync(path.join(hclDir, 'assets'), path.join(stackDir, 'assets'), { recursive: true });
  const tf = new Terraform(stackDir, standIns, fake);
  await tf.ok(['init']);
  const validate = await tf.ok(['validate']);
  // (cdktf's HCL renderer quotes depends_on references, which Terraform accepts with a deprecation warning.)
  expect(validate.stdout).toMatch(/The configuration is valid[.,]/);
  const plan = await tf.run(['plan', '-detailed-exitcode']);
  expect(plan.stdout).toMatch(/Plan: 9 to add, 0 to change, 0 to destroy\./);
  expect(plan.code).toBe(2);
  await tf.ok(['apply', '-auto-approve']);
  const next = await tf.run(['plan', '-detailed-exitcode']);
  expect(next.stdout).toContain('No changes.');
  expect(next.output).not.toContain('Check block assertion');
  expect(next.code).toBe(0);
});
