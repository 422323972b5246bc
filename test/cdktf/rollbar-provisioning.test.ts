import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationAppRoleA } from '@cdktf/provider-azuread/lib/application-app-role';
import { ApplicationFromTemplate } from '@cdktf/provider-azuread/lib/application-from-template';
import { DataAzureadApplication } from '@cdktf/provider-azuread/lib/data-azuread-application';
import { DataAzureadApplicationTemplate } from '@cdktf/provider-azuread/lib/data-azuread-application-template';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { SynchronizationJob } from '@cdktf/provider-azuread/lib/synchronization-job';
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { RollbarProvisioning } from '../../constructs/cdktf';
import { ExternalData } from '../../constructs/cdktf/external-data';
import { TerraformData } from '../../constructs/cdktf/terraform-data';
import { RollbarProvisioningError, roleId } from '../../constructs/core';
import {
  ADOPTED_SP,
  address,
  block,
  build,
  evaluateLiterals,
  GROUP_B,
  smallSpec,
  synth,
  TEMPLATE_GUID,
  USER_A,
  type TerraformJson,
} from './fixtures';
import './matchers';

const APP = 'azuread_application_from_template';
const TOKEN = 'var.rollbar_secret_token';
const CLI = expect.stringMatching(
  /^\$\{path\.module\}\/assets\/Rollbar_Cli_[0-9A-F]{8}\/[0-9A-F]{32}\/rollbar-provisioning\.cjs$/,
);

