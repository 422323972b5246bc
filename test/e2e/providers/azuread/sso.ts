/**
 * The azuread stand-in's three SAML single sign-on types, which the stack declares when `sso` is set: the
 * application's identifier URI and Web reply URLs, and the service principal's token-signing certificates. Each
 * makes the Graph requests of the real provider's resource (hashicorp/terraform-provider-azuread, the files named
 * below) and keeps its id format, against the fake Graph's directory part (test/fake-graph/directory.ts).
 */
import { createHash } from 'node:crypto';
import type { Value } from '../../plugin/cty';
import { ProviderError, type ManagedResource, type ObjectValue } from '../../plugin/provider';
import type { ResourceSchema } from '../../plugin/schema';
import { graphError, type Graph } from './graph';

export interface SsoContext {
  readonly client: () => Graph;
  readonly lockByName: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  readonly waitFor: (doing: string, exists: () => Promise<boolean>) => Promise<void>;
  readonly schemas: Record<string, ResourceSchema>;
}

const str = (v: Value | undefined): string => (typeof v === 'string' ? v : '');

interface Application {
  identifierUris?: string[];
  web?: { redirectUris?: string[] };
}

interface KeyCredential {
  keyId: string;
  customKeyIdentifier: string;
  displayName: string | null;
  startDateTime: string | null;
  endDateTime: string | null;
  key: string | null;
  usage: string;
}

interface ServicePrincipal {
  keyCredentials?: KeyCredential[];
  passwordCredentials?: { keyId: string; customKeyIdentifier: string }[];
}

/** parse.ValidateApplicationID: `/applications/{objectId}`. */
function applicationObjectId(id: string, attribute: string): string {
  const m = /^\/applications\/([^/]+)$/.exec(id);
  if (!m)
    throw new ProviderError(
      `parsing ${JSON.stringify(id)}: expected an Application ID "/applications/applicationId"`,
      '',
      attribute,
    );
  return m[1]!;
}

/** stable.ParseServicePrincipalID: `/servicePrincipals/{objectId}`. */
function servicePrincipalObjectId(id: string): string {
  const m = /^\/servicePrincipals\/([^/]+)$/.exec(id);
  if (!m)
    throw new ProviderError(
      `parsing ${JSON.stringify(id)}: the number of segments didn't match`,
      `Expected a Service Principal ID that matched (containing 2 segments): "/servicePrincipals/servicePrincipalId"`,
      'service_principal_id',
    );
  return m[1]!;
}

