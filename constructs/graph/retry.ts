/**
 * When to retry a Graph call and how long to wait. Graph throttles with 429 and a `Retry-After` header, and
 * its synchronization service answers 5xx during incidents; both are worth a bounded number of retries.
 * Every wait is capped, so a deploy never hangs on a server that asks for an hour.
 */

/** Retry settings, resolved. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly maxRetries: number;
  /** Cap of one wait (and of a `Retry-After`). */
  readonly maxRetryWaitMs: number;
  /** First backoff step, doubled on each retry. */
  readonly baseDelayMs: number;
}

/** Statuses worth retrying: throttling and server-side failures. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when
 * absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * The wait before retry number `retry` (1-based): the server's `Retry-After` when given, otherwise exponential
 * backoff with jitter between half and all of the step (so that parallel deploys do not retry in lockstep);
 * always capped.
 */
export function retryDelayMs(
  retry: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryWaitMs);
  const ceiling = Math.min(policy.maxRetryWaitMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
