import { mappingsPatchRules } from '../mappings/validate-patch';
import type { Problem } from '../problems';
import type { MappingsSpec } from '../spec';
import type { SpecInput } from './context';

/**
 * The mappings patch's value rules (expressions, matching priorities, scoping filters). They live with the
 * mappings code, in `mappings/validate-patch.ts`, because the graph commands check a patch on its own too.
 */
export function mappingsRule(spec: SpecInput): Problem[] {
  // The patch rules take nothing on trust: they check every value's type before they use it.
  return mappingsPatchRules(spec.mappings as MappingsSpec | undefined);
}
