/**
 * Stand-in for hashicorp/azuread 3.7.0 over the plugin protocol: the provider configuration and the types the
 * stacks use (the three of SAML single sign-on are in sso.ts; the adoption stack of
 * `existingServicePrincipalObjectId` reads the app through the `azuread_service_principal` and
 * `azuread_application` data sources; the job, roles and assignments can be imported), with the schemas generated from @cdktf/provider-azuread (schema-from-bindings.ts, written by the
 * lane to `azuread-schema.json` beside this bundle) and the provider's ForceNew and computed behaviour
 * (behaviour.ts). Each type makes the Graph requests the real one makes (hashicorp/terraform-provider-azuread,
 * the files named below), against the fake Graph's directory and synchronization parts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Value } from '../../plugin/cty';
import { ProviderError, providerRpcs, type ObjectValue } from '../../plugin/provider';
import { serve } from '../../plugin/serve';
import { withBehaviour } from './behaviour';
import { Graph, graphError } from './graph';
import type { BindingSchemas } from './schema-from-bindings';
import { ssoResources } from './sso';

const schemas = withBehaviour(
  JSON.parse(readFileSync(path.join(__dirname, 'azuread-schema.json'), 'utf8')) as BindingSchemas,
);

let graph: Graph | undefined;
let claims: { tid?: string; oid?: string; appid?: string; azp?: string } = {};

function client(): Graph {
  if (!graph) throw new ProviderError('The azuread stand-in is not configured');
  return graph;
}

const str = (v: Value | undefined): string => (typeof v === 'string' ? v : '');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** validation.IsUUID's message (terraform-plugin-sdk `helper/validation/uuid.go`). */
function requireUuid(config: ObjectValue, attribute: string): void {
  const v = config[attribute];
  if (typeof v === 'string' && !UUID.test(v)) {
    throw new ProviderError(`expected "${attribute}" to be a valid UUID, got ${v}`, '', attribute);
  }
}

/** The plugin SDK's ExactlyOneOf: one of the attributes set in the configuration. */
function exactlyOne(config: ObjectValue, attributes: readonly string[]): void {
  if (attributes.filter((a) => config[a] !== null && config[a] !== undefined).length !== 1) {
    throw new ProviderError(
      'Invalid combination of arguments',
      `"${attributes[0]!}": one of \`${attributes.join(',')}\` must be specified`,
    );
  }
}

/** `/servicePrincipals/{oid}` (stable.ParseServicePrincipalID) to the object id. */
function servicePrincipalObjectId(id: string, attribute: string): string {
  const m = /^\/servicePrincipals\/([^/]+)$/.exec(id);
  if (!m) {
    throw new ProviderError(
      `parsing ${JSON.stringify(id)}: the number of segments didn't match`,
      `Expected a Service Principal ID that matched (containing 2 segments): "/servicePrincipals/servicePrincipalId"`,
      attribute,
    );
  }
  return m[1]!;
}

function applicationObjectId(id: string): string {
  const m = /^\/applications\/([^/]+)$/.exec(id);
  if (!m)
    throw new ProviderError(
      `parsing ${JSON.stringify(id)}: expected an Application ID "/applications/applicationId"`,
      '',
      'application_id',
    );
  return m[1]!;
}

