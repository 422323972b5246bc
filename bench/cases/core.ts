/**
 * The pure core, timed in-process: `mergeSchema` on a schema with 200 attribute mappings (the test fixture's
 * Rollbar schema grown with 192 more attributes on both sides), and `parseExpression` on 10,000 distinct
 * expressions of every shape the parser knows. Each is warmed up, then timed in several batches. Then the
 * configuration loader (`checkConfigText`: parse, shape check, every rule, warnings) on a `rollbar.yaml` with
 * 10,000 and 44,000 assignments: its first call (cold, as `validate` and a stack pay it), then three warm batches.
 */
import type { AttributeMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { LineCounter, parseDocument } from 'yaml';
import { checkConfigText } from '../../constructs/config';
import { parseExpression } from '../../constructs/core/expression/parser';
import { mergeSchema } from '../../constructs/core/mappings/merge-schema';
import type { AttributeMappingSpec, MappingsSpec } from '../../constructs/core/spec';
import { attr, rollbarFilterOperators, rollbarTemplateSchema } from '../../test/fixtures/rollbar-schema';
import { round, runCase, sinceStart } from '../child';
import { principalObjectId } from '../spec';

/** Attribute mappings in the grown schema's users mapping. */
export const SCHEMA_MAPPINGS = 200;
/** Expressions parsed per batch. */
export const EXPRESSIONS = 10_000;
const BATCHES = 7;

/** The fixture schema with its users mapping grown to {@link SCHEMA_MAPPINGS} attribute mappings. */
export function schemaWith200Mappings(): { schema: SynchronizationSchema; added: string[] } {
  const schema = rollbarTemplateSchema();
  const [source, target] = schema.directories ?? [];
  const users = schema.synchronizationRules?.[0]?.objectMappings?.[0];
  const sourceUser = source?.objects?.find((o) => o.name === 'User');
  const targetUser = target?.objects?.find((o) => o.name === 'User');
  if (!users?.attributeMappings || !sourceUser?.attributes || !targetUser?.attributes) {
    throw new Error('the fixture schema changed shape: bench/cases/core.ts must follow it');
  }
  const added: string[] = [];
  for (let i = users.attributeMappings.length; i < SCHEMA_MAPPINGS; i++) {
    const suffix = String(i).padStart(3, '0');
    sourceUser.attributes.push(attr(`extension_bench_source${suffix}`));
    targetUser.attributes.push(attr(`urn:bench:custom:attribute${suffix}`));
    const mapping: AttributeMapping = {
      targetAttributeName: `urn:bench:custom:attribute${suffix}`,
      source: {
        type: 'Attribute',
        name: `extension_bench_source${suffix}`,
        expression: `[extension_bench_source${suffix}]`,
        parameters: [],
      },
      matchingPriority: 0,
      flowType: 'Always',
      flowBehavior: 'FlowWhenChanged',
      defaultValue: null,
      exportMissingReferences: false,
    };
    users.attributeMappings.push(mapping);
    added.push(suffix);
  }
  return { schema, added };
}

/** A patch that overrides every added mapping with a function expression and adds a scoping filter. */
export function patchFor(added: readonly string[]): MappingsSpec {
  const attributes: Record<string, AttributeMappingSpec> = {};
  for (const suffix of added) {
    attributes[`urn:bench:custom:attribute${suffix}`] = {
      source: `Coalesce(ToLower([extension_bench_source${suffix}]), "none-${suffix}")`,
      apply: Number(suffix) % 2 === 0 ? 'always' : 'onCreateOnly',
    };
  }
  return {
    users: {
      attributes,
      scopingFilters: [
        { name: 'Engineering', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }] },
      ],
    },
  };
}

/** Assignments in the loader's files: the target size, and the size that took 84 s before the fix. */
export const LOADER_SIZES = [10_000, 44_000] as const;

/**
 * A `rollbar.yaml` in the example's shape (two roles, notification, one mapping override and one scoping filter)
 * with `n` assignments, as a user writes them.
 */
