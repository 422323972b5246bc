/**
 * The desired synchronization schema: a schema read from Graph (Rollbar's template, or the job's) with a
 * mappings patch applied. Pure: `base` is never changed, problems are returned rather than thrown.
 *
 * What the merge owns, and nothing else:
 * - in the rule whose source is Azure AD, the object mappings whose `sourceObjectName` is `User` (the patch's
 *   `users`) and `Group` (`groups`);
 * - in those, the attribute mappings the patch names (by `targetAttributeName`): set, replace or remove
 *   (`null`); of each, `source`, `matchingPriority`, `flowType` and `defaultValue` when the patch gives them;
 * - `scope.groups` when the patch has `scopingFilters` (`inputFilterGroups` and `categoryFilterGroups` stay, or
 *   are written empty on a mapping that had no scope);
 * - the groups mapping's `enabled`.
 * Every other field, known to the typings or not, is kept verbatim; volatile fields (see schema-digest.ts) are
 * dropped, or taken from the live job schema when the `live` option gives it (with the identity fields).
 *
 * A patched attribute leaves the fields it does not mention as the base has them (a new mapping starts from
 * matchingPriority 0, flowType Always, no default value), so that overriding the source of the matching
 * attribute keeps it matching. When the patch's expression means the same as the base's (same parse tree,
 * whatever the spacing), the base's `source` object is kept verbatim: Graph's own parameter keys win and a
 * re-deploy changes nothing.
 */