/** Polls until the read says the object is there (the provider's consistency.WaitForUpdate). */
async function waitFor(doing: string, exists: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (await exists()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ProviderError(`${doing}: timed out waiting for replication`);
}

const locks = new Map<string, Promise<unknown>>();

/** tf.LockByName: the provider serializes the changes of one application (its roles are written together). */
function lockByName<T>(name: string, body: () => Promise<T>): Promise<T> {
  const previous = locks.get(name) ?? Promise.resolve();
  const next = previous.then(body, body);
  locks.set(
    name,
    next.catch(() => undefined),
  );
  return next;
}

interface AppRole {
  id: string;
  allowedMemberTypes: string[];
  description: string | null;
  displayName: string | null;
  isEnabled: boolean;
  value: string | null;
}

async function getApplication(oid: string): Promise<{ displayName: string; appRoles: AppRole[] } | null> {
  const res = await client().request('GET', `/applications/${oid}`);
  if (res.status === 404) return null;
  if (res.status !== 200) throw graphError(`retrieving Application (Object ID: ${oid})`, res);
  return res.body as { displayName: string; appRoles: AppRole[] };
}

function roleFromConfig(planned: ObjectValue): AppRole {
  return {
    id: str(planned.role_id),
    isEnabled: true,
    allowedMemberTypes: ((planned.allowed_member_types as Value[] | null) ?? []).map(String),
    description: str(planned.description),
    displayName: str(planned.display_name),
    value: str(planned.value),
  };
}

/** `applicationDisableAppRoles`: a role is disabled in one PATCH before it is changed or removed. */
async function disableRole(oid: string, roles: AppRole[], roleId: string): Promise<void> {
  const disabled = roles.map((r) => (r.id.toLowerCase() === roleId.toLowerCase() ? { ...r, isEnabled: false } : r));
  await client().expect(`disabling App Role ${roleId}`, 'PATCH', `/applications/${oid}`, { appRoles: disabled });
}

serve(
  providerRpcs({
    schema: schemas.provider,
    configure: (config) => {
      const url = process.env.ROLLBAR_GRAPH_URL;
      // E2E_AZUREAD_TOKEN, when set, is the stand-in's own token: a scenario that signs the CLI steps in through
      // ARM_* (test/e2e/signin.test.ts) must not give them ROLLBAR_GRAPH_TOKEN, which they would prefer.
      const token = process.env.E2E_AZUREAD_TOKEN || process.env.ROLLBAR_GRAPH_TOKEN;
      if (!url || !token) {
        throw new ProviderError(
          'The azuread stand-in needs ROLLBAR_GRAPH_URL and ROLLBAR_GRAPH_TOKEN',
          'It talks to the fake Graph of the end-to-end lane only.',
        );
      }
      try {
        claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as typeof claims;
      } catch {
        throw new ProviderError('ROLLBAR_GRAPH_TOKEN is not a JWT');
      }
      const tenant = str(config.tenant_id) || process.env.ARM_TENANT_ID || '';
      if (tenant !== '' && claims.tid !== undefined && tenant.toLowerCase() !== claims.tid.toLowerCase()) {
        throw new ProviderError(
          'building client: the token belongs to another tenant',
          `tenant_id ${tenant}, token tid ${claims.tid}`,
        );
      }
      graph = new Graph(url, token);
    },
    dataSources: {
      // serviceprincipals/service_principal_data_source.go: by object_id (the only way the stack reads it); the
      // real one also reads samlMetadataUrl from the beta API, which nothing here uses.
      azuread_service_principal: {
        schema: schemas.dataSources.azuread_service_principal!,
        validate: (config) => {
          exactlyOne(config, ['client_id', 'display_name', 'object_id']);
          requireUuid(config, 'object_id');
        },
        read: async (config) => {
          if (typeof config.object_id !== 'string')
            throw new ProviderError('The azuread stand-in reads a service principal by object_id only');
          const id = `/servicePrincipals/${config.object_id}`;
          const res = await client().request('GET', id);
          if (res.status === 404)
            throw new ProviderError(
              `Service Principal (Object ID: ${config.object_id}) was not found`,
              '',
              'object_id',
            );
          if (res.status !== 200)
            throw graphError(`Retrieving Service Principal (Object ID: ${config.object_id})`, res);
          const sp = res.body as { id: string; appId: string; displayName: string };
          return { id, object_id: sp.id, client_id: sp.appId, display_name: sp.displayName };
        },
      },
      // applications/application_data_source.go: by client_id, `GET /applications?$filter=appId eq '…'`.
      azuread_application: {
        schema: schemas.dataSources.azuread_application!,
        validate: (config) => exactlyOne(config, ['client_id', 'display_name', 'identifier_uri', 'object_id']),
        read: async (config) => {
          if (typeof config.client_id !== 'string')
            throw new ProviderError('The azuread stand-in reads an application by client_id only');
          const filter = `appId eq '${config.client_id.replace(/'/g, "''")}'`;
          const list = (await client().expect(
            `Listing applications for filter ${JSON.stringify(filter)}`,
            'GET',
            `/applications?$filter=${encodeURIComponent(filter)}`,
          )) as { value: { id: string; appId: string; displayName: string }[] };
          const app = list.value.find((a) => a.appId.toLowerCase() === str(config.client_id).toLowerCase());
          if (!app)
            throw new ProviderError(`Application not found with client ID: ${JSON.stringify(config.client_id)}`);
          return {
            id: `/applications/${app.id}`,
            object_id: app.id,
            client_id: app.appId,
            display_name: app.displayName,
          };
        },
      },
      // clientconfig/client_config_data_source.go: the signed-in identity, no Graph request.
      azuread_client_config: {
        schema: schemas.dataSources.azuread_client_config!,
        read: () => {
          const tenantId = claims.tid ?? '';
          const clientId = claims.appid ?? claims.azp ?? '';
          const objectId = claims.oid ?? '';
          return Promise.resolve({
            id: `${tenantId}-${clientId}-${objectId}`,
            tenant_id: tenantId,
            client_id: clientId,
            object_id: objectId,
          });
        },
      },
      // applications/application_template_data_source.go: by template_id, or the one template of that name.
      azuread_application_template: {
        schema: schemas.dataSources.azuread_application_template!,
        validate: (config) => {
          const given = ['display_name', 'template_id'].filter((a) => config[a] !== null);
          if (given.length !== 1) {
            throw new ProviderError(
              'Invalid combination of arguments',
              '"display_name": one of `display_name,template_id` must be specified',
            );
          }
          requireUuid(config, 'template_id');
        },
        read: async (config) => {
          let template: Record<string, unknown>;
          if (typeof config.template_id === 'string') {
            template = (await client().expect(
              `retrieving Application Template ${config.template_id}`,
              'GET',
              `/applicationTemplates/${config.template_id}`,
            )) as Record<string, unknown>;
          } else {
            const name = str(config.display_name);
            const list = (await client().expect(
              'listing application templates',
              'GET',
              `/applicationTemplates?$filter=${encodeURIComponent(`displayName eq '${name.replace(/'/g, "''")}'`)}`,
            )) as { value: Record<string, unknown>[] };
            if (list.value.length === 0)
              throw new ProviderError(`No application templates found matching display name: "${name}"`);
            if (list.value.length > 1)
              throw new ProviderError(`Multiple application templates found matching display name: "${name}"`);
            template = list.value[0]!;
          }
          const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
          return {
            id: str(template.id as Value),
            template_id: str(template.id as Value),
            display_name: str(template.displayName as Value),
            homepage_url: str(template.homePageUrl as Value),
            logo_url: str(template.logoUrl as Value),
            publisher: str(template.publisher as Value),
            categories: strings(template.categories),
            supported_provisioning_types: strings(template.supportedProvisioningTypes),
            supported_single_sign_on_modes: strings(template.supportedSingleSignOnModes),
          };
        },
      },
    },
    resources: {
      // applications/application_from_template_resource.go
      azuread_application_from_template: {
        schema: schemas.resources.azuread_application_from_template!,
        validate: (config) => requireUuid(config, 'template_id'),
        create: async (planned) => {
          const templateId = str(planned.template_id);
          const made = (await client().expect(
            `creating Application Template ${templateId}`,
            'POST',
            `/applicationTemplates/${templateId}/instantiate`,
            {
              displayName: str(planned.display_name),
            },
          )) as { application: { id: string }; servicePrincipal: { id: string } };
          const appId = made.application.id;
          const spId = made.servicePrincipal.id;
          await waitFor(
            `creating Application Template ${templateId}`,
            async () => (await getApplication(appId)) !== null,
          );
          return {
            id: `/applicationTemplates/${templateId}/instantiate/${appId}/${spId}`,
            application_id: `/applications/${appId}`,
            application_object_id: appId,
            service_principal_id: `/servicePrincipals/${spId}`,
            service_principal_object_id: spId,
          };
        },
        read: async (state) => {
          const app = await getApplication(str(state.application_object_id));
          return app === null ? null : { display_name: app.displayName };
        },
        update: async (planned, prior) => {
          if (planned.display_name !== prior.display_name) {
            await client().expect(
              `updating ${str(prior.id)}`,
              'PATCH',
              `/applications/${str(prior.application_object_id)}`,
              {
                displayName: str(planned.display_name),
              },
            );
          }
          return planned;
        },
        delete: (prior) =>
          lockByName(`application ${str(prior.application_object_id)}`, async () => {
            await client().expect(
              `deleting ${str(prior.id)}`,
              'DELETE',
              `/applications/${str(prior.application_object_id)}`,
            );
          }),
      },
      // applications/application_app_role_resource.go: all roles are written together, a role is disabled first.
      azuread_application_app_role: {
        schema: schemas.resources.azuread_application_app_role!,
        validate: (config) => requireUuid(config, 'role_id'),
        create: (planned) => {
          const oid = applicationObjectId(str(planned.application_id));
          return lockByName(`application ${oid}`, () => createRole(oid, planned));
        },
        read: readRole,
        update: (planned, prior) => {
          const oid = applicationObjectId(str(prior.application_id));
          return lockByName(`application ${oid}`, async () => {
            const app = await getApplication(oid);
            if (app === null) throw new ProviderError(`retrieving Application (Object ID: ${oid}): appRoles was nil`);
            await disableRole(oid, app.appRoles, str(prior.role_id));
            const next = app.appRoles.map((r) =>
              r.id.toLowerCase() === str(prior.role_id).toLowerCase() ? roleFromConfig(planned) : r,
            );
            await client().expect(`updating ${str(prior.id)}`, 'PATCH', `/applications/${oid}`, { appRoles: next });
            return planned;
          });
        },
        delete: (prior) => {
          const oid = applicationObjectId(str(prior.application_id));
          return lockByName(`application ${oid}`, async () => {
            const app = await getApplication(oid);
            if (app === null) throw new ProviderError(`retrieving Application (Object ID: ${oid}): appRoles was nil`);
            await disableRole(oid, app.appRoles, str(prior.role_id));
            const next = app.appRoles.filter((r) => r.id.toLowerCase() !== str(prior.role_id).toLowerCase());
            await client().expect(`deleting ${str(prior.id)}`, 'PATCH', `/applications/${oid}`, { appRoles: next });
          });
        },
        // IDValidationFunc parse.ValidateAppRoleID (`applications/parse/app_role.go`): `/applications/{oid}/appRoles/
        // {roleId}`, the role id a UUID; Read then sets application_id and role_id from the id.
        importState: async (id) => {
          const m = /^\/applications\/([^/]+)\/appRoles\/([^/]+)$/.exec(id);
          if (!m)
            throw new ProviderError(
              `parsing ${JSON.stringify(id)}: expected an App Role ID "/applications/{applicationId}/appRoles/{roleId}"`,
            );
          if (!UUID.test(m[2]!)) throw new ProviderError(`expected "ID" to be a valid UUID, got ${m[2]!}`);
          const state = { id, application_id: `/applications/${m[1]!}`, role_id: m[2]! };
          const live = await readRole(state);
          return live === null ? null : { ...state, ...live };
        },
      },
      // approleassignments/app_role_assignment_resource.go
      azuread_app_role_assignment: {
        schema: schemas.resources.azuread_app_role_assignment!,
        validate: (config) => {
          for (const a of ['app_role_id', 'principal_object_id', 'resource_object_id']) requireUuid(config, a);
        },
        create: async (planned) => {
          const resource = str(planned.resource_object_id);
          const made = (await client().expect(
            `creating app role assignment for resource ${resource}`,
            'POST',
            `/servicePrincipals/${resource}/appRoleAssignedTo`,
            {
              principalId: str(planned.principal_object_id),
              resourceId: resource,
              appRoleId: str(planned.app_role_id),
            },
          )) as { id: string; principalDisplayName: string; principalType: string; resourceDisplayName: string };
          return {
            id: `/servicePrincipals/${resource}/appRoleAssignedTo/${made.id}`,
            principal_display_name: made.principalDisplayName,
            principal_type: made.principalType,
            resource_display_name: made.resourceDisplayName,
          };
        },
        read: (state) => readAssignment(str(state.id)),
        delete: async (prior) => {
          await client().expect(`deleting ${str(prior.id)}`, 'DELETE', str(prior.id));
        },
        // Importer: stable.ValidateServicePrincipalIdAppRoleAssignedToID, `/servicePrincipals/{resourceId}/
        // appRoleAssignedTo/{assignmentId}`; Read sets every attribute from Graph's assignment.
        importState: async (id) => {
          if (!/^\/servicePrincipals\/[^/]+\/appRoleAssignedTo\/[^/]+$/.exec(id))
            throw new ProviderError(
              `parsing ${JSON.stringify(id)}: expected an App Role Assigned To ID "/servicePrincipals/{servicePrincipalId}/appRoleAssignedTo/{appRoleAssignmentId}"`,
            );
          const live = await readAssignment(id);
          return live === null ? null : { id, ...live };
        },
      },
      // synchronization/synchronization_job_resource.go
      azuread_synchronization_job: {
        schema: schemas.resources.azuread_synchronization_job!,
        plan: (planned, _prior, config) => {
          if (config.enabled === null) planned.enabled = true; // Default: true
        },
        create: async (planned) => {
          const spOid = servicePrincipalObjectId(str(planned.service_principal_id), 'service_principal_id');
          const sp = await client().request('GET', `/servicePrincipals/${spOid}`);
          if (sp.status === 404)
            throw new ProviderError(
              `Service Principal (Object ID: ${spOid}) was not found`,
              '',
              'service_principal_id',
            );
          const job = (await client().expect(
            `Creating synchronization job for Service Principal (Object ID: ${spOid})`,
            'POST',
            `/servicePrincipals/${spOid}/synchronization/jobs`,
            {
              templateId: str(planned.template_id),
            },
          )) as { id: string };
          const id = `/servicePrincipals/${spOid}/synchronization/jobs/${job.id}`;
          await waitFor(
            `Waiting for creation of ${id}`,
            async () =>
              (await client().request('GET', `/servicePrincipals/${spOid}/synchronization/jobs/${job.id}`)).status ===
              200,
          );
          if (planned.enabled === true)
            await client().expect(
              `Starting ${id}`,
              'POST',
              `/servicePrincipals/${spOid}/synchronization/jobs/${job.id}/start`,
            );
          const state = await readJob(id);
          if (state === null) throw new ProviderError(`Retrieving ${id}: not found`);
          return { ...state, id, enabled: planned.enabled ?? null };
        },
        read: (state) => readJob(str(state.id)),
        // Importer: stable.ValidateServicePrincipalIdSynchronizationJobID, `/servicePrincipals/{id}/synchronization/
        // jobs/{jobId}`; Read fills the rest.
        importState: async (id) => {
          if (!/^\/servicePrincipals\/[^/]+\/synchronization\/jobs\/[^/]+$/.exec(id))
            throw new ProviderError(
              `parsing ${JSON.stringify(id)}: expected a Synchronization Job ID "/servicePrincipals/{servicePrincipalId}/synchronization/jobs/{synchronizationJobId}"`,
            );
          const live = await readJob(id);
          return live === null ? null : { id, ...live };
        },
        update: async (planned, prior) => {
          const id = str(prior.id);
          if (planned.enabled !== prior.enabled) {
            await client().expect(
              planned.enabled ? `Starting ${id}` : `Pausing ${id}`,
              'POST',
              `${id}/${planned.enabled ? 'start' : 'pause'}`,
            );
          }
          return { ...(await readJob(id)), enabled: planned.enabled ?? null };
        },
        delete: async (prior) => {
          const id = str(prior.id);
          await client().expect(`Removing ${id}`, 'DELETE', id);
          await waitFor(
            `Waiting for deletion of ${id}`,
            async () => (await client().request('GET', id)).status === 404,
          );
        },
      },
      ...ssoResources({ client, lockByName, waitFor, schemas: schemas.resources }),
    },
  }),
);