export function configWith(n: number): string {
  const lines = [
    'notification:',
    '  email: identity-ops@example.com',
    'roles:',
    '  - value: User',
    '  - value: Admin',
    'mappings:',
    '  users:',
    '    attributes:',
    '      emails[type eq "work"].value:',
    '        source: Coalesce([mail], [userPrincipalName])',
    '    scopingFilters:',
    '      - name: Engineering',
    '        clauses:',
    '          - { attribute: department, operator: EQUALS, values: [Engineering] }',
    'assignments:',
  ];
  for (let i = 0; i < n; i++) {
    lines.push(
      `  principal-${String(i).padStart(5, '0')}:`,
      `    principalObjectId: ${principalObjectId(i)}`,
      `    role: ${i % 2 === 0 ? 'User' : 'Admin'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** {@link EXPRESSIONS} distinct expressions: attributes, constants, calls, nested calls and comparisons. */
export function expressions(): string[] {
  const shapes = [
    (i: number) => `[extensionAttribute${(i % 15) + 1}]`,
    (i: number) => `"constant value ${i}"`,
    (i: number) => `Join(" ", [givenName], [surname], "${i}")`,
    (i: number) => `Switch([IsSoftDeleted], , "False", "True", "True", "False${i}")`,
    (i: number) => `IIF([department]="Engineering ${i}", ToLower([mail]), ToUpper([userPrincipalName]))`,
    (i: number) => `Coalesce(Replace([mail], , "@old${i}.example.com", , "@new.example.com", , ), [userPrincipalName])`,
    (i: number) => `Append(Left(StripSpaces(NormalizeDiacritics([surname])), ${(i % 8) + 1}), "${i}")`,
    (i: number) => `FormatDateTime([employeeHireDate], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd-${i}")`,
  ];
  return Array.from({ length: EXPRESSIONS }, (_, i) => shapes[i % shapes.length]!(i));
}

/** Wall and CPU (user + system) milliseconds of one call: on a busy machine, CPU time is the steadier measure. */
function cpuTimed<T>(body: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = sinceStart();
  const value = body();
  const ms = round(sinceStart() - start);
  const used = process.cpuUsage(cpu);
  return { value, ms, cpuMs: round((used.user + used.system) / 1000) };
}

function batches(count: number, body: () => void): number[] {
  body(); // warm-up: the first call compiles
  const out: number[] = [];
  for (let b = 0; b < count; b++) {
    const start = sinceStart();
    body();
    out.push(round(sinceStart() - start));
  }
  return out;
}

runCase(() => {
  const { schema, added } = schemaWith200Mappings();
  const patch = patchFor(added);
  const options = { filterOperators: rollbarFilterOperators() };
  const first = mergeSchema(schema, patch, options);
  if (first.problems.length > 0 || !first.changed) {
    throw new Error(`mergeSchema bench input is wrong: ${first.problems.map((p) => p.message).join('; ')}`);
  }
  const mergesPerBatch = 10;
  const merge = batches(BATCHES, () => {
    for (let i = 0; i < mergesPerBatch; i++) mergeSchema(schema, patch, options);
  }).map((ms) => round(ms / mergesPerBatch));
  const noop = batches(BATCHES, () => {
    for (let i = 0; i < mergesPerBatch; i++) mergeSchema(first.schema, patch, options);
  }).map((ms) => round(ms / mergesPerBatch));

  const texts = expressions();
  const failed = texts.filter((t) => !parseExpression(t).ok);
  if (failed.length > 0) throw new Error(`parser bench input is wrong: ${failed.slice(0, 3).join(' | ')}`);
  const parse = batches(BATCHES, () => {
    for (const text of texts) parseExpression(text);
  });

  // Each size with LF line ends, and 10,000 with CR LF, as a file saved on Windows has them.
  const files = [
    ...LOADER_SIZES.map((assignments) => ({ assignments, lineEnds: 'LF' as const })),
    { assignments: LOADER_SIZES[0], lineEnds: 'CR LF' as const },
  ];
  const loader = files.map(({ assignments, lineEnds }) => {
    const lf = configWith(assignments);
    const text = lineEnds === 'LF' ? lf : lf.replace(/\n/g, '\r\n');
    const cold = cpuTimed(() => checkConfigText(text));
    if (cold.value.config === undefined || Object.keys(cold.value.config.assignments ?? {}).length !== assignments) {
      throw new Error(`loader bench input is wrong: ${cold.value.problems.map((p) => p.message).join('; ')}`);
    }
    const warm = [0, 1, 2].map(() => cpuTimed(() => checkConfigText(text)));
    return {
      assignments,
      lineEnds,
      bytes: text.length,
      coldMs: cold.ms,
      coldCpuMs: cold.cpuMs,
      msPerLoad: warm.map((w) => w.ms),
      cpuMsPerLoad: warm.map((w) => w.cpuMs),
    };
  });
  // What the loader did before (yaml's own duplicate-key check, which compares each key with every earlier one),
  // at 10,000 assignments only: it is quadratic, and 44,000 would take minutes.
  const before = cpuTimed(() =>
    parseDocument(configWith(LOADER_SIZES[0]), { lineCounter: new LineCounter(), uniqueKeys: true }),
  );
  return {
    resources: 0,
    phases: {},
    core: {
      mergeMs: merge,
      mergeNoopMs: noop,
      parse10kMs: parse,
      mappings: SCHEMA_MAPPINGS,
      expressions: EXPRESSIONS,
      loader,
      loaderBefore: { assignments: LOADER_SIZES[0], parseMs: before.ms, parseCpuMs: before.cpuMs },
    },
  };
});
