/**
 * The example stack under the real terraform, on one state: init, validate, plan and apply in the documented
 * order; a second apply changes nothing and writes nothing to Graph; a rotated token is tested and saved and
 * nothing else is touched; destroy refuses while `protect` is on, and without it removes everything.
 */
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import {
  exampleConfig,
  exampleStack,
  mark,
  replaceStackConfig,
  report,
  synthStack,
  writesSince,
  type Terraform,
  type ExampleStack,
} from './harness';

let example: ExampleStack;
let dir: string;
let fake: FakeGraph;
let tf: Terraform;

beforeAll(async () => {
  example = await exampleStack('deploy');
  ({ dir, fake, tf } = example);
});

afterAll(async () => {
  await example?.stop();
});

/** The one Rollbar service principal the deployment created, and its job. */
function deployed(): { spId: string; jobId: string } {
  const [spId, ...others] = fake.servicePrincipalIds();
  expect(others).toEqual([]);
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  return { spId: spId!, jobId: jobId! };
}

test('init, validate, plan and apply deploy the example in the documented order', async () => {
  // init ran in the prologue (exampleStack), which fails the file if it does not succeed.
  const validate = await tf.ok(['validate']);
  expect(validate.stdout).toContain('The configuration is valid.');
  const plan = await tf.ok(['plan', '-out=tfplan']);
  report('plan', plan);
  expect(plan.stdout).toMatch(/Plan: 9 to add, 0 to change, 0 to destroy\./);
  const since = mark(fake);
  const apply = await tf.ok(['apply', 'tfplan']);
  report('apply', apply);
  expect(apply.stdout).toContain('Apply complete! Resources: 9 added, 0 changed, 0 destroyed.');

  const { spId, jobId } = deployed();
  const writes = writesSince(fake, since);
  const jobPath = `/servicePrincipals/${spId}/synchronization/jobs/${jobId}`;
  // Microsoft's order: instantiate, roles, assignments, the job (disabled), test and save the credentials,
  // the mappings, then start.
  const order = [
    /^POST \/applicationTemplates\/[^/]+\/instantiate$/,
    `POST /servicePrincipals/${spId}/synchronization/jobs`,
    `POST ${jobPath}/validateCredentials`,
    `PUT /servicePrincipals/${spId}/synchronization/secrets`,
    `PUT ${jobPath}/schema`,
    `POST ${jobPath}/start`,
  ];
  const positions = order.map((step) =>
    writes.findIndex((w) => (typeof step === 'string' ? w === step : step.test(w))),
  );
  expect(positions.every((p) => p >= 0)).toBe(true);
  expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  const roleWrites = writes.filter((w) => /^PATCH \/applications\//.test(w)).map((w) => writes.indexOf(w));
  const assignmentWrites = writes.filter((w) => w.endsWith('/appRoleAssignedTo')).map((w) => writes.indexOf(w));
  expect(roleWrites).toHaveLength(2);
  expect(assignmentWrites).toHaveLength(2);
  expect(Math.max(...roleWrites)).toBeLessThan(Math.min(...assignmentWrites));
  expect(Math.max(...assignmentWrites)).toBeLessThan(positions[5]!);

  expect(fake.job(spId, jobId).schedule.state).toBe('Active');
  expect(fake.servicePrincipal(spId).secrets?.find((s) => s.key === 'SecretToken')?.value).toBe(fake.validSecretToken);
  expect(fake.directory.assignments.size).toBe(2);
});

test('a second apply has no changes and writes nothing to Graph', async () => {
  const since = mark(fake);
  const apply = await tf.ok(['apply', '-auto-approve']);
  report('second apply', apply);
  expect(apply.stdout).toContain('No changes.');
  expect(writesSince(fake, since)).toEqual([]);
});

/**
 * Rotates the Rollbar token: a new TF_VAR_rollbar_secret_token. The token is ephemeral, so Terraform sees the
 * rotation only through its version: the apply that follows bumps TF_VAR_rollbar_secret_token_version.
 */
function rotateToken(token: string): void {
  fake.validSecretToken = token;
  tf.secretToken = token;
  tokenVersion.TF_VAR_rollbar_secret_token_version = String(
    Number(tokenVersion.TF_VAR_rollbar_secret_token_version) + 1,
  );
}

/** The token's version, for every terraform run after a rotation (as a pipeline keeps it with the token). */
const tokenVersion = { TF_VAR_rollbar_secret_token_version: '1' };

test('a rotated token is tested and saved, and nothing else is touched', async () => {
  const { spId, jobId } = deployed();
  const schemaWrites = fake.job(spId, jobId).schemaWrites;
  rotateToken('rotated-rollbar-scim-token-fedcba9876543210');
  const since = mark(fake);
  const apply = await tf.ok(['apply', '-auto-approve'], tokenVersion);
  report('apply after rotation', apply);
  expect(writesSince(fake, since)).toEqual([
    `POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
    `PUT /servicePrincipals/${spId}/synchronization/secrets`,
  ]);
  const saved = fake.servicePrincipal(spId).secrets?.find((s) => s.key === 'SecretToken')?.value;
  expect(saved).toBe('rotated-rollbar-scim-token-fedcba9876543210');
  expect(fake.job(spId, jobId).schemaWrites).toBe(schemaWrites);
  expect(fake.job(spId, jobId).schedule.state).toBe('Active');
});

test('destroy refuses while protect is on, and changes nothing', async () => {
  const since = mark(fake);
  const destroy = await tf.run(['destroy', '-auto-approve']);
  report('destroy (protected)', destroy);
  expect(destroy.code).toBe(1);
  // Terraform wraps the detail at 80 columns.
  const text = destroy.output.replace(/\s+/g, ' ');
  expect(text).toContain('Error: Instance cannot be destroyed');
  expect(text).toMatch(
    /Resource azuread_application_from_template\.Rollbar_Application_\w+ has lifecycle\.prevent_destroy set/,
  );
  expect(writesSince(fake, since)).toEqual([]);
  expect(fake.directory.applications.size).toBe(1);
});

test('with protect: false, destroy removes everything and leaves nothing in the fake', async () => {
  const unprotected = await synthStack(exampleConfig(dir, 'protect: false'), path.join(dir, 'cdktf.out-unprotected'));
  replaceStackConfig(unprotected, tf.stackDir);
  const apply = await tf.ok(['apply', '-auto-approve'], tokenVersion);
  expect(apply.stdout).toContain('No changes.');
  const destroy = await tf.ok(['destroy', '-auto-approve'], tokenVersion);
  report('destroy', destroy);
  expect(destroy.stdout).toContain('Destroy complete! Resources: 9 destroyed.');
  expect(fake.directory.objectCount()).toBe(0);
  expect(fake.servicePrincipalIds()).toEqual([]);
});
