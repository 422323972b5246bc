import type { Problem } from '../problems';
import type { MappingsSpec } from '../spec';

/**
 * Offline checks of a mappings patch (expressions, matching priorities, filter operators).
 * The full rule set arrives with the expression parser.
 */
export function validateMappingsPatch(_mappings: MappingsSpec | undefined): Problem[] {
  return [];
}
