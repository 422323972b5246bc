/**
 * The azuread stand-in's schemas, generated from the prebuilt CDKTF bindings (`@cdktf/provider-azuread` 14.3.1,
 * azuread 3.7.0), which cdktf generated from the provider's own schema: every attribute, its type, whether it
 * is a nested block, and required / optional / computed-only. The bindings read this from their generated code:
 * `synthesizeHclAttributes` lists each configurable attribute with its type and storage class, a `reset<Name>`
 * method exists only for an optional one, a getter without a setter is a computed-only attribute (its
 * `get<Type>Attribute('<name>')` call names it), and a complex value's `…List` / `…OutputReference` class
 * describes its elements. What the bindings cannot tell (optional+computed, ForceNew) comes from the provider's
 * source, in behaviour.ts.
 *
 * Runs in the test process (it needs the bindings); the stand-in reads the result as JSON.
 */
import type { CtyType } from '../../plugin/cty';
import type { AttributeSchema, BlockSchema, NestedBlockSchema, ResourceSchema } from '../../plugin/schema';

/** The binding module and class of each type the stack uses, and of the provider. */
export const BINDINGS = {
  provider: { module: 'provider', className: 'AzureadProvider' },
  dataSources: {
    azuread_client_config: { module: 'data-azuread-client-config', className: 'DataAzureadClientConfig' },
    azuread_application_template: {
      module: 'data-azuread-application-template',
      className: 'DataAzureadApplicationTemplate',
    },
    azuread_application: { module: 'data-azuread-application', className: 'DataAzureadApplication' },
    azuread_service_principal: { module: 'data-azuread-service-principal', className: 'DataAzureadServicePrincipal' },
  },
  resources: {
    azuread_application_from_template: { module: 'application-from-template', className: 'ApplicationFromTemplate' },
    azuread_application_app_role: { module: 'application-app-role', className: 'ApplicationAppRoleA' },
    azuread_app_role_assignment: { module: 'app-role-assignment', className: 'AppRoleAssignment' },
    azuread_synchronization_job: { module: 'synchronization-job', className: 'SynchronizationJob' },
    azuread_application_identifier_uri: {
      module: 'application-identifier-uri',
      className: 'ApplicationIdentifierUri',
    },
    azuread_application_redirect_uris: { module: 'application-redirect-uris', className: 'ApplicationRedirectUris' },
    azuread_service_principal_token_signing_certificate: {
      module: 'service-principal-token-signing-certificate',
      className: 'ServicePrincipalTokenSigningCertificate',
    },
  },
} as const;

type Module = Record<string, unknown>;
type Fn = (...args: unknown[]) => unknown;

const HCL_ATTRIBUTE =
  /([a-z0-9_]+): \{\s*value: ([^\n]+),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",?\s*\}/g;

const pascal = (camel: string): string => camel.charAt(0).toUpperCase() + camel.slice(1);
const lowerFirst = (s: string): string => s.charAt(0).toLowerCase() + s.slice(1);

function scalarType(storageClass: string, kind: string): CtyType {
  const element = (s: string): CtyType => (s === 'boolean' ? 'bool' : s === 'number' ? 'number' : 'string');
  if (storageClass === 'string' || storageClass === 'boolean' || storageClass === 'number')
    return element(storageClass);
  const list = /^(string|number|boolean)List$/.exec(storageClass);
  if (list) return [kind === 'set' ? 'set' : 'list', element(list[1]!)];
  const map = /^(string|number|boolean)Map$/.exec(storageClass);
  if (map) return ['map', element(map[1]!)];
  throw new Error(`schema-from-bindings: storage class ${storageClass} is not handled`);
}

/** The type a computed-only getter reads, from its source (`this.getStringAttribute('x')`, …). */
function getterType(mod: Module, source: string, owner: Fn): { name: string; type: CtyType } | undefined {
  const call =
    /get(String|Boolean|Number|List|NumberList|BooleanList|StringMap|NumberMap|BooleanMap)Attribute\('([a-z0-9_]+)'\)/.exec(
      source,
    );
  if (call) {
    const set = source.includes('Fn.tolist(');
    const t: Record<string, CtyType> = {
      String: 'string',
      Boolean: 'bool',
      Number: 'number',
      List: [set ? 'set' : 'list', 'string'],
      NumberList: [set ? 'set' : 'list', 'number'],
      BooleanList: [set ? 'set' : 'list', 'bool'],
      StringMap: ['map', 'string'],
      NumberMap: ['map', 'number'],
      BooleanMap: ['map', 'bool'],
    };
    return { name: call[2]!, type: t[call[1]!]! };
  }
  // A complex computed value: `return this._schedule;`, built in the constructor as
  // `this._schedule = new SynchronizationJobScheduleList(this, "schedule", false);`
  const field = /return this\.(_\w+);/.exec(source)?.[1];
  if (field === undefined) return undefined;
  const built = new RegExp(
    `this\\.${field} = new (?:cdktf\\.)?(\\w+)\\(this, "([a-z0-9_]+)"(?:, (true|false))?\\)`,
  ).exec(owner.toString());
  if (!built) return undefined;
  const [, className, name, wrapsSet] = built;
  // A computed map of scalars: `this._appRoleIds = new cdktf.StringMap(this, "app_role_ids");`
  const scalarMap = /^(String|Number|Boolean)Map$/.exec(className!);
  if (scalarMap) return { name: name!, type: ['map', scalarType(lowerFirst(scalarMap[1]!), '')] };
  const listClass = mod[className!] as Fn;
  const elementClass = /new (\w+OutputReference)\(/.exec(listClass.prototype.get?.toString() ?? '')?.[1];
  const element = computedObject(mod, (elementClass !== undefined ? mod[elementClass] : listClass) as Fn);
  return { name: name!, type: elementClass !== undefined ? [wrapsSet === 'true' ? 'set' : 'list', element] : element };
}

/** The object type of a computed complex value, from its OutputReference class's getters. */
function computedObject(mod: Module, cls: Fn): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const d of Object.values(Object.getOwnPropertyDescriptors(cls.prototype))) {
    if (d.get === undefined) continue;
    const t = getterType(mod, d.get.toString(), cls);
    if (t) attrs[t.name] = t.type;
  }
  return ['object', attrs];
}

