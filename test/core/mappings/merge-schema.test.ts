import type { AttributeMapping, ObjectMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import type { MappingsSpec } from '../../../constructs/core';
import { mergeSchema } from '../../../constructs/core';
import { toMappingSource } from '../../../constructs/core/expression/mapping-source';
import { schemaDigest } from '../../../constructs/core/mappings/schema-digest';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../../fixtures/rollbar-schema';

function objectMapping(schema: SynchronizationSchema, sourceObjectName: 'User' | 'Group'): ObjectMapping {
  const found = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === sourceObjectName);
  if (found === undefined) throw new Error(`no ${sourceObjectName} mapping`);
  return found;
}

function attribute(
  schema: SynchronizationSchema,
  target: string,
  side: 'User' | 'Group' = 'User',
): AttributeMapping | undefined {
  return objectMapping(schema, side).attributeMappings?.find((m) => m.targetAttributeName === target);
}

function merged(patch: MappingsSpec, base = rollbarTemplateSchema()): SynchronizationSchema {
  const result = mergeSchema(base, patch, { filterOperators: rollbarFilterOperators() });
  expect(result.problems).toEqual([]);
  return result.schema;
}

function codes(patch: MappingsSpec, base = rollbarTemplateSchema()): [string, string][] {
  const result = mergeSchema(base, patch, { filterOperators: rollbarFilterOperators() });
  expect(result.changed).toBe(false);
  return result.problems.map((p) => [p.code, p.path]);
}

const RICH_PATCH: MappingsSpec = {
  users: {
    attributes: {
      title: { source: '[department]' },
      'name.formatted': { source: 'Join(" ", [givenName], [surname])', apply: 'onCreateOnly' },
      displayName: null,
      active: { source: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")' },
    },
    scopingFilters: [
      { name: 'Engineering', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }] },
    ],
  },
  groups: { enabled: false },
};

