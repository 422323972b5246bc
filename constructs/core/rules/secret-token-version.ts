import { DEFAULTS } from '../defaults';
import { problem, type Problem } from '../problems';
import { isText, type RuleContext, type SpecInput } from './context';

const MAX_TOKEN_VERSION = 64;

/** INVALID_CONFIG for a blank or overlong `secretTokenVersion`: it is the only signal that the token changed. */
export function secretTokenVersionRule(spec: SpecInput, context: RuleContext): Problem[] {
  const version = spec.secretTokenVersion;
  if (!isText(version, context) || (version.trim() !== '' && version.length <= MAX_TOKEN_VERSION)) return [];
  return [
    problem(
      'INVALID_CONFIG',
      'secretTokenVersion',
      `be non-empty text of at most ${MAX_TOKEN_VERSION} characters`,
      version,
      `Write a version such as '2' or a date, and change it whenever the token changes; omit it for '${DEFAULTS.secretTokenVersion}'.`,
    ),
  ];
}
