/**
 * The RAW CDKTF baseline: the same resources as the construct, written by hand with the provider classes and
 * cdktf's generic resource/data-source classes (no validation, no model, no naming module), as a careful
 * Terraform user would: ONE `azuread_app_role_assignment` with `for_each` over the same map, the job, the
 * `external` reads and `terraform_data` steps that run the same CLI bundle, copied with a `TerraformAsset`.
 * The bundle's path comes from the harness (built once up front), so the baseline does not locate it.
 *
 * Each for_each entry refers to its role's `role_id`. `BENCH_ROLE_REFS=strings` (the baseline) writes that
 * reference as plain `${…role_id}` text, as the construct does, so that construct/raw measures the abstraction
 * alone; `tokens` writes `role.roleId`, the idiomatic cdktf token, which cdktf resolves once per entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationAppRoleA } from '@cdktf/provider-azuread/lib/application-app-role';
import { ApplicationFromTemplate } from '@cdktf/provider-azuread/lib/application-from-template';
import { DataAzureadApplicationTemplate } from '@cdktf/provider-azuread/lib/data-azuread-application-template';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SynchronizationJob } from '@cdktf/provider-azuread/lib/synchronization-job';
import {
  App,
  AssetType,
  Fn,
  Op,
  TerraformAsset,
  TerraformDataSource,
  TerraformIterator,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Token,
  type ITerraformDependable,
} from 'cdktf';
import { roleId } from '../../constructs/core/role-id';
import { runCase, timed } from '../child';
import { BENCH_MAPPINGS, BENCH_ROLES, BENCH_SETTINGS, benchAssignments } from '../spec';
import { countTerraformResources } from './terraform-json';

/** Set by the harness: the CLI bundle it built once, before timing. */
const CLI_BUNDLE = process.env.BENCH_CLI_BUNDLE;
const ROLE_REFS = process.env.BENCH_ROLE_REFS === 'tokens' ? 'tokens' : 'strings';

function roleReference(role: ApplicationAppRoleA): string {
  return ROLE_REFS === 'tokens'
    ? role.roleId
    : `\${${ApplicationAppRoleA.tfResourceType}.${role.friendlyUniqueId}.role_id}`;
}

function external(stack: TerraformStack, id: string, script: string, args: string[], query: Record<string, string>) {
  const data = new TerraformDataSource(stack, id, { terraformResourceType: 'external' });
  data.addOverride('program', ['node', script, ...args]);
  data.addOverride('query', query);
  return (key: string): string => Token.asString(data.interpolationForAttribute(`result.${key}`));
}

function step(
  stack: TerraformStack,
  id: string,
  command: string,
  environment: Record<string, string>,
  triggers: Record<string, unknown>,
  dependsOn?: ITerraformDependable[],
): TerraformResource {
  const resource = new TerraformResource(stack, id, {
    terraformResourceType: 'terraform_data',
    ...(dependsOn && { dependsOn }),
    provisioners: [{ type: 'local-exec', command, environment }],
  });
  resource.addOverride('triggers_replace', triggers);
  return resource;
}

