/** Medians, ranges and ratios of samples. */

/** A distribution of samples: the median, its range, and how many samples there were. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

export function spread(values: readonly number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: sorted.length };
}

/** `a / b` of two medians, rounded to two decimals; undefined when either is missing. */
export function ratio(a: Spread | undefined, b: Spread | undefined): number | undefined {
  if (a === undefined || b === undefined || b.median === 0) return undefined;
  return Math.round((a.median / b.median) * 100) / 100;
}

/** How far apart a spread's samples are: max / min - 1 (0.3 is 30%); 0 when there is none. */
export function relativeSpread(s: Spread | undefined): number {
  return s === undefined || s.min === 0 ? 0 : s.max / s.min - 1;
}
