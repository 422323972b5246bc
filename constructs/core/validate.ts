/**
 * The runner of the spec rules. The shape (known keys, required keys, types) comes from {@link SPEC_DESCRIPTION};
 * each value rule is a small pure function in its own file under `rules/`, and looks at values of the right type
 * only, so that a value is reported once. A new rule goes in `rules/<rule>.ts`, with its table test in
 * `test/core/rules/`, and is added to {@link SPEC_RULES} where its problems should be listed.
 */
import { SPEC_DESCRIPTION } from './description';
import { problem, type Problem } from './problems';
import { redactText } from './redact';
import { checkShape } from './shape';
import type { RollbarProvisioningSpec } from './spec';
import { assignmentsRule } from './rules/assignments';
import { canaryRule } from './rules/canary';
import { ruleContext, type SpecRule } from './rules/context';
import { deletionThresholdRule } from './rules/deletion-threshold';
import { displayNameRule } from './rules/display-name';
import { existingServicePrincipalRule } from './rules/existing-service-principal';
import { mappingsRule } from './rules/mappings';
import { notificationEmailRule } from './rules/notification-email';
import { roleIdsRule } from './rules/role-ids';
import { rolesRule } from './rules/roles';
import { secretTokenRule } from './rules/secret-token';
import { secretTokenVersionRule } from './rules/secret-token-version';
import { ssoRule } from './rules/sso';
import { templateIdsRule } from './rules/template-ids';
import { tenantUrlRule } from './rules/tenant-url';
import { unsafeTextRule } from './rules/unsafe-text';

/** How `validateSpec` treats values that an engine resolves later. */
export interface ValidateOptions {
  /**
   * Recognises an unresolved engine value (a Terraform token, a Pulumi Output); such values are skipped,
   * not rejected.
   * @default - every value is treated as resolved
   */
  readonly isUnresolved?: (value: unknown) => boolean;
  /**
   * The token must be an unresolved engine value. CDKTF sets this: a literal would be written in clear text
   * into `cdk.tf.json`.
   * @default false
   */
  readonly secretTokenMustBeUnresolved?: boolean;
  /**
   * Require `secretToken`. A configuration file has none (tokens come from the engines' secret stores).
   * @default true
   */
  readonly requireSecretToken?: boolean;
}

/** The value rules, in the order their problems are listed (roughly the order of the spec's keys). */
const SPEC_RULES: readonly SpecRule[] = [
  secretTokenRule,
  secretTokenVersionRule,
  displayNameRule,
  templateIdsRule,
  tenantUrlRule,
  notificationEmailRule,
  deletionThresholdRule,
  existingServicePrincipalRule,
  canaryRule,
  rolesRule,
  roleIdsRule,
  assignmentsRule,
  mappingsRule,
  ssoRule,
  unsafeTextRule,
];

/**
 * Checks a spec and returns every problem at once (an empty list when it is valid). Never throws, never
 * shows a secret value in a message. Values that `options.isUnresolved` recognises are skipped.
 */
export function validateSpec(spec: RollbarProvisioningSpec<unknown>, options: ValidateOptions = {}): Problem[] {
  if (!isObject(spec)) {
    return [problem('INVALID_CONFIG', '(root)', 'be an object', spec, 'Pass a RollbarProvisioningSpec object.')];
  }
  const context = ruleContext(options);
  const out: Problem[] = [];
  checkShape(spec, SPEC_DESCRIPTION, '', context.isUnresolved, out);
  for (const rule of SPEC_RULES) out.push(...rule(spec, context));
  return scrubToken(out, spec.secretToken);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Belt and braces: a token typed into the wrong field (a role, an object id) would be echoed as that field's
 * value. Whatever the path, the token's text never leaves in a message.
 */
function scrubToken(problems: Problem[], token: unknown): Problem[] {
  if (typeof token !== 'string') return problems;
  return problems.map((p) => {
    const message = redactText(p.message, [token]);
    return message === p.message ? p : { ...p, message };
  });
}
