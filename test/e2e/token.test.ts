/**
 * The Rollbar token under the real terraform, on one state: nothing Terraform keeps or prints holds it (a saved
 * plan, the state, every line of output), in any form, nor its SHA-256; a saved plan needs it again at apply;
 * bumping rollbar_secret_token_version tests and saves a new token exactly once; a token changed without a bump
 * is not saved; a token Rollbar rejects fails the apply with Graph's message in Terraform's error.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { findSecretForms } from '../secret-forms';
import { exampleStack, mark, report, writesSince, type ExampleStack, type RunResult, type Terraform } from './harness';
import { runTerraform } from './retry';

const canary = (what: string): string => `rb-e2e-${what}-${randomBytes(12).toString('hex')}`;
const FIRST = canary('first');
const ROTATED = canary('rotated');
const UNBUMPED = canary('unbumped');
const REJECTED = canary('rejected');
const TOKENS = [FIRST, ROTATED, UNBUMPED, REJECTED];

let example: ExampleStack;
let fake: FakeGraph;
let tf: Terraform;
/** Everything terraform printed in this file, with the command that printed it. */
const printed: { command: string; output: string }[] = [];

async function terraform(args: string[], env: NodeJS.ProcessEnv = {}, expectOk = true): Promise<RunResult> {
  const result = await runTerraform(tf, args, env);
  printed.push({ command: args.join(' '), output: result.output });
  if (expectOk && result.code !== 0) {
    throw new Error(`terraform ${args.join(' ')} exited ${String(result.code)}:\n${result.output}`);
  }
  return result;
}

/** The managed resources a saved plan changes, as `<type>.<construct id> <actions>`. */
async function plannedChanges(planFile: string): Promise<{ changes: string[]; json: string }> {
  const show = await terraform(['show', '-json', planFile]);
  const plan = JSON.parse(show.stdout) as {
    resource_changes?: { address: string; mode: string; change: { actions: string[] } }[];
  };
  const changes = (plan.resource_changes ?? [])
    .filter((c) => c.mode === 'managed' && c.change.actions.join() !== 'no-op')
    .map(
      (c) =>
        `${c.address.replace(/^(\w+)\.Rollbar_([A-Za-z]+)_[0-9A-F]{8}.*$/, '$1.$2')} ${c.change.actions.join('+')}`,
    )
    .sort();
  return { changes, json: show.stdout };
}

function deployed(): { spId: string; jobId: string } {
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  return { spId: spId!, jobId: jobId! };
}

const savedToken = (): string | undefined =>
  fake.servicePrincipal(deployed().spId).secrets?.find((s) => s.key === 'SecretToken')?.value ?? undefined;

beforeAll(async () => {
  example = await exampleStack('token', { secretToken: FIRST });
  ({ fake, tf } = example);
  fake.validSecretToken = FIRST;
  // init ran in the prologue; its output is scanned with every other line terraform printed.
  printed.push({ command: 'init', output: example.init.output });
});

afterAll(async () => {
  await example?.stop();
});

