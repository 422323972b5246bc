/**
 * A fresh deployment with a token Rollbar rejects: the apply fails with Graph's reason before anything is
 * switched on, the job stays disabled, and no credentials or mappings are written.
 */
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import {
  exampleConfig,
  installStandIns,
  mark,
  removeDir,
  report,
  startFake,
  synthStack,
  tempDir,
  Terraform,
  writesSince,
} from './harness';

const WRONG_TOKEN = 'wrong-rollbar-token-0000000000000000';

let dir: string;
let fake: FakeGraph;

beforeAll(async () => {
  dir = tempDir('wrong-token');
  fake = await startFake();
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

test('a wrong token fails the apply readably and the new job stays disabled', async () => {
  const standIns = installStandIns(dir);
  const stackDir = await synthStack(exampleConfig(dir), path.join(dir, 'cdktf.out'));
  const tf = new Terraform(stackDir, standIns, fake, { secretToken: WRONG_TOKEN });
  await tf.ok(['init']);
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
