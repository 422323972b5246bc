/**
 * What the CDKTF bindings cannot say about the azuread 3.7.0 schemas, from the provider's source
 * (hashicorp/terraform-provider-azuread, `internal/services/...`):
 *
 * - `id` of every resource and data source is Optional + Computed: the provider is built on the plugin SDK v2,
 *   which adds it so (terraform-plugin-sdk `helper/schema/core_schema.go`, CoreConfigSchema).
 * - `azuread_application_from_template`: `template_id` Required, ForceNew, a UUID; `display_name` Required,
 *   updated in place (`applications/application_from_template_resource.go`).
 * - `azuread_application_app_role`: `application_id` and `role_id` Required, ForceNew; the others update in
 *   place (`applications/application_app_role_resource.go`).
 * - `azuread_app_role_assignment`: `app_role_id`, `principal_object_id`, `resource_object_id` Required, ForceNew
 *   (`approleassignments/app_role_assignment_resource.go`; reference bindings.md §(d)).
 * - `azuread_synchronization_job`: `service_principal_id` and `template_id` Required, ForceNew; `enabled`
 *   Optional with Default true (planned as true when unset; here Optional + Computed, which is how a default
 *   reaches the protocol without the SDK's legacy type system); `schedule` Computed
 *   (`synchronization/synchronization_job_resource.go`).
 * - `azuread_application_identifier_uri`: `application_id` and `identifier_uri` Required, ForceNew
 *   (`applications/application_identifier_uri_resource.go`).
 * - `azuread_application_redirect_uris`: `application_id` and `type` Required, ForceNew; `redirect_uris` updated in
 *   place (`applications/application_redirect_uris_resource.go`).
 * - `azuread_service_principal_token_signing_certificate`: no Update, so every argument is ForceNew:
 *   `service_principal_id` Required; `display_name` and `end_date` Optional + Computed
 *   (`serviceprincipals/service_principal_token_signing_certificate_resource.go`).
 * - data `azuread_application_template`: `display_name` and `template_id` Optional + Computed, exactly one of
 *   them set (`applications/application_template_data_source.go`).
 * - data `azuread_application`: `client_id`, `display_name`, `identifier_uri`, `object_id` Optional + Computed,
 *   exactly one of them set (`applications/application_data_source.go`).
 * - data `azuread_service_principal`: `client_id`, `display_name`, `object_id` Optional + Computed, exactly one
 *   of them set (`serviceprincipals/service_principal_data_source.go`).
 */
import type { ResourceSchema } from '../../plugin/schema';
import type { BindingSchemas } from './schema-from-bindings';

type Overlay = Record<string, { computed?: true; forceNew?: true }>;

const RESOURCE_OVERLAYS: Record<string, Overlay> = {
  azuread_application_from_template: { template_id: { forceNew: true } },
  azuread_application_app_role: { application_id: { forceNew: true }, role_id: { forceNew: true } },
  azuread_app_role_assignment: {
    app_role_id: { forceNew: true },
    principal_object_id: { forceNew: true },
    resource_object_id: { forceNew: true },
  },
  azuread_synchronization_job: {
    service_principal_id: { forceNew: true },
    template_id: { forceNew: true },
    enabled: { computed: true },
  },
  azuread_application_identifier_uri: { application_id: { forceNew: true }, identifier_uri: { forceNew: true } },
  azuread_application_redirect_uris: { application_id: { forceNew: true }, type: { forceNew: true } },
  azuread_service_principal_token_signing_certificate: {
    service_principal_id: { forceNew: true },
    display_name: { computed: true, forceNew: true },
    end_date: { computed: true, forceNew: true },
  },
};

/** Schema versions above 0 (`SchemaVersion: 1` with a V0 state upgrader in the job's resource). */
const RESOURCE_VERSIONS: Record<string, number> = { azuread_synchronization_job: 1 };

const DATA_OVERLAYS: Record<string, Overlay> = {
  azuread_application_template: { display_name: { computed: true }, template_id: { computed: true } },
  azuread_application: {
    client_id: { computed: true },
    display_name: { computed: true },
    identifier_uri: { computed: true },
    object_id: { computed: true },
  },
  azuread_service_principal: {
    client_id: { computed: true },
    display_name: { computed: true },
    object_id: { computed: true },
  },
};

function overlay(schema: ResourceSchema, changes: Overlay, where: string): ResourceSchema {
  const attributes = { ...schema.block.attributes };
  for (const [name, change] of Object.entries({ ...changes, ...(attributes.id && { id: { computed: true } }) })) {
    const a = attributes[name];
    // The bindings and this table must agree: a name the bindings lack is this table's mistake.
    if (!a) throw new Error(`behaviour.ts: ${where} has no attribute ${name} in the bindings`);
    attributes[name] = { ...a, ...change };
  }
  return { ...schema, block: { ...schema.block, attributes } };
}

/** The served schemas: the bindings' with the provider's ForceNew and computed behaviour. */
export function withBehaviour(s: BindingSchemas): BindingSchemas {
  return {
    provider: s.provider,
    dataSources: Object.fromEntries(
      Object.entries(s.dataSources).map(([k, v]) => [k, overlay(v, DATA_OVERLAYS[k] ?? {}, k)]),
    ),
    resources: Object.fromEntries(
      Object.entries(s.resources).map(([k, v]) => [
        k,
        { ...overlay(v, RESOURCE_OVERLAYS[k] ?? {}, k), version: RESOURCE_VERSIONS[k] ?? 0 },
      ]),
    ),
  };
}
