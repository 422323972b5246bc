import { DEFAULTS } from '../defaults';
import { problem, type Problem } from '../problems';
import { isText, type RuleContext, type SpecInput } from './context';

const MAX_DISPLAY_NAME = 256;

/** INVALID_DISPLAY_NAME for a blank or overlong `displayName`. */
export function displayNameRule(spec: SpecInput, context: RuleContext): Problem[] {
  const name = spec.displayName;
  if (!isText(name, context) || (name.trim() !== '' && name.length <= MAX_DISPLAY_NAME)) return [];
  return [
    problem(
      'INVALID_DISPLAY_NAME',
      'displayName',
      `be a non-empty string of at most ${MAX_DISPLAY_NAME} characters`,
      name,
      `Omit it to use '${DEFAULTS.displayName}'.`,
    ),
  ];
}