/** The CLI input a step passes in ROLLBAR_INPUT, with each `${jsonencode(x)}` replaced by the string `<x>`. */
function stepInput(step: Record<string, unknown>): Record<string, unknown> {
  const env = localExec(step).environment as Record<string, string>;
  const json = evaluateLiterals(env.ROLLBAR_INPUT!).replace(/\$\{jsonencode\((.*?)\)\}/g, (_m, e: string) =>
    JSON.stringify(`<${e}>`),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

/** What Terraform would see for each value: the synthesized expressions of outputs that hold them. */
function resolveAll(stack: TerraformStack, values: Record<string, string>): Record<string, unknown> {
  for (const [name, value] of Object.entries(values)) new TerraformOutput(stack, `probe_${name}`, { value });
  const outputs = (JSON.parse(Testing.synth(stack)) as TerraformJson).output ?? {};
  return Object.fromEntries(Object.keys(values).map((name) => [name, outputs[`probe_${name}`]?.value]));
}

function localExec(step: Record<string, unknown>): Record<string, unknown> {
  const provisioners = step.provisioner as Record<string, Record<string, unknown>>[];
  expect(provisioners).toHaveLength(1);
  return provisioners[0]!['local-exec']!;
}

describe('RollbarProvisioning: the pieces, in the shape of DESIGN.md', () => {
  const out = synth({
    ...smallSpec(),
    notification: { email: 'identity-ops@example.com' },
    provisioningEnabled: true,
  });
  const json = JSON.parse(out) as TerraformJson;
  const app = block(json, 'resource', APP, 'Application');
  const appRef = (attribute: string): string => `\${${address('resource', APP, app.name)}.${attribute}}`;
  const tenantExpr = `data.azuread_client_config.${block(json, 'data', 'azuread_client_config', 'ClientConfig').name}.tenant_id`;
  const tenant = `<${tenantExpr}>`;
  const job = block(json, 'resource', 'azuread_synchronization_job', 'Job');
  const jobId = `\${${address('resource', 'azuread_synchronization_job', job.name)}.id}`;
  const credentials = block(json, 'resource', 'terraform_data', 'Credentials');
  const state = block(json, 'resource', 'terraform_data', 'ProvisioningState');
  const plan = block(json, 'data', 'external', 'Plan');
  const result = (key: string): string => `data.external.${plan.name}.result.${key}`;

  it('looks the gallery template up by its display name, Rollbar', () => {
    expect(out).toHaveDataSourceWithProperties(DataAzureadApplicationTemplate, { display_name: 'Rollbar' });
  });

  it('reads the tenant id from azuread_client_config', () => {
    expect(out).toHaveDataSource(DataAzureadClientConfig);
  });

  it('instantiates the app from the template, protected from destruction by default', () => {
    const template = block(json, 'data', 'azuread_application_template', 'Template');
    expect(out).toHaveResourceWithProperties(ApplicationFromTemplate, {
      display_name: 'Rollbar',
      template_id: `\${data.azuread_application_template.${template.name}.template_id}`,
      lifecycle: { prevent_destroy: true },
    });
  });

  it.each([
    ['User', 'User', 'User role for Rollbar provisioning'],
    ['Admin', 'Administrator', 'Administrator role for Rollbar provisioning'],
  ])(
    'creates the app role %s with role_id = roleId(value) on the /applications/{oid} id',
    (value, name, description) => {
      expect(out).toHaveResourceWithProperties(ApplicationAppRoleA, {
        application_id: appRef('application_id'),
        role_id: roleId(value),
        value,
        display_name: name,
        description,
        allowed_member_types: ['User'],
      });
      expect(block(json, 'resource', 'azuread_application_app_role', `Role-${value}`).body.role_id).toBe(roleId(value));
    },
  );

  it('assigns with ONE for_each resource keyed by assignment key, each entry referencing its role resource', () => {
    const roleRef = (value: string): string =>
      `\${azuread_application_app_role.${block(json, 'resource', 'azuread_application_app_role', `Role-${value}`).name}.role_id}`;
    expect(Object.keys(json.resource.azuread_app_role_assignment ?? {})).toHaveLength(1);
    expect(out).toHaveResourceWithProperties(AppRoleAssignment, {
      for_each: {
        'alice-doe': { principal_object_id: USER_A, role_id: roleRef('Admin') },
        'platform-team': { principal_object_id: GROUP_B, role_id: roleRef('User') },
      },
      app_role_id: '${each.value.role_id}',
      principal_object_id: '${each.value.principal_object_id}',
      resource_object_id: appRef('service_principal_object_id'),
    });
  });

  it('makes the assignments depend on every role resource, so that a role exists before it is assigned', () => {
    const assignments = block(json, 'resource', 'azuread_app_role_assignment', 'Assignments');
    const roles = Object.keys(json.resource.azuread_application_app_role ?? {}).map((n) =>
      address('resource', 'azuread_application_app_role', n),
    );
    expect(roles).toHaveLength(2);
    expect(assignments.body.depends_on).toEqual(expect.arrayContaining(roles));
  });

  it('creates the job disabled, on the /servicePrincipals/{oid} id, ignoring enabled and template_id', () => {
    expect(out).toHaveResourceWithProperties(SynchronizationJob, {
      service_principal_id: appRef('service_principal_id'),
      template_id: `\${${result('templateId')}}`,
      enabled: false,
      lifecycle: { ignore_changes: ['enabled', 'template_id'] },
    });
  });

  it('reads Graph once at plan time with the CLI shipped in the stack output (graph plan), no job id given', () => {
    expect(Object.keys(json.data?.external ?? {})).toEqual([plan.name]);
    expect(out).toHaveDataSourceWithProperties(ExternalData, {
      program: ['node', CLI, 'graph', 'plan'],
      query: {
        servicePrincipalId: appRef('service_principal_id'),
        tenantId: `\${${tenantExpr}}`,
        enabled: 'true',
      },
    });
  });

  it('names each drift in a check block: the job state, a TooManyDeletes quarantine, a failed read', () => {
    const checks = (json as { check?: Record<string, { assert: Record<string, string>[] }> }).check ?? {};
    expect(Object.keys(checks).sort()).toEqual(
      ['deletions', 'graph_read', 'provisioning'].map((concern) => `${plan.name}_${concern}`),
    );
    expect(checks[`${plan.name}_provisioning`]?.assert).toEqual([
      {
        condition: `\${(${result('jobOk')} == "true")}`,
        error_message: `Rollbar provisioning: \${${result('jobDrift')}}`,
      },
    ]);
    expect(checks[`${plan.name}_deletions`]?.assert[0]?.condition).toBe(`\${(length(${result('deletions')}) < 1)}`);
    expect(checks[`${plan.name}_graph_read`]?.assert[0]?.error_message).toContain(`\${${result('readError')}}`);
  });

  it('pins the external provider exactly', () => {
    expect(json.terraform).toMatchObject({
      required_providers: { external: { source: 'hashicorp/external', version: '2.3.5' } },
    });
  });

  it('saves the credentials with graph save-credentials, re-run by the token version, the saved settings, the job or the test flag', () => {
    expect(out).toHaveResourceWithProperties(TerraformData, {
      triggers_replace: {
        secret_token_version: '1',
        // Each value is a Terraform string literal (`${"…"}`) of what Graph receives.
        settings: {
          SkipOutOfScopeDeletions: expect.stringContaining('False'),
          SyncAll: expect.stringContaining('false'),
          SyncNotificationSettings: expect.stringContaining('identity-ops@example.com'),
        },
        job_id: jobId,
        test_connection: true,
      },
    });
    // What Graph receives, key by key (the upgrade re-runs the step once anyway: its trigger keys changed).
    const settings = (credentials.body.triggers_replace as Record<string, Record<string, string>>).settings!;
    expect(Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, evaluateLiterals(v)]))).toEqual({
      SkipOutOfScopeDeletions: 'False',
      SyncAll: 'false',
      SyncNotificationSettings:
        '{"Enabled":true,"Recipients":"identity-ops@example.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}',
    });
    // No shell: node runs the bundle, Terraform appends the command word.
    expect(localExec(credentials.body)).toMatchObject({
      interpreter: ['node', CLI, 'graph'],
      command: 'save-credentials',
    });
    expect(localExec(credentials.body).when).toBeUndefined();
  });

  it('takes a changed secretTokenVersion into the trigger, and nothing of the token', () => {
    const { stack } = build({ ...smallSpec(), secretTokenVersion: '2026-12-01' });
    const step = block(JSON.parse(Testing.synth(stack)) as TerraformJson, 'resource', 'terraform_data', 'Credentials');
    expect(step.body.triggers_replace).toMatchObject({ secret_token_version: '2026-12-01' });
    expect(JSON.stringify(step.body.triggers_replace)).not.toContain('rollbar_secret_token');
  });

  it('passes every input but the token as JSON in ROLLBAR_INPUT, with the tenant id of azuread_client_config', () => {
    expect(stepInput(credentials.body)).toEqual({
      servicePrincipalId: `<${appRef('service_principal_id').slice(2, -1)}>`,
      jobId: `<element(split("/", ${jobId.slice(2, -1)}), 5)>`,
      tenantId: tenant,
      settings: {
        accidentalDeletionThreshold: 500,
        notification: { email: 'identity-ops@example.com', sendOnFailure: true },
        scope: 'assignedOnly',
        skipOutOfScopeDeletions: false,
      },
      test: true,
    });
  });

  it('hands the token over only as ROLLBAR_SECRET_TOKEN in the provisioner environment, as it is (no nonsensitive())', () => {
    const env = localExec(credentials.body).environment as Record<string, string>;
    expect(env.ROLLBAR_SECRET_TOKEN).toBe(`\${${TOKEN}}`);
    expect(out).not.toContain('nonsensitive');
    expect(out).not.toContain('sha256');
    // The variable is referenced by the environment alone: an ephemeral value may go nowhere else.
    expect(out.split(TOKEN).length - 1).toBe(1);
  });

  it('turns provisioning on last, after the assignments and the credentials', () => {
    const assignments = block(json, 'resource', 'azuread_app_role_assignment', 'Assignments');
    expect(state.body.depends_on).toEqual([
      address('resource', 'azuread_app_role_assignment', assignments.name),
      address('resource', 'terraform_data', credentials.name),
    ]);
    expect(localExec(state.body)).toMatchObject({ interpreter: ['node', CLI, 'graph'], command: 'set-provisioning' });
    expect(stepInput(state.body)).toMatchObject({ enabled: true, tenantId: tenant });
  });

  it("re-runs the provisioning step on job-state drift alone, not on the other steps' replacement", () => {
    expect(state.body.triggers_replace).toEqual({
      enabled: true,
      job_id: jobId,
      job_state: `\${(${result('jobOk')} == "true") ? "ok" : replace(timestamp(), "/.*/", "ok")}`,
    });
  });

  it('declares no destroy-time action', () => {
    expect(out).not.toContain('"when"');
  });

  it('exposes the ids as references to the resources', () => {
    const { stack, rollbar } = build();
    const ids = resolveAll(stack, {
      applicationObjectId: rollbar.applicationObjectId,
      servicePrincipalId: rollbar.servicePrincipalId,
      servicePrincipalObjectId: rollbar.servicePrincipalObjectId,
      synchronizationJobId: rollbar.synchronizationJobId,
      admin: rollbar.appRoleIds.Admin!,
    });
    expect(ids).toEqual({
      applicationObjectId: appRef('application_object_id'),
      servicePrincipalId: appRef('service_principal_id'),
      servicePrincipalObjectId: appRef('service_principal_object_id'),
      synchronizationJobId: `\${element(split("/", ${jobId.slice(2, -1)}), 5)}`,
      admin: `\${azuread_application_app_role.${block(json, 'resource', 'azuread_application_app_role', 'Role-Admin').name}.role_id}`,
    });
    expect(Object.keys(rollbar.appRoleIds).sort()).toEqual(['Admin', 'User']);
  });
});

