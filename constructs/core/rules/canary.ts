import type { Problem } from '../problems';
import { isRecord, isText, type RuleContext, type SpecInput } from './context';
import { checkObjectId } from './object-id';

/** INVALID_OBJECT_ID for a `canary.principalObjectId` that names no real user (a GUID, not the zero GUID). */
export function canaryRule(spec: SpecInput, context: RuleContext): Problem[] {
  const canary = spec.canary;
  if (!isRecord(canary) || !isText(canary.principalObjectId, context)) return [];
  return checkObjectId('canary.principalObjectId', canary.principalObjectId, 'the canary user');
}
