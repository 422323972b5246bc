/**
 * README's decommission runbook under the real terraform: deploy, pause (provisioningEnabled: false), lift the
 * protection (protect: false), destroy. It ends with no Rollbar app, service principal, assignment or job in the
 * fake. (What stays in Rollbar, the accounts already provisioned, is outside the fake: Graph sends Rollbar
 * nothing once the job is gone.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import type { Terraform } from './harness';
import {
  exampleConfig,
  exampleStack,
  mark,
  replaceStackConfig,
  report,
  synthStack,
  writesSince,
  type ExampleStack,
} from './harness';

let stack: ExampleStack | undefined;
let dir: string;
let fake: FakeGraph;
let tf: Terraform;

beforeAll(async () => {
  stack = await exampleStack('decommission');
  ({ dir, fake, tf } = stack);
  await tf.ok(['apply', '-auto-approve']);
});

afterAll(async () => {
  await stack?.stop();
});

/**
 * Re-synthesizes the example with provisioning off (the example says `provisioningEnabled: true`) and `extra`
 * lines, into the same stack directory (its state stays).
 */
async function reconfigure(name: string, extra = ''): Promise<void> {
  const config = exampleConfig(dir, extra);
  const text = readFileSync(config, 'utf8');
  expect(text).toContain('\nprovisioningEnabled: true\n');
  writeFileSync(config, text.replace('\nprovisioningEnabled: true\n', '\nprovisioningEnabled: false\n'));
  replaceStackConfig(await synthStack(config, path.join(dir, `cdktf.out-${name}`)), tf.stackDir);
}

test('the runbook: pause, protect: false, destroy; nothing of Rollbar is left in the tenant', async () => {
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  expect(fake.job(spId!, jobId!).schedule.state).toBe('Active');

  // 1. Pause: provisioning off. No cycle runs from here on, so nothing more reaches Rollbar.
  await reconfigure('paused');
  let since = mark(fake);
  report('apply (pause)', await tf.ok(['apply', '-auto-approve']));
  expect(writesSince(fake, since)).toEqual([`POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/pause`]);
  expect(fake.job(spId!, jobId!).schedule.state).toBe('Paused');

  // 2. Lift the protection: a lifecycle setting, so the apply changes nothing in the tenant.
  await reconfigure('unprotected', 'protect: false');
  since = mark(fake);
  const unprotect = await tf.ok(['apply', '-auto-approve']);
  expect(unprotect.stdout).toContain('No changes.');
  expect(writesSince(fake, since)).toEqual([]);

  // 3. Destroy: the app goes, and with it the service principal, its assignments and the job.
  since = mark(fake);
  const destroy = await tf.ok(['destroy', '-auto-approve']);
  report('destroy', destroy);
  expect(destroy.stdout).toContain('Destroy complete! Resources: 9 destroyed.');
  const writes = writesSince(fake, since);
  // Nothing is paused, reset or provisioned on the way out: the steps have no destroy-time action.
  expect(writes.filter((w) => /\/(pause|start|restart|provisionOnDemand|schema)$/.test(w))).toEqual([]);
  expect(fake.directory.applications.size).toBe(0);
  expect(fake.directory.objectCount()).toBe(0);
  expect(fake.servicePrincipalIds()).toEqual([]);
});
