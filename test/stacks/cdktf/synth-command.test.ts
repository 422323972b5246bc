/**
 * `npm run synth:cdktf` as a user runs it on a fresh clone: no terraform on PATH, no network, the token in the
 * environment only. Then the whole output directory is scanned.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationAppRoleA } from '@cdktf/provider-azuread/lib/application-app-role';
import { ApplicationFromTemplate } from '@cdktf/provider-azuread/lib/application-from-template';
import { DataAzureadApplicationTemplate } from '@cdktf/provider-azuread/lib/data-azuread-application-template';
import { SynchronizationJob } from '@cdktf/provider-azuread/lib/synchronization-job';
import { ExternalData } from '../../../constructs/cdktf/external-data';
import { TerraformData } from '../../../constructs/cdktf/terraform-data';
import { roleId } from '../../../constructs/core';
import { main } from '../../../stacks/cdktf/main';
import { loadConfig } from '../../../constructs/config';
import { captureOutput, type CapturedRun } from '../../capture-output';
import type { TerraformJson } from '../../cdktf/fixtures';
import '../../cdktf/matchers';

const REPO = path.resolve(__dirname, '..', '..', '..');
// Distinctive, so that finding it anywhere in the output can only mean it leaked there.
const SECRET = 'rbr-scim-LEAKCHECK-7c1e9f04d2b8a6';

/** PATH without any directory that holds terraform; node and npm stay reachable through a shim directory. */
function pathWithoutTerraform(shims: string): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const kept: string[] = [shims];
  for (const dir of dirs) {
    if (!fs.existsSync(path.join(dir, 'terraform'))) {
      kept.push(dir);
      continue;
    }
    for (const tool of ['node', 'npm', 'npx']) {
      const from = path.join(dir, tool);
      const to = path.join(shims, tool);
      if (fs.existsSync(from) && !fs.existsSync(to)) fs.symlinkSync(from, to);
    }
  }
  return kept.join(path.delimiter);
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