describe('mergeSchema', () => {
  it('is idempotent', () => {
    const once = mergeSchema(rollbarTemplateSchema(), RICH_PATCH);
    const twice = mergeSchema(once.schema, RICH_PATCH);
    expect(once.changed).toBe(true);
    expect(twice.schema).toEqual(once.schema);
    expect(twice.changed).toBe(false);
    expect(schemaDigest(twice.schema)).toBe(schemaDigest(once.schema));
  });

  it('reports changed: false for a patch the schema already has', () => {
    const result = mergeSchema(rollbarTemplateSchema(), {
      users: { attributes: { userName: { source: '[userPrincipalName]', matchingPriority: 1 } } },
      groups: { enabled: true },
    });
    expect(result).toMatchObject({ changed: false, problems: [] });
  });

  it('reports changed: false for an empty patch and returns the base without volatile fields', () => {
    const base = rollbarTemplateSchema();
    const result = mergeSchema(base, {});
    expect(result.changed).toBe(false);
    expect(schemaDigest(result.schema)).toBe(schemaDigest(base));
  });

  it('keeps every field it does not own verbatim, unknown ones included', () => {
    const schema = merged({ users: { attributes: { externalId: { source: '[employeeId]' } } } });
    const loose = schema as unknown as Record<string, unknown>;
    expect(loose.futureSchemaField).toEqual(['kept']);
    const directories = loose.directories as Record<string, unknown>[];
    expect(directories[1]?.futureDirectoryField).toEqual({ keep: 'me', nested: [1, 2, 3] });
    const externalId = attribute(schema, 'externalId') as unknown as Record<string, unknown>;
    expect(externalId.futureMappingField).toBe('kept verbatim');
    expect(externalId.source).toMatchObject({ type: 'Attribute', name: 'employeeId' });
    const rule = schema.synchronizationRules?.[0];
    expect(rule?.metadata).toEqual(rollbarTemplateSchema().synchronizationRules?.[0]?.metadata);
    expect(objectMapping(schema, 'User').flowTypes).toBe('Add, Update, Delete');
  });

  it('drops volatile fields: version of the schema and directories, OData annotations', () => {
    const schema = merged({}) as unknown as Record<string, unknown>;
    expect(schema).not.toHaveProperty('version');
    expect(schema).not.toHaveProperty('@odata.context');
    for (const directory of schema.directories as Record<string, unknown>[])
      expect(directory).not.toHaveProperty('version');
  });

  it('never mutates the base', () => {
    const base = rollbarTemplateSchema();
    const before = structuredClone(base);
    mergeSchema(base, RICH_PATCH, { filterOperators: rollbarFilterOperators() });
    mergeSchema(base, { users: { attributes: { userName: null } } });
    expect(base).toEqual(before);
  });

  it('sets a new mapping with defaults for what the patch leaves out', () => {
    const schema = merged({
      users: { attributes: { 'name.formatted': { source: 'Join(" ", [givenName], [surname])' } } },
    });
    expect(attribute(schema, 'name.formatted')).toEqual({
      targetAttributeName: 'name.formatted',
      source: toMappingSource('Join(" ", [givenName], [surname])'),
      matchingPriority: 0,
      flowType: 'Always',
      flowBehavior: 'FlowWhenChanged',
      defaultValue: null,
      exportMissingReferences: false,
    });
    expect(objectMapping(schema, 'User').attributeMappings?.at(-1)?.targetAttributeName).toBe('name.formatted');
  });

  it('replaces the source of an existing mapping in place and keeps its other fields', () => {
    const base = rollbarTemplateSchema();
    const index = objectMapping(base, 'User').attributeMappings!.findIndex((m) => m.targetAttributeName === 'title');
    const schema = merged({ users: { attributes: { title: { source: 'ToUpper([jobTitle])' } } } }, base);
    const title = objectMapping(schema, 'User').attributeMappings![index]!;
    expect(title).toMatchObject({ targetAttributeName: 'title', flowBehavior: 'FlowWhenChanged', matchingPriority: 0 });
    expect(title.source).toEqual(toMappingSource('ToUpper([jobTitle])'));
  });

  it('keeps the base source object when the patch spells the same expression differently', () => {
    const base = rollbarTemplateSchema();
    const result = mergeSchema(base, {
      users: { attributes: { active: { source: 'Switch( [IsSoftDeleted],,"False","True","True","False" )' } } },
    });
    expect(result.changed).toBe(false);
    expect(attribute(result.schema, 'active')?.source).toEqual(attribute(base, 'active')?.source);
  });

  it('removes a mapping with null, and a target that is not mapped is a no-op', () => {
    const schema = merged({ users: { attributes: { title: null } } });
    expect(attribute(schema, 'title')).toBeUndefined();
    const unmapped = mergeSchema(rollbarTemplateSchema(), { users: { attributes: { 'name.formatted': null } } });
    expect(unmapped).toMatchObject({ changed: false, problems: [] });
  });

  it('moves the matching attribute from userName to externalId', () => {
    const schema = merged({
      users: {
        attributes: {
          externalId: { source: '[objectId]', matchingPriority: 1 },
          userName: { source: '[userPrincipalName]', matchingPriority: 0 },
        },
      },
    });
    expect(attribute(schema, 'externalId')?.matchingPriority).toBe(1);
    expect(attribute(schema, 'userName')?.matchingPriority).toBe(0);
  });

  it('keeps a matching attribute matching when only its source is overridden', () => {
    const schema = merged({ users: { attributes: { userName: { source: 'ToLower([userPrincipalName])' } } } });
    expect(attribute(schema, 'userName')?.matchingPriority).toBe(1);
  });

  it('maps apply to flowType: onCreateOnly → ObjectAddOnly, always → Always', () => {
    const schema = merged({
      users: { attributes: { title: { source: '[jobTitle]', apply: 'onCreateOnly' } } },
    });
    expect(attribute(schema, 'title')?.flowType).toBe('ObjectAddOnly');
    const back = merged({ users: { attributes: { title: { source: '[jobTitle]', apply: 'always' } } } }, schema);
    expect(attribute(back, 'title')?.flowType).toBe('Always');
  });

  it('sets a default value', () => {
    const schema = merged({ users: { attributes: { title: { source: '[jobTitle]', defaultValue: 'Engineer' } } } });
    expect(attribute(schema, 'title')?.defaultValue).toBe('Engineer');
  });

  it("puts scoping filters in scope.groups with the job's operator names", () => {
    const schema = merged({
      users: {
        scopingFilters: [
          {
            name: 'Engineering staff',
            clauses: [
              { attribute: 'department', operator: 'EQUALS', values: ['Engineering'] },
              { attribute: 'employeeId', operator: 'IS NOT NULL' },
            ],
          },
          { name: 'Contractors', clauses: [{ attribute: 'companyName', operator: 'NOT EQUALS', values: ['Contoso'] }] },
        ],
      },
    });
    expect(objectMapping(schema, 'User').scope).toEqual({
      groups: [
        {
          name: 'Engineering staff',
          clauses: [
            { sourceOperandName: 'department', operatorName: 'EQUALS', targetOperand: { values: ['Engineering'] } },
            { sourceOperandName: 'employeeId', operatorName: 'IS_NOT_NULL', targetOperand: { values: [] } },
          ],
        },
        {
          name: 'Contractors',
          clauses: [
            { sourceOperandName: 'companyName', operatorName: 'NOT_EQUALS', targetOperand: { values: ['Contoso'] } },
          ],
        },
      ],
      // A mapping that had no scope gets the whole filter, as Graph's example filter has it.
      inputFilterGroups: [],
      categoryFilterGroups: [],
    });
  });

  it('keeps inputFilterGroups and categoryFilterGroups verbatim when it sets groups', () => {
    const base = rollbarTemplateSchema();
    const input = [
      {
        name: 'experimental',
        clauses: [{ sourceOperandName: 'city', operatorName: 'EQUALS', targetOperand: { values: ['Oslo'] } }],
      },
    ];
    objectMapping(base, 'User').scope = { groups: [], inputFilterGroups: input, categoryFilterGroups: [] };
    const schema = merged(
      {
        users: {
          scopingFilters: [{ name: 'g', clauses: [{ attribute: 'city', operator: 'EQUALS', values: ['Bergen'] }] }],
        },
      },
      base,
    );
    expect(objectMapping(schema, 'User').scope).toMatchObject({ inputFilterGroups: input, categoryFilterGroups: [] });
    expect(objectMapping(schema, 'User').scope?.groups).toHaveLength(1);
  });

  it('treats an empty filter list on an unscoped mapping as no change', () => {
    expect(mergeSchema(rollbarTemplateSchema(), { users: { scopingFilters: [] } })).toMatchObject({ changed: false });
  });

  it('disables and re-enables the groups mapping', () => {
    const disabled = merged({ groups: { enabled: false } });
    expect(objectMapping(disabled, 'Group').enabled).toBe(false);
    expect(objectMapping(merged({ groups: { enabled: true } }, disabled), 'Group').enabled).toBe(true);
  });

  it('allows a disabled groups mapping without a matching attribute', () => {
    const schema = merged({
      groups: { enabled: false, attributes: { displayName: { source: '[displayName]', matchingPriority: 0 } } },
    });
    expect(objectMapping(schema, 'Group').enabled).toBe(false);
  });

  describe('errors', () => {
    it('rejects a target attribute the target directory does not define, with a suggestion', () => {
      const result = mergeSchema(rollbarTemplateSchema(), {
        users: { attributes: { 'name.givenNam': { source: '[givenName]' } } },
      });
      expect(result.problems.map((p) => [p.code, p.path])).toEqual([
        ['UNKNOWN_TARGET_ATTRIBUTE', 'mappings.users.attributes.name.givenNam'],
      ]);
      expect(result.problems[0]?.message).toContain("Did you mean 'name.givenName'?");
    });

    it('rejects an unknown target attribute even in a removal', () => {
      expect(codes({ groups: { attributes: { member: null } } })).toEqual([
        ['UNKNOWN_TARGET_ATTRIBUTE', 'mappings.groups.attributes.member'],
      ]);
    });

    it('rejects a source attribute Azure AD does not define, with its column and a suggestion', () => {
      const result = mergeSchema(rollbarTemplateSchema(), {
        users: { attributes: { title: { source: 'Join(" ", [jobTitle], [departmnet])' } } },
      });
      expect(result.problems).toHaveLength(1);
      expect(result.problems[0]).toMatchObject({
        code: 'UNKNOWN_SOURCE_ATTRIBUTE',
        path: 'mappings.users.attributes.title.source',
        column: 23,
      });
      expect(result.problems[0]?.message).toContain("Did you mean 'department'?");
    });

    it('rejects a scoping clause on an attribute Azure AD does not define', () => {
      expect(
        codes({
          users: {
            scopingFilters: [{ name: 'g', clauses: [{ attribute: 'Department', operator: 'EQUALS', values: ['x'] }] }],
          },
        }),
      ).toEqual([['UNKNOWN_SOURCE_ATTRIBUTE', 'mappings.users.scopingFilters.0.clauses.0.attribute']]);
    });

    it("rejects an operator the job does not list, naming the job's operators", () => {
      const result = mergeSchema(
        rollbarTemplateSchema(),
        {
          users: {
            scopingFilters: [{ name: 'g', clauses: [{ attribute: 'city', operator: 'REGEX MATCH', values: ['^O'] }] }],
          },
        },
        { filterOperators: rollbarFilterOperators().filter((o) => !JSON.stringify(o).includes('REGEX')) },
      );
      expect(result.problems.map((p) => [p.code, p.path])).toEqual([
        ['UNKNOWN_FILTER_OPERATOR', 'mappings.users.scopingFilters.0.clauses.0.operator'],
      ]);
      expect(result.problems[0]?.message).toContain('EQUALS, NOT_EQUALS');
    });

    it('reports NO_MATCHING_ATTRIBUTE when the matching mapping is removed', () => {
      expect(codes({ users: { attributes: { userName: null } } })).toEqual([
        ['NO_MATCHING_ATTRIBUTE', 'mappings.users.attributes'],
      ]);
    });

    it('reports NO_MATCHING_ATTRIBUTE when the last matching priority is set to 0', () => {
      expect(
        codes({ groups: { attributes: { displayName: { source: '[displayName]', matchingPriority: 0 } } } }),
      ).toEqual([['NO_MATCHING_ATTRIBUTE', 'mappings.groups.attributes']]);
    });

    it('reports DUPLICATE_MATCHING_PRIORITY when a new matching attribute collides with the default one', () => {
      expect(codes({ users: { attributes: { externalId: { source: '[objectId]', matchingPriority: 1 } } } })).toEqual([
        ['DUPLICATE_MATCHING_PRIORITY', 'mappings.users.attributes.externalId.matchingPriority'],
      ]);
    });

    it('reports UNKNOWN_OBJECT_MAPPING when the schema has no groups mapping', () => {
      const base = rollbarTemplateSchema();
      const rule = base.synchronizationRules![0]!;
      rule.objectMappings = rule.objectMappings!.filter((m) => m.sourceObjectName !== 'Group');
      expect(codes({ groups: { enabled: false } }, base)).toEqual([['UNKNOWN_OBJECT_MAPPING', 'mappings.groups']]);
    });

    it('reports UNKNOWN_OBJECT_MAPPING when no rule provisions from Azure AD', () => {
      const base = rollbarTemplateSchema();
      base.synchronizationRules = [];
      expect(codes({ users: {} }, base)).toEqual([['UNKNOWN_OBJECT_MAPPING', 'mappings.users']]);
    });

    it('returns the offline problems of an invalid patch without merging', () => {
      expect(codes({ users: { attributes: { title: { source: 'Mid([jobTitle])' } } } })).toEqual([
        ['WRONG_ARITY', 'mappings.users.attributes.title.source'],
      ]);
    });

    it('returns the base (without volatile fields) when there are problems', () => {
      const base = rollbarTemplateSchema();
      const result = mergeSchema(base, {
        users: { attributes: { userName: null, title: { source: '[jobTitle]', defaultValue: 'x' } } },
      });
      expect(result.problems).not.toEqual([]);
      expect(schemaDigest(result.schema)).toBe(schemaDigest(base));
    });
  });
});