import type {
  AttributeMapping,
  AttributeMappingSource,
  FilterGroup,
  FilterOperatorSchema,
  ObjectMapping,
  SynchronizationRule,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import type { Problem } from '../problems';
import { problem } from '../problems';
import type { AttributeMappingSpec, GroupMappingPatch, MappingsSpec, ScopingFilterGroup } from '../spec';
import { closestMatch } from '../suggest';
import type { ExpressionNode } from '../expression/ast';
import { attributeReferences, stripSpans } from '../expression/ast';
import { treeToMappingSource } from '../expression/mapping-source';
import { parseExpression } from '../expression/parser';
import { resolveFilterOperator } from './scoping';
import { canonicalJson, canonicalSchema, withoutVolatileFields } from './schema-digest';
import { validateMappingsPatch } from './validate-patch';

/** Options of {@link mergeSchema}. */
export interface MergeOptions {
  /**
   * The job's scoping filter operators (`GET .../schema/filterOperators`); portal operator names are mapped to
   * their names.
   * @default - `EQUALS` is kept, other operators are passed upper-cased with spaces as underscores
   */
  readonly filterOperators?: readonly FilterOperatorSchema[];
  /**
   * The job's live schema, when `base` is another one (the template's): the result takes its identity and
   * volatile fields (the schema's `id` and `version`; each directory's `id`, `version` and `discoveryDateTime`,
   * by directory name), so that what is written names the job's own schema, and `changed` compares with it.
   * @default - `base` is the live schema
   */
  readonly live?: SynchronizationSchema;
}

/** The outcome of {@link mergeSchema}. */
export interface MergeResult {
  /** The desired schema (volatile fields dropped); `base` without its volatile fields when there are problems. */
  readonly schema: SynchronizationSchema;
  /**
   * Whether `schema` differs from the live schema (`options.live`, else `base`), volatile and identity fields
   * aside, null and empty lists alike. Always false when there are problems.
   */
  readonly changed: boolean;
  /** Everything wrong with the patch for this schema; empty on success. */
  readonly problems: readonly Problem[];
}

/** Names Graph gives the Entra side of a rule: Graph's examples use the first. */
export const ENTRA_DIRECTORY_NAMES: readonly string[] = [
  'Azure Active Directory',
  'Microsoft Entra ID',
  'AzureActiveDirectory',
];

/** The patch's object mappings, and the `sourceObjectName` each is found by. */
export const OBJECT_MAPPING_SOURCES = { users: 'User', groups: 'Group' } as const;

type Side = keyof typeof OBJECT_MAPPING_SOURCES;

/** The attributes a directory object defines; `undefined` when the schema does not say (nothing to check). */
type AttributeNames = ReadonlySet<string> | undefined;

interface SideContext {
  readonly side: Side;
  readonly path: string;
  readonly sourceAttributes: AttributeNames;
  readonly targetAttributes: AttributeNames;
  readonly options: MergeOptions;
  readonly problems: Problem[];
}

/**
 * Applies `patch` to `base`. Idempotent: merging the result with the same patch changes nothing.
 * @returns the desired schema, whether it differs from `base`, and every problem found
 */
export function mergeSchema(
  base: SynchronizationSchema,
  patch: MappingsSpec = {},
  options: MergeOptions = {},
): MergeResult {
  const offline = validateMappingsPatch(patch);
  if (offline.length > 0) return { schema: withoutVolatileFields(base), changed: false, problems: offline };

  const schema = withoutVolatileFields(base);
  const problems: Problem[] = [];
  const sides = (Object.keys(OBJECT_MAPPING_SOURCES) as Side[]).filter((side) => patch[side] !== undefined);
  const rule = sides.length > 0 ? entraRule(schema) : undefined;

  for (const side of sides) {
    const sidePatch: GroupMappingPatch = patch[side] ?? {};
    const path = `mappings.${side}`;
    const sourceObjectName = OBJECT_MAPPING_SOURCES[side];
    const mapping = rule?.objectMappings?.find((m) => m.sourceObjectName === sourceObjectName);
    if (rule === undefined || mapping === undefined) {
      problems.push(
        problem(
          'UNKNOWN_OBJECT_MAPPING',
          path,
          `match an object mapping with sourceObjectName '${sourceObjectName}' in the Azure AD rule of the schema`,
          describeMappings(schema),
          `The job's schema has no such mapping: remove mappings.${side}, or reset the job's schema (rollbar-provisioning graph reset-mappings).`,
        ),
      );
      continue;
    }
    const context: SideContext = {
      side,
      path,
      sourceAttributes: objectAttributes(schema, rule.sourceDirectoryName, mapping.sourceObjectName),
      targetAttributes: objectAttributes(schema, rule.targetDirectoryName, mapping.targetObjectName),
      options,
      problems,
    };
    applyAttributes(mapping, sidePatch.attributes ?? {}, context);
    if (sidePatch.scopingFilters !== undefined) applyScopingFilters(mapping, sidePatch.scopingFilters, context);
    if (sidePatch.enabled !== undefined) mapping.enabled = sidePatch.enabled;
    checkMatching(mapping, sidePatch.attributes ?? {}, context);
  }

  if (problems.length > 0) return { schema: withoutVolatileFields(base), changed: false, problems };
  const live = options.live ?? base;
  if (options.live !== undefined) takeIdentity(schema, options.live);
  return { schema, changed: canonicalSchema(schema) !== canonicalSchema(live), problems };
}

/**
 * Copies the live schema's identity and volatile fields onto `schema`. A job's schema may carry its own ids and
 * discovery times (both are entities with ids: MS-Graph synchronization-synchronizationschema.md,
 * synchronization-directorydefinition.md); the template's would name another schema.
 */
function takeIdentity(schema: SynchronizationSchema, live: SynchronizationSchema): void {
  if (live.id !== undefined) schema.id = live.id;
  if (live.version !== undefined) schema.version = live.version;
  for (const directory of schema.directories ?? []) {
    const own = live.directories?.find((d) => d.name === directory.name);
    if (own === undefined) continue;
    if (own.id !== undefined) directory.id = own.id;
    if (own.version !== undefined) directory.version = own.version;
    if (own.discoveryDateTime !== undefined) directory.discoveryDateTime = own.discoveryDateTime;
  }
}

/** The rule provisioning from Azure AD: by its source directory's name, else the only rule. */
export function entraRule(schema: SynchronizationSchema): SynchronizationRule | undefined {
  const rules = schema.synchronizationRules ?? [];
  const known = ENTRA_DIRECTORY_NAMES.map((n) => n.toLowerCase());
  return (
    rules.find((r) => known.includes((r.sourceDirectoryName ?? '').toLowerCase())) ??
    (rules.length === 1 ? rules[0] : undefined)
  );
}

function describeMappings(schema: SynchronizationSchema): string {
  const names = (schema.synchronizationRules ?? []).flatMap((r) =>
    (r.objectMappings ?? []).map((m) => `${r.sourceDirectoryName ?? '?'}/${m.sourceObjectName ?? '?'}`),
  );
  return names.length > 0 ? names.join(', ') : 'no object mappings';
}

function objectAttributes(
  schema: SynchronizationSchema,
  directoryName: string | null | undefined,
  objectName: string | null | undefined,
): AttributeNames {
  const object = schema.directories?.find((d) => d.name === directoryName)?.objects?.find((o) => o.name === objectName);
  if (object?.attributes == null) return undefined;
  return new Set(object.attributes.map((a) => a.name).filter((n): n is string => typeof n === 'string'));
}

function suggestion(name: string, known: ReadonlySet<string>, what: string): string {
  const near = closestMatch(name, known);
  return near === undefined
    ? `The ${what} defines no such attribute; names are case-sensitive.`
    : `The ${what} defines no such attribute. Did you mean '${near}'?`;
}

function applyAttributes(
  mapping: ObjectMapping,
  attributes: Readonly<Record<string, AttributeMappingSpec | null>>,
  context: SideContext,
): void {
  const list: AttributeMapping[] = mapping.attributeMappings ?? [];
  for (const [target, spec] of Object.entries(attributes)) {
    const at = `${context.path}.attributes.${target}`;
    if (context.targetAttributes !== undefined && !context.targetAttributes.has(target)) {
      context.problems.push(
        problem(
          'UNKNOWN_TARGET_ATTRIBUTE',
          at,
          `be an attribute of the target object '${mapping.targetObjectName ?? '?'}'`,
          target,
          suggestion(target, context.targetAttributes, "job's target directory"),
        ),
      );
      continue;
    }
    if (spec === null) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i]?.targetAttributeName === target) list.splice(i, 1);
      continue;
    }
    const parsed = parseExpression(spec.source, { path: `${at}.source` });
    if (!parsed.ok) {
      context.problems.push(...parsed.problems);
      continue;
    }
    checkSourceAttributes(parsed.tree, `${at}.source`, mapping, context);
    const index = list.findIndex((m) => m.targetAttributeName === target);
    const existing = index >= 0 ? list[index] : undefined;
    const next: AttributeMapping = existing
      ? { ...existing }
      : {
          targetAttributeName: target,
          matchingPriority: 0,
          flowType: 'Always',
          flowBehavior: 'FlowWhenChanged',
          defaultValue: null,
          exportMissingReferences: false,
        };
    next.source = sameExpression(existing?.source, parsed.tree)
      ? existing!.source
      : treeToMappingSource(parsed.tree, spec.source, true);
    if (spec.matchingPriority !== undefined) next.matchingPriority = spec.matchingPriority;
    if (spec.apply !== undefined) next.flowType = spec.apply === 'onCreateOnly' ? 'ObjectAddOnly' : 'Always';
    if (spec.defaultValue !== undefined) next.defaultValue = spec.defaultValue;
    if (index >= 0) list[index] = next;
    else list.push(next);
  }
  mapping.attributeMappings = list;
}