async function createRole(oid: string, planned: ObjectValue): Promise<ObjectValue> {
  const id = `/applications/${oid}/appRoles/${str(planned.role_id)}`;
  const app = await getApplication(oid);
  if (app === null) throw new ProviderError(`retrieving Application (Object ID: ${oid}): not found`);
  if (app.appRoles.some((r) => r.id.toLowerCase() === str(planned.role_id).toLowerCase())) {
    throw new ProviderError(
      `A resource with the ID "${id}" already exists - to be managed via Terraform this resource needs to be imported into the State.`,
      'Please see the resource documentation for "azuread_application_app_role" for more information.',
    );
  }
  await client().expect(`creating ${id}`, 'PATCH', `/applications/${oid}`, {
    appRoles: [...app.appRoles, roleFromConfig(planned)],
  });
  return { id };
}

/** Read of `applications/application_app_role_resource.go`: the role found by id in the application's roles. */
async function readRole(state: ObjectValue): Promise<ObjectValue | null> {
  const oid = applicationObjectId(str(state.application_id));
  const app = await getApplication(oid);
  const role = app?.appRoles.find((r) => r.id.toLowerCase() === str(state.role_id).toLowerCase());
  if (!role) return null;
  return {
    allowed_member_types: role.allowedMemberTypes,
    description: role.description ?? '',
    display_name: role.displayName ?? '',
    value: role.value ?? '',
  };
}

