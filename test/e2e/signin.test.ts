/**
 * One plan-time read (issue 20, acceptance 3): after a deploy, a no-op `terraform plan` starts one CLI process
 * and signs in once, on the ARM_* client-secret path (ARM_TENANT_ID, ARM_CLIENT_ID, ARM_CLIENT_SECRET;
 * constructs/graph/auth.ts) against a loopback authority over https (test/fake-entra/authority.ts). The CLI steps get no
 * ROLLBAR_GRAPH_TOKEN; the azuread stand-in keeps a token of its own (E2E_AZUREAD_TOKEN), so only the CLI
 * steps' sign-ins are counted here. Processes are counted, not assumed: every Node process terraform starts
 * (the stand-in providers and each CLI run) appends its argv to a log through NODE_OPTIONS=--require.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { LoopbackAuthority } from '../fake-entra/authority';
import { exampleStack, report, type ExampleStack, type Terraform } from './harness';

const CLIENT_ID = '33333333-3333-4333-8333-333333333333';
const CLIENT_SECRET = 'loopback-client-secret';

let example: ExampleStack;
let fake: FakeGraph;
let authority: LoopbackAuthority;
let tf: Terraform;
let processLog: string;
let signInEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  example = await exampleStack('signin', { extraConfig: 'protect: false' });
  ({ fake, tf } = example);
  const { dir } = example;
  authority = await LoopbackAuthority.start({
    dir,
    tenantId: fake.tenantId,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
  });
  processLog = path.join(dir, 'node-processes.log');
  const counter = path.join(dir, 'count-process.cjs');
  writeFileSync(
    counter,
    `require('node:fs').appendFileSync(${JSON.stringify(processLog)}, JSON.stringify(process.argv.slice(1)) + '\\n');\n`,
  );
  signInEnv = {
    ROLLBAR_GRAPH_TOKEN: '',
    E2E_AZUREAD_TOKEN: fake.token(),
    ARM_TENANT_ID: fake.tenantId,
    ARM_CLIENT_ID: CLIENT_ID,
    ARM_CLIENT_SECRET: CLIENT_SECRET,
    ROLLBAR_AUTHORITY_HOST: authority.url,
    NODE_EXTRA_CA_CERTS: authority.caFile,
    NODE_OPTIONS: `--require ${JSON.stringify(counter)}`,
  };
});

afterAll(async () => {
  await authority?.stop();
  await example?.stop();
});

/** The argv of every Node process started since the log was last cleared. */
function nodeProcesses(): string[][] {
  let text = '';
  try {
    text = readFileSync(processLog, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as string[]);
}

test('a no-op plan runs the CLI once (graph plan) and signs in once through ARM_* against the loopback authority', async () => {
  await tf.ok(['apply', '-auto-approve'], signInEnv);
  const deploySignIns = authority.tokenRequests.length;
  // The deploy's CLI steps signed in on this path too (one sign-in per CLI process).
  const deployClis = nodeProcesses().filter((argv) => argv[0]?.endsWith('rollbar-provisioning.cjs'));
  expect(deployClis.length).toBeGreaterThan(1);
  expect(deploySignIns).toBe(deployClis.length);

  writeFileSync(processLog, '');
  const since = fake.requests.length;
  const plan = await tf.run(['plan', '-detailed-exitcode'], signInEnv);
  report('no-op plan (ARM_* sign-in)', plan);
  expect(plan.output).toContain('No changes.');
  expect(plan.code).toBe(0);

  const started = nodeProcesses();
  const clis = started.filter((argv) => argv[0]?.endsWith('rollbar-provisioning.cjs'));
  // The stand-in providers are Node processes too: the log sees every process, and only one is the CLI.
  expect(started.length).toBeGreaterThan(clis.length);
  expect(clis.map((argv) => argv.slice(1))).toEqual([['graph', 'plan']]);

  const signIns = authority.tokenRequests.slice(deploySignIns);
  // What the credential asked the authority: its OpenID configuration, then the token (no instance discovery).
  const tid = fake.tenantId;
  expect(authority.requests.slice(-2)).toEqual([
    `GET /${tid}/v2.0/.well-known/openid-configuration`,
    `POST /${tid}/oauth2/v2.0/token`,
  ]);
  expect(signIns).toEqual([
    { tenant: fake.tenantId, clientId: CLIENT_ID, grantType: 'client_credentials', scope: `${fake.url}/.default` },
  ]);
  // Graph saw the CLI's reads with the token this sign-in issued; the only other token is the stand-in's own.
  const bearers = new Set(fake.requests.slice(since).map((r) => r.authorization));
  expect(bearers).toEqual(new Set([`Bearer ${authority.issuedTokens.at(-1)!}`, `Bearer ${fake.token()}`]));
});