describe('RollbarProvisioning: options that remove or change pieces', () => {
  it('with applicationTemplateId, looks nothing up and instantiates that template', () => {
    const out = synth({ ...smallSpec(), applicationTemplateId: TEMPLATE_GUID });
    expect(out).not.toHaveDataSource(DataAzureadApplicationTemplate);
    expect(out).toHaveResourceWithProperties(ApplicationFromTemplate, { template_id: TEMPLATE_GUID });
  });

  it('with syncTemplateId, creates the job from it and tells the plan-time read not to look one up', () => {
    const out = synth({ ...smallSpec(), syncTemplateId: 'rollbar' });
    expect(out).toHaveResourceWithProperties(SynchronizationJob, { template_id: 'rollbar' });
    expect(out).toHaveDataSourceWithProperties(ExternalData, {
      query: expect.objectContaining({ syncTemplateId: 'rollbar' }),
    });
  });

  it('with protect: false, lets the application be destroyed', () => {
    const json = JSON.parse(synth({ ...smallSpec(), protect: false })) as TerraformJson;
    expect(block(json, 'resource', APP, 'Application').body.lifecycle).toBeUndefined();
  });

  it('with provisioningEnabled: false, pauses instead of starting', () => {
    const json = JSON.parse(synth({ ...smallSpec(), provisioningEnabled: false })) as TerraformJson;
    const state = block(json, 'resource', 'terraform_data', 'ProvisioningState').body;
    expect(stepInput(state)).toMatchObject({ enabled: false });
    expect(state.triggers_replace).toMatchObject({ enabled: false });
  });

  it('with testConnection: false, saves without testing, and says so in the triggers', () => {
    const json = JSON.parse(synth({ ...smallSpec(), testConnection: false })) as TerraformJson;
    const credentials = block(json, 'resource', 'terraform_data', 'Credentials').body;
    expect(stepInput(credentials)).toMatchObject({ test: false });
    expect(credentials.triggers_replace).toMatchObject({ test_connection: false });
  });

  it('with no assignments, keeps the one assignment resource with an empty for_each', () => {
    const out = synth({ roles: [{ value: 'User' }] });
    expect(out).toHaveResourceWithProperties(AppRoleAssignment, { for_each: {} });
  });

  it('escapes template sequences in user text, which Terraform would otherwise evaluate', () => {
    const out = synth({ displayName: 'Rollbar ${prod}', roles: [{ value: 'User', description: '100%{ok}' }] });
    expect(out).toHaveResourceWithProperties(ApplicationFromTemplate, { display_name: 'Rollbar $${prod}' });
    expect(out).toHaveResourceWithProperties(ApplicationAppRoleA, { description: '100%%{ok}' });
  });

  it('applies a given provider to every azuread resource and data source', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const provider = new AzureadProvider(stack, 'other', { alias: 'other' });
    const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
    new RollbarProvisioning(stack, 'Rollbar', { ...smallSpec(), secretToken: token.stringValue, provider });
    const json = JSON.parse(Testing.synth(stack)) as TerraformJson;
    const azuread = [
      ...Object.entries(json.resource).filter(([type]) => type.startsWith('azuread_')),
      ...Object.entries(json.data ?? {}).filter(([type]) => type.startsWith('azuread_')),
    ].flatMap(([, blocks]) => Object.values(blocks));
    expect(azuread.length).toBeGreaterThan(5);
    for (const body of azuread) expect(body.provider).toBe('azuread.other');
  });
});

