import { setProvisioning } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget } from '../input';

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
    const { job, tenantId } = jobTarget(reader);
    const enabled = reader.boolean('enabled');
    reader.finish([...JOB_TARGET_FIELDS, 'enabled']);
    const r = await setProvisioning(graph(tenantId), { ...job, enabled });
    return { state: r.state, action: r.action };
  },
});