/** Go's url.PathEscape on a base64 segment: of its alphabet only `/` is escaped. */
const pathEscape = (segment: string): string => segment.replace(/\//g, '%2F');

/** Go's time.Format(time.RFC3339) of a UTC time: whole seconds, `Z`. */
const rfc3339 = (iso: string | null): string => (iso === null ? '' : iso.replace(/\.\d+Z$/, 'Z'));

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function requiresImport(type: string, id: string): ProviderError {
  return new ProviderError(
    `A resource with the ID "${id}" already exists - to be managed via Terraform this resource needs to be imported into the State.`,
    `Please see the resource documentation for "${type}" for more information.`,
  );
}

export function ssoResources(c: SsoContext): Record<string, ManagedResource> {
  const getApplication = async (oid: string): Promise<Application | null> => {
    const res = await c.client().request('GET', `/applications/${oid}`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw graphError(`retrieving Application (Object ID: ${oid})`, res);
    return res.body as Application;
  };
  const getServicePrincipal = async (oid: string, select = ''): Promise<ServicePrincipal | null> => {
    const res = await c.client().request('GET', `/servicePrincipals/${oid}${select}`);
    if (res.status === 404) return null;
    if (res.status !== 200) throw graphError(`Retrieving service principal with object ID ${JSON.stringify(oid)}`, res);
    return res.body as ServicePrincipal;
  };

  // applications/application_identifier_uri_resource.go: the URI is appended to the application's identifierUris
  // (all of them in one PATCH); the id is `/applications/{id}/identifierUris/{base64 of the URI}`
  // (applications/parse/identifier_uri.go).
  const identifierUri = (id: string): { oid: string; uri: string } => {
    const m = /^\/applications\/([^/]+)\/identifierUris\/([^/]+)$/.exec(id);
    if (!m) throw new ProviderError(`parsing ${JSON.stringify(id)}: not an identifier URI ID`, '', 'id');
    return { oid: m[1]!, uri: Buffer.from(decodeURIComponent(m[2]!), 'base64').toString('utf8') };
  };
  const azuread_application_identifier_uri: ManagedResource = {
    schema: c.schemas.azuread_application_identifier_uri!,
    validate: (config) => {
      if (config.identifier_uri === '')
        throw new ProviderError('expected "identifier_uri" to not be an empty string, got ', '', 'identifier_uri');
    },
    create: (planned) => {
      const oid = applicationObjectId(str(planned.application_id), 'application_id');
      const uri = str(planned.identifier_uri);
      const id = `/applications/${oid}/identifierUris/${pathEscape(Buffer.from(uri, 'utf8').toString('base64'))}`;
      return c.lockByName(`application ${oid}`, async () => {
        const app = await getApplication(oid);
        if (app === null) throw new ProviderError(`retrieving /applications/${oid}: not found`);
        const existing = app.identifierUris ?? [];
        if (existing.includes(uri)) throw requiresImport('azuread_application_identifier_uri', id);
        await c.client().expect(`creating ${id}`, 'PATCH', `/applications/${oid}`, {
          identifierUris: [...existing, uri],
        });
        return { id };
      });
    },
    read: (state) => {
      const { oid, uri } = identifierUri(str(state.id));
      return c.lockByName(`application ${oid}`, async () => {
        const app = await getApplication(oid);
        if (app === null || !(app.identifierUris ?? []).includes(uri)) return null;
        return { application_id: `/applications/${oid}`, identifier_uri: uri };
      });
    },
    delete: (prior) => {
      const { oid } = identifierUri(str(prior.id));
      return c.lockByName(`application ${oid}`, async () => {
        const app = await getApplication(oid);
        const existing = app?.identifierUris;
        if (!existing) throw new ProviderError(`retrieving /applications/${oid}: identifierUris was nil`);
        const uri = str(prior.identifier_uri);
        if (!existing.includes(uri))
          throw new ProviderError(`deleting ${str(prior.id)}: could not identify existing identifier URI`);
        await c.client().expect(`deleting ${str(prior.id)}`, 'PATCH', `/applications/${oid}`, {
          identifierUris: existing.filter((u) => u !== uri),
        });
      });
    },
  };

  // applications/application_redirect_uris_resource.go: one resource owns all the redirect URIs of one type; the
  // id is `/applications/{id}/redirectUris/{type}` (applications/parse/redirect_uris.go). The stack uses `Web`
  // (the SAML reply URL), the only type the fake Graph keeps.
  const redirectUris = (id: string): { oid: string; type: string } => {
    const m = /^\/applications\/([^/]+)\/redirectUris\/([^/]+)$/.exec(id);
    if (!m) throw new ProviderError(`parsing ${JSON.stringify(id)}: not a redirect URIs ID`, '', 'id');
    return { oid: m[1]!, type: m[2]! };
  };
  const webPatch = (uris: Value | undefined): unknown => ({
    web: { redirectUris: ((uris as Value[] | null) ?? []).map(String) },
  });
  const azuread_application_redirect_uris: ManagedResource = {
    schema: c.schemas.azuread_application_redirect_uris!,
    validate: (config) => {
      if (typeof config.type === 'string' && !['PublicClient', 'SPA', 'Web'].includes(config.type))
        throw new ProviderError(
          `expected type to be one of ["PublicClient" "SPA" "Web"], got ${config.type}`,
          '',
          'type',
        );
      if (typeof config.type === 'string' && config.type !== 'Web')
        throw new ProviderError('The azuread stand-in manages Web redirect URIs only', '', 'type');
    },
    create: (planned) => {
      const oid = applicationObjectId(str(planned.application_id), 'application_id');
      const id = `/applications/${oid}/redirectUris/${str(planned.type)}`;
      return c.lockByName(`application ${oid}`, async () => {
        const app = await getApplication(oid);
        if (app === null) throw new ProviderError(`retrieving /applications/${oid}: result was nil`);
        if ((app.web?.redirectUris ?? []).length > 0) throw requiresImport('azuread_application_redirect_uris', id);
        await c.client().expect(`creating ${id}`, 'PATCH', `/applications/${oid}`, webPatch(planned.redirect_uris));
        return { id };
      });
    },
    read: (state) => {
      const { oid, type } = redirectUris(str(state.id));
      return c.lockByName(`application ${oid}`, async () => {
        const app = await getApplication(oid);
        const uris = app?.web?.redirectUris ?? [];
        if (uris.length === 0) return null;
        return { application_id: `/applications/${oid}`, type, redirect_uris: uris };
      });
    },
    update: (planned, prior) => {
      const { oid } = redirectUris(str(prior.id));
      return c.lockByName(`application ${oid}`, async () => {
        await c
          .client()
          .expect(`updating ${str(prior.id)}`, 'PATCH', `/applications/${oid}`, webPatch(planned.redirect_uris));
        return { id: prior.id ?? null };
      });
    },
    delete: (prior) => {
      const { oid } = redirectUris(str(prior.id));
      return c.lockByName(`application ${oid}`, async () => {
        await c.client().expect(`deleting ${str(prior.id)}`, 'PATCH', `/applications/${oid}`, webPatch([]));
      });
    },
  };

  // serviceprincipals/service_principal_token_signing_certificate_resource.go: create calls
  // addTokenSigningCertificate, waits for the credential to appear, and takes the Verify credential of the same
  // customKeyIdentifier as the resource's key; the id is `{servicePrincipalObjectId}/tokenSigningCertificate/
  // {verifyKeyId}` (parse.NewCredentialID). Read sets the dates as RFC 3339 and the thumbprint from the
  // credential's `key` (the provider parses it as an X.509 certificate and hashes it with SHA-1; the fake's
  // certificate is random bytes whose SHA-1 is its thumbprint, so the stand-in hashes the bytes).
  const certificateId = (id: string): { oid: string; keyId: string } => {
    const m = /^([^/]+)\/tokenSigningCertificate\/([^/]+)$/.exec(id);
    if (!m)
      throw new ProviderError(
        `Parsing certificate credential with ID ${JSON.stringify(id)}`,
        'expected {servicePrincipalId}/tokenSigningCertificate/{keyId}',
        'id',
      );
    return { oid: m[1]!, keyId: m[2]! };
  };
  const readCertificate = async (id: string, servicePrincipalId: Value | undefined): Promise<ObjectValue | null> => {
    const { oid, keyId } = certificateId(id);
    const sp = await getServicePrincipal(oid, '?$select=keyCredentials');
    const credential = sp?.keyCredentials?.find((k) => k.keyId.toLowerCase() === keyId.toLowerCase());
    if (!credential) return null;
    const der = Buffer.from(credential.key ?? '', 'base64');
    return {
      service_principal_id: servicePrincipalId ?? `/servicePrincipals/${oid}`,
      key_id: keyId,
      display_name: credential.displayName ?? '',
      value: credential.key ?? '',
      start_date: rfc3339(credential.startDateTime),
      end_date: rfc3339(credential.endDateTime),
      thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    };
  };
  const azuread_service_principal_token_signing_certificate: ManagedResource = {
    schema: c.schemas.azuread_service_principal_token_signing_certificate!,
    validate: (config) => {
      if (typeof config.display_name === 'string' && !/^CN=.+$|^$/.test(config.display_name))
        throw new ProviderError(
          `invalid value for display_name (${config.display_name}): must match ^CN=.+$|^$`,
          '',
          'display_name',
        );
      if (typeof config.end_date === 'string' && !RFC3339.test(config.end_date))
        throw new ProviderError(
          `expected "end_date" to be a valid RFC3339 date, got "${config.end_date}"`,
          '',
          'end_date',
        );
    },
    create: (planned) => {
      const oid = servicePrincipalObjectId(str(planned.service_principal_id));
      return c.lockByName(`servicePrincipal ${oid}`, async () => {
        const key = (await c
          .client()
          .expect(
            `Could not add token signing certificate to service principal with object ID: ${JSON.stringify(oid)}`,
            'POST',
            `/servicePrincipals/${oid}/addTokenSigningCertificate`,
            {
              ...(typeof planned.display_name === 'string' && { displayName: planned.display_name }),
              ...(typeof planned.end_date === 'string' && { endDateTime: planned.end_date }),
            },
          )) as { keyId: string; customKeyIdentifier: string };
        await c.waitFor(
          `Waiting for token_signing_certificate credential for service principal with object ID ${JSON.stringify(oid)}`,
          async () =>
            ((await getServicePrincipal(oid))?.keyCredentials ?? []).some(
              (k) => k.keyId.toLowerCase() === key.keyId.toLowerCase(),
            ),
        );
        // The returned keyId is the Sign key's; the resource is the Verify key of the same certificate.
        const verify = (await getServicePrincipal(oid))?.keyCredentials?.find(
          (k) => k.usage === 'Verify' && k.customKeyIdentifier === key.customKeyIdentifier,
        );
        if (!verify)
          throw new ProviderError(
            `Could not determine key ID for newly added token signing certificate on service principal ${JSON.stringify(oid)}`,
          );
        const id = `${oid}/tokenSigningCertificate/${verify.keyId}`;
        const state = await readCertificate(id, planned.service_principal_id);
        if (state === null) throw new ProviderError(`Retrieving ${id}: not found`);
        return { ...state, id };
      });
    },
    read: (state) => readCertificate(str(state.id), state.service_principal_id),
    delete: (prior) => {
      const { oid, keyId } = certificateId(str(prior.id));
      return c.lockByName(`servicePrincipal ${oid}`, async () => {
        const sp = await getServicePrincipal(oid);
        if (sp === null) throw new ProviderError(`Retrieving service principal with object ID ${JSON.stringify(oid)}`);
        // The certificate's Sign and Verify keys and its password share one customKeyIdentifier; all go.
        const customKeyId = sp.keyCredentials?.find(
          (k) => k.keyId.toLowerCase() === keyId.toLowerCase(),
        )?.customKeyIdentifier;
        await c
          .client()
          .expect(
            `Removing token signing certificate credentials ${JSON.stringify(keyId)} from service principal with object ID ${JSON.stringify(oid)}`,
            'PATCH',
            `/servicePrincipals/${oid}`,
            {
              keyCredentials: (sp.keyCredentials ?? []).filter((k) => k.customKeyIdentifier !== customKeyId),
              passwordCredentials: (sp.passwordCredentials ?? []).filter((p) => p.customKeyIdentifier !== customKeyId),
            },
          );
        await c.waitFor(
          `Waiting for deletion of token signing certificate credential ${JSON.stringify(keyId)}`,
          async () =>
            !((await getServicePrincipal(oid))?.keyCredentials ?? []).some(
              (k) => k.keyId.toLowerCase() === keyId.toLowerCase(),
            ),
        );
      });
    },
  };

  return {
    azuread_application_identifier_uri,
    azuread_application_redirect_uris,
    azuread_service_principal_token_signing_certificate,
  };
}
