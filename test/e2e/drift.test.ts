/**
 * Plans that tell the truth, under the real terraform on one state: the first deploy converges (its next plan is
 * empty), and each drift made in the portal (a mapping edit, a paused job, a quarantined job) makes
 * `terraform plan -detailed-exitcode` exit 2 with a warning that names it, replaces only the step that repairs
 * it, and is gone after the apply.
 */
import type { FakeGraph } from '../fake-graph/server';
import { exampleStack, report, type ExampleStack, type RunResult, type Terraform } from './harness';

let example: ExampleStack;
let fake: FakeGraph;
let tf: Terraform;

beforeAll(async () => {
  example = await exampleStack('drift', { extraConfig: 'protect: false' });
  ({ fake, tf } = example);
});

afterAll(async () => {
  await example?.stop();
});

function deployed(): { spId: string; jobId: string } {
  const [spId] = fake.servicePrincipalIds();
  const [jobId] = [...fake.servicePrincipal(spId!).jobs.keys()];
  return { spId: spId!, jobId: jobId! };
}

/** `terraform plan -detailed-exitcode`: its code, what it replaces (by construct id), and its warnings. */
async function plan(): Promise<{ code: number | null; replaced: string[]; warnings: string[]; run: RunResult }> {
  const run = await tf.run(['plan', '-detailed-exitcode']);
  const replaced = [...run.stdout.matchAll(/# \S+\.Rollbar_(\w+?)_[0-9A-F]{8} must be replaced/g)].map((m) => m[1]!);
  // Terraform's warning blocks: "Warning: <summary>", then the check's error_message after the source lines.
  const warnings = run.output.split(/\n(?=\W*Warning: )/).filter((block) => /^\W*Warning: /.test(block));
  return { code: run.code, replaced: replaced.sort(), warnings, run };
}

test('first deploy: plan, apply, then the next plan is empty, with no warning', async () => {
  const first = await plan();
  expect(first.code).toBe(2);
  await tf.ok(['apply', '-auto-approve']);
  const next = await plan();
  report('no-op plan', next.run);
  expect(next.run.output).toContain('No changes.');
  expect(next.warnings).toEqual([]);
  expect(next.code).toBe(0);
});

test.each([
  [
    'a mapping edited in the portal',
    (spId: string, jobId: string) =>
      fake.editSchema(spId, jobId, (schema) => {
        const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
        const email = users?.attributeMappings?.find((m) => m.targetAttributeName === 'emails[type eq "work"].value');
        email!.source = { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] };
      }),
    ['Mappings'],
    'Rollbar attribute mappings differ from the code, and the next apply rewrites them: users emails[type eq "work"].value: [mail] → Coalesce([mail], [userPrincipalName])',
  ],
  [
    'a job paused in the portal',
    (spId: string, jobId: string) => {
      const job = fake.job(spId, jobId);
      job.schedule.state = 'Paused';
      job.status.code = 'Paused';
    },
    ['ProvisioningState'],
    'Rollbar provisioning: the job is Paused but provisioningEnabled is true: the next apply starts it',
  ],
  [
    'a job quarantined by bad credentials',
    (spId: string, jobId: string) => fake.quarantine(spId, jobId),
    ['ProvisioningState'],
    'Rollbar provisioning: the job is Active, quarantined (EncounteredQuarantineException) but provisioningEnabled is true: the next apply restarts it (resetScope QuarantineState)',
  ],
] as const)(
  '%s: plan exits 2 naming it, replaces only its step, and the apply repairs it',
  async (_name, drift, steps, warning) => {
    const { spId, jobId } = deployed();
    drift(spId, jobId);

    const drifted = await plan();
    expect(drifted.code).toBe(2);
    expect(drifted.replaced).toEqual(steps);
    expect(drifted.run.stdout).toMatch(/Plan: 1 to add, 0 to change, 1 to destroy\./);
    expect(drifted.warnings).toHaveLength(1);
    expect(drifted.warnings[0]!.replace(/\s+/g, ' ')).toContain(warning);

    await tf.ok(['apply', '-auto-approve']);
    const job = fake.job(spId, jobId);
    expect(job.schedule.state).toBe('Active');
    expect(job.status.code).not.toBe('Quarantine');

    const repaired = await plan();
    expect(repaired.warnings).toEqual([]);
    expect(repaired.code).toBe(0);
  },
);
