import { CANARY_LAG_WAIT, CANARY_LAG_WAIT_ENV, canaryLagWait, runCanary } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { JOB_TARGET_FIELDS, jobTarget } from '../input';
import { CANARY } from '../permissions';

/** `graph provision-on-demand`: the canary step, between the mappings and the provisioning state. */
export const graphProvisionOnDemandCommand = graphCommand({
  name: 'graph provision-on-demand',
  permissions: CANARY,
  summary: 'the canary: provision one user on demand before provisioning is switched on',
  description:
    "The canary step (the spec's canary): provisions one user on demand, as the admin center's Provision on\n" +
    'demand does, after the credentials and mappings are saved and before the job is started. Microsoft documents\n' +
    'that this works on a job that is not running for apps that use a bearer token, as Rollbar does.\n' +
    "A failure, or a skip that is not replication lag, exits 1 with Graph's steps, and says what became of the\n" +
    'job: a disabled job stays disabled (the next step does not run); a running job is never paused.\n' +
    'A skip as not assigned right after the assignment was made is retried while the assignment is new, for up\n' +
    `to ${CANARY_LAG_WAIT_ENV} (Microsoft: "a replication delay of up to a few minutes"). With "enabled": false the\n` +
    'step calls nothing: the canary runs with the deploy that switches provisioning on.',
  inputs: [
    SERVICE_PRINCIPAL_FIELD,
    JOB_FIELD,
    TENANT_FIELD,
    { name: 'principalObjectId', doc: "required. The canary user's object id (a user, not a group)." },
    { name: 'enabled', doc: 'required, true or false: provisioning declared on (off: nothing is called)' },
  ],
  outputs: [
    { name: 'outcome', doc: 'provisioned, inSync (Graph: RedundantExport) or off' },
    { name: 'attempts', doc: 'provisionOnDemand requests answered (more than 1 after replication lag)' },
    { name: 'jobState', doc: 'the job state the step found (Disabled, Paused, Active); empty when off' },
  ],
  extraEnv: `Canary:
  ${CANARY_LAG_WAIT_ENV}       how long a skip as not assigned is retried while the assignment is new
                                   (default ${CANARY_LAG_WAIT.default}, 5 min; ${CANARY_LAG_WAIT.min}..${CANARY_LAG_WAIT.max})`,
  example: `rollbar-provisioning graph provision-on-demand <<< '{"servicePrincipalId":"…","jobId":"…","principalObjectId":"…","enabled":true}'`,
  async run(reader, ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    const principalObjectId = reader.string('principalObjectId', "Pass the canary user's object id.");
    const enabled = reader.boolean('enabled');
    reader.finish([...JOB_TARGET_FIELDS, 'principalObjectId', 'enabled']);
    const client = graph(tenantId);
    const r = await runCanary(client, {
      ...job,
      principalObjectId,
      enabled,
      lagWaitMs: canaryLagWait(ctx.env, client.log),
    });
    return { outcome: r.outcome, attempts: String(r.attempts), jobState: r.jobState };
  },
});
