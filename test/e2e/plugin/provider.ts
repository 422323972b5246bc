/**
 * A small provider framework over tfplugin6: a provider is its configuration schema, its managed resources and
 * its data sources; this module answers the protocol's RPCs from them, with the planning rules of Terraform's
 * resource instance change lifecycle (hashicorp/terraform `docs/resource-instance-change-lifecycle.md`):
 * a planned value keeps every non-computed attribute as configured, a computed attribute not set in the
 * configuration is unknown on create and keeps its prior value on update, a changed ForceNew attribute is
 * listed in `requires_replace`, and the new state after apply is wholly known and agrees with the plan.
 */
import { fromMsgpack, isWhollyKnown, sameValue, toMsgpack, UNKNOWN, type CtyType, type Value } from './cty';
import type { Message } from './protobuf';
import { impliedType, schemaMessage, type BlockSchema, type ResourceSchema } from './schema';
import { log, type Rpc } from './serve';
import * as pb from './tfplugin6';

export type ObjectValue = Record<string, Value>;

/** A readable failure: it becomes an error diagnostic, as a provider's `diag.Errorf` does. */
export class ProviderError extends Error {
  constructor(
    readonly summary: string,
    readonly detail = '',
    readonly attribute?: string,
  ) {
    super(detail === '' ? summary : `${summary}: ${detail}`);
  }
}

export interface ManagedResource {
  readonly schema: ResourceSchema;
  /** Plan-time adjustments beyond the generic rules (a default, a value known in advance). */
  readonly plan?: (planned: ObjectValue, prior: ObjectValue | null, config: ObjectValue) => void;
  readonly validate?: (config: ObjectValue) => void;
  readonly create: (planned: ObjectValue) => Promise<ObjectValue>;
  /** The live object, or null when it is gone (it is then removed from state and planned again). */
  readonly read: (state: ObjectValue) => Promise<ObjectValue | null>;
  readonly update?: (planned: ObjectValue, prior: ObjectValue) => Promise<ObjectValue>;
  readonly delete: (prior: ObjectValue) => Promise<void>;
  readonly importState?: (id: string) => Promise<ObjectValue | null>;
}

export interface DataSource {
  readonly schema: ResourceSchema;
  readonly validate?: (config: ObjectValue) => void;
  readonly read: (config: ObjectValue) => Promise<ObjectValue>;
}

export interface ProviderDefinition {
  readonly schema: ResourceSchema;
  readonly configure: (config: ObjectValue, terraformVersion: string) => void | Promise<void>;
  readonly resources: Readonly<Record<string, ManagedResource>>;
  readonly dataSources: Readonly<Record<string, DataSource>>;
}

function dynamic(v: Value, t: CtyType): Message {
  return { msgpack: toMsgpack(v, t) };
}

function read(m: unknown): Value {
  return fromMsgpack((m as { msgpack?: Buffer } | undefined)?.msgpack);
}

