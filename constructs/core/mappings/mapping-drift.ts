/**
 * Mapping drift in words: what differs between the desired schema and the job's live one, in the model's terms
 * (target attribute, source expression, matching, apply, default value; scoping filters; enabled), plus what the
 * model cannot express. Pure. What `pulumi refresh` records in the Mappings resource's `drift` output.
 */
import type { AttributeMapping, ObjectMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { parseExpression } from '../expression/parser';
import { printExpression } from '../expression/printer';
import { entraRule, OBJECT_MAPPING_SOURCES } from './merge-schema';
import { canonicalJson } from './schema-digest';
import type { SchemaDifference } from './schema-to-patch';

/** At most this many lines: a drift that large is a different schema, and the rest is one more line. */
export const MAX_DRIFT_LINES = 20;

type Side = keyof typeof OBJECT_MAPPING_SOURCES;

function objectMapping(schema: SynchronizationSchema, side: Side): ObjectMapping | undefined {
  return entraRule(schema)?.objectMappings?.find((m) => m.sourceObjectName === OBJECT_MAPPING_SOURCES[side]);
}

/** An attribute mapping as a person reads it in the configuration. */
function describe(mapping: AttributeMapping | undefined): string {
  if (mapping === undefined) return '(not mapped)';
  const text = mapping.source?.expression;
  const parsed = typeof text === 'string' ? parseExpression(text) : undefined;
  const source = parsed?.ok ? printExpression(parsed.tree) : (text ?? '(no expression)');
  const flags = [
    (mapping.matchingPriority ?? 0) > 0 ? `matchingPriority ${mapping.matchingPriority}` : undefined,
    mapping.flowType === 'ObjectAddOnly' ? 'onCreateOnly' : undefined,
    mapping.flowType !== undefined && !['Always', 'ObjectAddOnly'].includes(mapping.flowType ?? '')
      ? `flowType ${mapping.flowType}`
      : undefined,
    typeof mapping.defaultValue === 'string' ? `defaultValue ${JSON.stringify(mapping.defaultValue)}` : undefined,
  ].filter((f): f is string => f !== undefined);
  return flags.length === 0 ? JSON.stringify(source) : `${JSON.stringify(source)} (${flags.join(', ')})`;
}

function scopeGroups(mapping: ObjectMapping | undefined): string {
  const groups = mapping?.scope?.groups ?? [];
  return canonicalJson(groups);
}

/**
 * One line per difference between `desired` and `live`: `users.attributes.title: live "[mail]", desired
 * "[department]"`, then the `differences` (from {@link schemaToPatch} of the live schema), at most
 * {@link MAX_DRIFT_LINES} lines. Empty when they provision alike in everything the model expresses.
 */
export function describeMappingDrift(
  desired: SynchronizationSchema,
  live: SynchronizationSchema,
  differences: readonly SchemaDifference[] = [],
): string[] {
  const lines: string[] = [];
  for (const side of Object.keys(OBJECT_MAPPING_SOURCES) as Side[]) {
    const d = objectMapping(desired, side);
    const l = objectMapping(live, side);
    if (d === undefined || l === undefined) continue;
    const byTarget = (m: ObjectMapping): Map<string, AttributeMapping> =>
      new Map((m.attributeMappings ?? []).map((a) => [a.targetAttributeName ?? '', a]));
    const desiredAttributes = byTarget(d);
    const liveAttributes = byTarget(l);
    for (const target of new Set([...desiredAttributes.keys(), ...liveAttributes.keys()])) {
      const want = describe(desiredAttributes.get(target));
      const have = describe(liveAttributes.get(target));
      if (want !== have) lines.push(`${side}.attributes.${target}: live ${have}, desired ${want}`);
    }
    const wantScope = scopeGroups(d);
    const haveScope = scopeGroups(l);
    if (wantScope !== haveScope) {
      const count = (m: ObjectMapping): number => m.scope?.groups?.length ?? 0;
      lines.push(`${side}.scopingFilters: live ${count(l)} group(s), desired ${count(d)} group(s), not the same`);
    }
    if ((d.enabled ?? true) !== (l.enabled ?? true)) {
      lines.push(`${side}.enabled: live ${String(l.enabled ?? true)}, desired ${String(d.enabled ?? true)}`);
    }
  }
  for (const difference of differences) {
    lines.push(
      `${difference.path}: ${difference.message}${difference.job === undefined ? '' : ` (live ${difference.job})`}`,
    );
  }
  if (lines.length <= MAX_DRIFT_LINES) return lines;
  return [...lines.slice(0, MAX_DRIFT_LINES - 1), `… and ${lines.length - MAX_DRIFT_LINES + 1} more`];
}
