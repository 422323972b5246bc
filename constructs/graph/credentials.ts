import { renderSecrets, type Credential, type CredentialSettings } from '../core';
import type { GraphClient } from './client';
import { GraphError, shownCode } from './errors';
import { jobPath, servicePrincipalObjectId, synchronizationPath, unknownJobHint } from './ids';
import { afterReplication } from './replication';
import { NO_CONTENT, SYNCHRONIZATION_SECRET } from './shapes';

// Test Connection checks the endpoint and token only; the other keys are settings, not credentials.
const CONNECTION_KEYS: ReadonlySet<string> = new Set(['SecretToken', 'BaseAddress']);

const TEST_CONNECTION_FIX =
  'Check the Rollbar SCIM token (Rollbar: Account Settings, Identity Provider, Provisioning Options) and tenantUrl, ' +
  'or set testConnection: false to save anyway.';

/**
 * The portal's "Test Connection" then "Save": validates the token (and tenant URL) with Graph's
 * `validateCredentials` unless `test` is false, and only then saves the complete secret set in one PUT. A failed
 * test saves nothing.
 *
 * Every setting is sent, those that are off as off (renderSecrets), because Graph may merge a save into the saved
 * set by key rather than replace it (not documented either way). For the same reason a tenant URL that is no
 * longer declared is cleared with an empty `BaseAddress`, the way the azuread provider removes a secret
 * (hashicorp/terraform-provider-azuread: internal/services/synchronization/synchronization_secret_resource.go,
 * delete); the saved keys are read first so that a connector that never had one is not sent an empty one.
 *
 * Right after the service principal is created, each call may answer 404, 403 or 409 until it replicates: they
 * are waited out within the client's bound (replication.ts).
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
  const what = `service principal '${oid}' and its job in the synchronization API`;
  const notFound = `The service principal '${oid}' is unknown: check servicePrincipalId.`;
  if (a.test) {
    client.log('Testing the connection to Rollbar (validateCredentials)…');
    try {
      await afterReplication(client, what, () =>
        client.request({
          method: 'POST',
          path: `${job}/validateCredentials`,
          body: { useSavedCredentials: false, credentials: secrets.filter((s) => CONNECTION_KEYS.has(s.key)) },
          shape: NO_CONTENT,
          notFound: unknownJobHint(oid, a.jobId),
          secrets: scrub,
        }),
      );
    } catch (e) {
      // Whatever the status (400 for a rejected token, 403 or 404 that outlived the replication wait, a 5xx that
      // outlived the retries), nothing was saved and the user needs to know it was the connection test.
      if (!(e instanceof GraphError) || e.status === undefined) throw e;
      throw e.withMessage(`Test Connection failed, nothing was saved. ${e.message}. ${TEST_CONNECTION_FIX}`);
    }
  }
  if (a.settings.tenantUrl === undefined && (await savedKeys(client, oid, what, notFound)).has('BaseAddress')) {
    client.log('Clearing the saved tenant URL (BaseAddress), which the configuration no longer sets…');
    secrets.splice(1, 0, { key: 'BaseAddress', value: '' });
  }
  client.log(`Saving ${secrets.length} provisioning secrets (${secrets.map((s) => s.key).join(', ')})…`);
  await afterReplication(client, what, () =>
    client.request({
      method: 'PUT',
      path: `${synchronizationPath(oid)}/secrets`,
      body: { value: secrets },
      shape: NO_CONTENT,
      notFound,
      secrets: scrub,
    }),
  );
  return { validated: a.test, saved: secrets.length };
}

/** The keys of the saved secrets; empty, with a note, when Graph does not let them be read. */
async function savedKeys(client: GraphClient, oid: string, what: string, notFound: string): Promise<Set<string>> {
  try {
    const saved = await afterReplication(client, what, () =>
      client.list(`${synchronizationPath(oid)}/secrets`, { shape: SYNCHRONIZATION_SECRET, notFound }),
    );
    return new Set(saved.map((s) => String(s.key)));
  } catch (e) {
    if (!(e instanceof GraphError) || ![400, 405, 501].includes(e.status ?? 0)) throw e;
    client.log(`Warning: the saved secrets could not be read (${e.message}); a removed tenantUrl is not cleared.`);
    return new Set();
  }
}

/**
 * Test Connection with the credentials already saved (`validateCredentials` with `useSavedCredentials: true`,
 * MS-Graph api-reference/v1.0/api/synchronization-synchronizationjob-validatecredentials.md): whether Rollbar
 * still accepts the token. It calls Rollbar and needs write permission on the job, so callers make it opt-in.
 * A 400 is Graph's "the test failed" and is returned, not thrown: `code` is Graph's own code when Graph sent one
 * (such as `BadRequest`), else `GRAPH_HTTP_ERROR`.
 */
export async function testSavedCredentials(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string },
): Promise<{ ok: boolean; code?: string; message?: string }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  client.log('Testing the saved credentials against Rollbar (validateCredentials, useSavedCredentials)…');
  try {
    await client.request({
      method: 'POST',
      path: `${jobPath(oid, a.jobId)}/validateCredentials`,
      body: { useSavedCredentials: true },
      shape: NO_CONTENT,
      notFound: unknownJobHint(oid, a.jobId),
    });
    return { ok: true };
  } catch (e) {
    if (!(e instanceof GraphError) || e.status !== 400) throw e;
    return { ok: false, code: shownCode(e), message: e.graphMessage };
  }
}
