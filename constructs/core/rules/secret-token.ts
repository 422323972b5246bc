import { problem, REDACTED, type Problem } from '../problems';
import type { RuleContext, SpecInput } from './context';

/**
 * MISSING_SECRET_TOKEN when the token is required and absent or blank; SECRET_TOKEN_LITERAL when the engine needs
 * an unresolved value (CDKTF) and got a literal; INVALID_CONFIG for a token that is not text. The token is never
 * shown, not even when it is blank.
 */
export function secretTokenRule(spec: SpecInput, context: RuleContext): Problem[] {
  const token = spec.secretToken;
  if (context.isUnresolved(token)) return [];
  if (token === undefined || token === null || (typeof token === 'string' && token.trim() === '')) {
    if (!context.requireSecretToken) return [];
    return [
      problem(
        'MISSING_SECRET_TOKEN',
        'secretToken',
        'be set',
        token === undefined || token === null ? token : REDACTED,
        'Pass the Rollbar SCIM token from a secret store (CDKTF: the ephemeral variable rollbar_secret_token; Pulumi: pulumi config set --secret rollbar:secretToken).',
      ),
    ];
  }
  if (context.secretTokenMustBeUnresolved) {
    return [
      problem(
        'SECRET_TOKEN_LITERAL',
        'secretToken',
        'be a Terraform token (the ephemeral TerraformVariable rollbar_secret_token, an ephemeral resource), not a literal',
        REDACTED,
        'A literal would be written in clear text to cdk.tf.json: use the variable rollbar_secret_token (TF_VAR_rollbar_secret_token).',
      ),
    ];
  }
  if (typeof token !== 'string') {
    return [problem('INVALID_CONFIG', 'secretToken', 'be a string', REDACTED, 'Pass the token as a string secret.')];
  }
  return [];
}
