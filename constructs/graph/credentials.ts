import { renderSecrets, type Credential, type CredentialSettings } from '../core';
import type { GraphClient } from './client';
import { GraphError } from './errors';
import { NO_CONTENT } from './shapes';
import { jobPath, servicePrincipalObjectId, synchronizationPath, unknownJobHint } from './ids';

// Test Connection checks the endpoint and token only; the other keys are settings, not credentials.
const CONNECTION_KEYS: ReadonlySet<string> = new Set(['SecretToken', 'BaseAddress']);

/**
 * The portal's "Test Connection" then "Save": validates the token (and tenant URL) with Graph's
 * `validateCredentials` unless `test` is false, and only then saves the complete secret set in one PUT,
 * because Graph replaces the whole set on every save. A failed test saves nothing.
 */
export async function saveCredentials(
  client: GraphClient,
  a: {
    readonly servicePrincipalId: string;
    readonly jobId: string;
    readonly secretToken: string;
    readonly settings: CredentialSettings;
    readonly test: boolean;
  },
): Promise<{ validated: boolean; saved: number }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const job = jobPath(oid, a.jobId);
  const secrets: Credential[] = renderSecrets({ secretToken: a.secretToken, settings: a.settings });
  const scrub = [a.secretToken];
  if (a.test) {
    client.log('Testing the connection to Rollbar (validateCredentials)…');
    try {
      await client.request({
        method: 'POST',
        path: `${job}/validateCredentials`,
        body: { useSavedCredentials: false, credentials: secrets.filter((s) => CONNECTION_KEYS.has(s.key)) },
        shape: NO_CONTENT,
        notFound: unknownJobHint(oid, a.jobId),
        secrets: scrub,
      });
    } catch (e) {
      if (!(e instanceof GraphError) || e.status !== 400) throw e;
      throw new GraphError({
        message:
          `Test Connection failed, nothing was saved. ${e.message}. Check the Rollbar SCIM token (Rollbar: Account ` +
          'Settings, Identity Provider, Provisioning Options) and tenantUrl, or set testConnection: false to save anyway.',
        code: e.code,
        status: e.status,
        graphMessage: e.graphMessage,
        secrets: scrub,
        ...(e.requestId !== undefined && { requestId: e.requestId }),
      });
    }
  }
  client.log(`Saving ${secrets.length} provisioning secrets (${secrets.map((s) => s.key).join(', ')})…`);
  await client.request({
    method: 'PUT',
    path: `${synchronizationPath(oid)}/secrets`,
    body: { value: secrets },
    shape: NO_CONTENT,
    notFound: `The service principal '${oid}' is unknown: check servicePrincipalId.`,
    secrets: scrub,
  });
  return { validated: a.test, saved: secrets.length };
}