runCase(({ n, outdir }) => {
  if (CLI_BUNDLE === undefined) throw new Error('BENCH_CLI_BUNDLE is not set: run this case through bench/run.ts');
  const assignments = benchAssignments(n);
  const { value: app, ms: construct } = timed(() => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'rollbar');
    new AzureadProvider(stack, 'azuread', {});
    stack.addOverride('terraform.required_providers.external', { source: 'hashicorp/external', version: '2.3.5' });
    const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
    token.addOverride('ephemeral', true);

    const tenantId = new DataAzureadClientConfig(stack, 'client_config').tenantId;
    const template = new DataAzureadApplicationTemplate(stack, 'template', { displayName: 'Rollbar' });
    const application = new ApplicationFromTemplate(stack, 'application', {
      displayName: 'Rollbar',
      templateId: template.templateId,
      lifecycle: { preventDestroy: true },
    });
    const roles = BENCH_ROLES.map(
      (role) =>
        new ApplicationAppRoleA(stack, `role_${role.value}`, {
          applicationId: application.applicationId,
          roleId: roleId(role.value),
          value: role.value,
          displayName: role.displayName,
          description: role.description,
          allowedMemberTypes: ['User'],
        }),
    );
    const roleIdByValue = new Map<string, string>(BENCH_ROLES.map((role, i) => [role.value, roleReference(roles[i]!)]));

    const entries: Record<string, { principal_object_id: string; role_id: string }> = {};
    for (const [key, a] of Object.entries(assignments)) {
      entries[key] = { principal_object_id: a.principalObjectId, role_id: roleIdByValue.get(a.role)! };
    }
    const each = TerraformIterator.fromMap(entries);
    const assignment = new AppRoleAssignment(stack, 'assignments', {
      forEach: each,
      appRoleId: each.getString('role_id'),
      principalObjectId: each.getString('principal_object_id'),
      resourceObjectId: application.servicePrincipalObjectId,
      dependsOn: roles,
    });

    const cli = new TerraformAsset(stack, 'cli', { path: CLI_BUNDLE, type: AssetType.FILE });
    const script = `\${path.module}/${cli.path}`;
    const spId = application.servicePrincipalId;
    const mappings = JSON.stringify(BENCH_MAPPINGS);
    const plan = external(stack, 'plan', script, ['graph', 'plan'], {
      servicePrincipalId: spId,
      tenantId,
      enabled: 'true',
      mappings,
    });
    const templateId = plan('templateId');
    for (const [concern, field, message] of [
      ['mappings', 'mappingsInSync', 'drift'],
      ['provisioning', 'jobOk', 'jobDrift'],
    ] as const) {
      stack.addOverride(`check.plan_${concern}`, {
        assert: [{ condition: Token.asString(Op.eq(plan(field), 'true')), error_message: `Rollbar: ${plan(message)}` }],
      });
    }
    for (const field of ['deletions', 'readError']) {
      stack.addOverride(`check.plan_${field}`, {
        assert: [{ condition: Token.asString(Op.lt(Fn.lengthOf(plan(field)), 1)), error_message: plan(field) }],
      });
    }
    const job = new SynchronizationJob(stack, 'job', {
      servicePrincipalId: spId,
      templateId,
      enabled: false,
      lifecycle: { ignoreChanges: ['enabled', 'template_id'] },
    });
    const jobId = Token.asString(Fn.element(Fn.split('/', job.id), 5));
    const target = `"jobId":${Fn.jsonencode(jobId)},"servicePrincipalId":${Fn.jsonencode(spId)},"tenantId":${Fn.jsonencode(tenantId)}`;
    const settings = JSON.stringify(BENCH_SETTINGS);

    const credentials = step(
      stack,
      'credentials',
      `node "${script}" graph save-credentials`,
      {
        ROLLBAR_INPUT: `{${target},"settings":${settings},"test":true}`,
        ROLLBAR_SECRET_TOKEN: token.stringValue,
      },
      { secret_token_version: '1', settings, job_id: job.id, test_connection: true },
    );
    const mappingsStep = step(
      stack,
      'mappings',
      `node "${script}" graph apply-mappings`,
      { ROLLBAR_INPUT: `{${target},"mappings":${mappings}}` },
      {
        mappings,
        desired_digest: plan('desiredDigest'),
        job_id: job.id,
        live_schema: Token.asString(
          Fn.conditional(
            Op.eq(plan('mappingsInSync'), 'true'),
            'in sync',
            Fn.replace(Fn.timestamp(), '/.*/', 'in sync'),
          ),
        ),
      },
      [credentials],
    );
    step(
      stack,
      'provisioning_state',
      `node "${script}" graph set-provisioning`,
      { ROLLBAR_INPUT: `{"enabled":true,${target}}` },
      {
        enabled: true,
        job_id: job.id,
        job_state: Token.asString(
          Fn.conditional(Op.eq(plan('jobOk'), 'true'), 'ok', Fn.replace(Fn.timestamp(), '/.*/', 'ok')),
        ),
      },
      [assignment, credentials, mappingsStep],
    );
    return app;
  });
  const { ms: synth } = timed(() => app.synth());
  const text = fs.readFileSync(path.join(outdir, 'stacks', 'rollbar', 'cdk.tf.json'), 'utf8');
  return { resources: countTerraformResources(text), outputBytes: text.length, phases: { construct, synth } };
});