function sameExpression(source: AttributeMappingSource | null | undefined, tree: ExpressionNode): boolean {
  if (typeof source?.expression !== 'string') return false;
  const parsed = parseExpression(source.expression);
  return parsed.ok && canonicalJson(stripSpans(parsed.tree)) === canonicalJson(stripSpans(tree));
}

function checkSourceAttributes(tree: ExpressionNode, path: string, mapping: ObjectMapping, context: SideContext): void {
  const known = context.sourceAttributes;
  if (known === undefined) return;
  for (const ref of attributeReferences(tree)) {
    if (known.has(ref.name)) continue;
    context.problems.push(
      problem(
        'UNKNOWN_SOURCE_ATTRIBUTE',
        path,
        `name attributes of the Azure AD object '${mapping.sourceObjectName ?? '?'}'`,
        `[${ref.name}]`,
        `${suggestion(ref.name, known, 'Azure AD directory of the job')} (column ${ref.column})`,
        { column: ref.column },
      ),
    );
  }
}

function applyScopingFilters(
  mapping: ObjectMapping,
  filters: readonly ScopingFilterGroup[],
  context: SideContext,
): void {
  const groups: FilterGroup[] = filters.map((group, g) => ({
    name: group.name,
    clauses: group.clauses.map((clause, c) => {
      const at = `${context.path}.scopingFilters.${g}.clauses.${c}`;
      const known = context.sourceAttributes;
      if (known !== undefined && !known.has(clause.attribute)) {
        context.problems.push(
          problem(
            'UNKNOWN_SOURCE_ATTRIBUTE',
            `${at}.attribute`,
            `be an attribute of the Azure AD object '${mapping.sourceObjectName ?? '?'}'`,
            clause.attribute,
            suggestion(clause.attribute, known, 'Azure AD directory of the job'),
          ),
        );
      }
      const operator = resolveFilterOperator(clause.operator, `${at}.operator`, context.options.filterOperators);
      if (!operator.ok) context.problems.push(operator.problem);
      return {
        sourceOperandName: clause.attribute,
        operatorName: operator.ok ? operator.operatorName : clause.operator,
        targetOperand: { values: [...(clause.values ?? [])] },
      };
    }),
  }));
  // No filter on a mapping without a scope is the same thing as the base: leave `null` alone.
  if (mapping.scope == null && groups.length === 0) return;
  // A new scope is written whole, in the shape of Graph's example filter (MS-Graph beta
  // synchronization_scopingFilter.md: `inputFilterGroups: []`, `categoryFilterGroups: []` beside `groups`).
  mapping.scope = { inputFilterGroups: [], categoryFilterGroups: [], ...(mapping.scope ?? {}), groups };
}

