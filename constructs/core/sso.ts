/**
 * SAML single sign-on with Rollbar: the values Microsoft's Rollbar SSO tutorial gives
 * (MicrosoftDocs/entra-docs `docs/identity/saas-apps/rollbar-tutorial.md`, "Basic SAML Configuration"), resolved
 * for one account, and the rules on the active signing certificate. Pure.
 */
import type { SigningCertificateSpec, SsoSpec } from './spec';

/** The tutorial's Identifier: one fixed value, so a tenant holds one Rollbar instance. */
export const ROLLBAR_SAML_IDENTIFIER = 'https://saml.rollbar.com';

/**
 * The most notification addresses Entra keeps, the admin who added the app included (the same FAQ: "You can add up
 * to 5 email addresses to the Notification list").
 */
export const MAX_NOTIFICATION_EMAILS = 5;

/** The key of the one certificate declared by default. */
export const DEFAULT_SIGNING_CERTIFICATE = 'primary';

/**
 * Inside this many days of its expiry, `status` warns about the active certificate: Entra's own expiry mails go
 * out 60, 30 and 7 days before (Microsoft's application management certificates FAQ,
 * `manage-apps/application-management-certs-faq.md`, "How can I automate the certificates expiration notifications?").
 */
export const CERTIFICATE_WARNING_DAYS = 60;

/**
 * A Rollbar account name as this project accepts it. Rollbar publishes no rule (its docs only show names such as
 * `mycompany` in `https://rollbar.com/mycompany`), so this is the URL's: one path segment of letters, digits,
 * `.`, `_` or `-`, starting with a letter or digit, at most 100 characters. Anything else (a slash, a space, `?`,
 * `#`, a full URL pasted in) would send Entra's SAML responses to another address.
 */
export const ACCOUNT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** The SAML settings of one account, resolved. */
export interface ResolvedSso {
  readonly accountName: string;
  /** Identifier (Entity ID): the application's `identifierUris`. */
  readonly identifierUri: string;
  /** Reply URL (Assertion Consumer Service URL): the application's `web.redirectUris`. */
  readonly replyUrl: string;
  /** Sign-on URL: the service principal's `loginUrl` (SP-initiated sign-in from My Apps). */
  readonly signOnUrl: string;
  /** `notificationEmailAddresses`; absent: not managed. */
  readonly notificationEmails?: readonly string[];
  /** The certificates, sorted by key. */
  readonly certificates: readonly (SigningCertificateSpec & { readonly key: string })[];
  /** The key of the active certificate. */
  readonly activeCertificate: string;
}

/** Rollbar's URLs for `accountName` (validated first: it is a path segment). */
export function rollbarSamlUrls(accountName: string): Pick<ResolvedSso, 'identifierUri' | 'replyUrl' | 'signOnUrl'> {
  const account = encodeURIComponent(accountName);
  return {
    identifierUri: ROLLBAR_SAML_IDENTIFIER,
    replyUrl: `https://rollbar.com/${account}/saml/sso/azure/`,
    signOnUrl: `https://rollbar.com/${account}/saml/login/azure/`,
  };
}

/** Applies the defaults of `sso`. Call it on a validated spec. */
export function resolveSso(sso: SsoSpec): ResolvedSso {
  const given = sso.signingCertificates ?? { [DEFAULT_SIGNING_CERTIFICATE]: {} };
  const keys = Object.keys(given).sort();
  return {
    accountName: sso.accountName,
    ...rollbarSamlUrls(sso.accountName),
    ...(sso.certificateNotificationEmails !== undefined && {
      notificationEmails: [...sso.certificateNotificationEmails],
    }),
    certificates: keys.map((key) => ({
      key,
      ...(given[key]?.endDate !== undefined && { endDate: given[key].endDate }),
    })),
    activeCertificate: sso.activeCertificate ?? keys[0] ?? DEFAULT_SIGNING_CERTIFICATE,
  };
}

/**
 * The app's federation metadata URL, which Rollbar takes under Identity Provider (the portal's "App Federation
 * Metadata Url"): `https://login.microsoftonline.com/<tenant id>/federationmetadata/2007-06/federationmetadata.xml?appid=<application (client) id>`
 * (MicrosoftDocs/entra-docs `docs/identity/enterprise-apps/manage-certificates-for-federated-single-sign-on.md`),
 * on the sign-in host of the cloud in use.
 */
export function federationMetadataUrl(authorityHost: string, tenantId: string, appId: string): string {
  const host = authorityHost.replace(/\/+$/, '');
  return `${host}/${encodeURIComponent(tenantId)}/federationmetadata/2007-06/federationmetadata.xml?appid=${encodeURIComponent(appId)}`;
}

/** What `status` says about the active certificate's expiry. */
export interface CertificateExpiry {
  /** Whole days left (negative once expired). */
  readonly daysLeft: number;
  /** Inside {@link CERTIFICATE_WARNING_DAYS}, or expired. */
  readonly warn: boolean;
  /** One line: the expiry and, when `warn`, what to do. */
  readonly message: string;
}

/** The rotation procedure, in one line, for warnings. */
export const ROTATION_STEPS =
  'rotate it in four deploys: (1) add a second key under sso.signingCertificates (inactive); (2) upload its ' +
  'federation metadata to Rollbar (Account Settings ▸ Identity Provider); (3) set sso.activeCertificate to it; ' +
  '(4) remove the old key. README, "Rotating the signing certificate".';

/** The active certificate's expiry against `now`. */
export function certificateExpiry(endDateTime: string, now: Date): CertificateExpiry {
  const end = new Date(endDateTime);
  const daysLeft = Math.floor((end.getTime() - now.getTime()) / 86_400_000);
  const when = end.toISOString().slice(0, 10);
  if (daysLeft < 0) {
    return { daysLeft, warn: true, message: `the SAML signing certificate expired on ${when}: ${ROTATION_STEPS}` };
  }
  if (daysLeft < CERTIFICATE_WARNING_DAYS) {
    return {
      daysLeft,
      warn: true,
      message: `the SAML signing certificate expires on ${when}, in ${daysLeft} days: ${ROTATION_STEPS}`,
    };
  }
  return { daysLeft, warn: false, message: `the SAML signing certificate expires on ${when}, in ${daysLeft} days` };
}