function run(args: { outdir: string; env: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync('npm', ['run', '--silent', 'synth:cdktf'], {
    cwd: REPO,
    encoding: 'utf8',
    env: {
      ...args.env,
      CDKTF_OUTDIR: args.outdir,
      TF_VAR_rollbar_secret_token: SECRET,
    },
  });
}

describe('npm run synth:cdktf on a machine without terraform', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-cdktf-synth-'));
  const shims = path.join(work, 'bin');
  fs.mkdirSync(shims);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutTerraform(shims) };
  delete env.ROLLBAR_CONFIG;
  delete env.CHECKPOINT_DISABLE;
  const outdir = path.join(work, 'out');
  let result: SpawnSyncReturns<string>;
  let stackFile: string;

  beforeAll(() => {
    result = run({ outdir, env });
    stackFile = path.join(outdir, 'stacks', 'rollbar', 'cdk.tf.json');
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('really has no terraform to find', () => {
    expect(spawnSync('sh', ['-c', 'command -v terraform'], { env }).status).not.toBe(0);
  });

  it('writes cdktf.out/stacks/rollbar/cdk.tf.json from rollbar.yaml and exits 0, quietly', () => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/telemetry|checkpoint|ENOTFOUND|terraform/i);
    expect(fs.existsSync(stackFile)).toBe(true);
  });

  it('declares every piece of the README scenario', () => {
    const config = loadConfig(path.join(REPO, 'rollbar.yaml'));
    const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as TerraformJson;
    expect(stackFile).toHaveDataSourceWithProperties(DataAzureadApplicationTemplate, { display_name: 'Rollbar' });
    expect(stackFile).toHaveResource(ApplicationFromTemplate);
    for (const role of config.roles ?? []) {
      expect(stackFile).toHaveResourceWithProperties(ApplicationAppRoleA, {
        value: role.value,
        role_id: roleId(role.value),
      });
    }
    expect(Object.keys(json.resource.azuread_application_app_role ?? {})).toHaveLength(config.roles?.length ?? 1);
    const assignments = Object.values(json.resource.azuread_app_role_assignment ?? {});
    expect(assignments).toHaveLength(1);
    const forEach = assignments[0]!.for_each as Record<string, { role_id: string }>;
    expect(Object.keys(forEach).sort()).toEqual(Object.keys(config.assignments ?? {}).sort());
    for (const [key, entry] of Object.entries(forEach)) {
      expect(entry.role_id).toMatch(
        new RegExp(
          `^\\$\\{azuread_application_app_role\\.Rollbar_Role-${config.assignments![key]!.role}_\\w+\\.role_id\\}$`,
        ),
      );
    }
    expect(stackFile).toHaveResource(AppRoleAssignment);
    expect(stackFile).toHaveResourceWithProperties(SynchronizationJob, {
      service_principal_id: expect.stringMatching(/\.service_principal_id\}$/),
      enabled: false,
      lifecycle: { ignore_changes: ['enabled', 'template_id'] },
    });
    expect(stackFile).toHaveDataSourceWithProperties(ExternalData, {
      program: expect.arrayContaining(['graph', 'plan']),
    });
    const steps = json.resource.terraform_data ?? {};
    const credentials = Object.keys(steps).find((n) => n.startsWith('Rollbar_Credentials_'))!;
    const assignment = Object.keys(json.resource.azuread_app_role_assignment ?? {})[0]!;
    expect(stackFile).toHaveResourceWithProperties(TerraformData, {
      depends_on: expect.arrayContaining([
        `azuread_app_role_assignment.${assignment}`,
        `terraform_data.${credentials}`,
      ]),
    });
    expect(json.variable?.rollbar_secret_token).toMatchObject({ sensitive: true, type: 'string' });
  });

  it('ships the CLI in the output, where Terraform finds it relative to the stack', () => {
    const bundles = files(path.join(outdir, 'stacks', 'rollbar', 'assets')).filter((f) =>
      f.endsWith('rollbar-provisioning.cjs'),
    );
    expect(bundles).toHaveLength(1);
    const relative = path
      .relative(path.join(outdir, 'stacks', 'rollbar'), bundles[0]!)
      .split(path.sep)
      .join('/');
    expect(fs.readFileSync(stackFile, 'utf8')).toContain(`\${path.module}/${relative}`);
  });

  it('writes no absolute path of this machine and no secret anywhere under the output directory', () => {
    const forbidden = [REPO, `${os.tmpdir()}/`, work, '/tmp/', '/root/', '/home/', SECRET];
    const all = files(outdir);
    expect(all.length).toBeGreaterThanOrEqual(3);
    for (const file of all) {
      const text = fs.readFileSync(file, 'latin1');
      for (const needle of forbidden) {
        if (text.includes(needle)) throw new Error(`${path.relative(outdir, file)} contains '${needle}'`);
      }
    }
  });

  it('keeps the state in the stack directory when the output is outside the project', () => {
    const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as TerraformJson;
    expect(json.terraform).toMatchObject({ backend: { local: { path: 'terraform.rollbar.tfstate' } } });
  });

  it('prints a bad configuration readably, without a stack trace, and exits 1', async () => {
    const bad = path.join(work, 'bad.yaml');
    fs.writeFileSync(
      bad,
      [
        'roles:',
        '  - value: User',
        'assignments:',
        '  jane-doe:',
        '    principalObjectId: 22222222-2222-4222-8222-222222222222',
        '    principalType: User',
        '    role: msiam_access',
      ].join('\n'),
    );
    // In this process, through the same main the command runs (its success path ran as a process above).
    const saved = { config: process.env.ROLLBAR_CONFIG, outdir: process.env.CDKTF_OUTDIR };
    process.env.ROLLBAR_CONFIG = bad;
    process.env.CDKTF_OUTDIR = path.join(work, 'bad-out');
    let failed: CapturedRun;
    try {
      failed = await captureOutput(() => main([]));
    } finally {
      restoreEnv('ROLLBAR_CONFIG', saved.config);
      restoreEnv('CDKTF_OUTDIR', saved.outdir);
    }
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('[DEFAULT_ACCESS_ROLE] assignments.jane-doe.role must');
    expect(failed.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(path.join(work, 'bad-out', 'stacks'))).toBe(false);
  });

  it('gives each tenant of the two-tenant example its own state, and rollbar.yaml the same as before', async () => {
    const backendOf = async (config: string): Promise<unknown> => {
      const saved = { config: process.env.ROLLBAR_CONFIG, outdir: process.env.CDKTF_OUTDIR };
      const outdir = path.join(work, `out-${path.basename(config, '.yaml')}`);
      process.env.ROLLBAR_CONFIG = config;
      process.env.CDKTF_OUTDIR = outdir;
      try {
        expect((await captureOutput(() => main([]))).code).toBe(0);
      } finally {
        restoreEnv('ROLLBAR_CONFIG', saved.config);
        restoreEnv('CDKTF_OUTDIR', saved.outdir);
      }
      const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'rollbar', 'cdk.tf.json'), 'utf8')) as {
        terraform: { backend: unknown };
      };
      return json.terraform.backend;
    };
    const [contoso, fabrikam] = [
      await backendOf('examples/two-tenants/contoso.yaml'),
      await backendOf('examples/two-tenants/fabrikam.yaml'),
    ];
    expect(contoso).not.toEqual(fabrikam);
    expect(contoso).toEqual({
      local: { path: expect.stringMatching(/terraform\.rollbar-examples-two-tenants-contoso\.tfstate$/) },
    });
    // The default configuration: the previous release's state file (its synth above ran as a process).
    const json = JSON.parse(fs.readFileSync(stackFile, 'utf8')) as { terraform: { backend: unknown } };
    expect(json.terraform.backend).toEqual({
      local: { path: expect.stringMatching(/(^|\/)terraform\.rollbar\.tfstate$/) },
    });
  });
});
