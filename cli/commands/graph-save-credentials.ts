import { RollbarProvisioningError } from '../../constructs/core';
import { problem } from '../../constructs/core/problems';
import { saveCredentials } from '../../constructs/graph';
import { graphCommand, JOB_FIELD, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import { credentialSettings, JOB_TARGET_FIELDS, jobTarget } from '../input';
import { WRITE_SYNC } from '../permissions';

/** `graph save-credentials`: Test Connection, then save the complete secret set. */
export const saveCredentialsCommand = graphCommand({
  name: 'graph save-credentials',
  permissions: WRITE_SYNC,
  summary: 'test the Rollbar token with Graph, then save the complete provisioning secrets',
  description:
    "The portal's Test Connection and Save: Graph's validateCredentials with the token (and tenant URL), unless\n" +
    'test is false, then one PUT of the complete secret set (SecretToken, BaseAddress, SyncNotificationSettings,\n' +
    'SyncAll, SkipOutOfScopeDeletions). A failed test saves nothing. The token is read from ROLLBAR_SECRET_TOKEN\n' +
    'only, never from the input or the command line, and is never printed.',
  inputs: [
    SERVICE_PRINCIPAL_FIELD,
    JOB_FIELD,
    TENANT_FIELD,
    {
      name: 'settings',
      doc: 'optional object (or JSON string): tenantUrl, notification {email, sendOnFailure}, accidentalDeletionThreshold, scope, skipOutOfScopeDeletions; defaults as in the spec',
    },
    { name: 'test', doc: 'optional, default true: run Test Connection (validateCredentials) before saving' },
  ],
  outputs: [
    { name: 'validated', doc: '"true" when the connection was tested' },
    { name: 'saved', doc: 'number of secrets saved' },
  ],
  extraEnv: 'Secret:\n  ROLLBAR_SECRET_TOKEN             the Rollbar SCIM token (required)',
  example: `ROLLBAR_SECRET_TOKEN=… rollbar-provisioning graph save-credentials <<< '{"servicePrincipalId":"…","jobId":"…","settings":{"scope":"assignedOnly"}}'`,
  async run(reader, ctx, graph) {
    const { job, tenantId } = jobTarget(reader);
    const settings = credentialSettings(reader, reader.object('settings', false));
    const test = reader.boolean('test', true);
    reader.finish([...JOB_TARGET_FIELDS, 'settings', 'test']);
    const secretToken = ctx.env.ROLLBAR_SECRET_TOKEN;
    if (secretToken === undefined || secretToken.trim() === '') {
      throw new RollbarProvisioningError([
        problem(
          'MISSING_SECRET_TOKEN',
          'ROLLBAR_SECRET_TOKEN',
          'hold the Rollbar SCIM token',
          undefined,
          'Set the environment variable ROLLBAR_SECRET_TOKEN (never pass the token on the command line or in the input).',
        ),
      ]);
    }
    const result = await saveCredentials(graph(tenantId), { ...job, secretToken, settings, test });
    return { validated: String(result.validated), saved: String(result.saved) };
  },
});
