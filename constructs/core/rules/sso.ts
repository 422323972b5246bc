/**
 * The value rules of `sso` (its shape is the description's): the account name, the notification addresses, the
 * certificates' names and expiry dates, and which one is active. Pure; every problem at once.
 */
import { ASSIGNMENT_KEY_PATTERN } from '../naming';
import { problem, type Problem } from '../problems';
import { ACCOUNT_NAME_PATTERN, MAX_NOTIFICATION_EMAILS } from '../sso';
import { isText, type RuleContext, type SpecInput } from './context';

// The same deliberately simple rule as notification.email: one @, no spaces, a dot in the domain.
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;.]+$/;
// RFC 3339 in UTC, as the azuread provider's `end_date` (validation.IsRFC3339Time) and Graph's endDateTime take it.
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
// Graph: "The endDateTime can be up to three years after the certificate is created"
// (api-reference/v1.0/api/serviceprincipal-addtokensigningcertificate.md).
const MAX_YEARS = 3;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The spec rule: {@link ssoRules} on `spec.sso`. */
export function ssoRule(spec: SpecInput, context: RuleContext): Problem[] {
  return ssoRules(spec.sso, (v): v is string => isText(v, context));
}

/** Problems of `sso` (also the CLI's input); `value` tells a plain string from an engine value resolved later. */
export function ssoRules(sso: unknown, value: (v: unknown) => v is string, now: Date = new Date()): Problem[] {
  if (!isObject(sso)) return [];
  const out: Problem[] = [];
  const account = sso.accountName;
  if (value(account) && !ACCOUNT_NAME_PATTERN.test(account)) {
    const fromUrl = /rollbar\.com\/([^/?#\s]+)/i.exec(account)?.[1];
    out.push(
      problem(
        'INVALID_ACCOUNT_NAME',
        'sso.accountName',
        "be a Rollbar account name: letters, digits, '.', '_' or '-', starting with a letter or digit, at most 100 characters",
        account,
        fromUrl !== undefined
          ? `Write the name alone, '${fromUrl}': the reply and sign-on URLs are made from it.`
          : 'Copy the account name from your Rollbar URL, https://rollbar.com/<accountName>/.',
      ),
    );
  }

  const emails = sso.certificateNotificationEmails;
  if (Array.isArray(emails)) {
    emails.forEach((email: unknown, i) => {
      if (value(email) && !EMAIL.test(email)) {
        out.push(
          problem(
            'INVALID_EMAIL',
            `sso.certificateNotificationEmails.${i}`,
            'be an e-mail address',
            email,
            'Use a monitored mailbox such as identity-ops@example.com.',
          ),
        );
      }
    });
    if (emails.length > MAX_NOTIFICATION_EMAILS) {
      out.push(
        problem(
          'TOO_MANY_EMAILS',
          'sso.certificateNotificationEmails',
          `list at most ${MAX_NOTIFICATION_EMAILS} addresses (Entra keeps no more)`,
          `${emails.length} addresses`,
          'Use a distribution list for more people.',
        ),
      );
    }
  }

  const certificates = isObject(sso.signingCertificates) ? sso.signingCertificates : undefined;
  const keys = certificates === undefined ? undefined : Object.keys(certificates).sort();
  for (const key of keys ?? []) {
    const base = `sso.signingCertificates.${key}`;
    if (!ASSIGNMENT_KEY_PATTERN.test(key)) {
      out.push(
        problem(
          'INVALID_CERTIFICATE_KEY',
          base,
          'be named in kebab-case (lower-case letters and digits, joined by single dashes)',
          key,
          "Rename it, for example to 'primary' or '2029': the name is part of the resource address.",
        ),
      );
    }
    const entry = certificates![key];
    const endDate = isObject(entry) ? entry.endDate : undefined;
    if (value(endDate)) out.push(...endDateRule(`${base}.endDate`, endDate, now));
  }
  if (keys !== undefined && keys.length === 0) {
    out.push(
      problem(
        'UNKNOWN_SIGNING_CERTIFICATE',
        'sso.signingCertificates',
        'declare at least one certificate',
        '{}',
        'Write { primary: {} }, or omit signingCertificates for that default.',
      ),
    );
  }

  const active = sso.activeCertificate;
  const names = keys ?? ['primary'];
  if (value(active) && !names.includes(active)) {
    out.push(
      problem(
        'UNKNOWN_SIGNING_CERTIFICATE',
        'sso.activeCertificate',
        'name a certificate declared under sso.signingCertificates',
        active,
        `Use one of: ${names.join(', ')}.`,
      ),
    );
  } else if (active === undefined && names.length > 1) {
    out.push(
      problem(
        'UNKNOWN_SIGNING_CERTIFICATE',
        'sso.activeCertificate',
        'say which certificate signs when several are declared',
        undefined,
        `Set it to one of: ${names.join(', ')} (the one Rollbar has the metadata of).`,
      ),
    );
  }
  return out;
}

function endDateRule(path: string, endDate: string, now: Date): Problem[] {
  const when = new Date(endDate);
  if (!RFC3339_UTC.test(endDate) || Number.isNaN(when.getTime())) {
    return [
      problem(
        'INVALID_DATE',
        path,
        'be an RFC 3339 UTC time',
        endDate,
        "Write it as '2029-01-01T00:00:00Z', in quotes, or omit it for three years.",
      ),
    ];
  }
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS);
  // A date in the past is not refused: a certificate made earlier keeps its declared date after it passes, and
  // refusing it would block every deploy until the entry is removed; `status` warns about it instead.
  if (when.getTime() > latest.getTime()) {
    return [
      problem(
        'INVALID_DATE',
        path,
        'be at most three years ahead (Graph refuses a longer certificate)',
        endDate,
        'Pick a date within three years, or omit endDate for the longest.',
      ),
    ];
  }
  return [];
}
