/**
 * A loopback Microsoft Entra sign-in authority for the Graph steps' `ARM_*` sign-in paths: https on 127.0.0.1 with
 * a self-signed certificate (test/e2e/plugin/cert.ts; trusted by child processes through NODE_EXTRA_CA_CERTS),
 * answering the requests `@azure/identity`'s ClientSecretCredential and ClientAssertionCredential make (logged
 * while writing this; instance discovery is skipped for a non-cloud authority, constructs/graph/auth.ts). Both the
 * end-to-end lane (terraform) and the Pulumi provider-host tests use it.
 *
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration`: the OpenID Provider Metadata, with the four fields
 *   msal-common checks (AzureAD/microsoft-authentication-library-for-js
 *   `lib/msal-common/src/authority/OpenIdConfigResponse.ts`: authorization_endpoint, token_endpoint, issuer,
 *   jwks_uri), shaped as Entra publishes them (MicrosoftDocs/entra-docs
 *   `docs/identity-platform/v2-protocols-oidc.md`, "Find your app's OpenID configuration document URI");
 * - `POST /{tenant}/oauth2/v2.0/token`, the client credentials grant (MicrosoftDocs/entra-docs
 *   `docs/identity-platform/v2-oauth2-client-creds-grant-flow.md`, "Get a token"): `grant_type` must be
 *   `client_credentials`, and the client proves itself with either
 *   - `client_secret` ("First case"): a wrong client id or secret gets `invalid_client`, AADSTS7000215; or
 *   - `client_assertion_type` = `urn:ietf:params:oauth:client-assertion-type:jwt-bearer` with `client_assertion`,
 *     a JWT issued by another identity provider ("Third case: Access token request with a federated
 *     credential"). Entra exchanges it only when it matches a federated identity credential of the app: its `iss`
 *     and `sub` claims equal the credential's issuer and subject exactly, its `aud` holds the credential's audience
 *     (`api://AzureADTokenExchange`), and it validates against the issuer's signing keys (MicrosoftDocs/entra-docs
 *     `docs/workload-id/includes/federated-credential-configuration-considerations.md` and
 *     `docs/workload-id/workload-identity-federation.md`, "How it works"). Here the issuer's key is given to
 *     {@link LoopbackAuthority.start}; an expired assertion is refused too. Error codes where Microsoft lists them:
 *     AADSTS700027 (signature, `docs/identity-platform/reference-error-codes.md`), AADSTS70021 (no matching
 *     federated identity record, as Entra answers it in Azure/azure-workload-identity
 *     `docs/book/src/troubleshooting.md`); the expiry code AADSTS700024 is not in the stored reference, and no
 *     test depends on it.
 *   The success response is `token_type`, `expires_in`, `access_token` ("Successful response"); errors are 400
 *   with `error`, `error_description`, `error_codes` ("Error response"), 401 for a wrong secret as before.
 *
 * The access token is the fake Graph's (`fakeJwt` with its tenant id), so Graph accepts it. Every token request is
 * one sign-in, recorded in {@link LoopbackAuthority.tokenRequests} with the assertion it presented.
 */
import { verify, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { selfSignedLocalhostCert } from '../e2e/plugin/cert';
import { fakeJwt } from '../fake-graph/server';

export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly grantType: string | null;
  readonly scope: string | null;
  /** Present on the client-assertion path only (so the client-secret path's records stay as they were). */
  readonly clientAssertionType?: string | null;
  /** The assertion presented (the federated token itself: kept in this test process only). */
  readonly clientAssertion?: string | null;
}

/** The client assertion type of the JWT bearer profile (RFC 7523 §2.2), the only one Entra takes. */
export const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** A federated identity credential of the app: which external tokens it exchanges. */
export interface FederatedCredential {
  readonly issuer: string;
  readonly subject: string;
  /** Microsoft's documented value is `api://AzureADTokenExchange`. */
  readonly audience: string;
  /** The external issuer's signing key (what Entra reads from the issuer's OIDC metadata and JWKS). */
  readonly publicKey: KeyObject;
}

interface TokenError {
  readonly status: number;
  readonly error: string;
  readonly description: string;
  readonly code: number;
}

