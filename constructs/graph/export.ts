/**
 * The reads of `export`: everything Graph holds about a Rollbar app set up in the admin center, as the snapshot
 * core `exportConfig` turns into a configuration. Read-only: nothing is written.
 *
 * - the service principal (`GET /servicePrincipals/{id}`, api/serviceprincipal-get.md) for its `appId`, and the
 *   application with that appId (`GET /applications?$filter=appId eq '…'`, api/application-list.md) for its
 *   object id (role resources are addressed by it) and its `appRoles`;
 * - the assignments (`GET /servicePrincipals/{id}/appRoleAssignedTo`, api/serviceprincipal-list-approleassignedto.md);
 * - the job, its schema, its scoping filter operators and the template's schema, as the mapping steps read them;
 * - the saved secrets (`GET /servicePrincipals/{id}/synchronization/secrets`: the azuread provider reads them so,
 *   hashicorp/terraform-provider-azuread internal/services/synchronization/synchronization_secret_resource.go,
 *   ListSynchronizationSecrets on the stable API). Graph masks sensitive values as `*` there (the provider's
 *   synchronization.go); the token's value, masked or not, is dropped here, before anything else sees it.
 */
import type { AppRole, AppRoleAssignment, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { exportConfig, RollbarProvisioningError, type ExportResult, type PortalSnapshot } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError } from './errors';
import { jobPath, servicePrincipalObjectId, synchronizationPath } from './ids';
import { readJob } from './job';
import { FILTER_OPERATOR_SCHEMA, resource, SYNCHRONIZATION_SCHEMA, SYNCHRONIZATION_SECRET, type Shape } from './shapes';

/** resources/serviceprincipal.md: `id` and `appId`, always present. */
const SERVICE_PRINCIPAL: Shape<{ id: string; appId: string }> = resource('servicePrincipal', {
  id: { kind: 'string' },
  appId: { kind: 'string' },
});

/** resources/application.md: `id` and `appRoles` (a collection, empty when there are none). */
const APPLICATION: Shape<{ id: string; appId?: string; appRoles: AppRole[] }> = resource('application', {
  id: { kind: 'string' },
  appRoles: { kind: 'array' },
});

/** resources/approleassignment.md: the fields the export keys and imports by. */
const APP_ROLE_ASSIGNMENT: Shape<AppRoleAssignment> = resource<AppRoleAssignment>(
  'appRoleAssignment',
  { id: { kind: 'string' }, appRoleId: { kind: 'string' }, principalId: { kind: 'string' } },
  { principalType: { kind: 'string' }, principalDisplayName: { kind: 'string' } },
);

/** Reads the app behind `servicePrincipalId` into the snapshot `exportConfig` takes. */
export async function readPortalApp(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string },
): Promise<PortalSnapshot> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const sp = await client.get(`/servicePrincipals/${oid}`, {
    shape: SERVICE_PRINCIPAL,
    notFound: `The service principal '${oid}' is unknown: check --service-principal-id (the Object ID on the enterprise application's Overview).`,
  });
  const filter = encodeURIComponent(`appId eq '${sp.appId.replace(/'/g, "''")}'`);
  const apps = await client.list(`/applications?$filter=${filter}`, { shape: APPLICATION });
  const app = apps[0];
  if (app === undefined) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_INPUT',
        'servicePrincipalId',
        'be the service principal of an application in this tenant',
        oid,
        'Export the enterprise application of your own tenant (an app from another tenant has no application here).',
      ),
    ]);
  }
  client.log('Reading the assignments, the provisioning job and its schema…');
  const assignments = await client.list(`/servicePrincipals/${oid}/appRoleAssignedTo`, { shape: APP_ROLE_ASSIGNMENT });
  const job = await readJob(client, { servicePrincipalId: oid, ...(a.jobId !== undefined && { jobId: a.jobId }) });
  const jobId = job.id ?? '';
  const path = jobPath(oid, jobId);
  const jobSchema = await client.get(`${path}/schema`, { shape: SYNCHRONIZATION_SCHEMA });
  const filterOperators = await client.list(`${path}/schema/filterOperators`, { shape: FILTER_OPERATOR_SCHEMA });
  const templateSchema = await readTemplate(client, oid, job.templateId ?? undefined);
  const secrets = (await client.list(`${synchronizationPath(oid)}/secrets`, { shape: SYNCHRONIZATION_SECRET })).map(
    (s) => (s.key === 'SecretToken' ? { key: s.key } : s),
  );
  return {
    servicePrincipalId: oid,
    applicationObjectId: app.id,
    appRoles: app.appRoles,
    assignments,
    job: { id: jobId, templateId: job.templateId, scheduleState: job.schedule?.state ?? null },
    jobSchema,
    ...(templateSchema !== undefined && { templateSchema }),
    filterOperators,
    secrets,
  };
}

/** The template's schema, or undefined when Graph does not give it (then mappings are not exported). */
async function readTemplate(
  client: GraphClient,
  oid: string,
  templateId: string | undefined,
): Promise<SynchronizationSchema | undefined> {
  if (templateId === undefined || templateId === '') return undefined;
  try {
    return await client.get(`${synchronizationPath(oid)}/templates/${encodeURIComponent(templateId)}/schema`, {
      shape: SYNCHRONIZATION_SCHEMA,
    });
  } catch (e) {
    if (e instanceof GraphError && (e.status === 404 || e.status === 403)) return undefined;
    throw e;
  }
}

/** Reads the app and exports it (see core `exportConfig`). */
export async function exportPortalApp(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string },
): Promise<ExportResult> {
  return exportConfig(await readPortalApp(client, a));
}
