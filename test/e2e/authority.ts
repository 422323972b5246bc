/**
 * A loopback Microsoft Entra sign-in authority for the CLI steps' `ARM_*` client-secret path: https on
 * 127.0.0.1 with a self-signed certificate (plugin/cert.ts; trusted by the child processes through
 * NODE_EXTRA_CA_CERTS), answering the two requests `@azure/identity`'s ClientSecretCredential makes
 * (logged while writing this; instance discovery is skipped for a non-cloud authority, constructs/graph/auth.ts):
 *
 * - `GET /{tenant}/v2.0/.well-known/openid-configuration`: the OpenID Provider Metadata, with the four fields
 *   msal-common checks (AzureAD/microsoft-authentication-library-for-js
 *   `lib/msal-common/src/authority/OpenIdConfigResponse.ts`: authorization_endpoint, token_endpoint, issuer,
 *   jwks_uri), shaped as Entra publishes them (MicrosoftDocs/entra-docs
 *   `docs/identity-platform/v2-protocols-oidc.md`, "Find your app's OpenID configuration document URI");
 * - `POST /{tenant}/oauth2/v2.0/token` with `grant_type=client_credentials`: the success response of the
 *   client credentials grant, `token_type`, `expires_in`, `access_token` (MicrosoftDocs/entra-docs
 *   `docs/identity-platform/v2-oauth2-client-creds-grant-flow.md`, "Successful response"); a wrong client id
 *   or secret gets its error response (`invalid_client`, AADSTS7000215).
 *
 * The access token is the fake Graph's (`fakeJwt` with its tenant id), so Graph accepts it. Every token
 * request is one sign-in, recorded in {@link LoopbackAuthority.tokenRequests}.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fakeJwt } from '../fake-graph/server';
import { selfSignedLocalhostCert } from './plugin/cert';

export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly grantType: string | null;
  readonly scope: string | null;
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

  /** Starts the authority on 127.0.0.1; it signs `clientId`/`clientSecret` in to `tenantId`. */
  static async start(options: {
    dir: string;
    tenantId: string;
    clientId: string;
    clientSecret: string;
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
          self.authority!.tokenRequests.push({
            tenant: token[1]!,
            clientId: form.get('client_id'),
            grantType: form.get('grant_type'),
            scope: form.get('scope'),
          });
          if (
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
