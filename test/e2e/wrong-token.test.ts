/**
 * A fresh deployment with a token Rollbar rejects: the apply fails with Graph's reason before anything is
 * switched on, the job stays disabled, and no credentials or mappings are written.
 */
import type { FakeGraph } from '../fake-graph/server';
import { exampleStack, mark, report, writesSince, type ExampleStack, type Terraform } from './harness';

const WRONG_TOKEN = 'wrong-rollbar-token-0000000000000000';

let example: ExampleStack;
let fake: FakeGraph;
let tf: Terraform;

beforeAll(async () => {
  example = await exampleStack('wrong-token', { secretToken: WRONG_TOKEN });
  ({ fake, tf } = example);
});

afterAll(async () => {
  await example?.stop();
});

test('a wrong token fails the apply readably and the new job stays disabled', async () => {
  const since = mark(fake);
  const apply = await tf.run(['apply', '-auto-approve']);
  report('apply with a wrong token', apply);

  expect(apply.code).toBe(1);
  // Graph's reason reaches the person running terraform, and the token does not.
  // It is in Terraform's error (the step's own output is hidden while it runs), which wraps at 80 columns.
  expect(apply.output.replace(/\s+/g, ' ')).toContain(
    'the SCIM endpoint answered 401 Unauthorized. Check the Secret Token',
  );
  expect(apply.output).not.toContain(WRONG_TOKEN);

  const [spId] = fake.servicePrincipalIds();
  const [job] = [...fake.servicePrincipal(spId!).jobs.values()];
  expect(job?.schedule.state).toBe('Disabled');
  const writes = writesSince(fake, since);
  expect(writes).toContain(`POST /servicePrincipals/${spId}/synchronization/jobs/${job!.id}/validateCredentials`);
  expect(writes.filter((w) => /\/(start|restart|secrets|schema)$/.test(w))).toEqual([]);
  expect(fake.servicePrincipal(spId!).secrets).toBeUndefined();
});
