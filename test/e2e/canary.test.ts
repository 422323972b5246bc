/**
 * The canary under the real terraform, on one state: a failed canary fails the first apply with Graph's steps and
 * leaves the new job disabled; after replication lag ("not entitled" twice) it passes and the job starts after it;
 * a canary that fails when new credentials re-run it leaves the running job running (no pause).
 */
import type { FakeGraph } from '../fake-graph/server';
import type { Terraform } from './harness';
import { EXAMPLE_PRINCIPALS, exampleStack, mark, report, writesSince, type ExampleStack } from './harness';

const JANE = EXAMPLE_PRINCIPALS.find((p) => p.type === 'User')!.id;

let stack: ExampleStack | undefined;
let fake: FakeGraph;
let tf: Terraform;

beforeAll(async () => {
  stack = await exampleStack('canary', { extraConfig: `canary:\n  principalObjectId: ${JANE}\nprotect: false` });
  ({ fake, tf } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

function deployed(): { spId: string; jobId: string } {
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  return { spId: spId!, jobId: jobId! };
}

const flat = (text: string): string => text.replace(/\s+/g, ' ');

test("a failed canary fails the first apply with Graph's steps, before the provisioning step: the job stays disabled", async () => {
  fake.onDemand.outcome(JANE, {
    kind: 'failure',
    errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
    reason: 'Rollbar rejected the user.',
  });
  const since = mark(fake);
  const apply = await tf.run(['apply', '-auto-approve']);
  report('apply (canary fails)', apply);
  expect(apply.code).toBe(1);
  const text = flat(apply.output);
  expect(text).toContain('[CANARY_FAILED]');
  expect(text).toContain('SystemForCrossDomainIdentityManagementServiceIncompatible');
  expect(text).toMatch(/Export Failure Failed to create User/);
  expect(text).toContain('Provisioning stays off: the job is Disabled and was not started.');
  const { spId, jobId } = deployed();
  const writes = writesSince(fake, since);
  expect(writes).toContain(`POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/provisionOnDemand`);
  expect(writes.filter((w) => /\/(start|pause|restart)$/.test(w))).toEqual([]);
  expect(fake.job(spId, jobId).schedule.state).toBe('Disabled');
});

test('after replication lag ("not entitled" twice, then provisioned) the next apply passes and starts the job after it', async () => {
  fake.onDemand.sequence(JANE, [{ kind: 'notEntitled' }, { kind: 'notEntitled' }], { kind: 'success' });
  const since = mark(fake);
  const apply = await tf.ok(['apply', '-auto-approve']);
  report('apply (canary after lag)', apply);
  const { spId, jobId } = deployed();
  const jobPath = `/servicePrincipals/${spId}/synchronization/jobs/${jobId}`;
  const writes = writesSince(fake, since);
  const onDemand = writes.map((w, i) => (w === `POST ${jobPath}/provisionOnDemand` ? i : -1)).filter((i) => i >= 0);
  expect(onDemand).toHaveLength(3);
  expect(writes.indexOf(`POST ${jobPath}/start`)).toBeGreaterThan(Math.max(...onDemand));
  expect(fake.job(spId, jobId).schedule.state).toBe('Active');
});

test('a canary that fails when new credentials re-run it fails the apply and leaves the running job running', async () => {
  fake.onDemand.reset();
  fake.onDemand.outcome(JANE, {
    kind: 'failure',
    errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
    reason: 'Bad request.',
  });
  const since = mark(fake);
  const apply = await tf.run(['apply', '-auto-approve'], { TF_VAR_rollbar_secret_token_version: '2' });
  report('apply (canary fails on a running job)', apply);
  expect(apply.code).toBe(1);
  expect(flat(apply.output)).toContain('was left running: the canary never pauses it');
  const { spId, jobId } = deployed();
  const writes = writesSince(fake, since);
  expect(writes).toContain(`PUT /servicePrincipals/${spId}/synchronization/secrets`);
  expect(writes).toContain(`POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/provisionOnDemand`);
  expect(writes.filter((w) => /\/(start|pause|restart)$/.test(w))).toEqual([]);
  expect(fake.job(spId, jobId).schedule.state).toBe('Active');
});
