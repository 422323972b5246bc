/**
 * The azuread stand-in's schema, as Terraform sees it (`terraform providers schema -json`), holds every attribute
 * and block of the @cdktf/provider-azuread bindings the stack uses, and of the provider configuration, read
 * independently of the generator: from the bindings' TypeScript declarations (`index.d.ts`: the `…Config`
 * interface's fields, the class's getters, and those of its nested types). And `terraform validate` rejects a
 * misspelled argument on every type the stand-in serves (the list read from the served schema).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { FakeGraph } from '../fake-graph/server';
import { installStandIns, removeDir, startFake, tempDir, Terraform } from './harness';
import { BINDINGS } from './providers/azuread/schema-from-bindings';

interface ServedBlock {
  attributes?: Record<string, { type: unknown; required?: boolean; optional?: boolean; computed?: boolean }>;
  block_types?: Record<string, { nesting_mode: string; min_items?: number; block: ServedBlock }>;
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

test('the stand-in serves exactly the types of the bindings, no more', () => {
  expect(Object.keys(served.resource_schemas).sort()).toEqual(Object.keys(BINDINGS.resources).sort());
  expect(Object.keys(served.data_source_schemas).sort()).toEqual(Object.keys(BINDINGS.dataSources).sort());
});

/** A value of cty type `type` in HCL: what the schema accepts, not what the provider's validation would. */
function placeholder(type: unknown): string {
  if (type === 'string') return '"x"';
  if (type === 'number') return '1';
  if (type === 'bool') return 'true';
  const [kind, element] = type as [string, unknown];
  if (kind === 'list' || kind === 'set') return `[${placeholder(element)}]`;
  if (kind === 'map') return '{}';
  if (kind === 'object') {
    const fields = Object.entries(element as Record<string, unknown>).map(([k, t]) => `${k} = ${placeholder(t)}`);
    return `{ ${fields.join(', ')} }`;
  }
  throw new Error(`no placeholder for cty type ${JSON.stringify(type)}`);
}

/** The body of a block with each required attribute and each required nested block, from the served schema. */
function requiredBody(block: ServedBlock): string[] {
  const attributes = Object.entries(block.attributes ?? {})
    .filter(([, a]) => a.required === true)
    .map(([name, a]) => `${name} = ${placeholder(a.type)}`);
  const blocks = Object.entries(block.block_types ?? {})
    .filter(([, b]) => (b.min_items ?? 0) > 0)
    .map(([name, b]) => `${name} {\n${requiredBody(b.block).join('\n')}\n}`);
  return [...attributes, ...blocks];
}

test('terraform validate rejects a misspelled argument on every type the stand-in serves', async () => {
  // Every type Terraform is told of, so that a type the stand-in gains is checked without editing this test.
  const types = [
    ...Object.entries(served.data_source_schemas).map(([type, s]) => ({ block: `data "${type}"`, schema: s.block })),
    ...Object.entries(served.resource_schemas).map(([type, s]) => ({ block: `resource "${type}"`, schema: s.block })),
  ];
  expect(types.length).toBe(Object.keys(BINDINGS.dataSources).length + Object.keys(BINDINGS.resources).length);
  const blocks = types.map(({ block, schema }) => {
    // One of the type's own names with its last letter doubled: a typo of a real argument, which no type has.
    const names = [...Object.keys(schema.attributes ?? {}), ...Object.keys(schema.block_types ?? {})].sort();
    const required = names.filter((n) => schema.attributes?.[n]?.required === true);
    const base = required[0] ?? names[0]!;
    const typo = `${base}${base.at(-1)!}`;
    expect(names).not.toContain(typo);
    return { block, typo, body: requiredBody(schema) };
  });
  const render = (withTypo: boolean): string =>
    blocks
      .map(
        ({ block, typo, body }) =>
          `${block} "x" {\n${[...body, ...(withTypo ? [`${typo} = "x"`] : [])].join('\n')}\n}\n`,
      )
      .join('');
  const main = path.join(dir, 'main.tf');

  // Without the typos the blocks fit the schema: whatever validate reports is the provider's check of the values.
  writeFileSync(main, REQUIRED + render(false));
  const fits = await tf.run(['validate']);
  expect(fits.output).not.toMatch(
    /Unsupported (argument|block type)|Missing required (argument|block)|Incorrect attribute value type/,
  );

  // The same blocks, each with one misspelled argument added. They reference nothing: terraform validate
  // skips a block whose dependency failed, and each must be checked.
  writeFileSync(main, REQUIRED + render(true));
  const result = await tf.run(['validate']);
  expect(result.code).toBe(1);
  const errors = result.output.split(/^Error: /m).slice(1);
  for (const { block, typo } of blocks) {
    const ofBlock = errors.filter((e) => e.includes(`in ${block} "x"`));
    expect(ofBlock).toHaveLength(1);
    expect(ofBlock[0]).toMatch(/^Unsupported argument/);
    expect(ofBlock[0]).toContain(`An argument named "${typo}" is not expected here.`);
  }
});
