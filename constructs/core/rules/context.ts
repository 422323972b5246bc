/**
 * What every spec rule is given. A rule is a small pure function from the spec (still unknown: it may come from
 * YAML or JavaScript) to its problems; {@link validateSpec} runs them in order after the shape check, so a rule
 * looks only at values of the right type and a wrong type is reported once, by the shape check.
 */
import type { Problem } from '../problems';
import type { Unresolved } from '../shape';
import type { ValidateOptions } from '../validate';

/** The spec as a rule sees it: an object whose values are not yet known to have the right types. */
export type SpecInput = Readonly<Record<string, unknown>>;

/** How the rules treat values that an engine resolves later, and the token. */
export interface RuleContext {
  /** True for an unresolved engine value (a Terraform token, a Pulumi Output): skipped, not checked. */
  readonly isUnresolved: Unresolved;
  /** A missing token is a problem (a configuration file has none). */
  readonly requireSecretToken: boolean;
  /** A resolved token is a problem: CDKTF would write it in clear text to `cdk.tf.json`. */
  readonly secretTokenMustBeUnresolved: boolean;
}

/** One rule over the whole spec. */
export type SpecRule = (spec: SpecInput, context: RuleContext) => Problem[];

/** The context for {@link ValidateOptions}, with their defaults. */
export function ruleContext(options: ValidateOptions = {}): RuleContext {
  return {
    isUnresolved: options.isUnresolved ?? (() => false),
    requireSecretToken: options.requireSecretToken ?? true,
    secretTokenMustBeUnresolved: options.secretTokenMustBeUnresolved ?? false,
  };
}

/** True for text a rule can check now: a string that is not an unresolved engine value. */
export function isText(value: unknown, context: RuleContext): value is string {
  return typeof value === 'string' && !context.isUnresolved(value);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
