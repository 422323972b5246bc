/**
 * The provisioning logs of the Rollbar app: `GET /auditLogs/provisioning` (MS-Graph
 * api-reference/v1.0/api/provisioningobjectsummary-list.md), filtered on the server with `$filter` (`eq`,
 * `contains`, `gt`, `lt`; the filters are case-sensitive) on `servicePrincipal/id`, `jobId`, `activityDateTime`,
 * `provisioningStatusInfo/status` and `sourceIdentity/id`, and paged by `@odata.nextLink`. Reading them needs
 * AuditLog.Read.All and Directory.Read.All, which the synchronization permissions do not include, so a 403 names
 * them.
 */
import type { ProvisioningObjectSummary } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError } from './errors';
import { checkJobId, servicePrincipalObjectId } from './ids';
import { collectionOf, PROVISIONING_OBJECT_SUMMARY, USER_ID } from './shapes';

/** Arguments of {@link listProvisioningLogs}. */
export interface ProvisioningLogsArgs {
  readonly servicePrincipalId: string;
  /** @default - every job of the service principal */
  readonly jobId?: string;
  /** Only entries after this time. @default - all that Graph keeps (30 days) */
  readonly since?: Date;
  /** Only failures (`provisioningStatusInfo/status eq 'failure'`). @default false */
  readonly failedOnly?: boolean;
  /** Only entries about this source user: an object id, or a user principal name resolved with `GET /users/{upn}`. */
  readonly user?: string;
  /** Stop after this many entries (the newest). @default 200 */
  readonly max?: number;
  /** Entries per page (`$top`). @default 100 */
  readonly pageSize?: number;
}

/** One provisioning event, flattened for a one-line view. */
export interface ProvisioningLogEntry {
  readonly id: string;
  readonly activityDateTime: string;
  /** `create`, `update`, `delete`, `disable`, `stagedDelete`, `other`. */
  readonly action: string;
  /** `success`, `failure`, `skipped`, `warning`. */
  readonly status: string;
  readonly errorCode?: string;
  readonly reason?: string;
  readonly recommendedAction?: string;
  readonly source: { readonly id?: string; readonly displayName?: string; readonly type?: string };
  readonly target: { readonly id?: string; readonly displayName?: string; readonly type?: string };
  readonly jobId?: string;
  readonly cycleId?: string;
  readonly changeId?: string;
}

/** What {@link listProvisioningLogs} read. */
export interface ProvisioningLogs {
  /** Newest first. */
  readonly entries: readonly ProvisioningLogEntry[];
  /** Pages read. */
  readonly pages: number;
  /** True when more entries matched than `max`. */
  readonly truncated: boolean;
  /** The `$filter` sent. */
  readonly filter: string;
}

/** The permissions `GET /auditLogs/provisioning` needs, named on a 403. */
export const PROVISIONING_LOGS_PERMISSIONS_HINT =
  'Reading provisioning logs needs the Microsoft Graph permissions AuditLog.Read.All and Directory.Read.All ' +
  '(application permissions with admin consent), or, signed in as a user, one of the roles Reports Reader, ' +
  'Security Reader, Global Reader, Application Administrator or Cloud Application Administrator.';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_PAGES = 100;

/** Reads the matching provisioning events, newest first, following `@odata.nextLink` up to `max` entries. */
export async function listProvisioningLogs(client: GraphClient, a: ProvisioningLogsArgs): Promise<ProvisioningLogs> {
  const max = a.max ?? 200;
  const userObjectId = a.user === undefined ? undefined : await resolveUserId(client, a.user);
  const filter = provisioningLogsFilter({ ...a, ...(userObjectId !== undefined && { user: userObjectId }) });
  const query = new URLSearchParams({
    $filter: filter,
    $orderby: 'activityDateTime desc',
    $top: String(a.pageSize ?? 100),
  });
  const entries: ProvisioningLogEntry[] = [];
  let next: string | undefined = `/auditLogs/provisioning?${query.toString()}`;
  let pages = 0;
  let truncated = false;
  while (next !== undefined) {
    if (pages === MAX_PAGES) {
      truncated = true;
      break;
    }
    const body = await readPage(client, next);
    pages++;
    for (const raw of body.value) entries.push(entry(raw));
    next = body['@odata.nextLink'];
    if (pages > 1 || next !== undefined) client.log(`Read ${entries.length} provisioning log entries (page ${pages})…`);
    if (entries.length >= max) {
      truncated = next !== undefined || entries.length > max;
      break;
    }
  }
  // Newest first whatever order the pages came in; the time is ISO 8601 in UTC, so text order is time order.
  entries.sort((x, y) =>
    x.activityDateTime < y.activityDateTime ? 1 : x.activityDateTime > y.activityDateTime ? -1 : 0,
  );
  return { entries: entries.slice(0, max), pages, truncated, filter };
}