describe('a first deploy from a saved plan', () => {
  let planJson: string;

  test('a saved plan needs TF_VAR_rollbar_secret_token again at apply', async () => {
    report('plan', await terraform(['plan', '-out=tfplan']));
    planJson = (await plannedChanges('tfplan')).json;
    const without = await terraform(['apply', 'tfplan'], { TF_VAR_rollbar_secret_token: undefined }, false);
    expect(without.code).not.toBe(0);
    expect(without.output).toContain('No value for required variable');
    expect(without.output).toContain('must also be set during the apply phase');
    expect(fake.servicePrincipalIds()).toEqual([]);

    const apply = await terraform(['apply', 'tfplan']);
    report('apply', apply);
    expect(savedToken()).toBe(FIRST);
  });

  test("Terraform hides the Credentials step's output while it runs", () => {
    const apply = printed.find((p) => p.command === 'apply tfplan' && p.output.includes('Apply complete'))!;
    const credentialsLines = apply.output.split('\n').filter((l) => /Rollbar_Credentials_\w+ \(local-exec\):/.test(l));
    expect(credentialsLines.length).toBeGreaterThan(0);
    for (const line of credentialsLines) expect(line).toContain('(output suppressed due to sensitive, ephemeral value');
  });

  test('the saved plan, the state and every line Terraform printed hold no form of the token, nor its SHA-256', async () => {
    const state = await terraform(['show', '-json']);
    const stateFiles = readdirSync(tf.stackDir).filter((f) => f.includes('.tfstate'));
    expect(stateFiles).toContain('terraform.rollbar.tfstate');
    const leaks = [
      ...findSecretForms('terraform show -json tfplan', planJson, TOKENS),
      ...findSecretForms('terraform show -json (state)', state.stdout, TOKENS),
      ...stateFiles.flatMap((f) => findSecretForms(f, readFileSync(path.join(tf.stackDir, f), 'utf8'), TOKENS)),
      ...printed.flatMap((p) => findSecretForms(`terraform ${p.command}`, p.output, TOKENS)),
    ];
    expect(leaks).toEqual([]);
    // The scan looks where the values are: the plan does hold the token's version and the saved settings.
    expect(planJson).toContain('"secret_token_version":"1"');
  });
});

describe('rotation', () => {
  test('bumping the version replaces Credentials once: one validate and one save, of the new token', async () => {
    fake.validSecretToken = ROTATED;
    tf.secretToken = ROTATED;
    const version = { TF_VAR_rollbar_secret_token_version: '2' };
    await terraform(['plan', '-out=rotate.tfplan'], version);
    const { changes, json } = await plannedChanges('rotate.tfplan');
    expect(changes).toEqual(['terraform_data.Credentials delete+create']);
    expect(json).toContain('"secret_token_version":"2"');
    const since = mark(fake);
    report('rotate', await terraform(['apply', 'rotate.tfplan'], version));
    const { spId, jobId } = deployed();
    expect(writesSince(fake, since)).toEqual([
      `POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
      `PUT /servicePrincipals/${spId}/synchronization/secrets`,
    ]);
    expect(savedToken()).toBe(ROTATED);
  });

  test('a token changed without a bump is not saved: no change, no Graph write', async () => {
    fake.validSecretToken = UNBUMPED;
    tf.secretToken = UNBUMPED;
    const since = mark(fake);
    const apply = await terraform(['apply', '-auto-approve'], { TF_VAR_rollbar_secret_token_version: '2' });
    expect(apply.stdout).toContain('No changes.');
    expect(writesSince(fake, since)).toEqual([]);
    expect(savedToken()).toBe(ROTATED);
  });

  test("a token Rollbar rejects fails the apply with Graph's message in Terraform's error, and saves nothing", async () => {
    tf.secretToken = REJECTED;
    const since = mark(fake);
    const apply = await terraform(['apply', '-auto-approve'], { TF_VAR_rollbar_secret_token_version: '3' }, false);
    expect(apply.code).not.toBe(0);
    // Terraform wraps its error text at 80 columns.
    const error = apply.output.slice(apply.output.indexOf('Error: local-exec provisioner error')).replace(/\s+/g, ' ');
    expect(error).toContain("Error running command 'save-credentials': exit status 1. Output:");
    expect(error).toContain('Test Connection failed, nothing was saved.');
    expect(error).toContain('the SCIM endpoint answered 401 Unauthorized');
    const { spId, jobId } = deployed();
    expect(writesSince(fake, since)).toEqual([
      `POST /servicePrincipals/${spId}/synchronization/jobs/${jobId}/validateCredentials`,
    ]);
    expect(savedToken()).toBe(ROTATED);
    expect(printed.flatMap((p) => findSecretForms(`terraform ${p.command}`, p.output, TOKENS))).toEqual([]);
  });
});
