import { mergeSchema, type MappingsSpec } from '../../../constructs/core';
import { describeMappingDrift, MAX_DRIFT_LINES } from '../../../constructs/core/mappings/mapping-drift';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../../fixtures/rollbar-schema';

function merged(patch: MappingsSpec) {
  const result = mergeSchema(rollbarTemplateSchema(), patch, { filterOperators: rollbarFilterOperators() });
  expect(result.problems).toEqual([]);
  return result.schema;
}

describe('describeMappingDrift', () => {
  test('the same schema: no line', () => {
    expect(describeMappingDrift(merged({}), merged({}))).toEqual([]);
  });

  test('one line per attribute, scope and enabled that differ, in the configuration’s words', () => {
    const desired = merged({
      users: {
        attributes: { title: { source: 'Join(" ",[givenName],[surname])', matchingPriority: 2 }, displayName: null },
        scopingFilters: [{ name: 'E', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['E'] }] }],
      },
      groups: { enabled: false },
    });
    expect(describeMappingDrift(desired, merged({}))).toEqual([
      'users.attributes.title: live "[jobTitle]", desired "Join(\\" \\", [givenName], [surname])" (matchingPriority 2)',
      'users.attributes.displayName: live "[displayName]", desired (not mapped)',
      'users.scopingFilters: live 0 group(s), desired 1 group(s), not the same',
      'groups.enabled: live true, desired false',
    ]);
  });

  test('adds the differences the model cannot express, and stops at the cap', () => {
    const attributes = Object.fromEntries(
      ['displayName', 'title', 'name.givenName', 'name.familyName', 'externalId', 'active'].map((t) => [t, null]),
    );
    const lines = describeMappingDrift(merged({ users: { attributes } }), merged({}), [
      ...Array.from({ length: 30 }, (_, i) => ({
        kind: 'FLOW_BEHAVIOR' as const,
        path: `mappings.users.attributes.a${i}.flowBehavior`,
        job: '"FlowAlways"',
        message: 'The job’s flowBehavior differs.',
      })),
    ]);
    expect(lines).toHaveLength(MAX_DRIFT_LINES);
    expect(lines[6]).toBe(
      'mappings.users.attributes.a0.flowBehavior: The job’s flowBehavior differs. (live "FlowAlways")',
    );
    expect(lines.at(-1)).toBe(`… and ${36 - MAX_DRIFT_LINES + 1} more`);
  });
});
