/**
 * The inverse of {@link mergeSchema}: the smallest mappings patch that turns a template's schema into a job's,
 * and every difference between them that the model cannot express. Pure.
 *
 * For every job schema whose differences from the template are all expressible,
 * `mergeSchema(template, schemaToPatch(template, job).patch)` provisions like `job` (equal `canonicalSchema`,
 * identity and volatile fields aside). The function checks this itself: when the merge of its patch does not
 * give the job back, the places where they part are listed as differences, so an empty list is a promise.
 *
 * What the patch can say is what the merge owns (see merge-schema.ts): per target attribute of the users and
 * groups object mappings, the source (as its canonical expression), matchingPriority, flowType
 * (`apply`), defaultValue, and removal; the scoping filter groups; the groups mapping's `enabled`. A new attribute
 * starts from the merge's defaults (matchingPriority 0, flowType Always, flowBehavior FlowWhenChanged, no
 * default value, exportMissingReferences false), as `plan-mappings` writes it.
 *
 * Identity and volatile fields (the schema's and the directories' `id` and `version`, the directories'
 * `discoveryDateTime`, OData annotations) are never differences: Graph gives every job its own.
 */
import type {
  AttributeMapping,
  DirectoryDefinition,
  Filter,
  FilterClause,
  FilterGroup,
  FilterOperatorSchema,
  ObjectMapping,
  SynchronizationRule,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import { parseExpression } from '../expression/parser';
import { printExpression } from '../expression/printer';
import type {
  AttributeMappingSpec,
  FilterOperator,
  GroupMappingPatch,
  MappingsSpec,
  ScopingFilterClause,
  ScopingFilterGroup,
} from '../spec';
import { entraRule, mergeSchema, OBJECT_MAPPING_SOURCES } from './merge-schema';
import { FILTER_OPERATORS, UNARY_FILTER_OPERATORS, resolveFilterOperator } from './scoping';
import { canonicalJson, canonicalSchema, withoutVolatileFields } from './schema-digest';

/** Kinds of difference the model cannot express. Stable: the export command reports them by kind. */
export const SCHEMA_DIFFERENCE_KINDS = [
  /** An attribute's `flowBehavior` (FlowAlways…) differs from the template's or the model's FlowWhenChanged. */
  'FLOW_BEHAVIOR',
  /** An attribute's `flowType` is neither Always nor ObjectAddOnly. */
  'FLOW_TYPE',
  /** An attribute's `exportMissingReferences` differs. */
  'EXPORT_MISSING_REFERENCES',
  /** An attribute's default value was cleared (the model sets a string, never none). */
  'DEFAULT_VALUE',
  /** An attribute's matchingPriority is not a whole number, 0 or more. */
  'MATCHING_PRIORITY',
  /** An attribute's source has no expression the offline parser reads. */
  'SOURCE',
  /** Another field of an attribute mapping differs. */
  'ATTRIBUTE_FIELD',
  /** Two mappings of one object mapping share a target attribute. */
  'DUPLICATE_TARGET',
  /** The attribute mappings are in an order the merge does not produce. */
  'ATTRIBUTE_ORDER',
  /** The users object mapping is switched off (the model switches off groups only). */
  'USERS_ENABLED',
  /** An object mapping field other than its attributes, scope and (groups) enabled differs. */
  'OBJECT_MAPPING',
  /** A scope's category or input filter groups differ (the model writes `groups` only). */
  'SCOPE_FILTER',
  /** A scoping filter group or clause has no equivalent in the model (operator, values, fields). */
  'SCOPING_FILTER',
  /** An object mapping exists in one schema and not in the other, or another object mapping differs. */
  'OTHER_OBJECT_MAPPING',
  /** A synchronization rule other than Azure AD's, or a field of that rule, differs. */
  'RULE',
  /** A directory definition differs (attributes added to the target directory…). */
  'DIRECTORY',
  /** Another field of the schema differs. */
  'SCHEMA',
  /** The patch that would express the job does not pass the merge's checks (no matching attribute…). */
  'INVALID_PATCH',
] as const;

/** A kind of {@link SchemaDifference}. */
export type SchemaDifferenceKind = (typeof SCHEMA_DIFFERENCE_KINDS)[number];

/** One difference between the template's and the job's schema that no patch can express. */
export interface SchemaDifference {
  readonly kind: SchemaDifferenceKind;
  /**
   * Where: in the model's terms where it has them (`mappings.users.attributes.title.flowBehavior`), else a path
   * into the schema (`directories[Rollbar].objects[User].attributes`).
   */
  readonly path: string;
  /** What the template has (short JSON), when it has something. */
  readonly template?: string;
  /** What the job has (short JSON), when it has something. */
  readonly job?: string;
  /** One sentence for a person. */
  readonly message: string;
}

/** Options of {@link schemaToPatch}. */
export interface SchemaToPatchOptions {
  /**
   * The job's scoping filter operators, as given to {@link mergeSchema}: an operator is written back as the
   * portal name that the merge maps to it.
   * @default - the merge's offline mapping
   */
  readonly filterOperators?: readonly FilterOperatorSchema[];
  /**
   * A patch whose shape the result follows where the job allows: every attribute, `scopingFilters` and
   * `enabled` it names is written (with the job's values) even when the template has them already, with the
   * fields it names, and its expression text when it means the job's expression. So that a diff against it
   * shows only what differs. The result still merges into the job.
   * @default - the smallest patch
   */
  readonly like?: MappingsSpec;
}

/** The outcome of {@link schemaToPatch}. */
export interface SchemaToPatchResult {
  /** The patch: what `mappings` in the configuration would say. */
  readonly patch: MappingsSpec;
  /** Every difference the patch does not express; empty when `mergeSchema(template, patch)` gives the job. */
  readonly differences: readonly SchemaDifference[];
}

type Side = keyof typeof OBJECT_MAPPING_SOURCES;

/** The defaults the merge gives a new attribute mapping (merge-schema.ts, applyAttributes). */
const NEW_ATTRIBUTE_DEFAULTS: Readonly<Record<string, unknown>> = {
  matchingPriority: 0,
  flowType: 'Always',
  flowBehavior: 'FlowWhenChanged',
  defaultValue: null,
  exportMissingReferences: false,
};

/** Attribute mapping fields the patch sets; the others must agree with the base. */
const PATCHED_FIELDS = new Set(['targetAttributeName', 'source', 'matchingPriority', 'flowType', 'defaultValue']);

const FIELD_KINDS: Readonly<Record<string, SchemaDifferenceKind>> = {
  flowBehavior: 'FLOW_BEHAVIOR',
  exportMissingReferences: 'EXPORT_MISSING_REFERENCES',
};

const MAX_SHOWN = 120;

/** Short JSON of a value for a difference; undefined stays undefined. */
function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = canonicalJson(value);
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
}

