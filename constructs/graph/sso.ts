/**
 * The single sign-on settings of the Rollbar service principal that the azuread provider does not manage beside
 * `azuread_application_from_template`: `preferredSingleSignOnMode`, `loginUrl`, `notificationEmailAddresses` and
 * which signing certificate is active (`preferredTokenSigningKeyThumbprint`). They are service principal
 * attributes; declaring a second `azuread_service_principal` for them would make two resources own one object.
 * `azuread_service_principal_token_signing_certificate` adds a certificate (addTokenSigningCertificate) but never
 * sets the thumbprint (hashicorp/terraform-provider-azuread
 * `internal/services/serviceprincipals/service_principal_token_signing_certificate_resource.go`: create calls
 * AddTokenSigningCertificate and reads the key back, nothing else), so without this step the new certificate
 * would sign nothing.
 *
 * Properties: microsoftgraph/microsoft-graph-docs-contrib `api-reference/v1.0/resources/serviceprincipal.md`
 * (preferredSingleSignOnMode `saml`; loginUrl "where the service provider redirects the user to Microsoft Entra
 * ID to authenticate"; notificationEmailAddresses "where Microsoft Entra ID sends a notification when the active
 * certificate is near the expiration date"; preferredTokenSigningKeyThumbprint "on SAML applications … to control
 * which certificate is used to sign the SAML responses"), written with PATCH (api/serviceprincipal-update.md).
 */
import { CLOUDS, resolveEndpoints } from './clouds';
import { certificateExpiry, federationMetadataUrl, RollbarProvisioningError, rollbarSamlUrls } from '../core';
import { problem } from '../core/problems';
import type { CertificateExpiry } from '../core';
import type { GraphClient } from './client';
import { servicePrincipalObjectId } from './ids';
import { NO_CONTENT, SERVICE_PRINCIPAL_SSO } from './shapes';

const SELECT =
  'id,appId,preferredSingleSignOnMode,loginUrl,notificationEmailAddresses,preferredTokenSigningKeyThumbprint,keyCredentials';

/** One signing certificate of the service principal: the `Verify` key of an addTokenSigningCertificate pair. */
export interface SigningCertificate {
  /** Upper-case hex SHA-1, as Graph's selfSignedCertificate `thumbprint` and the admin center show it. */
  readonly thumbprint: string;
  readonly endDateTime: string;
  readonly active: boolean;
}

/** The single sign-on settings as Graph has them. */
export interface LiveSingleSignOn {
  readonly appId: string;
  readonly mode: string;
  readonly loginUrl: string;
  readonly notificationEmails: readonly string[];
  readonly activeThumbprint: string;
  readonly certificates: readonly SigningCertificate[];
}

/** What the step is to make of them. */
export interface SingleSignOnArgs {
  readonly servicePrincipalId: string;
  /** The spec's `sso.accountName`: the sign-on URL is made from it. */
  readonly accountName: string;
  /** The spec's `sso.certificateNotificationEmails`; absent: not managed. */
  readonly notificationEmails?: readonly string[];
  /** The thumbprint of the certificate to make active (the provider's certificate resource's `thumbprint`). */
  readonly activeThumbprint: string;
}

/**
 * `customKeyIdentifier` of a token-signing key is the certificate's SHA-1 thumbprint, base64-encoded: Graph's own
 * example answers `"customKeyIdentifier": "2iD8ppbE+D6Kmu1ZvjM2jtQh88E="` with `"thumbprint":
 * "DA20FCA696C4F83E8A9AED59BE33368ED421F3C1"`, the same 20 bytes (api/serviceprincipal-addtokensigningcertificate.md).
 */
export function thumbprintOf(customKeyIdentifier: string): string {
  return Buffer.from(customKeyIdentifier, 'base64').toString('hex').toUpperCase();
}

/** The service principal's single sign-on settings and signing certificates. */
export async function readSingleSignOn(client: GraphClient, servicePrincipalId: string): Promise<LiveSingleSignOn> {
  const oid = servicePrincipalObjectId(servicePrincipalId);
  const sp = await client.get(`/servicePrincipals/${oid}?$select=${SELECT}`, {
    shape: SERVICE_PRINCIPAL_SSO,
    notFound: `The service principal '${oid}' is unknown: check servicePrincipalId.`,
  });
  const active = (sp.preferredTokenSigningKeyThumbprint ?? '').toUpperCase();
  const certificates = (sp.keyCredentials ?? [])
    .filter((k) => k.usage === 'Verify' && typeof k.customKeyIdentifier === 'string')
    .map((k) => {
      const thumbprint = thumbprintOf(k.customKeyIdentifier as string);
      return { thumbprint, endDateTime: k.endDateTime ?? '', active: thumbprint === active };
    });
  return {
    appId: sp.appId ?? '',
    mode: sp.preferredSingleSignOnMode ?? '',
    loginUrl: sp.loginUrl ?? '',
    notificationEmails: sp.notificationEmailAddresses ?? [],
    activeThumbprint: active,
    certificates,
  };
}

