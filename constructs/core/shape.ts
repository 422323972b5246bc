/**
 * The shape check derived from {@link SPEC_DESCRIPTION}: known keys, required keys and the type of every value.
 * The same mistake gets the same code, path and fix wherever the spec comes from (a YAML file, TypeScript, the
 * CLI's JSON input), because all of them run this one check. Value rules (GUIDs, e-mail, expressions) run after
 * it, on values of the right type only, so that a value is reported once.
 */
import type { KeyDescription, ValueShape } from './description';
import { problem, type Problem } from './problems';
import { closestMatch } from './suggest';

/** Recognises an unresolved engine value (skipped, not checked). */
export type Unresolved = (value: unknown) => boolean;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const KIND_FIX: Record<ValueShape['kind'], string> = {
  string: 'Quote it if YAML reads it as a number, a boolean or null.',
  number: 'Write a number without quotes.',
  boolean: 'Write true or false without quotes (in YAML 1.2, yes, no, on and off are text).',
  enum: 'Use one of the values listed.',
  object: 'Write it as indented key: value lines.',
  record: 'Write it as indented name: value lines.',
  list: "Write it as a list of '- ' items.",
  secret: 'Pass the token as a string secret.',
};

/** The rule a value of this shape must follow, as a message says it (`must <rule>`). */
export function shapeRule(shape: ValueShape): string {
  switch (shape.kind) {
    case 'string':
      return 'be text';
    case 'number':
      return shape.integer === true ? 'be a whole number' : 'be a number';
    case 'boolean':
      return 'be true or false';
    case 'enum':
      return shape.values.length === 2
        ? `be '${shape.values[0]}' or '${shape.values[1]}'`
        : `be one of ${shape.values.join(', ')}`;
    case 'object':
      return `be a map of ${Object.keys(shape.keys).join(', ')}`;
    case 'record':
      return `be a map from ${shape.keyName} to ${shape.values.shape.kind === 'object' ? 'a map' : 'a value'}`;
    case 'list':
      return 'be a list';
    case 'secret':
      return 'be a string';
  }
}

function typeFits(shape: ValueShape, value: unknown): boolean {
  switch (shape.kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && shape.values.includes(value);
    case 'object':
    case 'record':
      return isRecord(value);
    case 'list':
      return Array.isArray(value);
    case 'secret':
      return true;
  }
}

/** An INVALID_CONFIG problem for a key that is not one of `known`, with a near miss when there is one. */
export function unknownKeyProblem(path: string, key: string, known: readonly string[]): Problem {
  const near = closestMatch(key, known);
  return problem(
    'INVALID_CONFIG',
    path,
    'be a known setting',
    key,
    near === undefined
      ? `Remove it; the settings here are: ${known.length > 0 ? known.join(', ') : 'none'}.`
      : `Did you mean '${near}'?`,
  );
}

/** An object shape's keys, listed once per shape: a spec checks thousands of assignments against the same one. */
const LISTED = new WeakMap<
  Record<string, KeyDescription>,
  { readonly known: readonly string[]; readonly children: readonly (readonly [string, KeyDescription])[] }
>();

function listed(keys: Record<string, KeyDescription>) {
  let entry = LISTED.get(keys);
  if (entry === undefined) {
    entry = { known: Object.keys(keys), children: Object.entries(keys) };
    LISTED.set(keys, entry);
  }
  return entry;
}

/**
 * Checks `value` against its description and appends the problems to `out`. `path` is the value's dotted path
 * (`''` for the root). Returns whether the value has the described type (its children may still be wrong).
 */
export function checkShape(
  value: unknown,
  description: KeyDescription,
  path: string,
  unresolved: Unresolved,
  out: Problem[],
): boolean {
  if (unresolved(value)) return true;
  const { shape } = description;
  const at = path === '' ? '(root)' : path;
  if (!typeFits(shape, value)) {
    const fix =
      value === null
        ? (description.nullFix ?? 'Give it a value, or remove the key.')
        : shape.kind === 'enum' && typeof value === 'string'
          ? `${suggestion(value, shape.values)}${description.fix ?? KIND_FIX.enum}`
          : (description.fix ?? KIND_FIX[shape.kind]);
    out.push(problem(description.code, at, shapeRule(shape), value, fix));
    return false;
  }
  const prefix = path === '' ? '' : `${path}.`;
  if (shape.kind === 'object') {
    const record = value as Record<string, unknown>;
    const { known, children } = listed(shape.keys);
    for (const key of Object.keys(record)) {
      // Own keys only: `constructor` or `toString` is an unknown key, not Object.prototype's.
      if (!Object.hasOwn(shape.keys, key)) out.push(unknownKeyProblem(`${prefix}${key}`, key, known));
    }
    for (const [key, child] of children) {
      if (child.shape.kind === 'secret') continue; // the token's own rules are validateSpec's
      const v = record[key];
      if (v === undefined) {
        if (child.required === true) {
          out.push(problem(child.code, `${prefix}${key}`, 'be set', undefined, child.fix ?? `Add ${key}.`));
        }
        continue;
      }
      checkShape(v, child, `${prefix}${key}`, unresolved, out);
    }
  } else if (shape.kind === 'record') {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (v === null && shape.nullable === true) continue;
      checkShape(v, shape.values, `${prefix}${key}`, unresolved, out);
    }
  } else if (shape.kind === 'list') {
    (value as unknown[]).forEach((item, i) => checkShape(item, shape.items, `${prefix}${i}`, unresolved, out));
  }
  return true;
}

/** `"Did you mean 'x'? "` when a candidate is a near miss of the value, else `''`. */
export function suggestion(value: unknown, candidates: Iterable<string>): string {
  if (typeof value !== 'string') return '';
  const match = closestMatch(value, candidates);
  return match === undefined ? '' : `Did you mean '${match}'? `;
}
