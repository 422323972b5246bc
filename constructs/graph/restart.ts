/**
 * Graph's restart of a provisioning job with its documented reset scopes: `POST .../jobs/{jobId}/restart` with
 * `{"criteria":{"resetScope":"…"}}`, 204 on success (MS-Graph api-reference/v1.0/api/synchronization-synchronizationjob-restart.md;
 * the scopes: resources/synchronization-synchronizationjobrestartcriteria.md). `None` and `ConnectorDataStore`
 * are left out on purpose: Graph's page says not to use them (use start; contact Microsoft Support).
 */
import type { SynchronizationJobRestartScope } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { jobPath, servicePrincipalObjectId, unknownJobHint } from './ids';
import { readJob } from './job';
import { NO_CONTENT } from './shapes';

/** One reset scope, by the CLI name, with Graph's value and what it does. */
export interface RestartScope {
  readonly name: string;
  /** Graph's `resetScope` value. */
  readonly graph: SynchronizationJobRestartScope;
  /** What Graph documents that it does. */
  readonly doc: string;
  /** Discards state that cannot be recovered (deletions happen, failures are forgotten): ask first. */
  readonly destructive: boolean;
}

/** The reset scopes, in Graph's documented words. */
export const RESTART_SCOPES: readonly RestartScope[] = [
  {
    name: 'quarantine',
    graph: 'QuarantineState',
    doc: 'temporarily lifts the quarantine',
    destructive: false,
  },
  {
    name: 'watermark',
    graph: 'Watermark',
    doc: 'removes the watermark: the next cycle re-evaluates every user, not only the changes',
    destructive: false,
  },
  {
    name: 'escrows',
    graph: 'Escrows',
    doc: 'clears the escrows (failures marked for retry): the service stops retrying those failures',
    destructive: true,
  },
  {
    name: 'force-deletes',
    graph: 'ForceDeletes',
    doc: 'deletes the pending deletions held back by the accidental-deletion threshold (a TooManyDeletes quarantine)',
    destructive: true,
  },
  {
    name: 'full',
    graph: 'Full',
    doc: 'all of the options',
    destructive: true,
  },
];

/** The scopes named (comma-separated CLI names, such as `quarantine,watermark`), checked. Pure. */
export function parseRestartScopes(names: string): RestartScope[] {
  const parts = names.split(',').map((p) => p.trim());
  const unknown = parts.filter((p) => !RESTART_SCOPES.some((s) => s.name === p));
  if (parts.length === 0 || unknown.length > 0) {
    throw new RollbarProvisioningError(
      (unknown.length > 0 ? unknown : ['']).map((u) =>
        problem(
          'INVALID_RESET_SCOPE',
          'scope',
          `be one of ${RESTART_SCOPES.map((s) => s.name).join(', ')} (comma-separated for several)`,
          u,
          "Pick the scope that fixes the problem: 'quarantine' after fixing credentials, 'force-deletes' to allow a TooManyDeletes batch.",
        ),
      ),
    );
  }
  return RESTART_SCOPES.filter((s) => parts.includes(s.name));
}

/** What {@link restartJob} did. */
export interface RestartResult {
  readonly jobId: string;
  /** The `resetScope` sent. */
  readonly resetScope: string;
  /** The job's status code and quarantine reason before the restart. */
  readonly before: { readonly statusCode: string; readonly quarantineReason?: string };
}

/**
 * Restarts the job with the given scopes. Not retried after a timeout or a 5xx (Graph may have acted); a 429 is.
 * Confirmation of destructive scopes is the caller's job (the CLI asks).
 */
export async function restartJob(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string; readonly scopes: readonly RestartScope[] },
): Promise<RestartResult> {
  if (a.scopes.length === 0)
    throw new RollbarProvisioningError([
      problem('INVALID_RESET_SCOPE', 'scope', 'name at least one scope', '', 'Pass --scope quarantine, for example.'),
    ]);
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  // Read first: it resolves the job id and says what the restart is about to change.
  const job = await readJob(client, { servicePrincipalId: oid, jobId: a.jobId });
  const jobId = job.id ?? '';
  const resetScope = a.scopes.map((s) => s.graph).join(', ');
  client.log(`Restarting the provisioning job ${jobId} (resetScope ${resetScope})…`);
  await client.request({
    method: 'POST',
    path: `${jobPath(oid, jobId)}/restart`,
    body: { criteria: { resetScope } },
    shape: NO_CONTENT,
    notFound: unknownJobHint(oid, jobId),
    idempotent: false,
  });
  const reason = job.status?.quarantine?.reason;
  return {
    jobId,
    resetScope,
    before: {
      statusCode: job.status?.code ?? 'Unknown',
      ...(job.status?.code === 'Quarantine' && reason && { quarantineReason: reason }),
    },
  };
}