/** The attributes and blocks a `…ToHclTerraform` function or `synthesizeHclAttributes` source lists. */
function configurable(
  mod: Module,
  source: string,
  isOptional: (valueExpression: string) => boolean,
): { attributes: Record<string, AttributeSchema>; blocks: Record<string, NestedBlockSchema> } {
  const attributes: Record<string, AttributeSchema> = {};
  const blocks: Record<string, NestedBlockSchema> = {};
  for (const m of source.matchAll(HCL_ATTRIBUTE)) {
    const [, name, value, isBlock, kind, storageClass] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const optional = isOptional(value);
    if (isBlock === 'true') {
      const toHcl = mod[`${lowerFirst(storageClass.replace(/List$/, ''))}ToHclTerraform`] as Fn | undefined;
      if (!toHcl) throw new Error(`schema-from-bindings: no ToHclTerraform function for ${storageClass}`);
      // Inside a struct every field is `struct.<camel>`; a field is optional when its interface marks it so,
      // which the generated code does not show: nested blocks here are timeouts, all optional (SDK timeouts).
      const inner = configurable(mod, toHcl.toString(), () => true);
      blocks[name] = {
        nesting: kind === 'struct' ? 'single' : kind === 'set' ? 'set' : 'list',
        block: { attributes: inner.attributes, blocks: inner.blocks },
      };
      continue;
    }
    attributes[name] = optional
      ? { type: scalarType(storageClass, kind), optional: true }
      : { type: scalarType(storageClass, kind), required: true };
  }
  return { attributes, blocks };
}

/** One binding class's schema, as the bindings describe it. */
export function schemaFromBinding(mod: Module, className: string, skip: readonly string[] = []): BlockSchema {
  const cls = mod[className] as Fn;
  const proto = cls.prototype as Record<string, unknown>;
  const { attributes, blocks } = configurable(mod, (proto.synthesizeHclAttributes as Fn).toString(), (value) => {
    const field = /this\._(\w+)/.exec(value)?.[1];
    return field !== undefined && typeof proto[`reset${pascal(field)}`] === 'function';
  });
  for (const name of skip) delete attributes[name];
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
    if (d.get === undefined || d.set !== undefined || key.endsWith('Input')) continue;
    const t = getterType(mod, d.get.toString(), cls);
    if (t === undefined || attributes[t.name] !== undefined || blocks[t.name] !== undefined) continue;
    attributes[t.name] = { type: t.type, computed: true };
  }
  return { attributes, blocks };
}

export interface BindingSchemas {
  readonly provider: ResourceSchema;
  readonly dataSources: Record<string, ResourceSchema>;
  readonly resources: Record<string, ResourceSchema>;
}

/** Every schema the stand-in serves, from the bindings alone (before behaviour.ts). */
export function schemasFromBindings(load: (module: string) => Module): BindingSchemas {
  const of = (b: { module: string; className: string }, skip: readonly string[] = []): ResourceSchema => ({
    block: schemaFromBinding(load(b.module), b.className, skip),
  });
  return {
    // `alias` is Terraform's meta-argument, which cdktf keeps on the provider class.
    provider: of(BINDINGS.provider, ['alias']),
    dataSources: Object.fromEntries(Object.entries(BINDINGS.dataSources).map(([k, b]) => [k, of(b)])),
    resources: Object.fromEntries(Object.entries(BINDINGS.resources).map(([k, b]) => [k, of(b)])),
  };
}
