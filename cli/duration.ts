import { UsageError } from '../constructs/core/problems';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `30m`, `2h`, `1d` (or `250ms`) in milliseconds; anything else is a usage error naming the flag. */
export function parseDuration(text: string, flagName: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) {
    throw new UsageError(`--${flagName} must be a duration such as 30s, 30m, 2h or 1d, got '${text}'`);
  }
  return Number(m[1]) * UNITS[m[2]!]!;
}

/** `--since`: a duration back from `now` (`1h`, `2d`) or an ISO 8601 date-time (`2024-05-01T10:00:00Z`). */
export function parseSince(text: string, now: number = Date.now()): Date {
  if (/^\d+(ms|s|m|h|d)$/.test(text.trim())) return new Date(now - parseDuration(text, 'since'));
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) {
    const t = Date.parse(text.trim());
    if (!Number.isNaN(t)) return new Date(t);
  }
  throw new UsageError(
    `--since must be a duration back from now (1h, 2d) or an ISO date-time (2024-05-01T10:00:00Z), got '${text}'`,
  );
}
