/**
 * The object id check that the rules for the adopted service principal and for assignments share: a GUID, and
 * not the zero GUID (a placeholder that names no directory object).
 */
import { problem, type Problem } from '../problems';

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** INVALID_OBJECT_ID at `path` when `value` is not the object id of a real directory object (`what`). */
export function checkObjectId(path: string, value: string, what: string): Problem[] {
  if (!GUID.test(value)) {
    return [
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be an object id (a GUID such as 3f2504e0-4f89-41d3-9a0c-0305e82c3301)',
        value,
        `Copy the Object ID of ${what} from the Entra admin center.`,
      ),
    ];
  }
  if (value === ZERO_GUID) {
    return [
      problem(
        'INVALID_OBJECT_ID',
        path,
        'be the object id of a real directory object',
        value,
        `The zero GUID is a placeholder: copy the Object ID of ${what} from the Entra admin center.`,
      ),
    ];
  }
  return [];
}
