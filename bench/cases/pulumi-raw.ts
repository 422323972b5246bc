/**
 * The RAW Pulumi baseline: the same resources as the component, registered by hand at the top of a program (in the stack root, as `pulumi up` runs one) (no
 * component, no validation, no model): one `AppRoleAssignment` per entry, the job, and the project's dynamic
 * resources for the Graph-only steps (no provider has them: a hand-written program would need the same ones).
 */
import * as azuread from '@pulumi/azuread';
import * as pulumi from '@pulumi/pulumi';
import { roleId } from '../../constructs/core/role-id';
import { Credentials } from '../../constructs/pulumi/dynamic/credentials';
import { Mappings } from '../../constructs/pulumi/dynamic/mappings';
import { ProvisioningState } from '../../constructs/pulumi/dynamic/provisioning-state';
import { SyncTemplate } from '../../constructs/pulumi/dynamic/sync-template';
import { runCase, sinceStart, round } from '../child';
import { BENCH_MAPPINGS, BENCH_ROLES, BENCH_SETTINGS, benchAssignments } from '../spec';
import { installBenchMocks, promiseOf } from './pulumi-mocks';

runCase(async ({ n }) => {
  const mocks = await installBenchMocks();
  const assignmentSpecs = benchAssignments(n);
  const start = sinceStart();
  const construct = await mocks.inStack(async () => {
    const token = new pulumi.Config('rollbar').requireSecret('secretToken');
    const tenantId = azuread.getClientConfigOutput().tenantId;
    const template = azuread.getApplicationTemplateOutput({ displayName: 'Rollbar' });
    const app = new azuread.ApplicationFromTemplate(
      'rollbar-app',
      { displayName: 'Rollbar', templateId: template.templateId },
      { protect: true },
    );
    const roles = new Map<string, azuread.ApplicationAppRole>(
      BENCH_ROLES.map((role) => [
        role.value,
        new azuread.ApplicationAppRole(`rollbar-role-${role.value}`, {
          applicationId: app.applicationId,
          roleId: roleId(role.value),
          value: role.value,
          displayName: role.displayName,
          description: role.description,
          allowedMemberTypes: ['User'],
        }),
      ]),
    );
    const assignments = Object.entries(assignmentSpecs).map(
      ([key, a]) =>
        new azuread.AppRoleAssignment(`rollbar-assignment-${key}`, {
          appRoleId: roles.get(a.role)!.roleId,
          principalObjectId: a.principalObjectId,
          resourceObjectId: app.servicePrincipalObjectId,
        }),
    );
    const target = { servicePrincipalId: app.servicePrincipalId, tenantId };
    const templateId = new SyncTemplate('rollbar-sync-template', target).templateId;
    const job = new azuread.SynchronizationJob(
      'rollbar-job',
      { servicePrincipalId: app.servicePrincipalId, templateId, enabled: false },
      { ignoreChanges: ['enabled', 'templateId'] },
    );
    const jobId = job.id.apply((id) => id.split('/').pop() ?? id);
    const credentials = new Credentials('rollbar-credentials', {
      ...target,
      jobId,
      secretToken: token,
      secretTokenVersion: '1',
      settings: BENCH_SETTINGS,
      test: true,
    });
    const mappings = new Mappings(
      'rollbar-mappings',
      { ...target, jobId, mappings: BENCH_MAPPINGS },
      { dependsOn: [credentials] },
    );
    new ProvisioningState(
      'rollbar-provisioning-state',
      { ...target, jobId, enabled: true, after: { credentials: credentials.revision, mappings: mappings.revision } },
      { dependsOn: [...assignments, credentials, mappings] },
    );
    const declared = round(sinceStart() - start);
    // Awaited like the component's outputs; `settle` then waits for every registration (each assignment's id).
    await promiseOf(pulumi.all([jobId, app.servicePrincipalId, ...[...roles.values()].map((r) => r.roleId)]));
    return declared;
  });
  await mocks.settle();
  return { resources: mocks.registrations(), phases: { construct, resolve: round(sinceStart() - start - construct) } };
});
