import { resetMappings } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget } from '../input';
import { WRITE_SYNC } from '../permissions';

/** `graph reset-mappings`: back to Rollbar's default schema. */
export const resetMappingsCommand = graphCommand({
  name: 'graph reset-mappings',
  permissions: WRITE_SYNC,
  summary: "reset the job's schema to Rollbar's defaults",
  description:
    "Resets the job's synchronization schema to the default with Graph's DELETE .../jobs/{jobId}/schema (the\n" +
    "portal's Restore default mappings). Nothing is sent when the schema already equals the template's.",
  inputs: [SERVICE_PRINCIPAL_FIELD, JOB_FIELD, TENANT_FIELD],
  outputs: [{ name: 'changed', doc: '"true" when the schema was reset' }],
  example: `rollbar-provisioning graph reset-mappings <<< '{"servicePrincipalId":"…","jobId":"…"}'`,
  async run(reader, _ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    reader.finish(JOB_TARGET_FIELDS);
    const r = await resetMappings(graph(tenantId), job);
    return { changed: String(r.changed) };
  },
});
