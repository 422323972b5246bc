/**
 * schemaToPatch is mergeSchema's inverse: for every job schema the model can express, the patch it returns merges
 * into the template to give the job (volatile and identity fields aside), it says nothing the template already
 * says, and whatever it cannot express it names. Property tests (fast-check) generate the jobs two ways: as merges
 * of generated patches (exactly the expressible jobs), and as edits of the schema itself, as the portal makes
 * them (some of which the model cannot express). FC_SEED replays a failure.
 */
import fc from 'fast-check';
import type { ObjectMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import {
  COMPARISON_OPERATORS,
  mergeSchema,
  printExpression,
  schemaToPatch,
  type ArgumentNode,
  type AttributeMappingSpec,
  type GroupMappingPatch,
  type MappingsSpec,
  type ScopingFilterGroup,
  type SchemaDifferenceKind,
  type ValueNode,
} from '../../../constructs/core';
import { FUNCTIONS, type FunctionDefinition } from '../../../constructs/core/expression/functions';
import { canonicalSchema } from '../../../constructs/core/mappings/schema-digest';
import { FILTER_OPERATORS, UNARY_FILTER_OPERATORS } from '../../../constructs/core/mappings/scoping';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../../fixtures/rollbar-schema';

const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
// The acceptance asks for at least 200 generated schemas in the round trip; the variants below need fewer.
const RUNS = 220;
const options = { filterOperators: rollbarFilterOperators() };

/** The schema as the digest compares it, without the ids Graph gives each job. */
function comparable(schema: SynchronizationSchema): string {
  const copy = structuredClone(schema);
  delete copy.id;
  for (const d of copy.directories ?? []) {
    delete d.id;
    delete d.discoveryDateTime;
  }
  return canonicalSchema(copy);
}

function merged(patch: MappingsSpec, template = rollbarTemplateSchema()): SynchronizationSchema | undefined {
  const result = mergeSchema(template, patch, options);
  return result.problems.length === 0 ? result.schema : undefined;
}

function mappingOf(schema: SynchronizationSchema, source: 'User' | 'Group'): ObjectMapping {
  const m = schema.synchronizationRules?.[0]?.objectMappings?.find((o) => o.sourceObjectName === source);
  if (m === undefined) throw new Error(`no ${source} mapping`);
  return m;
}

function attributeOf(schema: SynchronizationSchema, target: string, source: 'User' | 'Group' = 'User') {
  const a = mappingOf(schema, source).attributeMappings?.find((m) => m.targetAttributeName === target);
  if (a === undefined) throw new Error(`no ${target}`);
  return a;
}

function kinds(job: SynchronizationSchema): SchemaDifferenceKind[] {
  return schemaToPatch(rollbarTemplateSchema(), job, options).differences.map((d) => d.kind);
}

// ---------------------------------------------------------------------------------------------------------------
// Generators. Expressions name only attributes the fixture's Azure AD objects define (the merge checks them).
const SPAN = { start: 0, end: 0 } as const;
const USER_SOURCES = ['mail', 'givenName', 'surname', 'userPrincipalName', 'department', 'IsSoftDeleted', 'jobTitle'];
const GROUP_SOURCES = ['displayName', 'objectId', 'mail', 'members', 'mailNickname'];
const USER_TARGETS = [
  'userName',
  'externalId',
  'active',
  'displayName',
  'title',
  'name.givenName',
  'name.familyName',
  'name.formatted',
  'emails[type eq "work"].value',
  'phoneNumbers[type eq "work"].value',
  'preferredLanguage',
];
const GROUP_TARGETS = ['displayName', 'externalId', 'members'];
const FILTER_SOURCES = ['department', 'country', 'accountEnabled', 'jobTitle'];

function expression(sources: readonly string[]): fc.Arbitrary<string> {
  const leaf: fc.Arbitrary<ValueNode> = fc.oneof(
    {
      arbitrary: fc.constantFrom(...sources).map((name): ValueNode => ({ kind: 'attribute', name, span: SPAN })),
      weight: 3,
    },
    fc.string({ maxLength: 6 }).map((value): ValueNode => ({ kind: 'string', value, span: SPAN })),
  );
  const functions = [...FUNCTIONS.values()].filter((f) => !f.topLevelOnly);
  const count = (f: FunctionDefinition): fc.Arbitrary<number> => {
    const n = fc.integer({ min: f.minArgs, max: Number.isFinite(f.maxArgs) ? f.maxArgs : f.minArgs + 2 });
    return f.evenArgs ? n.map((k) => (k % 2 === 0 ? k : k + 1)) : n;
  };
  const call = (value: fc.Arbitrary<ValueNode>): fc.Arbitrary<ValueNode> => {
    const comparison = fc
      .tuple(value, fc.constantFrom(...COMPARISON_OPERATORS), value)
      .map(([left, operator, right]): ArgumentNode => ({ kind: 'comparison', operator, left, right, span: SPAN }));
    const given = fc.oneof({ arbitrary: value, weight: 4 }, comparison);
    return fc
      .constantFrom(...functions)
      .chain((f) =>
        count(f).chain((n) =>
          fc
            .tuple(
              ...Array.from({ length: n }, (_, i) =>
                f.parameter(i, n).required || n === 1
                  ? given
                  : fc.oneof(given, fc.constant<ArgumentNode>({ kind: 'empty', span: SPAN })),
              ),
            )
            .map((args): ValueNode => ({ kind: 'function', name: f.name, args, span: SPAN, nameSpan: SPAN })),
        ),
      );
  };
  const nested = fc.oneof({ arbitrary: leaf, weight: 3 }, call(leaf));
  return fc.oneof({ arbitrary: leaf, weight: 2 }, { arbitrary: call(nested), weight: 2 }).map(printExpression);
}

function attributeSpec(sources: readonly string[]): fc.Arbitrary<AttributeMappingSpec | null> {
  return fc.option(
    fc.record(
      {
        source: expression(sources),
        matchingPriority: fc.constantFrom(0, 0, 0, 1, 2, 3),
        apply: fc.constantFrom('always', 'onCreateOnly'),
        defaultValue: fc.string({ maxLength: 5 }),
      },
      { requiredKeys: ['source'] },
    ),
    { freq: 5 },
  );
}

const scopingFilters: fc.Arbitrary<ScopingFilterGroup[]> = fc.array(
  fc.record({
    name: fc.constantFrom('Engineering', 'Sales', 'Contractors'),
    clauses: fc.array(
      fc.constantFrom(...FILTER_OPERATORS).chain((operator) =>
        UNARY_FILTER_OPERATORS.has(operator)
          ? fc.record({ attribute: fc.constantFrom(...FILTER_SOURCES), operator: fc.constant(operator) })
          : fc.record({
              attribute: fc.constantFrom(...FILTER_SOURCES),
              operator: fc.constant(operator),
              values: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 2 }),
            }),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  { maxLength: 2 },
);

const patchArbitrary: fc.Arbitrary<MappingsSpec> = fc.record(
  {
    users: fc.record(
      {
        attributes: fc.dictionary(fc.constantFrom(...USER_TARGETS), attributeSpec(USER_SOURCES), { maxKeys: 5 }),
        scopingFilters,
      },
      { requiredKeys: [] },
    ),
    groups: fc.record(
      {
        attributes: fc.dictionary(fc.constantFrom(...GROUP_TARGETS), attributeSpec(GROUP_SOURCES), { maxKeys: 3 }),
        scopingFilters,
        enabled: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

/** Every job the model can express: the template with a generated patch merged (patches the merge rejects aside). */
const expressibleJob = patchArbitrary
  .map((patch) => ({ patch, job: merged(patch) }))
  .filter((x): x is { patch: MappingsSpec; job: SynchronizationSchema } => x.job !== undefined);

/** The entries of a patch, one by one: each side's attributes, scoping filters and enabled. */
function entries(patch: MappingsSpec): { without: MappingsSpec; what: string }[] {
  const out: { without: MappingsSpec; what: string }[] = [];
  for (const side of ['users', 'groups'] as const) {
    const p: GroupMappingPatch | undefined = patch[side];
    if (p === undefined) continue;
    for (const target of Object.keys(p.attributes ?? {})) {
      const { [target]: _dropped, ...rest } = p.attributes ?? {};
      out.push({ without: { ...patch, [side]: { ...p, attributes: rest } }, what: `${side}.attributes.${target}` });
    }
    for (const key of ['scopingFilters', 'enabled'] as const) {
      if (p[key] === undefined) continue;
      const { [key]: _dropped, ...rest } = p;
      out.push({ without: { ...patch, [side]: rest }, what: `${side}.${key}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
describe('schemaToPatch on the Rollbar fixture', () => {
  test('the template against itself: an empty patch and no difference', () => {
    expect(schemaToPatch(rollbarTemplateSchema(), rollbarTemplateSchema(), options)).toEqual({
      patch: {},
      differences: [],
    });
  });

  test('a job with its own ids, versions and discovery times is still the template', () => {
    const job = rollbarTemplateSchema();
    job.id = 'job-schema-id';
    job.version = 'job-version-3';
    for (const d of job.directories ?? []) {
      d.id = `job-${d.id ?? ''}`;
      d.version = 'job-directory-version';
      d.discoveryDateTime = '2026-11-30T10:00:00Z';
    }
    expect(schemaToPatch(rollbarTemplateSchema(), job, options)).toEqual({ patch: {}, differences: [] });
  });

  test('a portal edit of every kind the model has comes back as the patch a user would write', () => {
    const job = rollbarTemplateSchema();
    const users = mappingOf(job, 'User');
    attributeOf(job, 'name.givenName').source = {
      type: 'Attribute',
      name: 'displayName',
      expression: '[displayName]',
      parameters: [],
    };
    attributeOf(job, 'externalId').matchingPriority = 2;
    attributeOf(job, 'title').flowType = 'ObjectAddOnly';
    attributeOf(job, 'displayName').defaultValue = 'unknown';
    users.attributeMappings = users.attributeMappings!.filter((m) => m.targetAttributeName !== 'name.familyName');
    users.attributeMappings.push({
      targetAttributeName: 'preferredLanguage',
      source: { type: 'Attribute', name: 'preferredLanguage', expression: '[preferredLanguage]', parameters: [] },
      matchingPriority: 0,
      flowType: 'Always',
      flowBehavior: 'FlowWhenChanged',
      defaultValue: null,
      exportMissingReferences: false,
    });
    users.scope = {
      groups: [
        {
          name: 'Engineering',
          clauses: [
            { sourceOperandName: 'department', operatorName: 'EQUALS', targetOperand: { values: ['Engineering'] } },
            { sourceOperandName: 'accountEnabled', operatorName: 'IS_TRUE', targetOperand: { values: [] } },
          ],
        },
      ],
    };
    mappingOf(job, 'Group').enabled = false;

    const result = schemaToPatch(rollbarTemplateSchema(), job, options);
    expect(result.differences).toEqual([]);
    expect(result.patch).toEqual({
      users: {
        attributes: {
          displayName: { source: '[displayName]', defaultValue: 'unknown' },
          title: { source: '[jobTitle]', apply: 'onCreateOnly' },
          'name.givenName': { source: '[displayName]' },
          'name.familyName': null,
          externalId: { source: '[mailNickname]', matchingPriority: 2 },
          preferredLanguage: { source: '[preferredLanguage]' },
        },
        scopingFilters: [
          {
            name: 'Engineering',
            clauses: [
              { attribute: 'department', operator: 'EQUALS', values: ['Engineering'] },
              { attribute: 'accountEnabled', operator: 'IS TRUE' },
            ],
          },
        ],
      },
      groups: { enabled: false },
    });
    expect(comparable(merged(result.patch)!)).toBe(comparable(job));
  });

  test('expressions come back canonical, whatever the spacing Graph stored', () => {
    const job = rollbarTemplateSchema();
    attributeOf(job, 'title').source = {
      type: 'Function',
      name: 'Join',
      expression: 'Join(" ",[givenName] ,  [surname])',
      parameters: [],
    };
    expect(schemaToPatch(rollbarTemplateSchema(), job, options).patch).toEqual({
      users: { attributes: { title: { source: 'Join(" ", [givenName], [surname])' } } },
    });
    // The same meaning as the template's, spelled otherwise: nothing to say.
    const respaced = rollbarTemplateSchema();
    attributeOf(respaced, 'active').source!.expression = 'Switch( [IsSoftDeleted],, "False","True", "True", "False" )';
    expect(schemaToPatch(rollbarTemplateSchema(), respaced, options)).toEqual({ patch: {}, differences: [] });
  });

  test.each<[string, (job: SynchronizationSchema) => void, SchemaDifferenceKind, string]>([
    [
      'flowBehavior FlowAlways',
      (job) => (attributeOf(job, 'title').flowBehavior = 'FlowAlways'),
      'FLOW_BEHAVIOR',
      'mappings.users.attributes.title.flowBehavior',
    ],
    [
      'another flow type',
      (job) => (attributeOf(job, 'title').flowType = 'ValueAddOnly'),
      'FLOW_TYPE',
      'mappings.users.attributes.title.apply',
    ],
    [
      'exportMissingReferences',
      (job) => (attributeOf(job, 'members', 'Group').exportMissingReferences = true),
      'EXPORT_MISSING_REFERENCES',
      'mappings.groups.attributes.members.exportMissingReferences',
    ],
    [
      'a default value cleared',
      // The template below has the default value 'none'.
      (job) => (attributeOf(job, 'title').defaultValue = null),
      'DEFAULT_VALUE',
      'mappings.users.attributes.title.defaultValue',
    ],
    [
      'the users mapping switched off',
      (job) => (mappingOf(job, 'User').enabled = false),
      'USERS_ENABLED',
      'mappings.users.enabled',
    ],
    [
      'an attribute added to the target directory',
      (job) => {
        const rollbar = job.directories!.find((d) => d.name === 'Rollbar')!;
        rollbar
          .objects!.find((o) => o.name === 'User')!
          .attributes!.push({ name: 'urn:custom:costCenter', type: 'String' });
      },
      'DIRECTORY',
      'directories[Rollbar].objects[User].attributes',
    ],
    [
      'a category filter',
      (job) => {
        mappingOf(job, 'User').scope = {
          groups: [],
          categoryFilterGroups: [
            {
              name: 'c',
              clauses: [{ sourceOperandName: 'x', operatorName: 'EQUALS', targetOperand: { values: ['y'] } }],
            },
          ],
        };
      },
      'SCOPE_FILTER',
      'mappings.users.scope.categoryFilterGroups',
    ],
    [
      'an input filter',
      (job) => {
        mappingOf(job, 'Group').scope = {
          inputFilterGroups: [
            {
              name: 'i',
              clauses: [{ sourceOperandName: 'x', operatorName: 'EQUALS', targetOperand: { values: ['y'] } }],
            },
          ],
        };
      },
      'SCOPE_FILTER',
      'mappings.groups.scope.inputFilterGroups',
    ],
    [
      'a scoping operator no portal name is written as',
      (job) => {
        mappingOf(job, 'User').scope = {
          groups: [
            {
              name: 'g',
              clauses: [
                { sourceOperandName: 'department', operatorName: 'SOUNDS_LIKE', targetOperand: { values: ['a'] } },
              ],
            },
          ],
        };
      },
      'SCOPING_FILTER',
      'mappings.users.scopingFilters.0.clauses.0.operator',
    ],
    [
      'a source without an expression',
      (job) => (attributeOf(job, 'title').source = { type: 'Attribute', name: 'jobTitle', parameters: [] }),
      'SOURCE',
      'mappings.users.attributes.title.source',
    ],
    [
      'mappings in another order',
      (job) => mappingOf(job, 'User').attributeMappings!.reverse(),
      'ATTRIBUTE_ORDER',
      'mappings.users.attributes',
    ],
    [
      'another object mapping field',
      (job) => (mappingOf(job, 'User').flowTypes = 'Add, Update' as ObjectMapping['flowTypes']),
      'OBJECT_MAPPING',
      'mappings.users.flowTypes',
    ],
    [
      'another rule field',
      (job) => (job.synchronizationRules![0]!.containerFilter = { includedContainers: ['OU=x'] }),
      'RULE',
      'synchronizationRules[fixture rule: Microsoft Entra ID to Rollbar].containerFilter',
    ],
    [
      'no matching attribute left',
      (job) => (attributeOf(job, 'userName').matchingPriority = 0),
      'INVALID_PATCH',
      'mappings.users.attributes',
    ],
    [
      'a mapping to an attribute the target directory does not define',
      (job) =>
        mappingOf(job, 'User').attributeMappings!.push({
          ...attributeOf(job, 'title'),
          targetAttributeName: 'nickName',
        }),
      'INVALID_PATCH',
      'mappings.users.attributes.nickName',
    ],
    [
      'an expression with an unknown function',
      (job) =>
        (attributeOf(job, 'title').source = { type: 'Function', name: 'Shout', expression: 'Shout([jobTitle])' }),
      'SOURCE',
      'mappings.users.attributes.title.source',
    ],
  ])('names what the model cannot express: %s', (_name, edit, kind, path) => {
    const job = rollbarTemplateSchema();
    edit(job);
    const template = rollbarTemplateSchema();
    if (_name === 'a default value cleared') attributeOf(template, 'title').defaultValue = 'none';
    const { differences } = schemaToPatch(template, job, options);
    expect(differences).toContainEqual(expect.objectContaining({ kind, path }));
    for (const d of differences) expect(d.message).toMatch(/\S/);
  });

  test('like: the shape of a given patch, with the job values, still merging into the job', () => {
    const job = merged({ users: { attributes: { title: { source: '[department]' } } } })!;
    attributeOf(job, 'title').source = { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] };
    const like: MappingsSpec = {
      users: {
        attributes: {
          title: { source: '[department]', apply: 'always' },
          'name.givenName': { source: 'Coalesce([givenName],[mail])' },
          externalId: null,
        },
      },
      groups: { enabled: true },
    };
    const { patch, differences } = schemaToPatch(rollbarTemplateSchema(), job, { ...options, like });
    expect(differences).toEqual([]);
    expect(patch).toEqual({
      users: {
        attributes: {
          title: { source: '[mail]', apply: 'always' },
          'name.givenName': { source: '[givenName]' },
          externalId: { source: '[mailNickname]' },
        },
      },
      groups: { enabled: true },
    });
    expect(comparable(merged(patch)!)).toBe(comparable(job));
    // Where the job means what the like-patch says, its text is kept as written.
    const same = merged({ users: { attributes: { title: { source: 'Coalesce([givenName],[mail])' } } } })!;
    expect(
      schemaToPatch(rollbarTemplateSchema(), same, {
        ...options,
        like: { users: { attributes: { title: { source: 'Coalesce([givenName],[mail])' } } } },
      }).patch,
    ).toEqual({ users: { attributes: { title: { source: 'Coalesce([givenName],[mail])' } } } });
  });

  test('never changes its inputs', () => {
    const template = rollbarTemplateSchema();
    const job = merged({ users: { attributes: { title: null } }, groups: { enabled: false } })!;
    const before = [JSON.stringify(template), JSON.stringify(job)];
    schemaToPatch(template, job, options);
    expect([JSON.stringify(template), JSON.stringify(job)]).toEqual(before);
  });
});

describe('schemaToPatch on generated schemas', () => {
  test(`merge(template, schemaToPatch(template, job)) gives the job, for ${RUNS} expressible jobs`, () => {
    fc.assert(
      fc.property(expressibleJob, ({ job }) => {
        const template = rollbarTemplateSchema();
        const { patch, differences } = schemaToPatch(template, job, options);
        if (differences.length > 0) throw new Error(`differences: ${JSON.stringify(differences)}`);
        const back = merged(patch);
        if (back === undefined) throw new Error(`the patch is rejected: ${JSON.stringify(patch)}`);
        if (comparable(back) !== comparable(job)) throw new Error(`not the job: ${JSON.stringify(patch)}`);
      }),
      { numRuns: RUNS, ...seed },
    );
  });

  test('the patch is the smallest: without any one of its entries, the merge no longer gives the job', () => {
    fc.assert(
      fc.property(expressibleJob, ({ job }) => {
        const { patch } = schemaToPatch(rollbarTemplateSchema(), job, options);
        for (const { without, what } of entries(patch)) {
          const back = merged(without);
          if (back !== undefined && comparable(back) === comparable(job)) throw new Error(`${what} is not needed`);
        }
      }),
      { numRuns: 40, ...seed },
    );
  });

  test('with a like-patch (the generated one), the result still merges into the job', () => {
    fc.assert(
      fc.property(expressibleJob, patchArbitrary, ({ job }, like) => {
        const { patch, differences } = schemaToPatch(rollbarTemplateSchema(), job, { ...options, like });
        if (differences.length > 0) throw new Error(`differences: ${JSON.stringify(differences)}`);
        const back = merged(patch);
        if (back === undefined || comparable(back) !== comparable(job)) {
          throw new Error(`not the job: ${JSON.stringify(patch)}`);
        }
      }),
      { numRuns: 40, ...seed },
    );
  });

  /** Portal-like edits of the job's schema itself, expressible or not. */
  const edit: fc.Arbitrary<(job: SynchronizationSchema) => void> = fc.oneof(
    fc
      .tuple(fc.constantFrom(...USER_TARGETS), fc.constantFrom('FlowAlways', 'FlowWhenChanged'))
      .map(([target, behavior]) => (job: SynchronizationSchema) => {
        const a = mappingOf(job, 'User').attributeMappings?.find((m) => m.targetAttributeName === target);
        if (a) a.flowBehavior = behavior;
      }),
    fc
      .tuple(fc.constantFrom(...USER_TARGETS), fc.constantFrom('Always', 'ObjectAddOnly', 'ValueAddOnly'))
      .map(([target, flow]) => (job: SynchronizationSchema) => {
        const a = mappingOf(job, 'User').attributeMappings?.find((m) => m.targetAttributeName === target);
        if (a) a.flowType = flow;
      }),
    fc.tuple(fc.constantFrom(...GROUP_TARGETS), fc.boolean()).map(([target, on]) => (job: SynchronizationSchema) => {
      const a = mappingOf(job, 'Group').attributeMappings?.find((m) => m.targetAttributeName === target);
      if (a) a.exportMissingReferences = on;
    }),
    fc.boolean().map((on) => (job: SynchronizationSchema) => {
      mappingOf(job, 'User').enabled = on;
    }),
    fc.constant((job: SynchronizationSchema) => {
      mappingOf(job, 'User').attributeMappings?.reverse();
    }),
    fc
      .tuple(fc.constantFrom(...USER_TARGETS), expression(USER_SOURCES))
      .map(([target, text]) => (job: SynchronizationSchema) => {
        const a = mappingOf(job, 'User').attributeMappings?.find((m) => m.targetAttributeName === target);
        if (a) a.source = { type: 'Function', name: 'x', expression: text, parameters: [] };
      }),
  );

  test('after portal edits: either the patch gives the job back, or the differences say why it cannot', () => {
    fc.assert(
      fc.property(expressibleJob, fc.array(edit, { maxLength: 3 }), (generated, edits) => {
        const job = structuredClone(generated.job);
        for (const e of edits) e(job);
        const { patch, differences } = schemaToPatch(rollbarTemplateSchema(), job, options);
        const back = merged(patch);
        const equal = back !== undefined && comparable(back) === comparable(job);
        if (differences.length === 0 && !equal) throw new Error(`no difference named, yet: ${JSON.stringify(patch)}`);
        if (differences.length > 0 && equal) throw new Error(`differences named for a job the patch gives back`);
      }),
      { numRuns: 100, ...seed },
    );
  });

  test('the kinds found by the edits are the specific ones, not the catch-all', () => {
    const job = rollbarTemplateSchema();
    attributeOf(job, 'title').flowBehavior = 'FlowAlways';
    attributeOf(job, 'active').flowType = 'ValueAddOnly';
    mappingOf(job, 'User').enabled = false;
    expect(kinds(job).sort()).toEqual(['FLOW_BEHAVIOR', 'FLOW_TYPE', 'USERS_ENABLED']);
  });
});