/** Null, undefined and empty lists mean "none" alike; everything else compares by canonical JSON. */
function same(a: unknown, b: unknown): boolean {
  return canonicalJson(noneToNull(a)) === canonicalJson(noneToNull(b));
}

function noneToNull(value: unknown): unknown {
  return value === undefined || (Array.isArray(value) && value.length === 0) ? null : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The canonical text of a source, or undefined when it has no expression the parser reads. */
function canonicalExpression(source: AttributeMapping['source']): string | undefined {
  const text = source?.expression;
  if (typeof text !== 'string') return undefined;
  const parsed = parseExpression(text);
  return parsed.ok ? printExpression(parsed.tree) : undefined;
}

/** The object mapping of `side` in a schema's Azure AD rule. */
function objectMapping(rule: SynchronizationRule | undefined, side: Side): ObjectMapping | undefined {
  return rule?.objectMappings?.find((m) => m.sourceObjectName === OBJECT_MAPPING_SOURCES[side]);
}

/** Collects differences and builds the patch, side by side. */
class Inverter {
  readonly differences: SchemaDifference[] = [];

  constructor(private readonly options: SchemaToPatchOptions) {}

  differ(kind: SchemaDifferenceKind, path: string, template: unknown, job: unknown, message: string): void {
    this.differences.push({
      kind,
      path,
      ...(template !== undefined && { template: shown(template) }),
      ...(job !== undefined && { job: shown(job) }),
      message,
    });
  }

  side(side: Side, template: ObjectMapping, job: ObjectMapping): GroupMappingPatch | undefined {
    const path = `mappings.${side}`;
    const like: GroupMappingPatch | undefined = this.options.like?.[side];
    const out: { -readonly [K in keyof GroupMappingPatch]: GroupMappingPatch[K] } = {};

    for (const key of new Set([...Object.keys(template), ...Object.keys(job)])) {
      if (key === 'attributeMappings' || key === 'scope' || key === 'enabled') continue;
      const t = (template as Record<string, unknown>)[key];
      const j = (job as Record<string, unknown>)[key];
      if (!same(t, j)) {
        this.differ('OBJECT_MAPPING', `${path}.${key}`, t, j, `The job's ${side} mapping has another ${key}.`);
      }
    }

    const enabledDiffers = (template.enabled ?? true) !== (job.enabled ?? true);
    if (side === 'users') {
      if (enabledDiffers) {
        this.differ(
          'USERS_ENABLED',
          `${path}.enabled`,
          template.enabled,
          job.enabled,
          `The users mapping is ${job.enabled === false ? 'off' : 'on'} in the job; the model switches the groups mapping only.`,
        );
      }
    } else if (enabledDiffers || like?.enabled !== undefined) {
      out.enabled = job.enabled ?? true;
    }

    const attributes = this.attributes(path, template.attributeMappings ?? [], job.attributeMappings ?? [], like);
    if (attributes !== undefined) out.attributes = attributes;

    const filters = this.scope(path, template.scope, job.scope, like?.scopingFilters !== undefined);
    if (filters !== undefined) out.scopingFilters = filters;

    return Object.keys(out).length > 0 ? out : undefined;
  }

  private attributes(
    path: string,
    template: readonly AttributeMapping[],
    job: readonly AttributeMapping[],
    like: GroupMappingPatch | undefined,
  ): Record<string, AttributeMappingSpec | null> | undefined {
    const byTarget = (list: readonly AttributeMapping[], which: string): Map<string, AttributeMapping> => {
      const map = new Map<string, AttributeMapping>();
      for (const m of list) {
        const target = m.targetAttributeName ?? '';
        if (map.has(target)) {
          this.differ(
            'DUPLICATE_TARGET',
            `${path}.attributes.${target}`,
            undefined,
            undefined,
            `The ${which} maps target attribute '${target}' twice; the model keys mappings by target attribute.`,
          );
        }
        map.set(target, m);
      }
      return map;
    };
    const templates = byTarget(template, 'template');
    const jobs = byTarget(job, 'job');
    const likeAttributes = like?.attributes ?? {};
    const changed: Record<string, AttributeMappingSpec | null> = {};
    const added: Record<string, AttributeMappingSpec> = {};

    for (const [target, t] of templates) {
      const j = jobs.get(target);
      if (j === undefined) {
        changed[target] = null;
        continue;
      }
      const spec = this.attribute(`${path}.attributes.${target}`, t, j, likeAttributes[target]);
      if (spec !== undefined) changed[target] = spec;
    }
    for (const [target, j] of jobs) {
      if (templates.has(target)) continue;
      const spec = this.attribute(`${path}.attributes.${target}`, undefined, j, likeAttributes[target]);
      if (spec !== undefined) added[target] = spec;
    }
    // A removal the like-patch names for an attribute neither schema has is a no-op worth keeping in its shape.
    for (const [target, spec] of Object.entries(likeAttributes)) {
      if (!templates.has(target) && !jobs.has(target) && spec === null) changed[target] = null;
    }
    this.checkOrder(path, template, job);
    const all = { ...changed, ...added };
    return Object.keys(all).length > 0 ? all : undefined;
  }

  /**
   * The patch entry that turns `template` (undefined: a new mapping) into `job`, or undefined when none is needed.
   * Fields that differ and that the patch cannot set are differences.
   */
  private attribute(
    path: string,
    template: AttributeMapping | undefined,
    job: AttributeMapping,
    like: AttributeMappingSpec | null | undefined,
  ): AttributeMappingSpec | undefined {
    const base = (template ?? { ...NEW_ATTRIBUTE_DEFAULTS }) as Record<string, unknown>;
    const live = job as Record<string, unknown>;

    for (const key of new Set([...Object.keys(base), ...Object.keys(live)])) {
      if (PATCHED_FIELDS.has(key)) continue;
      const t = base[key] ?? NEW_ATTRIBUTE_DEFAULTS[key];
      const j = live[key] ?? NEW_ATTRIBUTE_DEFAULTS[key];
      if (same(t, j)) continue;
      this.differ(
        FIELD_KINDS[key] ?? 'ATTRIBUTE_FIELD',
        `${path}.${key}`,
        t,
        j,
        `The job's ${key} differs from ${template === undefined ? "the model's default for a new mapping" : "the template's"}.`,
      );
    }

    const expression = canonicalExpression(job.source);
    if (expression === undefined) {
      this.differ(
        'SOURCE',
        `${path}.source`,
        template?.source?.expression,
        job.source?.expression ?? job.source,
        "The job's source has no expression the model can write.",
      );
      return undefined;
    }
    const likeSpec = like ?? undefined;
    const sourceChanged = template === undefined || canonicalExpression(template.source) !== expression;
    const spec: { -readonly [K in keyof AttributeMappingSpec]: AttributeMappingSpec[K] } = {
      source: likeSpec !== undefined && canonicalText(likeSpec.source) === expression ? likeSpec.source : expression,
    };
    let needed = sourceChanged || like !== undefined;

    const priority = job.matchingPriority ?? 0;
    if (priority !== (base.matchingPriority ?? 0) || likeSpec?.matchingPriority !== undefined) {
      if (Number.isInteger(priority) && priority >= 0) {
        spec.matchingPriority = priority;
        needed = true;
      } else {
        this.differ(
          'MATCHING_PRIORITY',
          `${path}.matchingPriority`,
          base.matchingPriority,
          priority,
          'The model takes whole numbers, 0 or more.',
        );
      }
    }

    const flowType = job.flowType ?? 'Always';
    if (flowType !== (base.flowType ?? 'Always') || likeSpec?.apply !== undefined) {
      if (flowType === 'Always' || flowType === 'ObjectAddOnly') {
        spec.apply = flowType === 'Always' ? 'always' : 'onCreateOnly';
        needed = true;
      } else {
        this.differ(
          'FLOW_TYPE',
          `${path}.apply`,
          base.flowType,
          flowType,
          `The model applies a mapping always or on create only, not '${String(flowType)}'.`,
        );
      }
    }

    const defaultValue = job.defaultValue ?? null;
    if (defaultValue !== (base.defaultValue ?? null) || likeSpec?.defaultValue !== undefined) {
      if (typeof defaultValue === 'string') {
        spec.defaultValue = defaultValue;
        needed = true;
      } else if (defaultValue !== (base.defaultValue ?? null)) {
        this.differ(
          'DEFAULT_VALUE',
          `${path}.defaultValue`,
          base.defaultValue,
          defaultValue,
          'The job has no default value where the template has one; the model can set one, not clear it.',
        );
      }
    }
    return needed ? spec : undefined;
  }

  /** The merge keeps the template's order, replaces in place and appends new mappings: anything else is a difference. */
  private checkOrder(path: string, template: readonly AttributeMapping[], job: readonly AttributeMapping[]): void {
    const known = new Set(template.map((m) => m.targetAttributeName ?? ''));
    const order = job.map((m) => m.targetAttributeName ?? '');
    const kept = order.filter((t) => known.has(t));
    const expected = template.map((m) => m.targetAttributeName ?? '').filter((t) => kept.includes(t));
    const firstNew = order.findIndex((t) => !known.has(t));
    const lastKept = order.reduce((last, t, i) => (known.has(t) ? i : last), -1);
    if (canonicalJson(kept) !== canonicalJson(expected) || (firstNew >= 0 && firstNew < lastKept)) {
      this.differ(
        'ATTRIBUTE_ORDER',
        `${path}.attributes`,
        template.map((m) => m.targetAttributeName),
        order,
        "The job's attribute mappings are in another order than the template's, new ones last.",
      );
    }
  }

  /** The scoping filters that turn the template's scope into the job's, or undefined when none are needed. */
  private scope(
    path: string,
    template: Filter | null | undefined,
    job: Filter | null | undefined,
    named: boolean,
  ): ScopingFilterGroup[] | undefined {
    const t = (template ?? {}) as Record<string, unknown>;
    const j = (job ?? {}) as Record<string, unknown>;
    for (const key of new Set([...Object.keys(t), ...Object.keys(j)])) {
      if (key === 'groups' || same(t[key], j[key])) continue;
      this.differ(
        'SCOPE_FILTER',
        `${path}.scope.${key}`,
        t[key],
        j[key],
        `The job's ${key} differ from the template's; the model writes scoping filter groups only.`,
      );
    }
    if (same(t.groups, j.groups) && !named) return undefined;
    const groups = (job?.groups ?? []).map((group, g) => this.filterGroup(`${path}.scopingFilters.${g}`, group));
    return groups.every((g): g is ScopingFilterGroup => g !== undefined) ? groups : undefined;
  }

  private filterGroup(path: string, group: FilterGroup): ScopingFilterGroup | undefined {
    let ok = this.onlyFields(path, group, ['name', 'clauses']);
    if (typeof group.name !== 'string' || group.name.trim() === '') {
      ok = false;
      this.differ('SCOPING_FILTER', `${path}.name`, undefined, group.name, 'The model names every filter group.');
    }
    const clauses = (group.clauses ?? []).map((c, i) => this.clause(`${path}.clauses.${i}`, c));
    if (clauses.length === 0) {
      ok = false;
      this.differ(
        'SCOPING_FILTER',
        `${path}.clauses`,
        undefined,
        group.clauses,
        'The model needs a clause in each group.',
      );
    }
    if (!ok || !clauses.every((c): c is ScopingFilterClause => c !== undefined)) return undefined;
    return { name: group.name!, clauses };
  }

  private clause(path: string, clause: FilterClause): ScopingFilterClause | undefined {
    let ok = this.onlyFields(path, clause, ['sourceOperandName', 'operatorName', 'targetOperand']);
    if (clause.targetOperand != null) ok = this.onlyFields(`${path}.values`, clause.targetOperand, ['values']) && ok;
    const attribute = clause.sourceOperandName;
    if (typeof attribute !== 'string' || attribute.trim() === '' || attribute === 'members') {
      ok = false;
      this.differ(
        'SCOPING_FILTER',
        `${path}.attribute`,
        undefined,
        attribute,
        'The model cannot filter on this attribute.',
      );
    }
    const operator = this.portalOperator(clause.operatorName);
    if (operator === undefined) {
      this.differ(
        'SCOPING_FILTER',
        `${path}.operator`,
        undefined,
        clause.operatorName,
        'No scoping filter operator of the admin center is written as this one.',
      );
      return undefined;
    }
    const values = clause.targetOperand?.values ?? [];
    const unary = UNARY_FILTER_OPERATORS.has(operator);
    if (unary ? values.length > 0 : values.length === 0) {
      this.differ(
        'SCOPING_FILTER',
        `${path}.values`,
        undefined,
        values,
        unary ? `${operator} takes no values in the model.` : `${operator} needs at least one value in the model.`,
      );
      return undefined;
    }
    if (!ok) return undefined;
    return { attribute: attribute!, operator, ...(!unary && { values: [...values] }) };
  }

  /** The portal name the merge writes as `operatorName`, preferring the one that reads the same. */
  private portalOperator(operatorName: string | null | undefined): FilterOperator | undefined {
    if (typeof operatorName !== 'string') return undefined;
    const candidates = FILTER_OPERATORS.filter((name) => {
      const resolved = resolveFilterOperator(name, '', this.options.filterOperators);
      return resolved.ok && resolved.operatorName === operatorName;
    });
    return candidates.find((c) => c === operatorName) ?? candidates[0];
  }

  private onlyFields(path: string, value: object, allowed: readonly string[]): boolean {
    let ok = true;
    for (const [key, inner] of Object.entries(value)) {
      if (allowed.includes(key) || inner === null || inner === undefined || key.startsWith('@odata.')) continue;
      ok = false;
      this.differ('SCOPING_FILTER', `${path}.${key}`, undefined, inner, `The model has no equivalent of ${key}.`);
    }
    return ok;
  }
}

function canonicalText(text: string): string | undefined {
  const parsed = parseExpression(text);
  return parsed.ok ? printExpression(parsed.tree) : undefined;
}

/**
 * The smallest patch that turns `template`'s mappings into `job`'s (by {@link mergeSchema}), and the differences
 * no patch expresses. Neither schema is changed.
 */
export function schemaToPatch(
  template: SynchronizationSchema,
  job: SynchronizationSchema,
  options: SchemaToPatchOptions = {},
): SchemaToPatchResult {
  const inverter = new Inverter(options);
  const templateRule = entraRule(template);
  const jobRule = entraRule(job);
  const patch: { users?: GroupMappingPatch; groups?: GroupMappingPatch } = {};

  for (const side of Object.keys(OBJECT_MAPPING_SOURCES) as Side[]) {
    const t = objectMapping(templateRule, side);
    const j = objectMapping(jobRule, side);
    if (t === undefined || j === undefined) {
      if (t !== j) {
        inverter.differ(
          'OTHER_OBJECT_MAPPING',
          `mappings.${side}`,
          t?.name,
          j?.name,
          `The ${t === undefined ? 'template' : 'job'} has no ${side} mapping in its Azure AD rule.`,
        );
      }
      continue;
    }
    const sidePatch = inverter.side(side, t, j);
    if (sidePatch !== undefined) patch[side] = sidePatch;
  }

  compareUnowned(inverter, template, job);

  const { differences } = inverter;
  if (differences.length === 0) verify(inverter, template, job, patch, options);
  return { patch, differences };
}

/** Everything the merge does not own, compared part by part: rules, other object mappings, directories, the rest. */
function compareUnowned(inverter: Inverter, template: SynchronizationSchema, job: SynchronizationSchema): void {
  const t = unowned(template);
  const j = unowned(job);
  const tDirs = byName(t.directories ?? []);
  const jDirs = byName(j.directories ?? []);
  for (const name of new Set([...tDirs.keys(), ...jDirs.keys()])) {
    const a = tDirs.get(name);
    const b = jDirs.get(name);
    if (same(a, b)) continue;
    const objects = (d: DirectoryDefinition | undefined): Map<string, unknown> => byName(d?.objects ?? []);
    const at = `directories[${name}]`;
    const detail = a !== undefined && b !== undefined ? firstDifference(a, b, at) : at;
    inverter.differ(
      'DIRECTORY',
      detail,
      a === undefined ? undefined : [...objects(a).keys()],
      b === undefined ? undefined : [...objects(b).keys()],
      a === undefined || b === undefined
        ? `The directory '${name}' is in only one of the schemas.`
        : `The job's directory '${name}' differs from the template's (attributes added or changed).`,
    );
  }
  const tRules = t.synchronizationRules ?? [];
  const jRules = j.synchronizationRules ?? [];
  if (!same(tRules, jRules)) {
    const at = firstDifference(tRules, jRules, 'synchronizationRules');
    inverter.differ(
      /objectMappings/.test(at) ? 'OTHER_OBJECT_MAPPING' : 'RULE',
      at,
      undefined,
      undefined,
      "The job's synchronization rules differ from the template's outside the users and groups mappings.",
    );
  }
  const rest = (s: SynchronizationSchema): Record<string, unknown> => {
    const { directories: _d, synchronizationRules: _r, ...others } = s;
    return others;
  };
  if (!same(rest(t), rest(j))) {
    const at = firstDifference(rest(t), rest(j), 'schema');
    inverter.differ('SCHEMA', at, undefined, undefined, "The job's schema differs from the template's.");
  }
}

/**
 * The schema without what the merge owns and without identity and volatile fields: the users and groups
 * mappings' attributes, scope groups and enabled blanked, the schema's and directories' ids and discovery times
 * dropped. Users and groups mapping fields are compared by the side, so the mappings are blanked whole.
 */
function unowned(schema: SynchronizationSchema): SynchronizationSchema {
  const copy = withoutIdentity(schema);
  const rule = entraRule(copy);
  for (const side of Object.keys(OBJECT_MAPPING_SOURCES) as Side[]) {
    const mapping = objectMapping(rule, side);
    if (mapping === undefined) continue;
    for (const key of Object.keys(mapping)) {
      if (key !== 'sourceObjectName') delete (mapping as Record<string, unknown>)[key];
    }
  }
  return copy;
}

/** A copy without volatile fields and without the ids and discovery times Graph gives each job's schema. */
function withoutIdentity(schema: SynchronizationSchema): SynchronizationSchema {
  const copy = withoutVolatileFields(schema);
  delete copy.id;
  for (const directory of copy.directories ?? []) {
    delete directory.id;
    delete directory.discoveryDateTime;
  }
  return copy;
}

function byName<T extends { name?: string | null }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((item, i) => [item.name ?? `#${i}`, item]));
}

