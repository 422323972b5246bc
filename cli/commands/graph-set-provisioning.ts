import { setProvisioning } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';

/** `graph set-provisioning`: Provisioning Status On/Off, idempotent. */
export const setProvisioningCommand = graphCommand({
  name: 'graph set-provisioning',
  summary: 'turn provisioning on (start/restart only when needed) or off (pause)',
  description:
    'On: starts a disabled or paused job, restarts a quarantined one with resetScope QuarantineState, and leaves\n' +
    'an active job alone (Graph warns that repeated starts can stop the service). Off: pauses an active job.',
  inputs: [
    SERVICE_PRINCIPAL_FIELD,
    JOB_FIELD,
    TENANT_FIELD,
    { name: 'enabled', doc: 'required, true or false (or the strings "true"/"false")' },
  ],
  outputs: [
    { name: 'state', doc: 'the schedule state the job is left in (Active, Paused, Disabled)' },
    { name: 'action', doc: 'start, restart, pause or none' },
  ],
  example: `rollbar-provisioning graph set-provisioning <<< '{"servicePrincipalId":"…","jobId":"…","enabled":true}'`,
  async run(reader, _ctx, graph) {
    const servicePrincipalId = reader.string('servicePrincipalId', 'Pass the Rollbar service principal object id.');
    const jobId = reader.string('jobId', 'Pass the synchronization job id.');
    const tenantId = reader.optionalString('tenantId');
    const enabled = reader.boolean('enabled');
    reader.finish(['servicePrincipalId', 'jobId', 'tenantId', 'enabled']);
    const r = await setProvisioning(graph(tenantId), { servicePrincipalId, jobId, enabled });
    return { state: r.state, action: r.action };
  },
});
