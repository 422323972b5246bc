/**
 * What differs between a job's live schema and the desired one, in words a reviewer reads in a plan: one line per
 * target attribute ("users emails[type eq "work"].value: [mail] → Coalesce([mail], [userPrincipalName])"), then
 * the object mappings' other settings. Equality is the digest's (schema-digest.ts), attribute by attribute, so a
 * difference the digest ignores (a volatile field, an expression written another way) is never named.
 */
import type {
  AttributeMapping,
  AttributeMappingSource,
  ObjectMapping,
  SynchronizationRule,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import { canonicalSchema } from './schema-digest';

/** How many differences a summary names before it says how many more there are. */
export const DRIFT_SUMMARY_CAP = 5;

/** What a missing attribute or mapping reads as. */
const NONE = '(none)';

/**
 * Every difference between `live` and `desired` that the model can name, in schema order. When the digests
 * differ but nothing here is named (a directory definition, a rule of another direction), one line says so.
 */
export function schemaDrift(live: SynchronizationSchema, desired: SynchronizationSchema): string[] {
  const items: string[] = [];
  const liveMappings = indexMappings(live);
  const desiredMappings = indexMappings(desired);
  for (const [key, want] of desiredMappings) {
    const have = liveMappings.get(key);
    if (have === undefined) {
      items.push(`${want.label}: object mapping ${NONE} → present`);
      continue;
    }
    items.push(...mappingDrift(want.label, have.mapping, want.mapping));
  }
  for (const [key, have] of liveMappings) {
    if (!desiredMappings.has(key)) items.push(`${have.label}: object mapping present → ${NONE}`);
  }
  if (items.length === 0 && canonicalSchema(live) !== canonicalSchema(desired)) {
    items.push('the schema differs outside the object mappings (directories or rules)');
  }
  return items;
}

/** The first {@link DRIFT_SUMMARY_CAP} items joined, and how many more there are. */
export function summarizeDrift(items: readonly string[], cap: number = DRIFT_SUMMARY_CAP): string {
  const shown = items.slice(0, cap).join('; ');
  const more = items.length - cap;
  return more > 0 ? `${shown}; and ${more} more` : shown;
}

interface LabelledMapping {
  readonly label: string;
  readonly mapping: ObjectMapping;
}

/** Object mappings by rule and name; labelled `users`/`groups` like the spec's `mappings` keys. */
function indexMappings(schema: SynchronizationSchema): Map<string, LabelledMapping> {
  const out = new Map<string, LabelledMapping>();
  (schema.synchronizationRules ?? []).forEach((rule: SynchronizationRule, r) => {
    (rule.objectMappings ?? []).forEach((mapping, m) => {
      const side = mapping.sourceObjectName === 'User' ? 'users' : mapping.sourceObjectName === 'Group' ? 'groups' : '';
      const label = side !== '' ? side : (mapping.name ?? `object mapping ${m + 1}`);
      out.set(JSON.stringify([rule.id ?? `#${r}`, mapping.name ?? `#${m}`, mapping.sourceObjectName ?? '']), {
        label,
        mapping,
      });
    });
  });
  return out;
}

function mappingDrift(label: string, live: ObjectMapping, desired: ObjectMapping): string[] {
  const items: string[] = [];
  if ((live.enabled ?? undefined) !== (desired.enabled ?? undefined)) {
    items.push(`${label}: enabled ${String(live.enabled ?? NONE)} → ${String(desired.enabled ?? NONE)}`);
  }
  const liveAttributes = byTarget(live.attributeMappings ?? []);
  const desiredAttributes = byTarget(desired.attributeMappings ?? []);
  for (const [target, want] of desiredAttributes) {
    const have = liveAttributes.get(target);
    if (have === undefined) items.push(`${label} ${target}: ${NONE} → ${sourceText(want.source)}`);
    else if (!sameAttribute(have, want)) items.push(`${label} ${target}: ${attributeChange(have, want)}`);
  }
  for (const [target, have] of liveAttributes) {
    if (!desiredAttributes.has(target)) items.push(`${label} ${target}: ${sourceText(have.source)} → ${NONE}`);
  }
  const liveFilter = canonicalSchema(wrap({ scope: live.scope ?? null }));
  const desiredFilter = canonicalSchema(wrap({ scope: desired.scope ?? null }));
  if (liveFilter !== desiredFilter) {
    const [have, want] = [filterText(live), filterText(desired)];
    items.push(`${label} scoping filters: ${have === want ? `${have} (clauses changed)` : `${have} → ${want}`}`);
  }
  return items;
}

function byTarget(mappings: readonly AttributeMapping[]): Map<string, AttributeMapping> {
  const out = new Map<string, AttributeMapping>();
  for (const m of mappings) if (typeof m.targetAttributeName === 'string') out.set(m.targetAttributeName, m);
  return out;
}

/** A one-mapping schema, so that one attribute is compared by exactly the digest's rules. */
function wrap(mapping: ObjectMapping): SynchronizationSchema {
  return { synchronizationRules: [{ objectMappings: [mapping] }] };
}

function sameAttribute(a: AttributeMapping, b: AttributeMapping): boolean {
  return canonicalSchema(wrap({ attributeMappings: [a] })) === canonicalSchema(wrap({ attributeMappings: [b] }));
}

/** The source when it changed; else the first other setting that did (matching, flow, default). */
function attributeChange(live: AttributeMapping, desired: AttributeMapping): string {
  const source = (m: AttributeMapping): AttributeMapping => ({ source: m.source ?? null });
  if (!sameAttribute(source(live), source(desired))) {
    return `${sourceText(live.source)} → ${sourceText(desired.source)}`;
  }
  const settings = ['matchingPriority', 'flowType', 'defaultValue', 'flowBehavior', 'exportMissingReferences'] as const;
  for (const key of settings) {
    const have = live[key] ?? null;
    const want = desired[key] ?? null;
    if (have !== want) return `${key} ${String(have ?? NONE)} → ${String(want ?? NONE)}`;
  }
  return `${sourceText(live.source)} (settings) → ${sourceText(desired.source)}`;
}

/** A source as the portal shows it: its expression, else `[attribute]` or the constant. */
function sourceText(source: AttributeMappingSource | null | undefined): string {
  if (!source) return NONE;
  if (typeof source.expression === 'string' && source.expression !== '') return source.expression;
  if (source.type === 'Attribute' && typeof source.name === 'string') return `[${source.name}]`;
  if (source.type === 'Constant' && typeof source.name === 'string') return JSON.stringify(source.name);
  return source.name ?? NONE;
}

function filterText(mapping: ObjectMapping): string {
  const names = (mapping.scope?.groups ?? []).map((g) => g.name ?? '?');
  return names.length === 0 ? NONE : names.map((n) => JSON.stringify(n)).join(', ');
}
