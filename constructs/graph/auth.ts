import { readFile } from 'node:fs/promises';
import type { TokenCredential } from '@azure/identity';
import { CLOUDS } from './clouds';
import { GraphError } from './errors';

/** Returns a bearer token for Graph, fetching or refreshing it when needed. */
export type TokenSource = () => Promise<string>;

/** Where a token comes from, and for which cloud. */
export interface TokenSourceOptions {
  /** A ready bearer token (tests, or a pipeline that already has one). */
  readonly token?: string;
  /** Graph root URL; the token's scope is `${baseUrl}/.default`. */
  readonly baseUrl: string;
  /**
   * Sign-in authority (checked by `clouds.ts`). Always passed to `@azure/identity`, so that its own default
   * (AZURE_AUTHORITY_HOST) can never send the client secret elsewhere.
   */
  readonly authorityHost: string;
  /** Tenant to sign in to when ARM_TENANT_ID is unset. */
  readonly tenantId?: string;
  /** Environment holding ROLLBAR_GRAPH_TOKEN and the ARM_* settings. */
  readonly env: NodeJS.ProcessEnv;
}

// Refresh a little before expiry so that a token never expires between fetch and use.
const REFRESH_MARGIN_MS = 2 * 60 * 1000;
const OIDC_AUDIENCE = 'api://AzureADTokenExchange';

/**
 * The token source: `options.token`, else ROLLBAR_GRAPH_TOKEN, else `@azure/identity` configured from the
 * same ARM_* settings the azuread provider reads, so a stack's Graph steps sign in as its provider does.
 * `@azure/identity` is loaded only on that last path: it is large, and most CLI runs in tests never need it.
 */
export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const fixed = options.token ?? nonEmpty(options.env.ROLLBAR_GRAPH_TOKEN);
  if (fixed !== undefined) return () => Promise.resolve(fixed);

  const scope = `${options.baseUrl}/.default`;
  let credential: Promise<{ credential: TokenCredential; kind: string }> | undefined;
  let cached: { token: string; refreshAt: number } | undefined;
  return async () => {
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    credential ??= credentialFromEnv(options.env, options.tenantId, options.authorityHost);
    const { credential: cred, kind } = await credential;
    try {
      const access = await cred.getToken(scope);
      if (!access) throw new GraphError({ code: 'GRAPH_CREDENTIAL_UNAVAILABLE', message: 'no token returned' });
      cached = { token: access.token, refreshAt: access.expiresOnTimestamp - REFRESH_MARGIN_MS };
      return access.token;
    } catch (e) {
      const reason = (e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)).replace(/[.\s]+$/, '');
      throw new GraphError({
        code: 'GRAPH_CREDENTIAL_UNAVAILABLE',
        message:
          `Could not get a Microsoft Graph token with ${kind}: ${reason}. Set ROLLBAR_GRAPH_TOKEN, or the ARM_* ` +
          'settings of the azuread provider (ARM_TENANT_ID with ARM_CLIENT_ID and ARM_CLIENT_SECRET, ' +
          'ARM_CLIENT_CERTIFICATE_PATH, ARM_USE_OIDC or ARM_USE_MSI), or sign in with az login.',
        secrets: [
          options.env.ARM_CLIENT_SECRET,
          options.env.ARM_CLIENT_CERTIFICATE_PASSWORD,
          options.env.ARM_OIDC_TOKEN,
        ].filter((s): s is string => s !== undefined),
      });
    }
  };
}

