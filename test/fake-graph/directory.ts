/**
 * The directory part of the fake Graph, beside its synchronization part (server.ts): the gallery application
 * templates, applications with their app roles, service principals and app role assignments, and the users
 * and groups assignments name. It answers the v1.0 requests the azuread stand-in provider (test/e2e) makes, with
 * Graph's documented status codes and shapes (microsoftgraph/microsoft-graph-docs-contrib, api-reference/v1.0):
 *
 * | Request | Answer | Reference |
 * |---|---|---|
 * | GET applicationTemplates?$filter=displayName eq '…' | 200 `{value}` | api/applicationtemplate-list.md |
 * | GET applicationTemplates/{id} | 200 template | api/applicationtemplate-get.md |
 * | POST applicationTemplates/{id}/instantiate `{displayName}` | 201 `{application, servicePrincipal}` | api/applicationtemplate-instantiate.md |
 * | GET, PATCH, DELETE applications/{id} | 200 application, 204, 204 | api/application-get.md, -update.md, -delete.md |
 * | GET applications?$filter=appId eq '…' | 200 `{value}` | api/application-list.md |
 * | GET, PATCH servicePrincipals/{id} | 200 servicePrincipal, 204 | api/serviceprincipal-get.md, -update.md |
 * | POST servicePrincipals/{id}/addTokenSigningCertificate `{displayName?, endDateTime?}` | 200 selfSignedCertificate | api/serviceprincipal-addtokensigningcertificate.md |
 * | GET, POST servicePrincipals/{id}/appRoleAssignedTo | 200 `{value}`, 201 appRoleAssignment | api/serviceprincipal-list-approleassignedto.md, -post-approleassignedto.md |
 * | GET, DELETE servicePrincipals/{id}/appRoleAssignedTo/{assignmentId} | 200, 204 | api/serviceprincipal-delete-approleassignedto.md |
 *
 * Rules kept from Graph: a gallery app is instantiated with its one default role `msiam_access` (reference
 * graph-and-rollbar.md §2.2); an app role can be removed only once it is disabled (`isEnabled: false`,
 * resources/approle.md: "must first be disabled before it can be deleted"); an assignment needs an enabled role
 * of the resource and an existing user or group; deleting an application deletes its service principal, and with
 * it the principal's assignments and provisioning jobs (api/application-delete.md: deleted applications go to
 * the deleted items; the service principal of the home tenant goes with it).
 * Ids are random UUIDs; the Rollbar template's id below is this fake's own (the real one is not published).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** The fake's Rollbar gallery template id: a UUID, as the azuread provider validates `template_id`. */
export const FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID = 'fa4e0000-0000-4000-8000-00000000f00d';

export interface FakeAppRole {
  id: string;
  allowedMemberTypes: string[];
  description: string | null;
  displayName: string | null;
  isEnabled: boolean;
  origin: 'Application';
  value: string | null;
}

export interface FakeApplication {
  id: string;
  appId: string;
  displayName: string;
  appRoles: FakeAppRole[];
  // Single sign-on (absent: none set, as Graph shows an app that never had them).
  identifierUris?: string[];
  web?: { redirectUris: string[] };
}

/** keyCredential (resources/keycredential.md), as Graph shows it: the key itself is left out of this fake's reads. */
export interface FakeKeyCredential {
  keyId: string;
  customKeyIdentifier: string;
  displayName: string;
  startDateTime: string;
  endDateTime: string;
  type: 'AsymmetricX509Cert';
  usage: 'Sign' | 'Verify';
  key: string | null;
}

export interface FakeDirectoryServicePrincipal {
  id: string;
  appId: string;
  applicationId: string;
  displayName: string;
  // Single sign-on (absent: as Graph shows a service principal that never had SSO set up).
  preferredSingleSignOnMode?: string | null;
  loginUrl?: string | null;
  notificationEmailAddresses?: string[];
  preferredTokenSigningKeyThumbprint?: string | null;
  keyCredentials?: FakeKeyCredential[];
  passwordCredentials?: { keyId: string; customKeyIdentifier: string; displayName: string; endDateTime: string }[];
}

/** A service principal as instantiate makes it: single sign-on not set up, no credentials. */
export function newServicePrincipal(
  fields: Pick<FakeDirectoryServicePrincipal, 'id' | 'appId' | 'applicationId' | 'displayName'>,
): FakeDirectoryServicePrincipal {
  return {
    ...fields,
    preferredSingleSignOnMode: null,
    loginUrl: null,
    notificationEmailAddresses: [],
    preferredTokenSigningKeyThumbprint: null,
    keyCredentials: [],
    passwordCredentials: [],
  };
}

