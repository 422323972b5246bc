/**
 * The fake's provisioning logs, `GET /v1.0/auditLogs/provisioning`, and the user look-up the logs command uses,
 * `GET /v1.0/users/{id | userPrincipalName}`.
 *
 * From Microsoft's reference (microsoftgraph/microsoft-graph-docs-contrib):
 * - api-reference/v1.0/api/provisioningobjectsummary-list.md: 200 `{"@odata.context", "value": [provisioningObjectSummary]}`
 *   (examples 1 and 2 give the entry shape: activityDateTime, jobId, cycleId, changeId, provisioningAction,
 *   provisioningStatusInfo {status, errorInformation {errorCode, reason, …}}, provisioningSteps, servicePrincipal,
 *   sourceIdentity, targetIdentity…); `$filter` with `eq`, `contains`, `gt`, `lt`, "the filters are all case
 *   sensitive"; `$orderby`, `$top`, `$skiptoken`; paging by `@odata.nextLink` (as every Graph collection);
 * - the filterable properties named in the typings (@microsoft/microsoft-graph-types, provisioningObjectSummary):
 *   servicePrincipal/id, jobId, sourceIdentity/id, activityDateTime, provisioningStatusInfo/status;
 * - api-reference/v1.0/api/user-get.md: a user by id or userPrincipalName, 404 `Request_ResourceNotFound`.
 * Anything else in a filter is a 400, as Graph answers an invalid filter clause.
 */
import type { ProvisioningObjectSummary } from '@microsoft/microsoft-graph-types';

type Send = (status: number, body?: unknown, headers?: Record<string, string>) => void;
type Fail = (status: number, code: string, message: string, headers?: Record<string, string>) => void;

/** A user of the fake directory. */
export interface FakeUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName?: string;
}

type Clause = { readonly path: string; readonly op: 'eq' | 'gt' | 'lt'; readonly value: string };

const FIELDS: Readonly<Record<string, (e: ProvisioningObjectSummary) => string | undefined>> = {
  'servicePrincipal/id': (e) => e.servicePrincipal?.id ?? undefined,
  jobId: (e) => e.jobId ?? undefined,
  'sourceIdentity/id': (e) => e.sourceIdentity?.id ?? undefined,
  activityDateTime: (e) => e.activityDateTime,
  'provisioningStatusInfo/status': (e) => e.provisioningStatusInfo?.status ?? undefined,
};

/** Provisioning events and users of the fake tenant. */
export class FakeProvisioningLogs {
  /** The stored events, in the order added (Graph's order is not documented; the client must sort). */
  readonly entries: ProvisioningObjectSummary[] = [];
  readonly users = new Map<string, FakeUser>();
  /** Entries per page at most, whatever `$top` asks (Graph may answer fewer than `$top`; tests force paging). */
  maxPageSize = 50;

  add(...entries: ProvisioningObjectSummary[]): void {
    this.entries.push(...structuredClone(entries));
  }

  addUser(user: FakeUser): void {
    this.users.set(user.id.toLowerCase(), user);
  }

  reset(): void {
    this.entries.length = 0;
    this.users.clear();
    this.maxPageSize = 50;
  }

  /** Whether this part of the fake serves `path` (below /v1.0). */
  handles(path: string): boolean {
    return path === '/auditLogs/provisioning' || /^\/users\/[^/]+$/.test(path);
  }

