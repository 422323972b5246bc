import { setProvisioning, tooManyDeletesAction } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget } from '../input';
import { WRITE_SYNC } from '../permissions';

/** `graph set-provisioning`: Provisioning Status On/Off, idempotent. */
export const setProvisioningCommand = graphCommand({
  name: 'graph set-provisioning',
  permissions: WRITE_SYNC,
  summary: 'turn provisioning on (start/restart only when needed) or off (pause)',
  description:
    'On: starts a disabled or paused job, restarts a quarantined one with resetScope QuarantineState, and leaves\n' +
    'an active job alone (Graph warns that repeated starts can stop the service). Off: pauses an active job.\n' +
    'A job quarantined for too many deletions (TooManyDeletes) is not restarted: the step fails with the reason\n' +
    'and the ways out. ROLLBAR_TOO_MANY_DELETES=restart restarts it anyway (after raising\n' +
    'accidentalDeletionThreshold or fixing the cause); ROLLBAR_TOO_MANY_DELETES=force-deletes allows the held\n' +
    "deletions (resetScope ForceDeletes, as the portal's Allow deletes, or rollbar-provisioning restart --scope\n" +
    'force-deletes).',
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
  async run(reader, ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    const enabled = reader.boolean('enabled');
    reader.finish([...JOB_TARGET_FIELDS, 'enabled']);
    const r = await setProvisioning(graph(tenantId), {
      ...job,
      enabled,
      tooManyDeletes: tooManyDeletesAction(ctx.env),
    });
    return { state: r.state, action: r.action };
  },
});