export interface FakeAssignment {
  id: string;
  appRoleId: string;
  principalId: string;
  principalDisplayName: string;
  principalType: 'User' | 'Group';
  resourceId: string;
  resourceDisplayName: string;
  createdDateTime: string;
}

/** What the directory needs from the synchronization part: a service principal's sync data lives there. */
export interface SynchronizationHooks {
  addServicePrincipal(id: string): void;
  removeServicePrincipal(id: string): void;
}

/** An answer: a status and body, or a Graph error. */
export type DirectoryAnswer =
  { status: number; body?: unknown } | { status: number; error: { code: string; message: string } };

const notFound = (id: string): DirectoryAnswer => ({
  status: 404,
  error: {
    code: 'Request_ResourceNotFound',
    message: `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  },
});
const badRequest = (code: string, message: string): DirectoryAnswer => ({ status: 400, error: { code, message } });

export class FakeDirectory {
  readonly templates = [
    {
      id: FAKE_ROLLBAR_APPLICATION_TEMPLATE_ID,
      displayName: 'Rollbar',
      homePageUrl: 'https://rollbar.com/',
      logoUrl: 'https://example.invalid/rollbar.png',
      publisher: 'Rollbar',
      categories: ['developerServices'],
      supportedProvisioningTypes: ['sync'],
      supportedSingleSignOnModes: ['saml', 'external'],
    },
  ];
  readonly applications = new Map<string, FakeApplication>();
  readonly servicePrincipals = new Map<string, FakeDirectoryServicePrincipal>();
  readonly assignments = new Map<string, FakeAssignment>();
  readonly principals = new Map<string, { id: string; type: 'User' | 'Group'; displayName: string }>();

  constructor(private readonly sync: SynchronizationHooks) {}

  /** Adds a user or group that assignments may name. */
  addPrincipal(id: string, type: 'User' | 'Group', displayName = `${type} ${id.slice(0, 8)}`): void {
    this.principals.set(id.toLowerCase(), { id, type, displayName });
  }

  /** Everything the directory holds besides templates and principals (empty after a full destroy). */
  objectCount(): number {
    return this.applications.size + this.servicePrincipals.size + this.assignments.size;
  }

  /** Answers a directory request, or returns undefined when the path is not the directory's. */
  handle(method: string, path: string, query: URLSearchParams, body: unknown): DirectoryAnswer | undefined {
    const parts = path
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const [collection, id, sub, subId, ...rest] = parts;
    if (collection === 'applicationTemplates') return this.templateRequest(method, id, sub, query, body, rest);
    if (collection === 'applications' && id === undefined && method === 'GET') return this.listApplications(query);
    if (collection === 'applications' && id !== undefined && sub === undefined)
      return this.application(method, id, body);
    if (collection === 'servicePrincipals' && id !== undefined) {
      if (sub === undefined && method === 'GET') return this.getServicePrincipal(id);
      if (sub === undefined && method === 'PATCH') return this.patchServicePrincipal(id, body);
      if (sub === 'addTokenSigningCertificate' && method === 'POST' && subId === undefined) {
        return this.addTokenSigningCertificate(id, body);
      }
      if (sub === undefined) return undefined;
      if (sub === 'appRoleAssignedTo' && rest.length === 0) return this.assignment(method, id, subId, body);
    }
    return undefined;
  }

  private templateRequest(
    method: string,
    id: string | undefined,
    sub: string | undefined,
    query: URLSearchParams,
    body: unknown,
    rest: string[],
  ): DirectoryAnswer | undefined {
    if (rest.length > 0) return undefined;
    if (id === undefined) {
      if (method !== 'GET') return undefined;
      const filter = query.get('$filter');
      const m = filter === null ? null : /^displayName eq '((?:[^']|'')*)'$/.exec(filter);
      if (filter !== null && !m) return badRequest('BadRequest', `Invalid filter clause: ${filter}`);
      const name = m?.[1]?.replace(/''/g, "'");
      return {
        status: 200,
        body: { value: this.templates.filter((t) => name === undefined || t.displayName === name) },
      };
    }
    const template = this.templates.find((t) => t.id === id);
    if (!template) return notFound(id);
    if (sub === undefined && method === 'GET') return { status: 200, body: template };
    if (sub !== 'instantiate' || method !== 'POST') return undefined;
    const displayName = (body as { displayName?: unknown } | undefined)?.displayName;
    if (typeof displayName !== 'string' || displayName === '') {
      return badRequest('Request_BadRequest', 'displayName is required.');
    }
    const app: FakeApplication = {
      id: randomUUID(),
      appId: randomUUID(),
      displayName,
      appRoles: [
        {
          id: randomUUID(),
          allowedMemberTypes: ['User'],
          description: 'msiam_access',
          displayName: 'msiam_access',
          isEnabled: true,
          origin: 'Application',
          value: null,
        },
      ],
      identifierUris: [],
      web: { redirectUris: [] },
    };
    const sp = newServicePrincipal({ id: randomUUID(), appId: app.appId, applicationId: app.id, displayName });
    this.applications.set(app.id, app);
    this.servicePrincipals.set(sp.id, sp);
    this.sync.addServicePrincipal(sp.id);
    return {
      status: 201,
      body: { application: structuredClone(app), servicePrincipal: this.publicServicePrincipal(sp) },
    };
  }

  private listApplications(query: URLSearchParams): DirectoryAnswer {
    const filter = query.get('$filter');
    const m = filter === null ? null : /^appId eq '([^']*)'$/.exec(filter);
    if (filter !== null && !m) return badRequest('BadRequest', `Invalid filter clause: ${filter}`);
    const apps = [...this.applications.values()].filter((a) => !m || a.appId.toLowerCase() === m[1]!.toLowerCase());
    return { status: 200, body: { value: apps.map((a) => structuredClone(a)) } };
  }

  private application(method: string, id: string, body: unknown): DirectoryAnswer | undefined {
    const app = this.applications.get(id.toLowerCase()) ?? this.applications.get(id);
    if (!app) return notFound(id);
    if (method === 'GET') return { status: 200, body: structuredClone(app) };
    if (method === 'DELETE') {
      this.applications.delete(app.id);
      for (const sp of [...this.servicePrincipals.values()].filter((s) => s.applicationId === app.id)) {
        this.servicePrincipals.delete(sp.id);
        for (const a of [...this.assignments.values()].filter((x) => x.resourceId === sp.id))
          this.assignments.delete(a.id);
        this.sync.removeServicePrincipal(sp.id);
      }
      return { status: 204 };
    }
    if (method !== 'PATCH') return undefined;
    const patch = body as { displayName?: unknown; appRoles?: unknown } | undefined;
    if (patch?.appRoles !== undefined) {
      if (!Array.isArray(patch.appRoles)) return badRequest('Request_BadRequest', 'appRoles must be a collection.');
      const next = patch.appRoles as FakeAppRole[];
      for (const old of app.appRoles) {
        if (old.isEnabled && !next.some((r) => r.id === old.id)) {
          return badRequest(
            'CannotDeleteOrUpdateEnabledEntitlement',
            'Property value cannot be deleted unless it is first disabled. Set the isEnabled property to false.',
          );
        }
      }
      const values = next.map((r) => r.value).filter((v) => v !== null && v !== undefined);
      if (new Set(values).size !== values.length) {
        return badRequest('Request_BadRequest', 'App role values must be unique within an application.');
      }
      app.appRoles = next.map((r) => ({
        id: r.id,
        allowedMemberTypes: r.allowedMemberTypes ?? [],
        description: r.description ?? null,
        displayName: r.displayName ?? null,
        isEnabled: r.isEnabled ?? true,
        origin: 'Application',
        value: r.value ?? null,
      }));
    }
    if (typeof patch?.displayName === 'string') app.displayName = patch.displayName;
    const more = body as { identifierUris?: unknown; web?: { redirectUris?: unknown } } | undefined;
    if (more?.identifierUris !== undefined) {
      if (!Array.isArray(more.identifierUris)) {
        return badRequest('Request_BadRequest', 'identifierUris must be a collection.');
      }
      app.identifierUris = (more.identifierUris as unknown[]).map(String);
    }
    // web (resources/webapplication.md): a PATCH of `web` replaces the redirect URIs it names.
    if (more?.web?.redirectUris !== undefined) {
      if (!Array.isArray(more.web.redirectUris)) {
        return badRequest('Request_BadRequest', 'web.redirectUris must be a collection.');
      }
      app.web = { redirectUris: (more.web.redirectUris as unknown[]).map(String) };
    }
    return { status: 204 };
  }

  /**
   * api/serviceprincipal-update.md: the single sign-on properties this project writes, and the key and password
   * credentials the azuread provider writes back when it removes a signing certificate
   * (service_principal_token_signing_certificate_resource.go, delete). preferredSingleSignOnMode takes the values
   * resources/serviceprincipal.md lists.
   */
  private patchServicePrincipal(id: string, body: unknown): DirectoryAnswer {
    const sp = this.servicePrincipals.get(id);
    if (!sp) return notFound(id);
    const p = (body ?? {}) as Record<string, unknown>;
    const modes = ['password', 'saml', 'notSupported', 'oidc'];
    if (p.preferredSingleSignOnMode !== undefined && p.preferredSingleSignOnMode !== null) {
      if (typeof p.preferredSingleSignOnMode !== 'string' || !modes.includes(p.preferredSingleSignOnMode)) {
        return badRequest('Request_BadRequest', `Invalid value for preferredSingleSignOnMode.`);
      }
    }
    if (p.notificationEmailAddresses !== undefined && !Array.isArray(p.notificationEmailAddresses)) {
      return badRequest('Request_BadRequest', 'notificationEmailAddresses must be a collection.');
    }
    if ('preferredSingleSignOnMode' in p) sp.preferredSingleSignOnMode = p.preferredSingleSignOnMode ?? null;
    if ('loginUrl' in p) sp.loginUrl = (p.loginUrl as string) ?? null;
    if (Array.isArray(p.notificationEmailAddresses))
      sp.notificationEmailAddresses = p.notificationEmailAddresses.map(String);
    if ('preferredTokenSigningKeyThumbprint' in p) {
      sp.preferredTokenSigningKeyThumbprint = (p.preferredTokenSigningKeyThumbprint as string) ?? null;
    }
    if (Array.isArray(p.keyCredentials)) {
      // Graph keeps a credential sent back as it was (its `key` is not read back, so it is matched by keyId).
      const byId = new Map((sp.keyCredentials ?? []).map((k) => [k.keyId, k]));
      sp.keyCredentials = (p.keyCredentials as { keyId?: string }[]).flatMap((k) => {
        const kept = k.keyId === undefined ? undefined : byId.get(k.keyId);
        return kept ? [kept] : [];
      });
    }
    if (Array.isArray(p.passwordCredentials)) {
      const byId = new Map((sp.passwordCredentials ?? []).map((k) => [k.keyId, k]));
      sp.passwordCredentials = (p.passwordCredentials as { keyId?: string }[]).flatMap((k) => {
        const kept = k.keyId === undefined ? undefined : byId.get(k.keyId);
        return kept ? [kept] : [];
      });
    }
    return { status: 204 };
  }

  /**
   * api/serviceprincipal-addtokensigningcertificate.md: a self-signed certificate made of a Sign and a Verify key
   * credential and a password credential, all with the same customKeyIdentifier (the thumbprint's bytes); the
   * answer is the public part. The certificate here is random bytes, its thumbprint their SHA-1, so that a reader
   * that hashes `key` (the azuread provider does) finds the same thumbprint. endDateTime defaults to three years.
   */
  private addTokenSigningCertificate(id: string, body: unknown): DirectoryAnswer {
    const sp = this.servicePrincipals.get(id);
    if (!sp) return notFound(id);
    const b = (body ?? {}) as { displayName?: unknown; endDateTime?: unknown };
    const displayName =
      typeof b.displayName === 'string' ? b.displayName : 'CN=Microsoft Azure Federated SSO Certificate';
    if (!displayName.startsWith('CN=')) {
      return badRequest('Request_BadRequest', 'displayName must start with CN=.');
    }
    const start = new Date();
    const latest = new Date(start);
    latest.setUTCFullYear(latest.getUTCFullYear() + 3);
    const end = typeof b.endDateTime === 'string' ? new Date(b.endDateTime) : latest;
    if (Number.isNaN(end.getTime()) || end.getTime() > latest.getTime() + 86_400_000 || end <= start) {
      return badRequest('Request_BadRequest', 'endDateTime must be in the future and within three years.');
    }
    const der = randomBytes(64);
    const digest = createHash('sha1').update(der).digest();
    const customKeyIdentifier = digest.toString('base64');
    const key = der.toString('base64');
    const signKeyId = randomUUID();
    const verifyKeyId = randomUUID();
    const common = {
      customKeyIdentifier,
      displayName,
      startDateTime: start.toISOString(),
      endDateTime: end.toISOString(),
      type: 'AsymmetricX509Cert' as const,
    };
    sp.keyCredentials = [
      ...(sp.keyCredentials ?? []),
      { ...common, keyId: signKeyId, usage: 'Sign', key: null },
      { ...common, keyId: verifyKeyId, usage: 'Verify', key },
    ];
    sp.passwordCredentials = sp.passwordCredentials ?? [];
    sp.passwordCredentials.push({
      keyId: signKeyId,
      customKeyIdentifier,
      displayName,
      endDateTime: common.endDateTime,
    });
    return {
      status: 200,
      body: { ...common, keyId: signKeyId, key, thumbprint: digest.toString('hex').toUpperCase(), usage: 'Verify' },
    };
  }

  private publicServicePrincipal(sp: FakeDirectoryServicePrincipal): unknown {
    const app = this.applications.get(sp.applicationId);
    // A service principal shows its application's roles (resources/serviceprincipal.md, appRoles).
    return {
      id: sp.id,
      appId: sp.appId,
      displayName: sp.displayName,
      appRoleAssignmentRequired: true,
      appRoles: structuredClone(app?.appRoles ?? []),
      servicePrincipalType: 'Application',
      preferredSingleSignOnMode: sp.preferredSingleSignOnMode ?? null,
      loginUrl: sp.loginUrl ?? null,
      notificationEmailAddresses: [...(sp.notificationEmailAddresses ?? [])],
      preferredTokenSigningKeyThumbprint: sp.preferredTokenSigningKeyThumbprint ?? null,
      keyCredentials: structuredClone(sp.keyCredentials ?? []),
      passwordCredentials: (sp.passwordCredentials ?? []).map((p) => ({ ...p })),
    };
  }

  private getServicePrincipal(id: string): DirectoryAnswer {
    const sp = this.servicePrincipals.get(id);
    return sp ? { status: 200, body: this.publicServicePrincipal(sp) } : notFound(id);
  }

  private assignment(
    method: string,
    spId: string,
    assignmentId: string | undefined,
    body: unknown,
  ): DirectoryAnswer | undefined {
    const sp = this.servicePrincipals.get(spId);
    if (!sp) return notFound(spId);
    if (assignmentId !== undefined) {
      const a = this.assignments.get(assignmentId);
      if (!a || a.resourceId !== sp.id) return notFound(assignmentId);
      if (method === 'GET') return { status: 200, body: { ...a } };
      if (method === 'DELETE') {
        this.assignments.delete(a.id);
        return { status: 204 };
      }
      return undefined;
    }
    if (method === 'GET') {
      return { status: 200, body: { value: [...this.assignments.values()].filter((a) => a.resourceId === sp.id) } };
    }
    if (method !== 'POST') return undefined;
    const b = body as { principalId?: unknown; resourceId?: unknown; appRoleId?: unknown } | undefined;
    if (typeof b?.principalId !== 'string' || typeof b.appRoleId !== 'string' || b.resourceId !== sp.id) {
      return badRequest(
        'Request_BadRequest',
        'principalId, resourceId (this service principal) and appRoleId are required.',
      );
    }
    const principal = this.principals.get(b.principalId.toLowerCase());
    if (!principal) return notFound(b.principalId);
    const app = this.applications.get(sp.applicationId);
    const role = app?.appRoles.find((r) => r.id === b.appRoleId && r.isEnabled);
    if (!role) {
      return badRequest('Request_BadRequest', 'Permission being assigned was not found on application');
    }
    const duplicate = [...this.assignments.values()].some(
      (a) => a.resourceId === sp.id && a.principalId === principal.id && a.appRoleId === role.id,
    );
    if (duplicate) {
      return badRequest('Request_BadRequest', 'Permission being assigned already exists on the object');
    }
    const a: FakeAssignment = {
      id: randomUUID().replace(/-/g, '').slice(0, 22),
      appRoleId: role.id,
      principalId: principal.id,
      principalDisplayName: principal.displayName,
      principalType: principal.type,
      resourceId: sp.id,
      resourceDisplayName: sp.displayName,
      createdDateTime: new Date().toISOString(),
    };
    this.assignments.set(a.id, a);
    return { status: 201, body: { ...a } };
  }
}
