/**
 * The azuread stand-in's schema, as Terraform sees it (`terraform providers schema -json`), holds every attribute
 * and block of the eight @cdktf/provider-azuread bindings the stack uses, and of the provider configuration, read
 * independently of the generator: from the bindings' TypeScript declarations (`index.d.ts`: the `…Config`
 * interface's fields, the class's getters, and those of its nested types). And `terraform validate` rejects a
 * misspelled argument on each of the eight types.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { installStandIns, removeDir, startFake, tempDir, Terraform } from './harness';
import { BINDINGS } from './providers/azuread/schema-from-bindings';

interface ServedBlock {
  attributes?: Record<string, { type: unknown; required?: boolean; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; block: ServedBlock }>;
}

let dir: string;
let fake: FakeGraph;
let tf: Terraform;
let served: {
  provider: { block: ServedBlock };
  resource_schemas: Record<string, { block: ServedBlock }>;
  data_source_schemas: Record<string, { block: ServedBlock }>;
};

const REQUIRED = `terraform {
  required_providers {
    azuread = { source = "hashicorp/azuread", version = "3.7.0" }
  }
}
`;

beforeAll(async () => {
  dir = tempDir('schema');
  fake = await startFake();
  tf = new Terraform(dir, installStandIns(dir), fake);
  writeFileSync(path.join(dir, 'main.tf'), REQUIRED);
  await tf.ok(['init']);
  const json = JSON.parse((await tf.ok(['providers', 'schema', '-json'])).stdout) as {
    provider_schemas: Record<string, typeof served>;
  };
  served = json.provider_schemas['registry.terraform.io/hashicorp/azuread']!;
});

afterAll(async () => {
  await fake?.stop();
  removeDir(dir);
});

// ---- the bindings' declarations ----

const snake = (camel: string): string => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The members of each `export interface` / `export declare class` in a .d.ts file. */
function declarations(module: string): Map<string, { fields: Map<string, string>; getters: Map<string, string> }> {
  const file = require.resolve(`@cdktf/provider-azuread/lib/${module}/index.d.ts`);
  const out = new Map<string, { fields: Map<string, string>; getters: Map<string, string> }>();
  for (const m of readFileSync(file, 'utf8').matchAll(
    /^export (?:interface|declare class) (\w+)[^{]*\{\n([\s\S]*?)^\}/gm,
  )) {
    const fields = new Map<string, string>();
    const getters = new Map<string, string>();
    for (const f of m[2]!.matchAll(/^ {4}readonly (\w+)(\??): ([^;]+);/gm)) fields.set(f[1]!, `${f[2]!}${f[3]!}`);
    for (const g of m[2]!.matchAll(/^ {4}get (\w+)\(\): ([^;]+);/gm)) {
      if (!g[1]!.endsWith('Input') && g[1] !== 'internalValue') getters.set(g[1]!, g[2]!);
    }
    out.set(m[1]!, { fields, getters });
  }
  return out;
}

/** Attribute and block names the declarations give for one binding (snake_case, nested ones as `a.b`). */
function bindingNames(module: string, className: string): { all: string[]; required: string[] } {
  const decls = declarations(module);
  const cls = decls.get(className)!;
  const config = decls.get(className === 'AzureadProvider' ? 'AzureadProviderConfig' : `${className}Config`)!;
  const all = new Set<string>();
  const nested = (name: string, typeName: string): void => {
    const type = typeName.replace(/ \| .*$/, '').replace(/\[\]$/, '');
    const element = decls.get(type.endsWith('List') ? type.replace(/List$/, 'OutputReference') : type);
    const members = element ? [...element.fields.keys(), ...element.getters.keys()] : [];
    for (const member of members) all.add(`${name}.${snake(member)}`);
  };
  for (const [field, type] of config.fields) {
    all.add(snake(field));
    nested(snake(field), type.replace(/^\?/, ''));
  }
  for (const [getter, type] of cls.getters) {
    all.add(snake(getter));
    nested(snake(getter), type);
  }
  all.delete('alias'); // Terraform's meta-argument, kept on cdktf's provider class
  const required = [...config.fields].filter(([, t]) => !t.startsWith('?')).map(([f]) => snake(f));
  return { all: [...all].sort(), required: required.sort() };
}

/** The names the served schema has, in the same form. */
function servedNames(block: ServedBlock): { all: string[]; required: string[] } {
  const all: string[] = [];
  for (const [name, a] of Object.entries(block.attributes ?? {})) {
    all.push(name);
    const t = a.type as unknown[];
    const object = Array.isArray(t) && Array.isArray(t[1]) && t[1][0] === 'object' ? (t[1][1] as object) : undefined;
    for (const inner of Object.keys(object ?? {})) all.push(`${name}.${inner}`);
  }
  for (const [name, b] of Object.entries(block.block_types ?? {})) {
    all.push(name);
    for (const inner of Object.keys(b.block.attributes ?? {})) all.push(`${name}.${inner}`);
  }
  const required = Object.entries(block.attributes ?? {})
    .filter(([, a]) => a.required === true)
    .map(([n]) => n);
  return { all: all.sort(), required: required.sort() };
}

const cases: [string, { module: string; className: string }, () => { block: ServedBlock } | undefined][] = [
  ['provider azuread', BINDINGS.provider, () => served.provider],
  ...Object.entries(BINDINGS.dataSources).map(
    ([type, b]): [string, { module: string; className: string }, () => { block: ServedBlock } | undefined] => [
      `data ${type}`,
      b,
      () => served.data_source_schemas[type],
    ],
  ),
  ...Object.entries(BINDINGS.resources).map(
    ([type, b]): [string, { module: string; className: string }, () => { block: ServedBlock } | undefined] => [
      `resource ${type}`,
      b,
      () => served.resource_schemas[type],
    ],
  ),
];

test.each(cases)('%s: the served schema has every attribute of the binding', (_name, binding, schema) => {
  const expected = bindingNames(binding.module, binding.className);
  const actual = servedNames(schema()!.block);
  expect(expected.all.length).toBeGreaterThan(0);
  expect(expected.all.filter((n) => !actual.all.includes(n))).toEqual([]);
  expect(actual.all.filter((n) => !expected.all.includes(n))).toEqual([]);
  expect(actual.required).toEqual(expected.required);
});

test('terraform validate rejects a misspelled argument on each of the eight types', async () => {
  const misspelled: [string, string][] = [
    ['data "azuread_client_config"', 'tenant_idd'],
    ['data "azuread_application_template"', 'display_nmae'],
    ['data "azuread_service_principal"', 'objectid'],
    ['data "azuread_application"', 'clientid'],
    ['resource "azuread_application_from_template"', 'templat_id'],
    ['resource "azuread_application_app_role"', 'role_idd'],
    ['resource "azuread_app_role_assignment"', 'principal_objectid'],
    ['resource "azuread_synchronization_job"', 'enable'],
  ];
  const valid = `
data "azuread_client_config" "x" {
}
data "azuread_application_template" "x" {
  display_name = "Rollbar"
}
data "azuread_service_principal" "x" {
  object_id = "3f5c3e0e-0000-4000-8000-000000000002"
}
data "azuread_application" "x" {
  client_id = "3f5c3e0e-0000-4000-8000-000000000003"
}
resource "azuread_application_from_template" "x" {
  display_name = "Rollbar"
  template_id  = "fa4e0000-0000-4000-8000-00000000f00d"
}
resource "azuread_application_app_role" "x" {
  application_id       = "/applications/3f5c3e0e-0000-4000-8000-000000000001"
  role_id              = "56d7c80f-5af4-56ed-8a75-0368feb9c898"
  allowed_member_types = ["User"]
  description          = "Rollbar users"
  display_name         = "User"
}
resource "azuread_app_role_assignment" "x" {
  app_role_id         = "56d7c80f-5af4-56ed-8a75-0368feb9c898"
  principal_object_id = "22222222-2222-4222-8222-222222222222"
  resource_object_id  = "3f5c3e0e-0000-4000-8000-000000000002"
}
resource "azuread_synchronization_job" "x" {
  service_principal_id = "/servicePrincipals/3f5c3e0e-0000-4000-8000-000000000002"
  template_id          = "fake-rollbar-template"
}
`;
  const main = path.join(dir, 'main.tf');
  writeFileSync(main, REQUIRED + valid);
  const ok = await tf.run(['validate']);
  expect(ok.output).toContain('The configuration is valid.');

  // The same blocks, each with one misspelled argument added. They reference nothing: terraform validate
  // skips a block whose dependency failed, and each must be checked.
  let typo = valid;
  for (const [block, name] of misspelled) typo = typo.replace(new RegExp(`(${block} "x" \\{)`), `$1\n  ${name} = "x"`);
  writeFileSync(main, REQUIRED + typo);
  const result = await tf.run(['validate']);
  expect(result.code).toBe(1);
  const errors = result.output.split(/^Error: /m).slice(1);
  for (const [block, name] of misspelled) {
    const error = errors.find((e) => e.includes(`in ${block} "x"`));
    expect(error).toMatch(/^Unsupported argument/);
    expect(error).toContain(`An argument named "${name}" is not expected here.`);
  }
});