/** appRoleAssignmentResourceRead: every attribute from Graph's assignment (`GET …/appRoleAssignedTo/{id}`). */
async function readAssignment(id: string): Promise<ObjectValue | null> {
  const res = await client().request('GET', id);
  if (res.status === 404) return null;
  if (res.status !== 200) throw graphError(`retrieving ${id}`, res);
  const a = res.body as {
    appRoleId: string;
    principalId: string;
    principalDisplayName: string;
    principalType: string;
    resourceId: string;
    resourceDisplayName: string;
  };
  return {
    app_role_id: a.appRoleId,
    principal_display_name: a.principalDisplayName,
    principal_object_id: a.principalId,
    principal_type: a.principalType,
    resource_display_name: a.resourceDisplayName,
    resource_object_id: a.resourceId,
  };
}

async function readJob(id: string): Promise<ObjectValue | null> {
  const res = await client().request('GET', id);
  if (res.status === 404) return null;
  if (res.status !== 200) throw graphError(`Retrieving ${id}`, res);
  const job = res.body as { templateId: string; schedule?: { expiration?: string; interval?: string; state?: string } };
  return {
    service_principal_id: `/servicePrincipals/${id.split('/')[2] ?? ''}`,
    template_id: job.templateId,
    enabled: job.schedule?.state === 'Active',
    schedule: [
      {
        expiration: job.schedule?.expiration ?? '',
        interval: job.schedule?.interval ?? '',
        state: job.schedule?.state ?? '',
      },
    ],
  };
}
