/**
 * Offline checks of a mappings patch: its shape, every expression, matching priorities and scoping filters.
 * Pure; needs no schema. What only the job's schema can tell (whether an attribute exists, which operator
 * names the job uses) is checked by {@link mergeSchema} at deploy time.
 *
 * The patch may come from YAML, so every value is treated as unknown until checked.
 */
import { describedKey } from '../description';
import type { Problem } from '../problems';
import { problem } from '../problems';
import { checkShape } from '../shape';
import type { MappingsSpec } from '../spec';
import { parseExpression } from '../expression/parser';
import { UNARY_FILTER_OPERATORS, isFilterOperator, unknownPortalOperator } from './scoping';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const MAPPINGS = describedKey('mappings');

/** Every problem of a mappings patch, at once, shape and rules; `[]` when it is valid or absent. */
export function validateMappingsPatch(mappings: MappingsSpec | undefined): Problem[] {
  if (mappings === undefined) return [];
  const out: Problem[] = [];
  checkShape(mappings, MAPPINGS, 'mappings', () => false, out);
  out.push(...mappingsPatchRules(mappings));
  return out;
}

/**
 * The value rules of a mappings patch: expressions, matching priorities, scoping filters. They look only at
 * values of the right type; the shape (keys, types) is {@link checkShape}'s, from the spec's description.
 */
export function mappingsPatchRules(mappings: MappingsSpec | undefined): Problem[] {
  const value: unknown = mappings;
  if (!isRecord(value)) return [];
  const out: Problem[] = [];
  for (const side of ['users', 'groups'] as const) {
    const patch = value[side];
    if (!isRecord(patch)) continue;
    const path = `mappings.${side}`;
    out.push(...validateAttributes(patch.attributes, `${path}.attributes`));
    out.push(...validateScopingFilters(patch.scopingFilters, `${path}.scopingFilters`));
  }
  return out;
}

function validateAttributes(attributes: unknown, path: string): Problem[] {
  if (!isRecord(attributes)) return [];
  const out: Problem[] = [];
  const priorities = new Map<number, string[]>();
  for (const [target, spec] of Object.entries(attributes)) {
    const at = `${path}.${target}`;
    if (target.trim() === '')
      out.push(
        problem(
          'INVALID_CONFIG',
          at,
          'name a target attribute',
          target,
          'Key the mapping by its target attribute, such as userName.',
        ),
      );
    if (!isRecord(spec)) continue;
    if (typeof spec.source === 'string') {
      const parsed = parseExpression(spec.source, { path: `${at}.source` });
      if (!parsed.ok) out.push(...parsed.problems);
    }
    const priority = spec.matchingPriority;
    if (typeof priority === 'number') {
      if (!Number.isInteger(priority) || priority < 0) {
        out.push(
          problem(
            'INVALID_MATCHING_PRIORITY',
            `${at}.matchingPriority`,
            'be a whole number, 0 or more',
            priority,
            'Use 0 for "not matching", 1 for the first matching attribute, 2 for the next.',
          ),
        );
      } else if (priority > 0) {
        priorities.set(priority, [...(priorities.get(priority) ?? []), target]);
      }
    }
  }
  for (const [priority, targets] of priorities) {
    if (targets.length < 2) continue;
    for (const target of targets.slice(1)) {
      out.push(
        problem(
          'DUPLICATE_MATCHING_PRIORITY',
          `${path}.${target}.matchingPriority`,
          'differ from every other matching priority',
          priority,
          `${targets[0]} has matching priority ${priority} too: give each matching attribute its own precedence (1, 2, …).`,
        ),
      );
    }
  }
  return out;
}

function validateScopingFilters(groups: unknown, path: string): Problem[] {
  if (!Array.isArray(groups)) return [];
  const out: Problem[] = [];
  groups.forEach((group: unknown, g) => {
    const at = `${path}.${g}`;
    if (!isRecord(group)) return;
    if (typeof group.name === 'string' && group.name.trim() === '') {
      out.push(
        problem(
          'INVALID_FILTER',
          `${at}.name`,
          'be a non-empty name',
          group.name,
          'Name the filter group; the admin center shows it.',
        ),
      );
    }
    if (!Array.isArray(group.clauses)) return;
    if (group.clauses.length === 0) {
      out.push(
        problem(
          'INVALID_FILTER',
          `${at}.clauses`,
          'be a list of at least one clause',
          group.clauses,
          'Add a clause { attribute, operator, values }.',
        ),
      );
      return;
    }
    group.clauses.forEach((clause: unknown, c) => out.push(...validateClause(clause, `${at}.clauses.${c}`)));
  });
  return out;
}

function validateClause(clause: unknown, at: string): Problem[] {
  if (!isRecord(clause)) return [];
  const out: Problem[] = [];
  if (typeof clause.attribute === 'string' && clause.attribute.trim() === '') {
    out.push(
      problem(
        'INVALID_FILTER',
        `${at}.attribute`,
        'name a source attribute',
        clause.attribute,
        'Use an Entra attribute such as department.',
      ),
    );
  } else if (clause.attribute === 'members') {
    // Documented: "A group's members attribute is not supported" in scoping filters.
    out.push(
      problem(
        'INVALID_FILTER',
        `${at}.attribute`,
        'be an attribute scoping filters support',
        clause.attribute,
        'Entra does not support members in scoping filters; assign the groups instead.',
      ),
    );
  }
  const operator = clause.operator;
  if (typeof operator !== 'string') return out;
  if (!isFilterOperator(operator)) {
    out.push(unknownPortalOperator(operator, `${at}.operator`));
    return out;
  }
  const values = clause.values;
  // A value list of the wrong type is the shape check's; no values at all is this rule's.
  if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) return out;
  if (UNARY_FILTER_OPERATORS.has(operator)) {
    if (values !== undefined && values.length > 0) {
      out.push(
        problem(
          'INVALID_FILTER',
          `${at}.values`,
          `be absent for ${operator}`,
          values,
          `${operator} tests the attribute alone: remove values.`,
        ),
      );
    }
  } else if (values === undefined || values.length === 0) {
    out.push(
      problem(
        'INVALID_FILTER',
        `${at}.values`,
        `hold at least one value for ${operator}`,
        values,
        'Add the value(s) to compare with, as in values: ["Engineering"].',
      ),
    );
  }
  return out;
}
