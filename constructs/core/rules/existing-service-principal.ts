import type { Problem } from '../problems';
import { isText, type RuleContext, type SpecInput } from './context';
import { checkObjectId } from './object-id';

/** INVALID_OBJECT_ID for an `existingServicePrincipalObjectId` that names no real directory object. */
export function existingServicePrincipalRule(spec: SpecInput, context: RuleContext): Problem[] {
  const id = spec.existingServicePrincipalObjectId;
  if (!isText(id, context)) return [];
  return checkObjectId('existingServicePrincipalObjectId', id, 'the Rollbar enterprise application');
}