/** Why Entra would refuse `assertion` for `credential`, or undefined when it exchanges it. */
function assertionProblem(assertion: string, credential: FederatedCredential, now: number): TokenError | undefined {
  const refuse = (code: number, description: string, error = 'invalid_client'): TokenError => ({
    status: 400,
    error,
    description: `AADSTS${String(code)}: ${description}`,
    code,
  });
  const [header, payload, signature, ...rest] = assertion.split('.');
  let claims: { iss?: unknown; sub?: unknown; aud?: unknown; exp?: unknown };
  let alg: unknown;
  try {
    if (header === undefined || payload === undefined || signature === undefined || rest.length > 0) throw new Error();
    alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    return refuse(50027, 'JWT token is invalid or malformed.', 'invalid_request');
  }
  const signed = Buffer.from(`${header}.${payload}`, 'utf8');
  if (alg !== 'RS256' || !verify('sha256', signed, credential.publicKey, Buffer.from(signature, 'base64url'))) {
    return refuse(700027, 'Client assertion failed signature validation.');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (
    claims.iss !== credential.issuer ||
    claims.sub !== credential.subject ||
    !audiences.includes(credential.audience)
  ) {
    return refuse(
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${String(claims.iss)}'. ` +
        `Assertion Subject: '${String(claims.sub)}'. Assertion Audience: '${audiences.map(String).join(',')}'.`,
      'invalid_request',
    );
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) {
    return refuse(700024, 'Client assertion is not within its valid time range.');
  }
  return undefined;
}

export class LoopbackAuthority {
  /** Every request, as `METHOD path` (what the credential asked for). */
  readonly requests: string[] = [];
  /** Every token request (one per sign-in). */
  readonly tokenRequests: TokenRequest[] = [];
  /** The access tokens issued, in order; each is distinct, so Graph's request log tells the sign-ins apart. */
  readonly issuedTokens: string[] = [];

  private constructor(
    private readonly server: Server,
    /** `https://localhost:PORT`, for ROLLBAR_AUTHORITY_HOST. */
    readonly url: string,
    /** The certificate's PEM file, for NODE_EXTRA_CA_CERTS. */
    readonly caFile: string,
  ) {}

  /**
   * Starts the authority on 127.0.0.1; it signs `clientId` in to `tenantId` with `clientSecret`, or with an
   * assertion that `federatedCredential` matches.
   */
  static async start(options: {
    dir: string;
    tenantId: string;
    clientId: string;
    clientSecret?: string;
    federatedCredential?: FederatedCredential;
  }): Promise<LoopbackAuthority> {
    // The certificate names `localhost` (its only SAN), so the authority is addressed by that loopback name.
    const cert = selfSignedLocalhostCert();
    const caFile = `${options.dir}/authority-ca.pem`;
    writeFileSync(caFile, cert.certPem);
    // The handler needs the authority (its URL, its logs), which exists once the server listens.
    const self: { authority?: LoopbackAuthority } = {};
    const server = createServer({ cert: cert.certPem, key: cert.keyPem }, (req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (raw += c));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'https://localhost').pathname;
        self.authority!.requests.push(`${req.method ?? ''} ${path}`);
        const send = (status: number, body: unknown): void => {
          res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
        };
        const base = self.authority!.url;
        const discovery = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
        if (req.method === 'GET' && discovery) {
          const t = discovery[1]!;
          return send(200, {
            token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
            token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
            jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
            response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
            subject_types_supported: ['pairwise'],
            id_token_signing_alg_values_supported: ['RS256'],
            issuer: `${base}/${t}/v2.0`,
            authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
            end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
            tenant_region_scope: 'NA',
          });
        }
        const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(path);
        if (req.method === 'POST' && token) {
          const form = new URLSearchParams(raw);
          const assertionType = form.get('client_assertion_type');
          const assertion = form.get('client_assertion');
          const byAssertion = assertionType !== null || assertion !== null;
          self.authority!.tokenRequests.push({
            tenant: token[1]!,
            clientId: form.get('client_id'),
            grantType: form.get('grant_type'),
            scope: form.get('scope'),
            ...(byAssertion && { clientAssertionType: assertionType, clientAssertion: assertion }),
          });
          const fail = (e: TokenError): void =>
            send(e.status, { error: e.error, error_description: e.description, error_codes: [e.code] });
          if (form.get('grant_type') !== 'client_credentials') {
            return fail({
              status: 400,
              error: 'unsupported_grant_type',
              description: 'AADSTS70003: The app requested an unsupported grant type.',
              code: 70003,
            });
          }
          if (byAssertion) {
            if (assertionType !== JWT_BEARER || assertion === null || assertion === '') {
              return fail({
                status: 400,
                error: 'invalid_request',
                description: `AADSTS900144: The request body must contain client_assertion_type ${JWT_BEARER} and client_assertion.`,
                code: 900144,
              });
            }
            const credential = options.federatedCredential;
            const problem =
              token[1] !== options.tenantId || form.get('client_id') !== options.clientId || credential === undefined
                ? {
                    status: 400,
                    error: 'unauthorized_client',
                    description: `AADSTS700016: Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`,
                    code: 700016,
                  }
                : assertionProblem(assertion, credential, Date.now());
            if (problem !== undefined) return fail(problem);
          } else if (
            options.clientSecret === undefined ||
            token[1] !== options.tenantId ||
            form.get('client_id') !== options.clientId ||
            form.get('client_secret') !== options.clientSecret
          ) {
            return send(401, {
              error: 'invalid_client',
              error_description: 'AADSTS7000215: Invalid client secret provided.',
              error_codes: [7000215],
            });
          }
          const accessToken = fakeJwt(options.tenantId, {
            appid: options.clientId,
            uti: String(self.authority!.issuedTokens.length + 1),
          });
          self.authority!.issuedTokens.push(accessToken);
          return send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
        }
        send(404, { error: 'invalid_request', error_description: `The fake authority has no ${path}.` });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self.authority = new LoopbackAuthority(server, `https://localhost:${String(port)}`, caFile);
    return self.authority;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
