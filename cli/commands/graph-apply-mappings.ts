import { applyMappings } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, MAPPINGS_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget, mappingsSpec } from '../input';
import { WRITE_SYNC } from '../permissions';

/** `graph apply-mappings`: write the desired schema when it differs from the live one. */
export const applyMappingsCommand = graphCommand({
  name: 'graph apply-mappings',
  permissions: WRITE_SYNC,
  summary: 'write the desired schema, only when it differs from the live one',
  description:
    "Computes the desired schema (the sync template's schema with the mappings patch applied), confirms every new\n" +
    "or changed expression with Graph's parseExpression, and PUTs the schema only when it differs from the live\n" +
    'one (each schema write starts a new initial provisioning cycle).',
  inputs: [SERVICE_PRINCIPAL_FIELD, JOB_FIELD, TENANT_FIELD, MAPPINGS_FIELD],
  outputs: [
    { name: 'changed', doc: '"true" when the schema was written' },
    { name: 'desiredDigest', doc: 'sha256 of the desired schema' },
    { name: 'warnings', doc: 'warnings, one per line ("" when none)' },
  ],
  example: `rollbar-provisioning graph apply-mappings <<< '{"servicePrincipalId":"…","jobId":"…","mappings":{}}'`,
  async run(reader, ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    const mappings = mappingsSpec(reader, reader.object('mappings', true));
    reader.finish([...JOB_TARGET_FIELDS, 'mappings']);
    const r = await applyMappings(graph(tenantId), { ...job, mappings });
    for (const w of r.warnings) ctx.progress(`warning: ${w}`);
    return { changed: String(r.changed), desiredDigest: r.desiredDigest, warnings: r.warnings.join('\n') };
  },
});
