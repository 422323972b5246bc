/**
 * Canonical form and digest of a synchronization schema, so that two schemas are compared by content:
 * object keys sorted, volatile fields dropped, array order kept.
 *
 * Volatile fields change without anyone editing the mappings, so comparing them would report drift forever:
 * - `version` of the schema and of each directory (Graph bumps it on every save and discovery);
 * - OData instance annotations (`@odata.context`, `@odata.etag`…) at any depth: they describe the response
 *   (which URL was read), not the schema, and differ between a template's schema and a job's.
 * Identity fields are compared neither: the schema's `id` and each directory's `id` and `discoveryDateTime`
 * (both are entities with ids: MS-Graph synchronization-synchronizationschema.md, synchronization-directorydefinition.md).
 * A job's schema may carry its own, so the desired schema (built from the template's) takes them from the live
 * schema (mergeSchema's `live` option), and a comparison that saw them would report drift after every write.
 *
 * A `null`, a missing member and an empty list mean the same: a mapping whose `scope` is `null` and one whose
 * scope has three empty filter lists filter nothing alike, and Graph returns `inputFilterGroups: []` and
 * `categoryFilterGroups: []` beside the `groups` it was sent (MS-Graph beta synchronization_scopingFilter.md).
 *
 * An attribute mapping's `source` is compared by its expression, printed canonically, not by the parameter tree:
 * the tree is derived from the expression, and Graph may store a new expression's parameters under its own keys
 * (its parseExpression example keys Replace's arguments `Find` and `Replacement`). Comparing trees would then report
 * drift after every write, and every write starts a full provisioning cycle.
 */
import { createHash } from 'node:crypto';
import type { AttributeMappingSource, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { parseExpression } from '../expression/parser';
import { printExpression } from '../expression/printer';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutAnnotations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutAnnotations);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (!key.startsWith('@odata.')) out[key] = withoutAnnotations(inner);
  }
  return out;
}

/** A deep copy of `schema` without its volatile fields. Never changes `schema`. */
export function withoutVolatileFields(schema: SynchronizationSchema): SynchronizationSchema {
  const copy = withoutAnnotations(schema) as SynchronizationSchema;
  delete copy.version;
  for (const directory of copy.directories ?? []) delete directory.version;
  return copy;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (value[key] !== undefined) out[key] = sortKeys(value[key]);
  }
  return out;
}

/** JSON with object keys sorted at every depth and `undefined` members left out. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

/** Identity fields the comparison leaves out (see the file comment). */
function withoutIdentity(schema: SynchronizationSchema): SynchronizationSchema {
  delete schema.id;
  for (const directory of schema.directories ?? []) {
    delete directory.id;
    delete directory.discoveryDateTime;
  }
  return schema;
}

/** `value` with every member that is `null`, `undefined`, `[]` or (so reduced) `{}` left out. Array items stay. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const reduced = withoutEmpty(inner);
    if (reduced === null || reduced === undefined) continue;
    if (Array.isArray(reduced) && reduced.length === 0) continue;
    if (isRecord(reduced) && Object.keys(reduced).length === 0) continue;
    out[key] = reduced;
  }
  return out;
}

/** A source by what it means: its expression printed canonically, when it has one that parses. */
export function semanticSource(source: AttributeMappingSource | null | undefined): unknown {
  const text = source?.expression;
  if (typeof text !== 'string') return source;
  const parsed = parseExpression(text);
  return parsed.ok ? { expression: printExpression(parsed.tree) } : source;
}

/** The schema as compared: every attribute mapping's source reduced to its meaning. */
function semanticSchema(schema: SynchronizationSchema): unknown {
  const copy = withoutIdentity(withoutVolatileFields(schema));
  for (const rule of copy.synchronizationRules ?? []) {
    for (const mapping of rule.objectMappings ?? []) {
      for (const attribute of mapping.attributeMappings ?? []) {
        if (attribute.source !== undefined)
          attribute.source = semanticSource(attribute.source) as AttributeMappingSource;
      }
    }
  }
  return withoutEmpty(copy);
}

/**
 * The schema's canonical JSON, volatile and identity fields dropped, empty members alike, sources compared by
 * expression. Equal strings mean schemas that provision alike.
 */
export function canonicalSchema(schema: SynchronizationSchema): string {
  return canonicalJson(semanticSchema(schema));
}

/** SHA-256 (hex) of {@link canonicalSchema}: what plan and apply compare. */
export function schemaDigest(schema: SynchronizationSchema): string {
  return createHash('sha256').update(canonicalSchema(schema)).digest('hex');
}