function checkMatching(
  mapping: ObjectMapping,
  attributes: Readonly<Record<string, AttributeMappingSpec | null>>,
  context: SideContext,
): void {
  const list = mapping.attributeMappings ?? [];
  const matching = list.filter((m) => (m.matchingPriority ?? 0) > 0);
  if (matching.length === 0 && mapping.enabled !== false) {
    context.problems.push(
      problem(
        'NO_MATCHING_ATTRIBUTE',
        `${context.path}.attributes`,
        'leave at least one attribute with matchingPriority 1 or more',
        'none',
        'Entra matches existing Rollbar users with it: give one mapping (such as userName) matchingPriority: 1.',
      ),
    );
  }
  const byPriority = new Map<number, string[]>();
  for (const m of matching) {
    const priority = m.matchingPriority ?? 0;
    byPriority.set(priority, [...(byPriority.get(priority) ?? []), m.targetAttributeName ?? '?']);
  }
  for (const [priority, targets] of byPriority) {
    if (targets.length < 2) continue;
    const patched = targets.find((t) => attributes[t] != null);
    context.problems.push(
      problem(
        'DUPLICATE_MATCHING_PRIORITY',
        patched === undefined ? `${context.path}.attributes` : `${context.path}.attributes.${patched}.matchingPriority`,
        'differ from every other matching priority of the object mapping',
        priority,
        `${targets.join(' and ')} would all have matching priority ${priority}: give each its own precedence, or set matchingPriority: 0 on the one that should stop matching.`,
      ),
    );
  }
}