describe('schemaDigest', () => {
  it('is a SHA-256 hex string that ignores key order and volatile fields', () => {
    const base = rollbarTemplateSchema();
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as SynchronizationSchema;
    const bumped = { ...rollbarTemplateSchema(), version: 'another-version' };
    bumped.directories![0]!.version = 'rediscovered';
    expect(schemaDigest(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(schemaDigest(reordered)).toBe(schemaDigest(base));
    expect(schemaDigest(bumped)).toBe(schemaDigest(base));
  });

  it('compares a source by its expression, not by the parameter keys Graph stores it with', () => {
    // What we send for a new expression, and the same expression as Graph might store it: its own parameter keys
    // and spacing. A digest over the tree would report drift after every write (and each write restarts a cycle).
    const sent = merged({ users: { attributes: { displayName: { source: 'Replace([mail], "@", , , ".", , )' } } } });
    const stored = JSON.parse(JSON.stringify(sent)) as SynchronizationSchema;
    const storedSource = attribute(stored, 'displayName')!.source!;
    storedSource.expression = 'Replace([mail],"@",,,".",,)';
    storedSource.parameters = (storedSource.parameters ?? []).map((p, i) => ({ ...p, key: `graphKey${i}` }));
    expect(schemaDigest(stored)).toBe(schemaDigest(sent));

    const otherMeaning = JSON.parse(JSON.stringify(sent)) as SynchronizationSchema;
    attribute(otherMeaning, 'displayName')!.source!.expression = 'Replace([mail], "@", , , "-", , )';
    expect(schemaDigest(otherMeaning)).not.toBe(schemaDigest(sent));
  });

  it('changes when a mapping changes', () => {
    const base = rollbarTemplateSchema();
    const edited = rollbarTemplateSchema();
    objectMapping(edited, 'User').attributeMappings![0]!.matchingPriority = 2;
    expect(schemaDigest(edited)).not.toBe(schemaDigest(base));
  });
});