/** The `$filter` for the arguments (`user` must be an object id here). Pure. */
export function provisioningLogsFilter(a: {
  readonly servicePrincipalId: string;
  readonly jobId?: string;
  readonly since?: Date;
  readonly failedOnly?: boolean;
  readonly user?: string;
}): string {
  const clauses = [`servicePrincipal/id eq '${servicePrincipalObjectId(a.servicePrincipalId)}'`];
  if (a.jobId !== undefined) clauses.push(`jobId eq '${checkJobId(a.jobId)}'`);
  // OData date-times are unquoted; seconds precision is what the logs show.
  if (a.since !== undefined) clauses.push(`activityDateTime gt ${a.since.toISOString().replace(/\.\d{3}Z$/, 'Z')}`);
  // Case-sensitive, and Graph's provisioningResult values are lower case.
  if (a.failedOnly) clauses.push(`provisioningStatusInfo/status eq 'failure'`);
  if (a.user !== undefined) clauses.push(`sourceIdentity/id eq '${a.user.toLowerCase()}'`);
  return clauses.join(' and ');
}

/** An object id as given, or the id of the user with that principal name. */
async function resolveUserId(client: GraphClient, user: string): Promise<string> {
  const trimmed = user.trim();
  if (GUID.test(trimmed)) return trimmed.toLowerCase();
  if (!/^[^\s@/?#]+@[^\s@/?#]+$/.test(trimmed)) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_INPUT',
        'user',
        'be a user principal name or object id',
        user,
        'Pass alice@contoso.com or the Object ID.',
      ),
    ]);
  }
  try {
    const u = await client.get(`/users/${encodeURIComponent(trimmed)}?$select=id,userPrincipalName`, {
      shape: USER_ID,
    });
    if (!GUID.test(u.id)) {
      throw new GraphError({
        code: 'GRAPH_MALFORMED_RESPONSE',
        message: `Microsoft Graph GET /users/${trimmed} returned no id.`,
      });
    }
    return u.id.toLowerCase();
  } catch (e) {
    if (e instanceof GraphError && e.status === 404) {
      throw new RollbarProvisioningError([
        problem(
          'INVALID_INPUT',
          'user',
          'name a user of the tenant',
          user,
          'Check the user principal name, or pass the Object ID.',
        ),
      ]);
    }
    throw forbidden(e);
  }
}

const PAGE = collectionOf(PROVISIONING_OBJECT_SUMMARY);

async function readPage(
  client: GraphClient,
  path: string,
): Promise<{ value: ProvisioningObjectSummary[]; '@odata.nextLink'?: string }> {
  try {
    return await client.get(path, { shape: PAGE });
  } catch (e) {
    throw forbidden(e);
  }
}

function forbidden(e: unknown): unknown {
  if (!(e instanceof GraphError) || e.status !== 403) return e;
  return e.withMessage(
    `Graph denied reading the provisioning logs: ${e.graphMessage} (HTTP 403${e.graphCode === undefined ? '' : `, code ${e.graphCode}`}${e.requestId ? `, request-id ${e.requestId}` : ''}). ${PROVISIONING_LOGS_PERMISSIONS_HINT}`,
  );
}

function entry(raw: ProvisioningObjectSummary): ProvisioningLogEntry {
  const info = raw.provisioningStatusInfo?.errorInformation;
  return compact({
    id: raw.id ?? '',
    activityDateTime: raw.activityDateTime ?? '',
    action: raw.provisioningAction ?? 'unknown',
    status: raw.provisioningStatusInfo?.status ?? 'unknown',
    errorCode: info?.errorCode ?? undefined,
    reason: info?.reason ?? undefined,
    recommendedAction: info?.recommendedAction ?? undefined,
    source: identity(raw.sourceIdentity),
    target: identity(raw.targetIdentity),
    jobId: raw.jobId ?? undefined,
    cycleId: raw.cycleId ?? undefined,
    changeId: raw.changeId ?? undefined,
  });
}

function identity(i: ProvisioningObjectSummary['sourceIdentity']): ProvisioningLogEntry['source'] {
  if (!i) return {};
  return compact({
    id: i.id || undefined,
    displayName: i.displayName || undefined,
    type: i.identityType || undefined,
  });
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
