import { ssoRules } from '../../constructs/core';
import { setSingleSignOn } from '../../constructs/graph';
import { graphCommand, SERVICE_PRINCIPAL_FIELD, TENANT_FIELD } from '../graph-command';
import type { InputReader } from '../input';
import { WRITE_APP } from '../permissions';

const FIELDS = ['servicePrincipalId', 'tenantId', 'sso', 'activeThumbprint'];

/** The spec's `sso` as the step takes it: the account name and, when declared, the notification addresses. */
export function ssoInput(
  reader: InputReader,
  raw: Record<string, unknown>,
): { accountName: string; certificateNotificationEmails?: string[] } {
  // A missing name is checked as an empty one, so that it is reported with the account name's rule and fix.
  const accountName = typeof raw.accountName === 'string' ? raw.accountName : '';
  const emails = raw.certificateNotificationEmails;
  reader.add(
    ssoRules({ accountName, certificateNotificationEmails: emails }, (v): v is string => typeof v === 'string'),
  );
  return {
    accountName,
    ...(Array.isArray(emails) && { certificateNotificationEmails: emails.map(String) }),
  };
}

/** `graph set-sso`: SAML mode, sign-on URL, notification addresses and the active certificate, idempotent. */
export const setSsoCommand = graphCommand({
  name: 'graph set-sso',
  permissions: WRITE_APP,
  summary: 'set SAML mode, the sign-on URL, expiry e-mails and the active signing certificate',
  description:
    "Sets the service principal's single sign-on settings that the azuread provider does not manage beside\n" +
    "azuread_application_from_template: preferredSingleSignOnMode saml, loginUrl (Rollbar's sign-on URL for the\n" +
    'account), notificationEmailAddresses (when declared) and preferredTokenSigningKeyThumbprint, the certificate\n' +
    'that signs. One PATCH of what differs; nothing is written when all is as declared. A thumbprint that is not one\n' +
    "of the service principal's signing certificates is refused before anything is written.",
  inputs: [
    SERVICE_PRINCIPAL_FIELD,
    TENANT_FIELD,
    {
      name: 'sso',
      doc: "required object (or JSON string): the spec's sso (accountName, certificateNotificationEmails)",
    },
    { name: 'activeThumbprint', doc: 'required. The thumbprint of the signing certificate to make active.' },
  ],
  outputs: [{ name: 'changed', doc: 'the properties written, comma-separated ("" when none)' }],
  example: `rollbar-provisioning graph set-sso <<< '{"servicePrincipalId":"…","sso":{"accountName":"acme"},"activeThumbprint":"…"}'`,
  async run(reader, _ctx, graph) {
    const servicePrincipalId = reader.string('servicePrincipalId', 'Pass the Rollbar service principal object id.');
    const tenantId = reader.optionalString('tenantId');
    const raw = reader.object('sso', true) ?? {};
    const sso = ssoInput(reader, raw);
    const activeThumbprint = reader.string('activeThumbprint', "Pass the active certificate's thumbprint.");
    reader.finish(FIELDS);
    const r = await setSingleSignOn(graph(tenantId), {
      servicePrincipalId,
      accountName: sso.accountName,
      ...(sso.certificateNotificationEmails !== undefined && { notificationEmails: sso.certificateNotificationEmails }),
      activeThumbprint,
    });
    return { changed: r.changed.join(',') };
  },
});
