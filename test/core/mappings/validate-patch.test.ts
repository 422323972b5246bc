import type { MappingsSpec } from '../../../constructs/core';
import { validateMappingsPatch, validateSpec } from '../../../constructs/core';

// Patches arrive from YAML: the table feeds shapes the types would refuse.
const patch = (value: unknown): MappingsSpec => value as MappingsSpec;

describe('validateMappingsPatch', () => {
  it('accepts no patch, an empty patch and a full valid patch', () => {
    expect(validateMappingsPatch(undefined)).toEqual([]);
    expect(validateMappingsPatch({})).toEqual([]);
    expect(
      validateMappingsPatch({
        users: {
          attributes: {
            userName: { source: 'ToLower([userPrincipalName])', matchingPriority: 1, apply: 'always' },
            externalId: { source: '[objectId]', matchingPriority: 2, apply: 'onCreateOnly', defaultValue: 'none' },
            title: null,
          },
          scopingFilters: [
            {
              name: 'Engineering',
              clauses: [
                { attribute: 'department', operator: 'EQUALS', values: ['Engineering'] },
                { attribute: 'accountEnabled', operator: 'IS TRUE' },
                { attribute: 'employeeId', operator: 'IS NOT NULL', values: [] },
              ],
            },
          ],
        },
        groups: { enabled: false, attributes: { displayName: { source: '[displayName]', matchingPriority: 1 } } },
      }),
    ).toEqual([]);
  });

  // [case, patch, [code, path, column?]]
  const cases: [string, unknown, [string, string, number?][]][] = [
    ['mappings not an object', ['users'], [['INVALID_CONFIG', 'mappings']]],
    ['unknown object mapping key', { user: {} }, [['INVALID_CONFIG', 'mappings.user']]],
    ['unknown patch key', { users: { attribute: {} } }, [['INVALID_CONFIG', 'mappings.users.attribute']]],
    ['enabled on users', { users: { enabled: false } }, [['INVALID_CONFIG', 'mappings.users.enabled']]],
    ['enabled not boolean', { groups: { enabled: 'no' } }, [['INVALID_CONFIG', 'mappings.groups.enabled']]],
    [
      'attributes not a map',
      { users: { attributes: ['userName'] } },
      [['INVALID_CONFIG', 'mappings.users.attributes']],
    ],
    [
      'mapping not an object',
      { users: { attributes: { title: '[jobTitle]' } } },
      [['INVALID_CONFIG', 'mappings.users.attributes.title']],
    ],
    [
      'unknown mapping key',
      { users: { attributes: { title: { source: '[jobTitle]', flowType: 'Always' } } } },
      [['INVALID_CONFIG', 'mappings.users.attributes.title.flowType']],
    ],
    [
      'source missing',
      { users: { attributes: { title: { matchingPriority: 0 } } } },
      [['INVALID_EXPRESSION', 'mappings.users.attributes.title.source']],
    ],
    [
      'source unbalanced',
      { users: { attributes: { title: { source: 'Join(" ", [a]' } } } },
      [['INVALID_EXPRESSION', 'mappings.users.attributes.title.source', 5]],
    ],
    [
      'source unknown function',
      { groups: { attributes: { displayName: { source: 'Upper([displayName])' } } } },
      [['UNKNOWN_FUNCTION', 'mappings.groups.attributes.displayName.source', 1]],
    ],
    [
      'source wrong arity',
      { users: { attributes: { title: { source: 'Left([jobTitle])' } } } },
      [['WRONG_ARITY', 'mappings.users.attributes.title.source', 1]],
    ],
    [
      'negative priority',
      { users: { attributes: { userName: { source: '[mail]', matchingPriority: -1 } } } },
      [['INVALID_MATCHING_PRIORITY', 'mappings.users.attributes.userName.matchingPriority']],
    ],
    [
      'fractional priority',
      { users: { attributes: { userName: { source: '[mail]', matchingPriority: 1.5 } } } },
      [['INVALID_MATCHING_PRIORITY', 'mappings.users.attributes.userName.matchingPriority']],
    ],
    [
      'string priority',
      { users: { attributes: { userName: { source: '[mail]', matchingPriority: '1' } } } },
      [['INVALID_MATCHING_PRIORITY', 'mappings.users.attributes.userName.matchingPriority']],
    ],
    [
      'duplicate priority',
      {
        users: {
          attributes: {
            userName: { source: '[mail]', matchingPriority: 1 },
            externalId: { source: '[objectId]', matchingPriority: 1 },
          },
        },
      },
      [['DUPLICATE_MATCHING_PRIORITY', 'mappings.users.attributes.externalId.matchingPriority']],
    ],
    [
      'bad apply',
      { users: { attributes: { title: { source: '[jobTitle]', apply: 'once' } } } },
      [['INVALID_CONFIG', 'mappings.users.attributes.title.apply']],
    ],
    [
      'defaultValue not a string',
      { users: { attributes: { title: { source: '[jobTitle]', defaultValue: 3 } } } },
      [['INVALID_CONFIG', 'mappings.users.attributes.title.defaultValue']],
    ],
    [
      'filters not a list',
      { users: { scopingFilters: { name: 'x' } } },
      [['INVALID_FILTER', 'mappings.users.scopingFilters']],
    ],
    [
      'group without name',
      {
        users: {
          scopingFilters: [{ name: ' ', clauses: [{ attribute: 'city', operator: 'EQUALS', values: ['Oslo'] }] }],
        },
      },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.name']],
    ],
    [
      'group without clauses',
      { users: { scopingFilters: [{ name: 'g', clauses: [] }] } },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.clauses']],
    ],
    [
      'unknown operator',
      {
        users: {
          scopingFilters: [{ name: 'g', clauses: [{ attribute: 'city', operator: 'LESS_THAN', values: ['1'] }] }],
        },
      },
      [['UNKNOWN_FILTER_OPERATOR', 'mappings.users.scopingFilters.0.clauses.0.operator']],
    ],
    [
      'binary without values',
      { users: { scopingFilters: [{ name: 'g', clauses: [{ attribute: 'city', operator: 'EQUALS' }] }] } },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.clauses.0.values']],
    ],
    [
      'unary with values',
      {
        users: {
          scopingFilters: [
            { name: 'g', clauses: [{ attribute: 'accountEnabled', operator: 'IS TRUE', values: ['True'] }] },
          ],
        },
      },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.clauses.0.values']],
    ],
    [
      'values not strings',
      { users: { scopingFilters: [{ name: 'g', clauses: [{ attribute: 'city', operator: 'EQUALS', values: [1] }] }] } },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.clauses.0.values.0']],
    ],
    [
      'clause without attribute',
      { users: { scopingFilters: [{ name: 'g', clauses: [{ operator: 'EQUALS', values: ['x'] }] }] } },
      [['INVALID_FILTER', 'mappings.users.scopingFilters.0.clauses.0.attribute']],
    ],
    [
      'members in a filter',
      { groups: { scopingFilters: [{ name: 'g', clauses: [{ attribute: 'members', operator: 'IS NOT NULL' }] }] } },
      [['INVALID_FILTER', 'mappings.groups.scopingFilters.0.clauses.0.attribute']],
    ],
    [
      'unknown clause key',
      {
        users: {
          scopingFilters: [
            { name: 'g', clauses: [{ attribute: 'city', operator: 'EQUALS', value: 'Oslo', values: ['Oslo'] }] },
          ],
        },
      },
      [['INVALID_CONFIG', 'mappings.users.scopingFilters.0.clauses.0.value']],
    ],
  ];

  it.each(cases)('%s', (_name, value, expected) => {
    const problems = validateMappingsPatch(patch(value));
    expect(problems.map((p) => (p.column === undefined ? [p.code, p.path] : [p.code, p.path, p.column]))).toEqual(
      expected,
    );
  });

  it('reports every problem at once', () => {
    const problems = validateMappingsPatch(
      patch({ users: { attributes: { a: { source: '' }, b: { source: 'x(' } } }, groups: { enabled: 1 } }),
    );
    // The shape check (groups.enabled) runs before the expression rules; the order is not part of the contract.
    expect(problems.map((p) => p.path).sort()).toEqual([
      'mappings.groups.enabled',
      'mappings.users.attributes.a.source',
      'mappings.users.attributes.b.source',
    ]);
  });

  it('suggests the setting a misspelt key meant', () => {
    const [first] = validateMappingsPatch(
      patch({ users: { attributes: { title: { source: '[jobTitle]', matchingPriorty: 1 } } } }),
    );
    expect(first?.message).toContain("Did you mean 'matchingPriority'?");
  });

  it('is what validateSpec reports for mappings', () => {
    const problems = validateSpec({
      secretToken: '${var.rollbar_secret_token}',
      mappings: { users: { attributes: { title: { source: 'join([jobTitle])' } } } },
    });
    expect(problems.filter((p) => p.path.startsWith('mappings')).map((p) => [p.code, p.path, p.column])).toEqual([
      ['UNKNOWN_FUNCTION', 'mappings.users.attributes.title.source', 1],
    ]);
  });
});
