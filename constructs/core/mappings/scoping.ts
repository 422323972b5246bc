/**
 * Scoping filter operators: the admin center's names (what a user writes) and their Graph `operatorName`.
 *
 * Only `EQUALS` is confirmed as a Graph operator name (reference §4.3); the others are not documented. So the
 * name is resolved against the job's own `GET .../schema/filterOperators` at deploy time: an exact match first,
 * then a normalized one (upper case, spaces to underscores: `IS NOT NULL` ~ `IS_NOT_NULL`). Offline (no list),
 * `EQUALS` stays `EQUALS` and the others are passed normalized, to be checked by Graph.
 */
import type { FilterOperatorSchema } from '@microsoft/microsoft-graph-types';
import type { Problem } from '../problems';
import { problem } from '../problems';
import type { FilterOperator } from '../spec';
import { closestMatch } from '../suggest';

/** Every operator the admin center offers (define-conditional-rules-for-provisioning-user-accounts.md). */
export const FILTER_OPERATORS = [
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
] as const satisfies readonly FilterOperator[];

// Fails to compile when spec.ts gains an operator this list lacks.
const _everyOperatorListed: Exclude<FilterOperator, (typeof FILTER_OPERATORS)[number]> extends never ? true : never =
  true;
void _everyOperatorListed;

/** Operators that test the attribute alone and take no values. */
export const UNARY_FILTER_OPERATORS: ReadonlySet<string> = new Set(['IS FALSE', 'IS NOT NULL', 'IS NULL', 'IS TRUE']);

/** Whether `name` is one of the admin center's operator names (case-sensitive, as written in the portal). */
export function isFilterOperator(name: unknown): name is FilterOperator {
  return typeof name === 'string' && (FILTER_OPERATORS as readonly string[]).includes(name);
}

/**
 * An operator as Graph lists it. Graph documents `name` for filterOperatorSchema; the typings only declare the
 * entity `id`, so both are read.
 */
export type NamedFilterOperatorSchema = FilterOperatorSchema & { readonly name?: string | null };

/** The operator's name as Graph lists it (`name`, else `id`). */
export function filterOperatorName(operator: FilterOperatorSchema): string | undefined {
  const named: NamedFilterOperatorSchema = operator;
  return named.name ?? named.id ?? undefined;
}

/** Upper case, runs of spaces to one underscore: how portal labels and Graph names are compared. */
export function normalizeFilterOperator(name: string): string {
  return name.trim().toUpperCase().replace(/\s+/g, '_');
}

/** The outcome of {@link resolveFilterOperator}. */
export type FilterOperatorResolution =
  { readonly ok: true; readonly operatorName: string } | { readonly ok: false; readonly problem: Problem };

/**
 * The Graph `operatorName` for a portal operator name, given the job's operators (when known).
 * @param path where to report a problem, such as `mappings.users.scopingFilters.0.clauses.0.operator`
 */
export function resolveFilterOperator(
  portalName: string,
  path: string,
  filterOperators?: readonly FilterOperatorSchema[],
): FilterOperatorResolution {
  if (filterOperators === undefined) {
    if (!isFilterOperator(portalName)) return { ok: false, problem: unknownPortalOperator(portalName, path) };
    return { ok: true, operatorName: portalName === 'EQUALS' ? 'EQUALS' : normalizeFilterOperator(portalName) };
  }
  const names = filterOperators.map(filterOperatorName).filter((n): n is string => n !== undefined && n !== '');
  const exact = names.find((n) => n === portalName);
  if (exact !== undefined) return { ok: true, operatorName: exact };
  const wanted = normalizeFilterOperator(portalName);
  const normalized = names.find((n) => normalizeFilterOperator(n) === wanted);
  if (normalized !== undefined) return { ok: true, operatorName: normalized };
  const near = closestMatch(portalName, names) ?? closestMatch(wanted, names);
  return {
    ok: false,
    problem: problem(
      'UNKNOWN_FILTER_OPERATOR',
      path,
      'be a scoping filter operator this provisioning job supports',
      portalName,
      `The job's operators are: ${names.join(', ') || '(none listed)'}.${near === undefined ? '' : ` Did you mean '${near}'?`}`,
    ),
  };
}

/** The problem for a name that is not one of the admin center's operators. */
export function unknownPortalOperator(name: unknown, path: string): Problem {
  const near = typeof name === 'string' ? closestMatch(name, FILTER_OPERATORS) : undefined;
  return problem(
    'UNKNOWN_FILTER_OPERATOR',
    path,
    'be a scoping filter operator of the Entra admin center',
    name,
    `Use one of: ${FILTER_OPERATORS.join(', ')}.${near === undefined ? '' : ` Did you mean '${near}'?`}`,
  );
}
