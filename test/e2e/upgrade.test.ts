/**
 * Upgrading from the previous build (commit 5205f61) under the real terraform: its stack deployed, then this
 * build's stack on the same state plans only the replacements that CHANGELOG.md names (Credentials, whose trigger
 * is now the token's version and the saved settings instead of a hash of the token, and ProvisioningState, whose
 * own triggers changed in this release), the apply tests and saves the token once and starts nothing, and the next plan is
 * empty.
 *
 * The previous build's stack is a fixture, `fixtures/previous-5205f61/cdk.tf.json`: that commit's synth of the
 * `rollbar.yaml` beside it (`git archive 5205f61`, its own dependencies, `ROLLBAR_CONFIG=<that file> npm run
 * synth:cdktf`), since its dependencies are not this checkout's. Its Graph steps run this build's CLI bundle,
 * copied where the fixture names its asset: the commands that release called (sync-template, plan-mappings,
 * save-credentials, apply-mappings, set-provisioning) keep their inputs and outputs. What decides the upgrade
 * plan is the state that release's configuration wrote, which is the fixture's.
 */
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { installStandIns, mark, removeDir, startFake, synthStack, tempDir, Terraform, writesSince } from './harness';
import { runTerraform, terraformOk } from './retry';

/** The previous build, as CHANGELOG.md's upgrade section names it. */
const PREVIOUS = '5205f61';
const FIXTURE = path.join(__dirname, 'fixtures', `previous-${PREVIOUS}`);

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

test('from 5205f61: the plan replaces Credentials once (and ProvisioningState, whose own triggers changed), nothing else', async () => {
  const standIns = installStandIns(dir);
  const config = path.join(FIXTURE, 'rollbar.yaml');
  const next = await synthStack(config, path.join(dir, 'next.out'));
  const [bundle] = /assets\/[^"]+\/rollbar-provisioning\.cjs/.exec(
    readFileSync(path.join(next, 'cdk.tf.json'), 'utf8'),
  )!;
  const [previousBundle] = /assets\/[^"]+\/rollbar-provisioning\.cjs/.exec(
    readFileSync(path.join(FIXTURE, 'cdk.tf.json'), 'utf8'),
  )!;

  const stackDir = path.join(dir, 'stack');
  mkdirSync(path.dirname(path.join(stackDir, previousBundle)), { recursive: true });
  cpSync(path.join(FIXTURE, 'cdk.tf.json'), path.join(stackDir, 'cdk.tf.json'));
  cpSync(path.join(next, bundle), path.join(stackDir, previousBundle));
  const tf = new Terraform(stackDir, standIns, fake);
  await terraformOk(tf, ['init']);
  await terraformOk(tf, ['apply', '-auto-approve']);
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  const schemaWrites = fake.job(spId!, jobId!).schemaWrites;

  // This build's configuration over the same directory and state (the same state file name for rollbar).
  rmSync(path.join(stackDir, 'assets'), { recursive: true });
  cpSync(path.join(next, 'cdk.tf.json'), path.join(stackDir, 'cdk.tf.json'));
  cpSync(path.join(next, 'assets'), path.join(stackDir, 'assets'), { recursive: true });
  await terraformOk(tf, ['init']);

  const plan = await runTerraform(tf, ['plan', '-detailed-exitcode']);
  const changes = [...plan.stdout.matchAll(/# (\S+)\.Rollbar_(\w+?)_[0-9A-F]{8} (.+)$/gm)].map(
    (m) => `${m[1]} ${m[2]} ${m[3]}`,
  );
  expect(changes).toEqual([
    'terraform_data Credentials must be replaced',
    'terraform_data ProvisioningState must be replaced',
  ]);
  expect(plan.stdout).toMatch(/Plan: 2 to add, 0 to change, 2 to destroy\./);
  expect(plan.code).toBe(2);

  const since = mark(fake);
  await terraformOk(tf, ['apply', '-auto-approve']);
  expect(writesSince(fake, since)).toEqual([
    `POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
    `PUT /servicePrincipals/${spId}/synchronization/secrets`,
  ]);
  expect(fake.servicePrincipalIds()).toEqual([spId]);
  expect(fake.job(spId!, jobId!).schemaWrites).toBe(schemaWrites);
  expect(fake.job(spId!, jobId!).startsWhileActive).toBe(0);
  const after = await runTerraform(tf, ['plan', '-detailed-exitcode']);
  expect(after.stdout).toContain('No changes.');
  expect(after.code).toBe(0);
});
