import type { Problem } from '../../../constructs/core';
import { ruleContext, type SpecInput } from '../../../constructs/core/rules/context';
import type { ValidateOptions } from '../../../constructs/core/validate';

/** A row of a rule's table: the spec it is given, and the `[code, path]` of each problem it must return, in order. */
export type Row = readonly [name: string, spec: SpecInput, expected: readonly (readonly [string, string])[]];

export const context = (options: ValidateOptions = {}) => ruleContext(options);

export const codesAndPaths = (problems: readonly Problem[]): [string, string][] =>
  problems.map((p) => [p.code, p.path]);

// An unresolved engine value, as the bindings recognise a Terraform token or a Pulumi Output.
export const UNRESOLVED = { unresolved: true };
export const withUnresolved = (options: ValidateOptions = {}) =>
  ruleContext({ ...options, isUnresolved: (v) => v === UNRESOLVED });

export const GROUP = '11111111-1111-4111-8111-111111111111';
export const USER = '22222222-2222-4222-8222-222222222222';
export const ZERO = '00000000-0000-0000-0000-000000000000';
