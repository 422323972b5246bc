import { planMappings } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, MAPPINGS_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget, mappingsSpec } from '../input';
import { READ_SYNC } from '../permissions';

/** `graph plan-mappings`: read-only drift check of the attribute mappings (CDKTF's MappingsPlan). */
export const planMappingsCommand = graphCommand({
  name: 'graph plan-mappings',
  permissions: READ_SYNC,
  summary: 'compare the live schema with the desired one (read-only)',
  description:
    "Computes the desired schema (the sync template's schema, Rollbar's default, with the mappings patch applied)\n" +
    "and compares it with the job's live schema. Writes nothing. When the template's schema cannot be read, the\n" +
    'patch is merged into the live schema and a warning says so.',
  inputs: [SERVICE_PRINCIPAL_FIELD, JOB_FIELD, TENANT_FIELD, MAPPINGS_FIELD],
  outputs: [
    { name: 'inSync', doc: '"true" when the live schema is the desired one' },
    { name: 'desiredDigest', doc: 'sha256 of the desired schema (volatile fields aside)' },
    { name: 'liveDigest', doc: 'sha256 of the live schema' },
    { name: 'warnings', doc: 'warnings, one per line ("" when none)' },
  ],
  example: `rollbar-provisioning graph plan-mappings <<< '{"servicePrincipalId":"…","jobId":"…","mappings":{"users":{"attributes":{"displayName":null}}}}'`,
  async run(reader, ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    const mappings = mappingsSpec(reader, reader.object('mappings', true));
    reader.finish([...JOB_TARGET_FIELDS, 'mappings']);
    const r = await planMappings(graph(tenantId), { ...job, mappings });
    for (const w of r.warnings) ctx.progress(`warning: ${w}`);
    return {
      inSync: String(r.inSync),
      desiredDigest: r.desiredDigest,
      liveDigest: r.liveDigest,
      warnings: r.warnings.join('\n'),
    };
  },
});
