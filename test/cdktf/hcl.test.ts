/**
 * `cdktf synth --hcl`, HashiCorp's exit path from the archived CDKTF, read by the real terraform: the strings the
 * construct writes mean the same in HCL as in JSON, and the example stack's HCL parses. (`terraform validate` and
 * a plan of it need the providers: the real-Terraform lane, test/e2e.) Needs terraform on PATH.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformLocal, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { jsonTemplate, literal } from '../../constructs/cdktf/template-string';
import { RollbarStack } from '../../stacks/cdktf/rollbar-stack';
import { loadConfig } from '../../constructs/config';

const REPO = path.resolve(__dirname, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-hcl-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** terraform in `dir`, without the machine's CLI configuration (plugin caches, credentials). */
function terraform(dir: string, args: string[], input?: string): { code: number; stdout: string; stderr: string } {
  const config = path.join(work, 'empty.tfrc');
  if (!fs.existsSync(config)) fs.writeFileSync(config, '');
  const env = { ...process.env, TF_CLI_CONFIG_FILE: config, TF_IN_AUTOMATION: '1', NO_COLOR: '1' };
  const r = spawnSync('terraform', args, { cwd: dir, env, input, encoding: 'utf8' });
  if (r.error) throw new Error(`terraform must be on PATH for this test: ${r.error.message}`);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function writeStack(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const TEXTS = {
  quotes: 'emails[type eq "work"].value',
  backslash: 'C:\\scim\\rollbar',
  template: 'Rollbar ${prod} 100%{ok}',
  lines: 'one\ntwo\tthree',
};
const VALUE = {
  users: { attributes: { [TEXTS.quotes]: { source: 'Switch([IsSoftDeleted], , "False", "True")' } } },
  path: TEXTS.backslash,
  n: 5,
};
const TENANT = 'tenant "with" quotes \\ and ${braces}';

describe('cdktf synth --hcl and the real terraform', () => {
  test('each kind of string the construct writes evaluates to the same value from JSON and from HCL', () => {
    const stack = new TerraformStack(Testing.app(), 'probe');
    const tenant = new TerraformVariable(stack, 'tenant', { type: 'string' }).stringValue;
    const probes: Record<string, string> = {
      ...Object.fromEntries(Object.entries(TEXTS).map(([k, v]) => [k, literal(v)])),
      known: jsonTemplate(VALUE),
      withToken: jsonTemplate({ ...VALUE, tenantId: tenant }),
    };
    for (const [name, value] of Object.entries(probes)) new TerraformLocal(stack, name, value);
    const read = (dir: string): Record<string, string> => {
      const expr = `jsonencode({${Object.keys(probes)
        .map((k) => `${k} = local.${k}`)
        .join(', ')}})`;
      const r = terraform(dir, ['console', `-var=tenant=${TENANT}`], `${expr}\n`);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      return JSON.parse(JSON.parse(r.stdout.trim()) as string) as Record<string, string>;
    };

    const fromJson = read(writeStack('json', { 'main.tf.json': Testing.synth(stack) }));
    const fromHcl = read(writeStack('hcl', { 'main.tf': String(stack.toHclTerraform().hcl) }));

    expect(fromHcl).toEqual(fromJson);
    expect(fromJson).toMatchObject(TEXTS);
    expect(JSON.parse(fromJson.known!)).toEqual(VALUE);
    expect(JSON.parse(fromJson.withToken!)).toEqual({ ...VALUE, tenantId: TENANT });
  });

  test("the example stack's HCL parses, check blocks included", () => {
    const outdir = path.join(work, 'out');
    // What `cdktf synth --hcl` sets: each stack's synthesizer reads it when the stack is constructed.
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const app = new App({ outdir, hclOutput: true });
      new RollbarStack(app, 'rollbar', { config: loadConfig(path.join(REPO, 'rollbar.yaml')) });
      app.synth();
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
    const file = path.join(outdir, 'stacks', 'rollbar', 'cdk.tf');
    const hcl = fs.readFileSync(file, 'utf8');
    const r = terraform(path.dirname(file), ['fmt', '-'], hcl);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^check "Rollbar_Plan_[0-9A-F]{8}_\w+" \{$/gm)).toHaveLength(4);
    expect(r.stdout).toMatch(/^\s+interpreter = \[$/m);
  });
});
