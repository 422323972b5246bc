import { DEFAULTS } from '../defaults';
import { problem, type Problem } from '../problems';
import type { SpecInput } from './context';

const MAX_THRESHOLD = 1_000_000;

/** INVALID_THRESHOLD for an `accidentalDeletionThreshold` that is not a whole number from 0 to a million. */
export function deletionThresholdRule(spec: SpecInput): Problem[] {
  const t = spec.accidentalDeletionThreshold;
  if (typeof t !== 'number' || (Number.isInteger(t) && t >= 0 && t <= MAX_THRESHOLD)) return [];
  return [
    problem(
      'INVALID_THRESHOLD',
      'accidentalDeletionThreshold',
      `be a whole number from 0 to ${MAX_THRESHOLD}`,
      t,
      `Use ${DEFAULTS.accidentalDeletionThreshold} (the suggested value), or 0 to turn the guard off.`,
    ),
  ];
}