/** Picks the credential the azuread provider would use for these ARM_* settings, in its order. */
async function credentialFromEnv(
  env: NodeJS.ProcessEnv,
  fallbackTenantId: string | undefined,
  authorityHost: string,
): Promise<{ credential: TokenCredential; kind: string }> {
  const identity = await import('@azure/identity');
  const tenantId = nonEmpty(env.ARM_TENANT_ID) ?? nonEmpty(fallbackTenantId);
  const clientId = nonEmpty(env.ARM_CLIENT_ID);
  // MSAL validates an authority it does not know by asking the public cloud's instance discovery about it, which
  // cannot vouch for a loopback emulator or a private host (sign-in fails with endpoints_resolution_error).
  // clouds.ts has already checked such a host, so discovery is skipped for it; the clouds keep it.
  const isCloud = CLOUDS.some((c) => c.authorityHost === authorityHost);
  const common = { authorityHost, ...(!isCloud && { disableInstanceDiscovery: true }) };
  const needTenantAndClient = (kind: string): { tenantId: string; clientId: string } => {
    if (tenantId === undefined || clientId === undefined) {
      throw new GraphError({
        code: 'GRAPH_CREDENTIAL_UNAVAILABLE',
        message: `${kind} needs ARM_TENANT_ID and ARM_CLIENT_ID to be set.`,
      });
    }
    return { tenantId, clientId };
  };

  const secret = nonEmpty(env.ARM_CLIENT_SECRET);
  if (secret !== undefined) {
    const ids = needTenantAndClient('A client secret (ARM_CLIENT_SECRET)');
    return {
      credential: new identity.ClientSecretCredential(ids.tenantId, ids.clientId, secret, common),
      kind: 'the client secret (ARM_CLIENT_SECRET)',
    };
  }
  const certificatePath = nonEmpty(env.ARM_CLIENT_CERTIFICATE_PATH);
  if (certificatePath !== undefined) {
    const ids = needTenantAndClient('A client certificate (ARM_CLIENT_CERTIFICATE_PATH)');
    if (/\.(pfx|p12)$/i.test(certificatePath)) {
      // @azure/identity reads PEM only; the azuread provider also takes PKCS#12.
      throw new GraphError({
        code: 'GRAPH_CREDENTIAL_UNAVAILABLE',
        message:
          `ARM_CLIENT_CERTIFICATE_PATH points to a PKCS#12 file (${certificatePath}); the Graph steps need a PEM file ` +
          'with the certificate and its private key: openssl pkcs12 -in cert.pfx -out cert.pem -nodes.',
      });
    }
    const certificatePassword = nonEmpty(env.ARM_CLIENT_CERTIFICATE_PASSWORD);
    return {
      credential: new identity.ClientCertificateCredential(
        ids.tenantId,
        ids.clientId,
        { certificatePath, ...(certificatePassword !== undefined && { certificatePassword }) },
        common,
      ),
      kind: 'the client certificate (ARM_CLIENT_CERTIFICATE_PATH)',
    };
  }
  if (isTrue(env.ARM_USE_OIDC)) {
    const ids = needTenantAndClient('OIDC (ARM_USE_OIDC)');
    return {
      credential: new identity.ClientAssertionCredential(ids.tenantId, ids.clientId, () => oidcAssertion(env), common),
      kind: 'OIDC federation (ARM_USE_OIDC)',
    };
  }
  if (isTrue(env.ARM_USE_MSI)) {
    return {
      credential:
        clientId !== undefined
          ? new identity.ManagedIdentityCredential({ clientId, ...common })
          : new identity.ManagedIdentityCredential(common),
      kind: 'the managed identity (ARM_USE_MSI)',
    };
  }
  return {
    credential: new identity.AzureCliCredential(tenantId !== undefined ? { tenantId } : {}),
    kind: 'the Azure CLI (az login)',
  };
}

/** The federated token: given, in a file, or requested from the CI system (GitHub Actions, or ARM_OIDC_REQUEST_*). */
async function oidcAssertion(env: NodeJS.ProcessEnv): Promise<string> {
  const given = nonEmpty(env.ARM_OIDC_TOKEN);
  if (given !== undefined) return given;
  const file = nonEmpty(env.ARM_OIDC_TOKEN_FILE_PATH);
  if (file !== undefined) return (await readFile(file, 'utf8')).trim();
  const requestUrl = nonEmpty(env.ARM_OIDC_REQUEST_URL) ?? nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const requestToken = nonEmpty(env.ARM_OIDC_REQUEST_TOKEN) ?? nonEmpty(env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
  if (requestUrl === undefined || requestToken === undefined) {
    throw new GraphError({
      code: 'GRAPH_CREDENTIAL_UNAVAILABLE',
      message:
        'ARM_USE_OIDC is set but there is no token: set ARM_OIDC_TOKEN, ARM_OIDC_TOKEN_FILE_PATH, or run in GitHub Actions with id-token: write',
    });
  }
  const url = new URL(requestUrl);
  url.searchParams.set('audience', OIDC_AUDIENCE);
  const res = await fetch(url, { headers: { Authorization: `Bearer ${requestToken}`, Accept: 'application/json' } });
  const text = await res.text();
  if (!res.ok) {
    throw new GraphError({
      code: 'GRAPH_CREDENTIAL_UNAVAILABLE',
      status: res.status,
      message: `the OIDC token request failed with HTTP ${res.status}`,
      secrets: [requestToken],
    });
  }
  const value = (JSON.parse(text) as { value?: unknown }).value;
  if (typeof value !== 'string' || value === '') {
    throw new GraphError({ code: 'GRAPH_CREDENTIAL_UNAVAILABLE', message: 'the OIDC token response has no value' });
  }
  return value;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && ['true', '1', 'yes'].includes(value.trim().toLowerCase());
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
