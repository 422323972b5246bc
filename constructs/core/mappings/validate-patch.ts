/**
 * Offline checks of a mappings patch: its shape, every expression, matching priorities and scoping filters.
 * Pure; needs no schema. What only the job's schema can tell (whether an attribute exists, which operator
 * names the job uses) is checked by {@link mergeSchema} at deploy time.
 *
 * The patch may come from YAML, so every value is treated as unknown until checked.
 */
import type { Problem } from '../problems';
import { problem } from '../problems';
import type { MappingsSpec } from '../spec';
import { closestMatch } from '../suggest';
import { parseExpression } from '../expression/parser';
import { UNARY_FILTER_OPERATORS, isFilterOperator, unknownPortalOperator } from './scoping';

/** The two object mappings a patch may name, and the keys each accepts. */
export const PATCH_KEYS = {
  mappings: ['users', 'groups'],
  users: ['attributes', 'scopingFilters'],
  groups: ['attributes', 'scopingFilters', 'enabled'],
  attribute: ['source', 'matchingPriority', 'apply', 'defaultValue'],
  filterGroup: ['name', 'clauses'],
  clause: ['attribute', 'operator', 'values'],
} as const;

/** The values of `apply`. */
export const APPLY_VALUES = ['always', 'onCreateOnly'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: Record<string, unknown>, allowed: readonly string[], path: string): Problem[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => {
      const near = closestMatch(key, allowed);
      return problem(
        'INVALID_CONFIG',
        `${path}.${key}`,
        'be a known setting',
        key,
        `Allowed here: ${allowed.join(', ')}.${near === undefined ? '' : ` Did you mean '${near}'?`}`,
      );
    });
}

/** Every problem of a mappings patch, at once; `[]` when it is valid or absent. */
export function validateMappingsPatch(mappings: MappingsSpec | undefined): Problem[] {
  const value: unknown = mappings;
  if (value === undefined) return [];
  if (!isRecord(value)) {
    return [problem('INVALID_CONFIG', 'mappings', 'be an object with users and/or groups', value, 'See the README.')];
  }
  const out = unknownKeys(value, PATCH_KEYS.mappings, 'mappings');
  for (const side of PATCH_KEYS.mappings) {
    const patch = value[side];
    if (patch === undefined) continue;
    const path = `mappings.${side}`;
    if (!isRecord(patch)) {
      out.push(problem('INVALID_CONFIG', path, 'be an object (attributes, scopingFilters)', patch, 'See the README.'));
      continue;
    }
    out.push(...unknownKeys(patch, PATCH_KEYS[side], path));
    out.push(...validateAttributes(patch.attributes, `${path}.attributes`));
    out.push(...validateScopingFilters(patch.scopingFilters, `${path}.scopingFilters`));
    if (side === 'groups' && patch.enabled !== undefined && typeof patch.enabled !== 'boolean') {
      out.push(
        problem(
          'INVALID_CONFIG',
          `${path}.enabled`,
          'be true or false',
          patch.enabled,
          'Write enabled: false to stop provisioning groups.',
        ),
      );
    }
  }
  return out;
}

function validateAttributes(attributes: unknown, path: string): Problem[] {
  if (attributes === undefined) return [];
  if (!isRecord(attributes)) {
    return [
      problem(
        'INVALID_CONFIG',
        path,
        'be a map of target attribute to mapping',
        attributes,
        'Key each mapping by its target attribute, such as userName.',
      ),
    ];
  }
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
    if (spec === null) continue;
    if (!isRecord(spec)) {
      out.push(
        problem(
          'INVALID_CONFIG',
          at,
          'be a mapping ({ source, … }) or null to remove it',
          spec,
          'Write source: "[mail]", or null.',
        ),
      );
      continue;
    }
    out.push(...unknownKeys(spec, PATCH_KEYS.attribute, at));
    if (typeof spec.source !== 'string') {
      out.push(
        problem(
          'INVALID_EXPRESSION',
          `${at}.source`,
          'be an expression string',
          spec.source,
          'Write an attribute ([mail]), a constant ("text") or a function call.',
        ),
      );
    } else {
      const parsed = parseExpression(spec.source, { path: `${at}.source` });
      if (!parsed.ok) out.push(...parsed.problems);
    }
    const priority = spec.matchingPriority;
    if (priority !== undefined) {
      if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
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
    if (spec.apply !== undefined && !(APPLY_VALUES as readonly unknown[]).includes(spec.apply)) {
      out.push(
        problem(
          'INVALID_CONFIG',
          `${at}.apply`,
          `be one of ${APPLY_VALUES.join(', ')}`,
          spec.apply,
          'onCreateOnly is the portal\'s "Only during object creation".',
        ),
      );
    }
    if (spec.defaultValue !== undefined && typeof spec.defaultValue !== 'string') {
      out.push(problem('INVALID_CONFIG', `${at}.defaultValue`, 'be a string', spec.defaultValue, 'Quote the value.'));
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
  if (groups === undefined) return [];
  if (!Array.isArray(groups)) {
    return [
      problem(
        'INVALID_FILTER',
        path,
        'be a list of filter groups',
        groups,
        'Write a list of { name, clauses }; groups are OR-ed.',
      ),
    ];
  }
  const out: Problem[] = [];
  groups.forEach((group: unknown, g) => {
    const at = `${path}.${g}`;
    if (!isRecord(group)) {
      out.push(
        problem('INVALID_FILTER', at, 'be a filter group { name, clauses }', group, 'Clauses in a group are AND-ed.'),
      );
      return;
    }
    out.push(...unknownKeys(group, PATCH_KEYS.filterGroup, at));
    if (typeof group.name !== 'string' || group.name.trim() === '') {
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
    if (!Array.isArray(group.clauses) || group.clauses.length === 0) {
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
  if (!isRecord(clause)) {
    return [problem('INVALID_FILTER', at, 'be a clause { attribute, operator, values }', clause, 'See the README.')];
  }
  const out = unknownKeys(clause, PATCH_KEYS.clause, at);
  if (typeof clause.attribute !== 'string' || clause.attribute.trim() === '') {
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
  if (!isFilterOperator(operator)) {
    out.push(unknownPortalOperator(operator, `${at}.operator`));
    return out;
  }
  const values = clause.values;
  if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) {
    out.push(
      problem(
        'INVALID_FILTER',
        `${at}.values`,
        'be a list of strings',
        values,
        'Quote each value, as in ["Engineering"].',
      ),
    );
  } else if (UNARY_FILTER_OPERATORS.has(operator)) {
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