function diagnostics(e: unknown): Message[] {
  if (e instanceof ProviderError) {
    return [
      {
        severity: 1,
        summary: e.summary,
        detail: e.detail,
        ...(e.attribute !== undefined && { attribute: { steps: [{ attribute_name: e.attribute }] } }),
      },
    ];
  }
  log(`unexpected: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return [{ severity: 1, summary: 'Unexpected stand-in provider error', detail: String(e) }];
}

async function guarded<T extends Message>(
  field: string,
  body: () => Promise<T> | T,
  onError: Message = {},
): Promise<Message> {
  try {
    return await body();
  } catch (e) {
    return { ...onError, [field]: diagnostics(e) };
  }
}

/** Computed attributes the configuration leaves null become unknown (create) or keep their prior value. */
function planComputed(
  block: BlockSchema,
  proposed: ObjectValue,
  prior: ObjectValue | null,
  config: ObjectValue,
): ObjectValue {
  const planned: ObjectValue = { ...proposed };
  for (const [name, a] of Object.entries(block.attributes)) {
    if (!a.computed || config[name] !== null) continue;
    planned[name] = prior === null ? UNKNOWN : (prior[name] ?? null);
  }
  return planned;
}

/** The RPC table for a provider. */
export function providerRpcs(def: ProviderDefinition): Record<string, Rpc> {
  const resourceType = (name: string): ManagedResource => {
    const r = def.resources[name];
    if (!r) throw new ProviderError(`Unknown resource type ${name}`);
    return r;
  };
  const dataType = (name: string): DataSource => {
    const d = def.dataSources[name];
    if (!d) throw new ProviderError(`Unknown data source ${name}`);
    return d;
  };
  const typeOf = (schema: ResourceSchema): CtyType => impliedType(schema.block);

  return {
    GetMetadata: {
      request: pb.Empty,
      response: pb.GetMetadataResponse,
      handle: () => ({
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
        resources: Object.keys(def.resources).map((type_name) => ({ type_name })),
        data_sources: Object.keys(def.dataSources).map((type_name) => ({ type_name })),
      }),
    },
    GetProviderSchema: {
      request: pb.Empty,
      response: pb.GetProviderSchemaResponse,
      handle: () => ({
        provider: schemaMessage(def.schema),
        resource_schemas: Object.fromEntries(
          Object.entries(def.resources).map(([k, r]) => [k, schemaMessage(r.schema)]),
        ),
        data_source_schemas: Object.fromEntries(
          Object.entries(def.dataSources).map(([k, d]) => [k, schemaMessage(d.schema)]),
        ),
        server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      }),
    },
    ValidateProviderConfig: {
      request: pb.ValidateProviderConfigRequest,
      response: pb.ValidateProviderConfigResponse,
      handle: () => ({ diagnostics: [] }),
    },
    ValidateResourceConfig: {
      request: pb.ValidateConfigRequest,
      response: pb.ValidateConfigResponse,
      handle: (req) =>
        guarded('diagnostics', () => {
          resourceType(req.type_name as string).validate?.(read(req.config) as ObjectValue);
          return { diagnostics: [] };
        }),
    },
    ValidateDataResourceConfig: {
      request: pb.ValidateConfigRequest,
      response: pb.ValidateConfigResponse,
      handle: (req) =>
        guarded('diagnostics', () => {
          dataType(req.type_name as string).validate?.(read(req.config) as ObjectValue);
          return { diagnostics: [] };
        }),
    },
    ConfigureProvider: {
      request: pb.ConfigureProviderRequest,
      response: pb.ConfigureProviderResponse,
      handle: (req) =>
        guarded('diagnostics', async () => {
          await def.configure(read(req.config) as ObjectValue, req.terraform_version as string);
          return { diagnostics: [] };
        }),
    },
    UpgradeResourceState: {
      request: pb.UpgradeResourceStateRequest,
      response: pb.UpgradeResourceStateResponse,
      handle: (req) =>
        guarded('diagnostics', () => {
          const r = resourceType(req.type_name as string);
          const raw = (req.raw_state as { json?: Buffer } | undefined)?.json;
          const state = raw === undefined || raw.length === 0 ? null : (JSON.parse(raw.toString('utf8')) as Value);
          return { upgraded_state: dynamic(state, typeOf(r.schema)) };
        }),
    },
    ReadResource: {
      request: pb.ReadResourceRequest,
      response: pb.ReadResourceResponse,
      handle: (req) =>
        guarded('diagnostics', async () => {
          const r = resourceType(req.type_name as string);
          const current = read(req.current_state) as ObjectValue | null;
          const next = current === null ? null : await r.read(current);
          return {
            new_state: dynamic(next === null ? null : { ...current, ...next }, typeOf(r.schema)),
            private: req.private,
          };
        }),
    },
    PlanResourceChange: {
      request: pb.PlanResourceChangeRequest,
      response: pb.PlanResourceChangeResponse,
      handle: (req) =>
        guarded('diagnostics', () => {
          const r = resourceType(req.type_name as string);
          const t = typeOf(r.schema);
          const prior = read(req.prior_state) as ObjectValue | null;
          const proposed = read(req.proposed_new_state) as ObjectValue | null;
          const config = read(req.config) as ObjectValue | null;
          if (proposed === null || config === null)
            return { planned_state: dynamic(null, t), planned_private: req.prior_private };
          const planned = planComputed(r.schema.block, proposed, prior, config);
          r.plan?.(planned, prior, config);
          const requiresReplace =
            prior === null
              ? []
              : Object.entries(r.schema.block.attributes)
                  .filter(([name, a]) => a.forceNew && !sameValue(prior[name] ?? null, planned[name] ?? null))
                  .map(([name]) => ({ steps: [{ attribute_name: name }] }));
          return {
            planned_state: dynamic(planned, t),
            requires_replace: requiresReplace,
            planned_private: req.prior_private,
          };
        }),
    },
    ApplyResourceChange: {
      request: pb.ApplyResourceChangeRequest,
      response: pb.ApplyResourceChangeResponse,
      handle: (req) =>
        guarded('diagnostics', async () => {
          const r = resourceType(req.type_name as string);
          const t = typeOf(r.schema);
          const prior = read(req.prior_state) as ObjectValue | null;
          const planned = read(req.planned_state) as ObjectValue | null;
          if (planned === null) {
            if (prior !== null) await r.delete(prior);
            return { new_state: dynamic(null, t) };
          }
          const state =
            prior === null
              ? await r.create(planned)
              : await (r.update ?? (() => Promise.resolve(planned)))(planned, prior);
          const next = { ...planned, ...state };
          const unknown = Object.keys(next).filter((k) => !isWhollyKnown(next[k]!));
          if (unknown.length > 0) {
            throw new ProviderError(
              `stand-in bug: ${String(req.type_name)} left ${unknown.join(', ')} unknown after apply`,
            );
          }
          return { new_state: dynamic(next, t), private: req.planned_private };
        }),
    },
    ImportResourceState: {
      request: pb.ImportResourceStateRequest,
      response: pb.ImportResourceStateResponse,
      handle: (req) =>
        guarded('diagnostics', async () => {
          const r = resourceType(req.type_name as string);
          if (!r.importState) throw new ProviderError(`Resource type ${String(req.type_name)} cannot be imported`);
          const state = await r.importState(req.id as string);
          if (state === null)
            throw new ProviderError('Cannot import non-existent remote object', `id ${String(req.id)}`);
          return { imported_resources: [{ type_name: req.type_name, state: dynamic(state, typeOf(r.schema)) }] };
        }),
    },
    ReadDataSource: {
      request: pb.ReadDataSourceRequest,
      response: pb.ReadDataSourceResponse,
      handle: (req) =>
        guarded('diagnostics', async () => {
          const d = dataType(req.type_name as string);
          const config = read(req.config) as ObjectValue;
          const state = await d.read(config);
          return { state: dynamic({ ...config, ...state }, typeOf(d.schema)) };
        }),
    },
    StopProvider: { request: pb.Empty, response: pb.StopProviderResponse, handle: () => ({}) },
  };
}
