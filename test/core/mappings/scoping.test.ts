import type { FilterOperatorSchema } from '@microsoft/microsoft-graph-types';
import type { FilterOperator } from '../../../constructs/core';
import {
  FILTER_OPERATORS,
  UNARY_FILTER_OPERATORS,
  filterOperatorName,
  isFilterOperator,
  normalizeFilterOperator,
  resolveFilterOperator,
} from '../../../constructs/core/mappings/scoping';
import { rollbarFilterOperators } from '../../fixtures/rollbar-schema';

const PATH = 'mappings.users.scopingFilters.0.clauses.0.operator';

function named(...names: string[]): FilterOperatorSchema[] {
  return names.map((name) => Object.assign({ arity: 'Binary' as const }, { name }));
}

describe('scoping filter operators', () => {
  it('lists exactly the admin center operators, four of them unary', () => {
    expect([...FILTER_OPERATORS].sort()).toEqual(
      [
        '&',
        '!&',
        'ENDS_WITH',
        'EQUALS',
        'Greater_Than',
        'Greater_Than_OR_EQUALS',
        'Includes',
        'IS FALSE',
        'IS NOT NULL',
        'IS NULL',
        'IS TRUE',
        'NOT EQUALS',
        'NOT REGEX MATCH',
        'REGEX MATCH',
      ].sort(),
    );
    expect([...UNARY_FILTER_OPERATORS].sort()).toEqual(['IS FALSE', 'IS NOT NULL', 'IS NULL', 'IS TRUE']);
  });

  it.each([
    ['IS NOT NULL', 'IS_NOT_NULL'],
    ['is not null', 'IS_NOT_NULL'],
    ['  NOT   REGEX MATCH ', 'NOT_REGEX_MATCH'],
    ['Greater_Than', 'GREATER_THAN'],
    ['&', '&'],
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizeFilterOperator(input)).toBe(expected);
  });

  // Portal name → the fixture job's operator name (exact match first, then normalized).
  const withFixture: [FilterOperator, string][] = [
    ['EQUALS', 'EQUALS'],
    ['NOT EQUALS', 'NOT_EQUALS'],
    ['IS TRUE', 'IS_TRUE'],
    ['IS FALSE', 'IS_FALSE'],
    ['IS NULL', 'IS_NULL'],
    ['IS NOT NULL', 'IS_NOT_NULL'],
    ['REGEX MATCH', 'REGEX_MATCH'],
    ['NOT REGEX MATCH', 'NOT_REGEX_MATCH'],
    ['Greater_Than', 'Greater_Than'],
    ['Greater_Than_OR_EQUALS', 'Greater_Than_OR_EQUALS'],
    ['Includes', 'Includes'],
    ['ENDS_WITH', 'ENDS_WITH'],
    ['&', '&'],
    ['!&', '!&'],
  ];
  it.each(withFixture)("maps %j to the job's %j", (portal, graph) => {
    expect(resolveFilterOperator(portal, PATH, rollbarFilterOperators())).toEqual({ ok: true, operatorName: graph });
  });

  it('prefers an exact match over a normalized one', () => {
    expect(resolveFilterOperator('IS NOT NULL', PATH, named('IS_NOT_NULL', 'IS NOT NULL'))).toEqual({
      ok: true,
      operatorName: 'IS NOT NULL',
    });
  });

  it('uses whatever spelling the job has when it normalizes the same', () => {
    expect(resolveFilterOperator('Greater_Than', PATH, named('GREATER_THAN'))).toEqual({
      ok: true,
      operatorName: 'GREATER_THAN',
    });
  });

  it('reads the operator name from name, else id', () => {
    expect(filterOperatorName(Object.assign({ id: 'EQUALS' }, { name: 'NAMED' }))).toBe('NAMED');
    expect(filterOperatorName({ id: 'EQUALS' })).toBe('EQUALS');
    expect(resolveFilterOperator('EQUALS', PATH, [{ id: 'EQUALS' }])).toEqual({ ok: true, operatorName: 'EQUALS' });
  });

  it("rejects an operator the job lacks, naming the job's operators and the nearest", () => {
    const result = resolveFilterOperator('NOT EQUALS', PATH, named('EQUALS', 'NOTEQUALS'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toMatchObject({ code: 'UNKNOWN_FILTER_OPERATOR', path: PATH });
    expect(result.problem.message).toContain("The job's operators are: EQUALS, NOTEQUALS.");
    expect(result.problem.message).toContain("Did you mean 'NOTEQUALS'?");
  });

  it('says so when the job lists no operators', () => {
    const result = resolveFilterOperator('EQUALS', PATH, []);
    expect(!result.ok && result.problem.message).toContain('(none listed)');
  });

  it.each([
    ['EQUALS', 'EQUALS'],
    ['IS NOT NULL', 'IS_NOT_NULL'],
    ['NOT REGEX MATCH', 'NOT_REGEX_MATCH'],
    ['Includes', 'INCLUDES'],
  ])('without the job operators maps %j to %j', (portal, graph) => {
    expect(resolveFilterOperator(portal, PATH)).toEqual({ ok: true, operatorName: graph });
  });

  it.each(['LESS_THAN', 'EXCLUDES', 'equals', 'IsMemberOf'])('without the job operators rejects %j', (name) => {
    const result = resolveFilterOperator(name, PATH);
    expect(!result.ok && result.problem.code).toBe('UNKNOWN_FILTER_OPERATOR');
  });

  it('suggests the portal operator a typo meant', () => {
    const result = resolveFilterOperator('IS NOT NUL', PATH);
    expect(!result.ok && result.problem.message).toContain("Did you mean 'IS NOT NULL'?");
  });

  it.each([
    ['EQUALS', true],
    ['IS TRUE', true],
    ['IS_TRUE', false],
    ['equals', false],
    [42, false],
  ])('isFilterOperator(%j) is %j', (name, expected) => {
    expect(isFilterOperator(name)).toBe(expected);
  });
});