/** The path of the first place where two JSON values part (lists of named items by name). */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (same(a, b)) return path;
  if (Array.isArray(a) && Array.isArray(b)) {
    const named = (a as unknown[]).concat(b as unknown[]).every((x) => isRecord(x) && typeof x.name === 'string');
    if (named && a.length === b.length) {
      for (let i = 0; i < a.length; i++) {
        const x = a[i] as { name: string };
        const y = b[i] as { name: string };
        if (x.name !== y.name) return path;
        if (!same(x, y)) return firstDifference(x, y, `${path}[${x.name}]`);
      }
    } else if (!named && a.length === b.length) {
      for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return firstDifference(a[i], b[i], `${path}[${i}]`);
    }
    return path;
  }
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!same(a[key], b[key])) return firstDifference(a[key], b[key], `${path}.${key}`);
    }
  }
  return path;
}

/**
 * The promise of the function: the patch merged into the template gives the job. Where it does not (a patch the
 * merge rejects, a shape no check above foresaw), the differences say where.
 */
function verify(
  inverter: Inverter,
  template: SynchronizationSchema,
  job: SynchronizationSchema,
  patch: MappingsSpec,
  options: SchemaToPatchOptions,
): void {
  const merged = mergeSchema(
    template,
    patch,
    options.filterOperators ? { filterOperators: options.filterOperators } : {},
  );
  for (const p of merged.problems) {
    inverter.differ('INVALID_PATCH', p.path, undefined, undefined, p.message);
  }
  if (merged.problems.length > 0) return;
  const a = canonicalSchema(withoutIdentity(merged.schema));
  const b = canonicalSchema(withoutIdentity(job));
  if (a !== b) {
    const at = firstDifference(JSON.parse(a), JSON.parse(b), 'schema');
    inverter.differ(
      'SCHEMA',
      at,
      undefined,
      undefined,
      'The patch merged into the template does not give the job here.',
    );
  }
}
