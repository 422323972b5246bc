import type {
  AttributeMapping,
  AttributeMappingSource,
  ParseExpressionResponse,
  SynchronizationJob,
  SynchronizationSchema,
} from '@microsoft/microsoft-graph-types';
import {
  mergeSchema,
  RollbarProvisioningError,
  schemaToPatch,
  type MappingsSpec,
  type Problem,
  type SchemaDifference,
} from '../core';
import { describeMappingDrift } from '../core/mappings/mapping-drift';
import { canonicalJson, schemaDigest, semanticSource } from '../core/mappings/schema-digest';
import { schemaDrift } from '../core/mappings/schema-drift';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError, shownCode } from './errors';
import { jobPath, servicePrincipalObjectId, synchronizationPath, unknownJobHint } from './ids';
import { afterReplication } from './replication';
import {
  FILTER_OPERATOR_SCHEMA,
  NO_CONTENT,
  PARSE_EXPRESSION_RESPONSE,
  SYNCHRONIZATION_JOB,
  SYNCHRONIZATION_SCHEMA,
} from './shapes';

/** Arguments of the mapping steps. */
export interface MappingsArgs {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  /** The spec's `mappings`: patches of the users and groups object mappings. */
  readonly mappings: MappingsSpec;
}

/** The schemas a mapping step compares. */
interface Schemas {
  readonly path: string;
  readonly live: SynchronizationSchema;
  readonly desired: SynchronizationSchema;
  readonly warnings: string[];
}

/**
 * Read-only: is the job's live schema the desired one (Rollbar's default schema with the patch applied)?
 * `cdktf plan` runs it, so that a portal edit shows up as drift and re-runs the apply step.
 */
export async function planMappings(
  client: GraphClient,
  a: MappingsArgs,
): Promise<{ inSync: boolean; desiredDigest: string; liveDigest: string; warnings: string[] }> {
  const s = await loadSchemas(client, a);
  const desiredDigest = schemaDigest(s.desired);
  const liveDigest = schemaDigest(s.live);
  return { inSync: desiredDigest === liveDigest, desiredDigest, liveDigest, warnings: s.warnings };
}

/**
 * {@link planMappings} for a job already read (the plan-time read lists the jobs, so it does not read the job
 * again), with the differences named by target attribute (core `schemaDrift`).
 */
export async function compareMappings(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly job: SynchronizationJob & { id: string }; mappings: MappingsSpec },
): Promise<{ inSync: boolean; desiredDigest: string; drift: string[]; warnings: string[] }> {
  const args = { servicePrincipalId: a.servicePrincipalId, jobId: a.job.id, mappings: a.mappings };
  const s = await loadSchemas(client, args, a.job);
  const desiredDigest = schemaDigest(s.desired);
  const inSync = desiredDigest === schemaDigest(s.live);
  return { inSync, desiredDigest, drift: inSync ? [] : schemaDrift(s.live, s.desired), warnings: s.warnings };
}

/**
 * The desired schema's digest before the job exists: the template's schema with the patch applied, which is
 * what {@link compareMappings} computes once the job is created from that template (so the first deploy's
 * digest is the one the next plan reads). Scoping filter operators are resolved offline here: there is no job
 * to list them yet. Empty, with a warning, when the template's schema cannot be read.
 */
export async function templateMappingsDigest(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly templateId: string; readonly mappings: MappingsSpec },
): Promise<{ desiredDigest: string; warnings: string[] }> {
  const template = await readTemplateSchema(client, servicePrincipalObjectId(a.servicePrincipalId), a.templateId);
  if (template.schema === undefined) return { desiredDigest: '', warnings: template.warning ? [template.warning] : [] };
  const merged = mergeSchema(template.schema, a.mappings);
  if (merged.problems.length > 0) {
    throw new RollbarProvisioningError(
      merged.problems,
      `The mappings do not fit the synchronization schema of sync template '${a.templateId}'`,
    );
  }
  return { desiredDigest: schemaDigest(merged.schema), warnings: [] };
}

