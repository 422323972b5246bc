/**
 * When to retry a Graph call and how long to wait. Graph throttles with 429 and a `Retry-After` header, and
 * its synchronization service answers 5xx during incidents; both are worth a bounded number of retries.
 * Every wait is capped, so a deploy never hangs on a server that asks for an hour: `Retry-After` is honoured up
 * to {@link RETRY_SETTINGS}' `maxRetryWaitMs` (5 minutes by default, 15 at most), and each wait is printed as
 * progress by the client.
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

/**
 * The ranges the retry and timeout settings are clamped to, with their defaults. A value outside is replaced by
 * the nearest bound and the client says so; a value that is not an integer is ignored and the client says so.
 * The timeout's ceiling also keeps it below setTimeout's limit (2^31 - 1 ms), past which Node fires at once.
 */
export const RETRY_SETTINGS = {
  maxRetries: { min: 0, max: 10, default: 4 },
  maxRetryWaitMs: { min: 0, max: 15 * 60_000, default: 5 * 60_000 },
  timeoutMs: { min: 100, max: 10 * 60_000, default: 60_000 },
} as const;

/** Statuses that a retry cannot change: the server does not implement the method, or the HTTP version. */
const FINAL_SERVER_STATUSES: ReadonlySet<number> = new Set([501, 505]);

/** Statuses worth retrying: throttling and server-side failures, except those that cannot succeed (501, 505). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599 && !FINAL_SERVER_STATUSES.has(status));
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds (`1*DIGIT`) or an HTTP date (RFC 9110 §10.2.3, the
 * IMF-fixdate form `Sun, 06 Nov 1994 08:49:37 GMT`); undefined when absent or anything else (`-5`, `soon`, `1e9`),
 * so that the client falls back to its own backoff instead of not waiting at all. A date in the past means now.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
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