  handle(method: string, path: string, url: URL, baseUrl: string, send: Send, fail: Fail): void {
    if (method !== 'GET')
      return fail(405, 'BadRequest', `No HTTP resource was found that matches the request URI for ${method}.`);
    if (path.startsWith('/users/')) {
      const key = decodeURIComponent(path.slice('/users/'.length)).toLowerCase();
      const user =
        this.users.get(key) ?? [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === key);
      if (!user) {
        return fail(
          404,
          'Request_ResourceNotFound',
          `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
      return send(200, { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...user });
    }
    const filter = url.searchParams.get('$filter');
    let clauses: Clause[];
    try {
      clauses = filter === null ? [] : parseFilter(filter);
    } catch (e) {
      return fail(400, 'BadRequest', `Invalid filter clause: ${e instanceof Error ? e.message : String(e)}`);
    }
    let matching = this.entries.filter((e) => clauses.every((c) => matches(e, c)));
    const orderby = url.searchParams.get('$orderby');
    if (orderby !== null) {
      const m = /^activityDateTime( (asc|desc))?$/.exec(orderby);
      if (!m) return fail(400, 'BadRequest', `$orderby is not supported on '${orderby}'.`);
      const dir = m[2] === 'desc' ? -1 : 1;
      matching = [...matching].sort((a, b) => dir * (a.activityDateTime ?? '').localeCompare(b.activityDateTime ?? ''));
    }
    const requested = Number(url.searchParams.get('$top') ?? this.maxPageSize);
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    if (!Number.isInteger(requested) || requested < 1 || !Number.isInteger(skip) || skip < 0) {
      return fail(400, 'BadRequest', 'Invalid $top or $skiptoken.');
    }
    const top = Math.min(requested, this.maxPageSize);
    const page = matching.slice(skip, skip + top);
    const more = skip + top < matching.length;
    let nextLink: string | undefined;
    if (more) {
      const next = new URLSearchParams(url.searchParams);
      next.set('$top', String(requested));
      next.set('$skiptoken', String(skip + top));
      nextLink = `${baseUrl}/v1.0/auditLogs/provisioning?${next.toString()}`;
    }
    return send(200, {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/provisioning',
      value: page,
      ...(nextLink !== undefined && { '@odata.nextLink': nextLink }),
    });
  }
}

/** `a eq 'x' and b gt 2024-01-01T00:00:00Z`: only what the fake serves; property names are case-sensitive. */
function parseFilter(filter: string): Clause[] {
  return filter.split(/\s+and\s+/).map((part) => {
    const m = /^([A-Za-z]+(?:\/[A-Za-z]+)?)\s+(eq|gt|lt)\s+('(?:[^']|'')*'|\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/.exec(
      part.trim(),
    );
    if (!m) throw new Error(`'${part}'`);
    const [, path, op, raw] = m as unknown as [string, string, Clause['op'], string];
    if (!(path in FIELDS)) throw new Error(`the property '${path}' cannot be filtered (names are case-sensitive)`);
    const quoted = raw.startsWith("'");
    if ((path === 'activityDateTime') === quoted) throw new Error(`'${part}' has a value of the wrong type`);
    return { path, op, value: quoted ? raw.slice(1, -1).replace(/''/g, "'") : raw };
  });
}

function matches(e: ProvisioningObjectSummary, c: Clause): boolean {
  const v = FIELDS[c.path]!(e);
  if (v === undefined) return false;
  if (c.path === 'activityDateTime') {
    const t = Date.parse(v);
    const at = Date.parse(c.value);
    return c.op === 'eq' ? t === at : c.op === 'gt' ? t > at : t < at;
  }
  return c.op === 'eq' ? v === c.value : c.op === 'gt' ? v > c.value : v < c.value;
}

/**
 * A provisioning event in the documented shape (provisioningobjectsummary-list.md, examples 1 and 2), for tests:
 * a user created in Rollbar, or a failure with Graph's error code and reason.
 */
export function provisioningEvent(o: {
  readonly id: string;
  readonly at: string;
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly user: { readonly id: string; readonly displayName: string };
  readonly action?: ProvisioningObjectSummary['provisioningAction'];
  readonly failure?: { readonly errorCode: string; readonly reason: string };
  readonly skipped?: boolean;
}): ProvisioningObjectSummary {
  const status = o.failure ? 'failure' : o.skipped ? 'skipped' : 'success';
  return {
    id: o.id,
    activityDateTime: o.at,
    tenantId: '11111111-2222-4333-8444-555555555555',
    jobId: o.jobId,
    cycleId: `cycle-${o.id}`,
    changeId: `change-${o.id}`,
    provisioningAction: o.action ?? 'create',
    durationInMilliseconds: 1200,
    provisioningStatusInfo: {
      status,
      errorInformation: o.failure
        ? {
            errorCode: o.failure.errorCode,
            reason: o.failure.reason,
            additionalDetails: null,
            errorCategory: 'nonServiceFailure',
            recommendedAction: null,
          }
        : null,
    },
    provisioningSteps: [
      {
        name: 'EntryImportAdd',
        provisioningStepType: 'import',
        status: 'success',
        description: `Received User '${o.user.displayName}' change of type (Add) from Azure Active Directory`,
        details: {},
      },
      {
        name: 'EntryExportAdd',
        provisioningStepType: 'export',
        status,
        description: o.failure
          ? `Failed to create User '${o.user.displayName}' in Rollbar`
          : `User '${o.user.displayName}' was created in Rollbar`,
        details: {},
      },
    ],
    modifiedProperties: [],
    servicePrincipal: { id: o.servicePrincipalId, displayName: 'Rollbar' },
    sourceSystem: { id: 'fake-source', displayName: 'Azure Active Directory', details: {} },
    targetSystem: { id: 'fake-target', displayName: 'Rollbar', details: {} },
    initiatedBy: { id: '', displayName: 'Azure AD Provisioning Service', initiatorType: 'system' },
    sourceIdentity: { id: o.user.id, displayName: o.user.displayName, identityType: 'User', details: {} },
    targetIdentity: {
      id: o.failure ? '' : `rollbar-${o.user.id.slice(0, 8)}`,
      displayName: o.user.displayName,
      identityType: 'User',
      details: {},
    },
  };
}