/**
 * Makes the live schema the desired one, writing only when they differ, because every schema PUT starts a full
 * initial provisioning cycle. Each new or changed function expression is sent to Graph's parseExpression first
 * and written as the `parsedExpression` tree Graph returns, verbatim (Graph's parser is the authority; ours,
 * offline, only validates): Graph keys parameters its own way (`source` for SingleAppRoleAssignment's argument,
 * `Find` and `Replacement` for Replace's, in MS-Graph synchronization-objectmapping.md and
 * synchronization-synchronizationschema-parseexpression.md), which no hand-built tree can be sure to match. An
 * expression the live schema already holds (by canonical expression) keeps the live tree.
 */
export async function applyMappings(
  client: GraphClient,
  a: MappingsArgs,
): Promise<{ changed: boolean; desiredDigest: string; warnings: string[] }> {
  const s = await loadSchemas(client, a);
  const desiredDigest = schemaDigest(s.desired);
  if (desiredDigest === schemaDigest(s.live)) {
    client.log('The attribute mappings are already as declared: nothing to write.');
    return { changed: false, desiredDigest, warnings: s.warnings };
  }
  await useGraphTrees(client, s);
  client.log('Writing the synchronization schema (this starts a new initial provisioning cycle)…');
  await client.request({
    method: 'PUT',
    path: `${s.path}/schema`,
    body: s.desired,
    shape: NO_CONTENT,
    notFound: unknownJobHint(servicePrincipalObjectId(a.servicePrincipalId), a.jobId),
  });
  return { changed: true, desiredDigest, warnings: s.warnings };
}

/** What {@link readMappings} found. */
export interface LiveMappings {
  /**
   * The live schema as a patch on Rollbar's default schema (`schemaToPatch`), shaped like the given patch; the
   * given patch itself when the template's schema cannot be read (then nothing can be said in the model's terms).
   */
  readonly mappings: MappingsSpec;
  /** Whether the live schema is the desired one (the template with the given patch applied). */
  readonly inSync: boolean;
  /** What differs from the desired schema, one line each (empty when in sync). */
  readonly drift: string[];
  /** Differences of the live schema that no patch can express (flowBehavior, category filters…). */
  readonly differences: readonly SchemaDifference[];
  readonly warnings: string[];
}

/**
 * Read-only: the job's live mappings in the model's terms, and how they differ from `mappings` (what Pulumi's
 * `refresh` records). The same three reads as every mappings step, and the filter operators when a scope uses
 * them (to write operators back under their portal names).
 */
export async function readMappings(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string; readonly mappings: MappingsSpec },
): Promise<LiveMappings> {
  const { path, notFound, live, template } = await readJobSchemas(client, a, { replicating: false });
  const warnings = template.warning !== undefined ? [template.warning] : [];
  const scoped =
    hasScopingFilters(a.mappings) || hasScope(live) || (template.schema !== undefined && hasScope(template.schema));
  const filterOperators = scoped
    ? await client.list(`${path}/schema/filterOperators`, { shape: FILTER_OPERATOR_SCHEMA, notFound })
    : undefined;
  const options = filterOperators ? { filterOperators } : {};
  const desired = mergeSchema(template.schema ?? live, a.mappings, { ...options, live });
  if (desired.problems.length > 0) {
    throw new RollbarProvisioningError(
      desired.problems,
      `The mappings do not fit the synchronization schema of job '${a.jobId}' (${desired.problems.length} problem${desired.problems.length === 1 ? '' : 's'})`,
    );
  }
  const inSync = schemaDigest(desired.schema) === schemaDigest(live);
  if (template.schema === undefined) {
    return {
      mappings: a.mappings,
      inSync,
      drift: inSync
        ? []
        : [
            "the live schema differs from the desired one; Rollbar's default schema could not be read, so the attributes are not named",
          ],
      differences: [],
      warnings,
    };
  }
  const inverse = schemaToPatch(template.schema, live, { ...options, like: a.mappings });
  return {
    mappings: inverse.patch,
    inSync,
    drift: inSync ? [] : describeMappingDrift(desired.schema, live, inverse.differences),
    differences: inverse.differences,
    warnings,
  };
}

function hasScope(schema: SynchronizationSchema): boolean {
  return (schema.synchronizationRules ?? []).some((r) =>
    (r.objectMappings ?? []).some((m) => (m.scope?.groups ?? []).length > 0),
  );
}

