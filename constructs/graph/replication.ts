/**
 * Waiting out replication. The Graph steps run seconds after `azuread_application_from_template` creates the
 * service principal, and the synchronization API does not see a new service principal at once: the azuread
 * provider retries every synchronization call on 409 and 403 for that reason
 * (hashicorp/terraform-provider-azuread: internal/services/synchronization/synchronization.go,
 * `synchronizationRetryFunc`) and waits for a job it just created to appear (synchronization_job_resource.go).
 * Graph does not document what a not-yet-replicated service principal answers, so 404 and an empty template list
 * are waited out too. The wait is bounded (`replicationWaitMs`, two minutes by default) and says what it waits
 * for; after the bound, the last answer fails the step as it would have at once, with the wait added.
 */
import type { GraphClient } from './client';
import { GraphError, shownCode } from './errors';

/** Statuses Graph gives while a new service principal replicates. */
const REPLICATING: ReadonlySet<number> = new Set([403, 404, 409]);

/** One attempt's outcome: a value, or a reason to try again while the service principal replicates. */
export type Attempt<T> = { readonly value: T } | { readonly notYet: string };

/**
 * Runs `attempt` until it gives a value, waiting between attempts with the client's backoff while it fails with
 * 403, 404 or 409 or answers `notYet`, for at most the client's `replicationWaitMs`. `what` names what is waited
 * for ("service principal '…' in the synchronization API").
 * @returns the value, or `{ notYet }` with the last reason when the bound passed (the caller fails clearly)
 * @throws the last GraphError when the bound passed on an error, its message saying how long it waited
 */
export async function whileReplicating<T>(
  client: GraphClient,
  what: string,
  attempt: () => Promise<Attempt<T>>,
): Promise<Attempt<T> & { readonly waitedMs: number }> {
  const deadline = Date.now() + client.replicationWaitMs;
  let waitedMs = 0;
  for (let round = 1; ; round++) {
    let reason: string;
    try {
      const outcome = await attempt();
      if ('value' in outcome) return { ...outcome, waitedMs };
      reason = outcome.notYet;
      if (Date.now() >= deadline) return { ...outcome, waitedMs };
    } catch (e) {
      if (!(e instanceof GraphError) || e.status === undefined || !REPLICATING.has(e.status)) throw e;
      if (Date.now() >= deadline) throw waitedOut(e, what, waitedMs);
      reason = `HTTP ${e.status} ${shownCode(e)}`;
    }
    if (round === 1) {
      client.log(
        `Waiting for ${what} (${reason}): a service principal created moments ago takes a while to replicate; ` +
          `waiting up to ${Math.round(client.replicationWaitMs / 1000)} s (ROLLBAR_GRAPH_REPLICATION_WAIT_MS)…`,
      );
    }
    waitedMs += await client.backoff(round);
  }
}

/** Describes a wait that ended at the bound, for the step's own error. */
export function waitedFor(what: string, waitedMs: number): string {
  return `after waiting ${(waitedMs / 1000).toFixed(1)} s for ${what}`;
}

function waitedOut(e: GraphError, what: string, waitedMs: number): GraphError {
  if (waitedMs === 0) return e;
  return e.withMessage(
    `${e.message} (still so ${waitedFor(what, waitedMs)}; a new service principal replicates within minutes, so this is not replication lag.)`,
  );
}

/** {@link whileReplicating} for a call that either answers or fails: its answer, once the service principal shows. */
export async function afterReplication<T>(client: GraphClient, what: string, call: () => Promise<T>): Promise<T> {
  const outcome = await whileReplicating(client, what, async () => ({ value: await call() }));
  if ('value' in outcome) return outcome.value;
  // Unreachable: an attempt that never says `notYet` ends with a value or an error.
  throw new GraphError({ code: 'GRAPH_MALFORMED_RESPONSE', message: `No answer while waiting for ${what}.` });
}