/** What differs from the declared settings, one line each; empty when in sync. */
export function singleSignOnDrift(
  live: LiveSingleSignOn,
  want: Omit<SingleSignOnArgs, 'servicePrincipalId' | 'activeThumbprint'> & { readonly activeThumbprint?: string },
): string[] {
  const { signOnUrl } = rollbarSamlUrls(want.accountName);
  const out: string[] = [];
  if (live.mode !== 'saml') out.push(`preferredSingleSignOnMode is '${live.mode || 'none'}', not 'saml'`);
  if (live.loginUrl !== signOnUrl) out.push(`loginUrl is '${live.loginUrl}', not '${signOnUrl}'`);
  if (want.notificationEmails !== undefined && !sameSet(live.notificationEmails, want.notificationEmails)) {
    out.push(
      `notificationEmailAddresses are [${live.notificationEmails.join(', ')}], not [${want.notificationEmails.join(', ')}]`,
    );
  }
  if (want.activeThumbprint !== undefined && live.activeThumbprint !== want.activeThumbprint.toUpperCase()) {
    out.push(`the active signing certificate is '${live.activeThumbprint || 'none'}', not '${want.activeThumbprint}'`);
  }
  return out;
}

/**
 * Sets SAML mode, the sign-on URL, the notification addresses (when declared) and the active certificate, in one
 * PATCH, and only what differs: a deploy with nothing changed writes nothing. A thumbprint that is not one of the
 * service principal's signing certificates is refused before anything is written: Entra would sign with nothing
 * Rollbar knows.
 */
export async function setSingleSignOn(client: GraphClient, a: SingleSignOnArgs): Promise<{ changed: string[] }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const live = await readSingleSignOn(client, oid);
  const thumbprint = a.activeThumbprint.toUpperCase();
  if (!live.certificates.some((c) => c.thumbprint === thumbprint)) {
    throw new RollbarProvisioningError(
      [
        problem(
          'UNKNOWN_SIGNING_CERTIFICATE',
          'activeThumbprint',
          "be the thumbprint of one of the service principal's signing certificates",
          a.activeThumbprint,
          `It has: ${live.certificates.map((c) => c.thumbprint).join(', ') || 'none'}. Deploy again once the certificate exists.`,
        ),
      ],
      'Refusing to activate a signing certificate the service principal does not have',
    );
  }
  const { signOnUrl } = rollbarSamlUrls(a.accountName);
  const patch: Record<string, unknown> = {};
  if (live.mode !== 'saml') patch.preferredSingleSignOnMode = 'saml';
  if (live.loginUrl !== signOnUrl) patch.loginUrl = signOnUrl;
  if (a.notificationEmails !== undefined && !sameSet(live.notificationEmails, a.notificationEmails)) {
    patch.notificationEmailAddresses = [...a.notificationEmails];
  }
  if (live.activeThumbprint !== thumbprint) patch.preferredTokenSigningKeyThumbprint = thumbprint;
  const changed = Object.keys(patch);
  if (changed.length === 0) {
    client.log('Single sign-on settings are as declared: nothing to write.');
    return { changed };
  }
  client.log(`Setting single sign-on: ${changed.join(', ')}…`);
  await client.request({ method: 'PATCH', path: `/servicePrincipals/${oid}`, body: patch, shape: NO_CONTENT });
  return { changed };
}

/** The active certificate's expiry for `status`; undefined when SAML is not set up (no active certificate). */
export function activeCertificateExpiry(live: LiveSingleSignOn, now: Date): CertificateExpiry | undefined {
  const active = live.certificates.find((c) => c.active);
  if (active === undefined || active.endDateTime === '') return undefined;
  return certificateExpiry(active.endDateTime, now);
}

/**
 * The app's federation metadata URL on the sign-in host of the cloud in use: ARM_ENVIRONMENT's, or the one whose
 * Graph host ROLLBAR_GRAPH_URL names (clouds.ts); a loopback emulator counts as the global cloud. An
 * ROLLBAR_AUTHORITY_HOST override is where this process signs in, not where Rollbar fetches metadata, so it is
 * not used.
 */
export function federationMetadataUrlFor(env: NodeJS.ProcessEnv, tenantId: string, appId: string): string {
  return federationMetadataUrl(metadataAuthorityHost(env), tenantId, appId);
}

/** The sign-in host of the cloud in use, where the federation metadata is published (see federationMetadataUrlFor). */
export function metadataAuthorityHost(env: NodeJS.ProcessEnv): string {
  const { cloud } = resolveEndpoints(env);
  return (CLOUDS.find((c) => c.name === cloud) ?? CLOUDS[0]!).authorityHost;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const norm = (l: readonly string[]): string => [...new Set(l.map((s) => s.toLowerCase()))].sort().join('\n');
  return norm(a) === norm(b);
}