/**
 * Back to Rollbar's defaults with Graph's documented reset, `DELETE .../jobs/{jobId}/schema` ("deletes the
 * customized schema and resets the schema to the default configuration"). It is preferred to a PUT of the
 * template's schema because Graph itself restores the default (nothing is lost to a read this client cannot
 * make or a field it does not know) and it works when the template's schema is not readable. Nothing is sent
 * when the job is already at the template's schema.
 */
export async function resetMappings(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string },
): Promise<{ changed: boolean }> {
  const { path, notFound, live, template } = await readJobSchemas(client, a);
  if (template.schema !== undefined && schemaDigest(template.schema) === schemaDigest(live)) {
    client.log('The attribute mappings are already the defaults: nothing to reset.');
    return { changed: false };
  }
  client.log('Resetting the synchronization schema to the defaults (this starts a new initial provisioning cycle)…');
  await client.request({ method: 'DELETE', path: `${path}/schema`, shape: NO_CONTENT, notFound });
  if (template.schema !== undefined) return { changed: true };
  const after = await client.get(`${path}/schema`, { shape: SYNCHRONIZATION_SCHEMA, notFound });
  return { changed: schemaDigest(after) !== schemaDigest(live) };
}

async function loadSchemas(client: GraphClient, a: MappingsArgs, job?: SynchronizationJob): Promise<Schemas> {
  const { path, notFound, live, template } = await readJobSchemas(client, a, { known: job });
  const warnings = template.warning !== undefined ? [template.warning] : [];
  if (template.warning !== undefined) client.log(`Warning: ${template.warning}`);
  // Only scoping filters need the operators; not asking otherwise keeps the read path to three calls.
  const filterOperators = hasScopingFilters(a.mappings)
    ? await client.list(`${path}/schema/filterOperators`, { shape: FILTER_OPERATOR_SCHEMA, notFound })
    : undefined;
  // The desired schema takes the job's own ids, versions and discovery times (a job's schema may carry its own):
  // otherwise every plan would show drift and every apply would rewrite the schema.
  const merged = mergeSchema(template.schema ?? live, a.mappings, {
    live,
    ...(filterOperators && { filterOperators }),
  });
  if (merged.problems.length > 0) {
    throw new RollbarProvisioningError(
      merged.problems,
      `The mappings do not fit the synchronization schema of job '${a.jobId}' (${merged.problems.length} problem${merged.problems.length === 1 ? '' : 's'})`,
    );
  }
  return { path, live, desired: merged.schema, warnings };
}

/**
 * The job's live schema and its template's schema: the three reads every mappings step starts with (two when
 * the caller has read the job already).
 */
async function readJobSchemas(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string },
  { replicating = true, known }: { readonly replicating?: boolean; readonly known?: SynchronizationJob } = {},
): Promise<{
  path: string;
  notFound: string;
  live: SynchronizationSchema;
  template: { schema?: SynchronizationSchema; warning?: string };
}> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const path = jobPath(oid, a.jobId);
  const notFound = unknownJobHint(oid, a.jobId);
  const readJob = () => client.get(path, { shape: SYNCHRONIZATION_JOB, notFound });
  // A job created moments ago by the engine may not be visible yet (replication.ts); a refresh reads a job the
  // state has held since an earlier deploy, so a 404 there means it is gone. The plan-time read passes the job
  // it listed.
  const job =
    known ??
    (replicating
      ? await afterReplication(client, `job '${a.jobId}' of service principal '${oid}'`, readJob)
      : await readJob());
  const live = await client.get(`${path}/schema`, { shape: SYNCHRONIZATION_SCHEMA, notFound });
  const template = await readTemplateSchema(client, oid, job.templateId ?? undefined);
  return { path, notFound, live, template };
}

/** The template's schema (Rollbar's default), or a warning saying why the live schema is used instead. */
async function readTemplateSchema(
  client: GraphClient,
  oid: string,
  templateId: string | undefined,
): Promise<{ schema?: SynchronizationSchema; warning?: string }> {
  const fallback =
    "the patch is merged into the job's current schema instead, so an attribute removed from the patch keeps its " +
    "current mapping rather than returning to Rollbar's default";
  if (templateId === undefined || templateId === '') {
    return { warning: `The job names no sync template, so Rollbar's default schema is unknown: ${fallback}.` };
  }
  try {
    const schema = await client.get(`${synchronizationPath(oid)}/templates/${encodeURIComponent(templateId)}/schema`, {
      shape: SYNCHRONIZATION_SCHEMA,
    });
    return { schema };
  } catch (e) {
    if (e instanceof GraphError && (e.status === 404 || e.status === 403)) {
      return {
        warning: `The schema of sync template '${templateId}' could not be read (HTTP ${e.status} ${shownCode(e)}): ${fallback}.`,
      };
    }
    throw e;
  }
}