describe('RollbarProvisioning: validation at construction time', () => {
  function construct(props: Partial<Parameters<typeof build>[0]> & { secretToken?: string }): {
    error: unknown;
    stack: TerraformStack;
  } {
    const stack = new TerraformStack(Testing.app(), 'test');
    try {
      new RollbarProvisioning(stack, 'Rollbar', { ...smallSpec(), secretToken: '', ...props });
      return { error: undefined, stack };
    } catch (error) {
      return { error, stack };
    }
  }

  it('rejects a literal token with SECRET_TOKEN_LITERAL, without showing it', () => {
    const { error, stack } = construct({ secretToken: 'rollbar-literal-token-5f3a9c' });
    expect(error).toBeInstanceOf(RollbarProvisioningError);
    expect((error as RollbarProvisioningError).codes).toEqual(['SECRET_TOKEN_LITERAL']);
    expect((error as Error).message).not.toContain('rollbar-literal-token-5f3a9c');
    expect(stack.node.tryFindChild('Rollbar')?.node.children ?? []).toHaveLength(0);
  });

  it.each(['msiam_access', 'Default Access', '00000000-0000-0000-0000-000000000000'])(
    'rejects an assignment of Default Access (%s) with DEFAULT_ACCESS_ROLE',
    (role) => {
      const stack = new TerraformStack(Testing.app(), 'test');
      const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
      const { error } = construct({
        secretToken: token.stringValue,
        assignments: { 'alice-doe': { principalObjectId: USER_A, principalType: 'User', role } },
      });
      expect(error).toBeInstanceOf(RollbarProvisioningError);
      expect((error as RollbarProvisioningError).codes).toEqual(['DEFAULT_ACCESS_ROLE']);
    },
  );

  it('reports every problem in one error', () => {
    const { error } = construct({
      secretToken: 'rollbar-literal-token-5f3a9c',
      assignments: { 'alice-doe': { principalObjectId: USER_A, principalType: 'User', role: 'msiam_access' } },
    });
    expect((error as RollbarProvisioningError).codes.sort()).toEqual(['DEFAULT_ACCESS_ROLE', 'SECRET_TOKEN_LITERAL']);
  });

  it('accepts Terraform tokens where it cannot check the value (a principal from a data source)', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
    const principal = new TerraformVariable(stack, 'principal', { type: 'string' });
    new RollbarProvisioning(stack, 'Rollbar', {
      secretToken: token.stringValue,
      assignments: { 'alice-doe': { principalObjectId: principal.stringValue, principalType: 'User', role: 'User' } },
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(AppRoleAssignment, {
      for_each: { 'alice-doe': expect.objectContaining({ principal_object_id: '${var.principal}' }) },
    });
  });
});

describe('RollbarProvisioning: adopting an existing service principal', () => {
  const out = synth({ ...smallSpec(), existingServicePrincipalObjectId: ADOPTED_SP });
  const json = JSON.parse(out) as TerraformJson;
  const existingApp = block(json, 'data', 'azuread_application', 'ExistingApplication');
  const existingSp = block(json, 'data', 'azuread_service_principal', 'ExistingServicePrincipal');

  it('instantiates nothing and looks no gallery template up', () => {
    expect(out).not.toHaveResource(ApplicationFromTemplate);
    expect(out).not.toHaveDataSource(DataAzureadApplicationTemplate);
  });

  it('reads the service principal, and its application by the client id they share', () => {
    expect(out).toHaveDataSourceWithProperties(DataAzureadServicePrincipal, { object_id: ADOPTED_SP });
    expect(out).toHaveDataSourceWithProperties(DataAzureadApplication, {
      client_id: `\${data.azuread_service_principal.${existingSp.name}.client_id}`,
    });
  });

  it('attaches the roles, assignments, job and steps to that app', () => {
    expect(out).toHaveResourceWithProperties(ApplicationAppRoleA, {
      application_id: `/applications/\${data.azuread_application.${existingApp.name}.object_id}`,
      role_id: roleId('User'),
    });
    expect(out).toHaveResourceWithProperties(AppRoleAssignment, { resource_object_id: ADOPTED_SP });
    expect(out).toHaveResourceWithProperties(SynchronizationJob, {
      service_principal_id: `/servicePrincipals/${ADOPTED_SP}`,
    });
    expect(out).toHaveDataSourceWithProperties(ExternalData, {
      query: expect.objectContaining({ servicePrincipalId: `/servicePrincipals/${ADOPTED_SP}` }),
    });
    const credentials = block(json, 'resource', 'terraform_data', 'Credentials').body;
    expect(stepInput(credentials)).toMatchObject({ servicePrincipalId: `/servicePrincipals/${ADOPTED_SP}` });
  });

  it('exposes the adopted ids', () => {
    const { stack, rollbar } = build({ ...smallSpec(), existingServicePrincipalObjectId: ADOPTED_SP });
    expect(rollbar.servicePrincipalObjectId).toBe(ADOPTED_SP);
    expect(rollbar.servicePrincipalId).toBe(`/servicePrincipals/${ADOPTED_SP}`);
    expect(resolveAll(stack, { app: rollbar.applicationObjectId })).toEqual({
      app: `\${data.azuread_application.${existingApp.name}.object_id}`,
    });
  });
});

describe('RollbarProvisioning: the canary', () => {
  const json = JSON.parse(
    synth({ ...smallSpec(), mappings: {}, canary: { principalObjectId: USER_A } }),
  ) as TerraformJson;
  const canary = block(json, 'resource', 'terraform_data', 'Canary');
  const ref = (type: string, id: string, attribute = 'id'): string =>
    `\${${address('resource', type, block(json, 'resource', type, id).name)}.${attribute}}`;

  it('runs graph provision-on-demand for the user, with provisioning declared on', () => {
    expect(localExec(canary.body)).toMatchObject({
      interpreter: ['node', CLI, 'graph'],
      command: 'provision-on-demand',
    });
    expect(stepInput(canary.body)).toMatchObject({ principalObjectId: USER_A, enabled: true });
  });

  it('runs again when the credentials or the mappings run again, or the user or provisioning state change', () => {
    expect(canary.body.triggers_replace).toEqual({
      principal_object_id: USER_A,
      enabled: true,
      job_id: ref('azuread_synchronization_job', 'Job'),
      credentials: ref('terraform_data', 'Credentials'),
      mappings: ref('terraform_data', 'Mappings'),
    });
  });

  it('comes after the assignments, credentials and mappings, and before ProvisioningState', () => {
    const after = (type: string, id: string): string =>
      address('resource', type, block(json, 'resource', type, id).name);
    expect(canary.body.depends_on).toEqual([
      after('azuread_app_role_assignment', 'Assignments'),
      after('terraform_data', 'Credentials'),
      after('terraform_data', 'Mappings'),
    ]);
    const state = block(json, 'resource', 'terraform_data', 'ProvisioningState').body;
    expect(state.depends_on).toEqual(expect.arrayContaining([after('terraform_data', 'Canary')]));
  });

  it('adds nothing when no canary is declared', () => {
    const plain = JSON.parse(synth(smallSpec())) as TerraformJson;
    expect(Object.keys(plain.resource.terraform_data ?? {}).filter((n) => n.includes('Canary'))).toEqual([]);
    const state = block(plain, 'resource', 'terraform_data', 'ProvisioningState').body;
    expect(JSON.stringify(state)).not.toContain('Canary');
  });

  it('rejects a canary object id that is not a GUID, with INVALID_OBJECT_ID', () => {
    expect(() => build({ ...smallSpec(), canary: { principalObjectId: 'alice@contoso.com' } })).toThrow(
      expect.objectContaining({ codes: ['INVALID_OBJECT_ID'] }),
    );
  });
});