function hasScopingFilters(mappings: MappingsSpec): boolean {
  return mappings.users?.scopingFilters !== undefined || mappings.groups?.scopingFilters !== undefined;
}

/**
 * Replaces each desired function expression with Graph's own tree: the live one when the live schema holds the
 * same expression (canonically), else the `parsedExpression` of Graph's parseExpression. An expression Graph
 * rejects, whether with `parsingSucceeded: false` or with HTTP 400 (the parseExpression page documents only the
 * 200 answer), is an INVALID_EXPRESSION problem; all are reported at once and nothing is written.
 */
async function useGraphTrees(client: GraphClient, s: Schemas): Promise<void> {
  const liveSources = new Map<string, AttributeMappingSource>();
  for (const m of attributeMappings(s.live)) liveSources.set(m.key, m.source);
  const problems: Problem[] = [];
  for (const m of attributeMappings(s.desired)) {
    if (m.source.type !== 'Function' || typeof m.source.expression !== 'string') continue;
    const live = liveSources.get(m.key);
    if (live !== undefined && canonicalJson(semanticSource(live)) === canonicalJson(semanticSource(m.source))) {
      m.mapping.source = live;
      continue;
    }
    const path = `mappings.${m.objectKey}.attributes.${m.target}.source`;
    const expression = m.source.expression;
    client.log(`Parsing the expression for ${m.target} with Graph's parser…`);
    let parsed: ParseExpressionResponse | undefined;
    try {
      parsed = await client.request({
        method: 'POST',
        path: `${s.path}/schema/parseExpression`,
        body: { expression },
        shape: PARSE_EXPRESSION_RESPONSE,
      });
    } catch (e) {
      if (!(e instanceof GraphError) || e.status !== 400) throw e;
      problems.push(rejected(path, expression, e.graphMessage));
      continue;
    }
    if (parsed?.parsingSucceeded !== true) {
      problems.push(rejected(path, expression, parsed?.error?.message ?? 'Graph could not parse it'));
      continue;
    }
    const tree = parsed.parsedExpression;
    if (tree == null || typeof tree !== 'object' || typeof tree.type !== 'string') {
      throw new GraphError({
        code: 'GRAPH_MALFORMED_RESPONSE',
        message: `Microsoft Graph parseExpression accepted the expression for ${m.target} but returned no parsedExpression tree.`,
      });
    }
    m.mapping.source = tree;
  }
  if (problems.length > 0) {
    throw new RollbarProvisioningError(
      problems,
      'Microsoft Graph rejected the mapping expressions; nothing was written',
    );
  }
}

function rejected(path: string, expression: string, reason: string): Problem {
  return problem(
    'INVALID_EXPRESSION',
    path,
    "be an expression Microsoft Graph's parser accepts",
    expression,
    `Graph says: ${reason}. Fix the expression (see "Writing expressions for attribute mappings" in the Entra docs).`,
  );
}

interface LocatedMapping {
  readonly key: string;
  readonly objectKey: string;
  readonly target: string;
  readonly source: AttributeMappingSource;
  /** The mapping itself, to replace its source. */
  readonly mapping: AttributeMapping;
}

function attributeMappings(schema: SynchronizationSchema): LocatedMapping[] {
  const out: LocatedMapping[] = [];
  for (const rule of schema.synchronizationRules ?? []) {
    for (const om of rule.objectMappings ?? []) {
      const objectKey =
        om.sourceObjectName === 'Group' ? 'groups' : om.sourceObjectName === 'User' ? 'users' : (om.name ?? '?');
      for (const am of om.attributeMappings ?? []) {
        if (!am.source || typeof am.targetAttributeName !== 'string') continue;
        out.push({
          key: JSON.stringify([rule.id ?? '', om.name ?? '', am.targetAttributeName]),
          objectKey,
          target: am.targetAttributeName,
          source: am.source,
          mapping: am,
        });
      }
    }
  }
  return out;
}
