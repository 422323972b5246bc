/**
 * The configuration file, `rollbar.yaml`: read, shape-checked and validated the same way for both stacks and
 * the CLI's `validate`. Every problem is reported at once, each with its path and, where the file has the
 * node, its line and column. Imports no engine: the CLI uses it without cdktf or Pulumi.
 */
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import { z } from 'zod';
import { problem, REDACTED, RollbarProvisioningError, type Problem } from '../constructs/core/problems';
import type { RollbarProvisioningSpec } from '../constructs/core/spec';
import { MIN_REDACTED_LENGTH, redactText } from '../constructs/core/redact';
import { closestMatch } from '../constructs/core/suggest';
import { validateSpec } from '../constructs/core/validate';

/**
 * What a configuration file holds: the spec without `secretToken`. Tokens come only from the engines' secret
 * stores (CDKTF: `TF_VAR_rollbar_secret_token`; Pulumi: `rollbar:secretToken`), never from a file that is
 * committed with the code.
 */
export type RollbarConfig = Omit<RollbarProvisioningSpec<string>, 'secretToken'>;

/** The outcome of checking a configuration: the config when there is no problem. */
export interface ConfigCheck {
  /** The configuration, present only when `problems` is empty. */
  readonly config?: RollbarConfig;
  /** Every problem found, in file order (those without a line first). */
  readonly problems: readonly Problem[];
}

/** The default file name, resolved against the working directory. */
export const DEFAULT_CONFIG_FILE = 'rollbar.yaml';

/** The configuration file to read: env `ROLLBAR_CONFIG`, else `rollbar.yaml`, resolved against `cwd`. */
export function configPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  // An empty variable is how a CI template says "not set".
  const chosen = env.ROLLBAR_CONFIG?.trim() || DEFAULT_CONFIG_FILE;
  return nodePath.resolve(cwd, chosen);
}

/**
 * Reads and validates a configuration file.
 * @param path the file, relative to the working directory; by default {@link configPath}()
 * @throws RollbarProvisioningError listing every problem (`CONFIG_NOT_FOUND`, `SECRET_IN_CONFIG`,
 *   `INVALID_CONFIG`, and every code of `validateSpec`)
 */
export function loadConfig(path: string = configPath()): RollbarConfig {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RollbarProvisioningError(
      [
        problem(
          'CONFIG_NOT_FOUND',
          '(file)',
          'name a readable configuration file',
          `${nodePath.resolve(path)} (${reason})`,
          `Create it (start from rollbar.yaml in this repository), or set ROLLBAR_CONFIG to the file's path.`,
        ),
      ],
      `Cannot read the Rollbar provisioning configuration ${path}`,
    );
  }
  return loadConfigText(bytes, path);
}

/**
 * Validates a configuration given as text or bytes (bytes are checked to be UTF-8).
 * @param fileName shown in the error summary
 * @throws RollbarProvisioningError listing every problem
 */
export function loadConfigText(text: string | Uint8Array, fileName: string = DEFAULT_CONFIG_FILE): RollbarConfig {
  const { config, problems } = checkConfigText(text);
  if (config === undefined) {
    const n = problems.length;
    throw new RollbarProvisioningError(
      problems,
      `Invalid Rollbar provisioning configuration in ${fileName} (${n} problem${n === 1 ? '' : 's'})`,
    );
  }
  return config;
}

/** Like {@link loadConfigText}, but returns the problems instead of throwing. */
export function checkConfigText(input: string | Uint8Array): ConfigCheck {
  const decoded = decode(input);
  if (typeof decoded !== 'string') return { problems: [decoded] };
  const text = decoded.replace(/^\uFEFF/, '');
  const secrets = new SecretValues(text);

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const index = new NodeIndex(text, lines);
  const found: SecretKey[] = [];
  index.walk(doc.contents, [], found, secrets);
  const problems: Problem[] = found.map((s) =>
    problem(
      'SECRET_IN_CONFIG',
      s.path,
      'not be in the configuration file',
      REDACTED,
      'Remove it and pass the Rollbar token from a secret store: TF_VAR_rollbar_secret_token (CDKTF) or ' +
        '`pulumi config set --secret rollbar:secretToken` (Pulumi). If the file was ever committed, rotate the token in Rollbar.',
      index.at(s.offset),
    ),
  );

  let fatal = false;
  for (const error of doc.errors) {
    const at = index.at(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY') {
      const path = index.keyAt(error.pos[0]) ?? '(root)';
      problems.push(
        problem(
          'INVALID_CONFIG',
          path,
          'appear once in its map',
          path.slice(path.lastIndexOf('.') + 1),
          'Remove or merge the repeated key: YAML would silently keep only one of them.',
          at,
        ),
      );
      continue;
    }
    fatal = true;
    const onSecretLine = found.some((s) => index.at(s.offset).line === at.line) || secrets.onLine(at.line);
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be valid YAML',
        onSecretLine ? 'a syntax error on a line that holds a secret' : error.message,
        `Fix the YAML syntax at line ${at.line}, column ${at.column}.`,
        at,
      ),
    );
  }
  if (fatal) return { problems: finish(problems, secrets) };

  if (doc.contents === null) {
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be a YAML map of settings',
        'an empty file',
        'Start from the commented example rollbar.yaml in this repository.',
        { line: 1, column: 1 },
      ),
    );
    return { problems: finish(problems, secrets) };
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be plain YAML data',
        e instanceof Error ? e.message : 'unreadable YAML',
        'Remove the alias or anchor that the message names.',
      ),
    );
    return { problems: finish(problems, secrets) };
  }
  if (!isRecord(data)) {
    // The value itself is not shown: a file holding only a pasted token would be echoed.
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be a YAML map of settings',
        kindOf(data),
        'Write settings as key: value lines; start from the example rollbar.yaml in this repository.',
        index.locate('', 'value'),
      ),
    );
    return { problems: finish(problems, secrets) };
  }
  removeSecretKeys(data);

  const shape = configSchema.safeParse(data);
  const shapePaths: string[] = [];
  if (!shape.success) {
    for (const issue of shape.error.issues) {
      for (const p of shapeProblems(issue, data, index)) {
        problems.push(p);
        shapePaths.push(p.path);
      }
    }
  }

  const rulesInput = shape.success ? data : prune(data, shape.error.issues);
  const rolesBroken = shapePaths.some((p) => p === 'roles' || p.startsWith('roles.'));
  const semantic = validateSpec(rulesInput as unknown as RollbarProvisioningSpec<unknown>, {
    requireSecretToken: false,
  })
    .filter((p) => !shapePaths.some((s) => p.path === s || p.path.startsWith(`${s}.`)))
    .filter((p) => !(rolesBroken && p.code === 'UNKNOWN_ROLE'))
    .map((p) => placed(p, index.locateProblem(p)));
  problems.push(...semantic);

  const all = finish(problems, secrets);
  // validateSpec passed on the shape-checked data, so the narrower literal types of the spec hold.
  return all.length === 0 && shape.success ? { config: shape.data as RollbarConfig, problems: all } : { problems: all };
}

// ---- shape ----------------------------------------------------------------------------------------------
// Types only: value rules (GUIDs, e-mail, enum members, kebab-case keys) are validateSpec's, which gives each
// its own code. Strict objects make a misspelt key an error instead of a silently ignored setting.

const attributeMapping = z.strictObject({
  source: z.string(),
  matchingPriority: z.number().optional(),
  apply: z.string().optional(),
  defaultValue: z.string().optional(),
});
const scopingFilterGroup = z.strictObject({
  name: z.string(),
  clauses: z.array(
    z.strictObject({
      attribute: z.string(),
      operator: z.string(),
      values: z.array(z.string()).optional(),
    }),
  ),
});
const objectMappingPatch = {
  attributes: z.record(z.string(), z.nullable(attributeMapping)).optional(),
  scopingFilters: z.array(scopingFilterGroup).optional(),
};

const configSchema = z.strictObject({
  displayName: z.string().optional(),
  applicationTemplateId: z.string().optional(),
  syncTemplateId: z.string().optional(),
  tenantUrl: z.string().optional(),
  notification: z.strictObject({ email: z.string(), sendOnFailure: z.boolean().optional() }).optional(),
  accidentalDeletionThreshold: z.number().optional(),
  scope: z.string().optional(),
  provisioningEnabled: z.boolean().optional(),
  testConnection: z.boolean().optional(),
  roles: z
    .array(
      z.strictObject({
        value: z.string(),
        displayName: z.string().optional(),
        description: z.string().optional(),
        allowedMemberTypes: z.array(z.string()).optional(),
      }),
    )
    .optional(),
  assignments: z
    .record(z.string(), z.strictObject({ principalObjectId: z.string(), principalType: z.string(), role: z.string() }))
    .optional(),
  mappings: z
    .strictObject({
      users: z.strictObject(objectMappingPatch).optional(),
      groups: z.strictObject({ ...objectMappingPatch, enabled: z.boolean().optional() }).optional(),
    })
    .optional(),
  protect: z.boolean().optional(),
  existingServicePrincipalObjectId: z.string().optional(),
  skipOutOfScopeDeletions: z.boolean().optional(),
});

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, { rule: string; fix: string }> = {
  string: { rule: 'be text', fix: 'Quote it if YAML reads it as a number, a boolean or null.' },
  number: { rule: 'be a number', fix: 'Write a number without quotes.' },
  boolean: {
    rule: 'be true or false',
    fix: 'Write true or false without quotes (in YAML 1.2, yes, no, on and off are text).',
  },
  object: { rule: 'be a map', fix: 'Write it as indented key: value lines.' },
  record: { rule: 'be a map', fix: 'Write it as indented name: value lines.' },
  array: { rule: 'be a list', fix: "Write it as a list of '- ' items." },
};

function shapeProblems(issue: Issue, data: Record<string, unknown>, index: NodeIndex): Problem[] {
  const keys = issue.path.map(String);
  const path = keys.length === 0 ? '(root)' : keys.join('.');
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(keys);
    return issue.keys.map((key) => {
      const keyPath = [...keys, key].join('.');
      const near = closestMatch(key, known);
      const fix =
        near !== undefined
          ? `Did you mean '${near}'?`
          : `Remove it; the settings here are: ${known.length > 0 ? known.join(', ') : 'none'}.`;
      return problem('INVALID_CONFIG', keyPath, 'be a known setting', key, fix, index.locate(keyPath, 'key'));
    });
  }
  if (issue.code === 'invalid_type') {
    const present = has(data, keys);
    const value = present ? valueAt(data, keys) : undefined;
    const expected = EXPECTED[issue.expected] ?? { rule: `be ${issue.expected}`, fix: 'Correct its type.' };
    if (!present) {
      return [
        problem(
          'INVALID_CONFIG',
          path,
          'be set',
          undefined,
          `Add ${keys[keys.length - 1] ?? 'it'} (${expected.rule.replace(/^be /, '')}); see rollbar.yaml for an example.`,
          index.locate(path, 'value'),
        ),
      ];
    }
    const fix =
      value === null
        ? path === 'mappings'
          ? "Remove the key to leave the schema unmanaged, or write 'mappings: {}' to manage it with Rollbar's defaults."
          : 'Give it a value, or remove the key.'
        : expected.fix;
    return [problem('INVALID_CONFIG', path, expected.rule, value, fix, index.locate(path, 'value'))];
  }
  return [
    problem('INVALID_CONFIG', path, 'be valid', issue.message, 'Correct the value.', index.locate(path, 'value')),
  ];
}

/** The keys that the strict object at `path` accepts, for near-miss suggestions. */
function knownKeys(path: readonly string[]): string[] {
  let schema: z.ZodType | undefined = configSchema;
  for (const key of path) schema = childSchema(schema, key);
  const object = unwrap(schema);
  return object instanceof z.ZodObject ? Object.keys(object.shape) : [];
}

function childSchema(schema: z.ZodType | undefined, key: string): z.ZodType | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return (s.shape as Record<string, z.ZodType>)[key];
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  if (s instanceof z.ZodArray) return s.element as z.ZodType;
  return undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s;
}

/**
 * The data with every node that failed the shape check removed, so that validateSpec (and the mappings
 * rules, which expect well-formed patches) still report the other problems in the same run.
 */
function prune(data: Record<string, unknown>, issues: readonly Issue[]): Record<string, unknown> {
  const copy = structuredClone(data);
  for (const issue of issues) {
    const keys = issue.path.map(String);
    if (keys[0] === 'mappings') {
      delete copy.mappings;
      continue;
    }
    if (issue.code === 'unrecognized_keys') continue; // the known keys stay; validateSpec ignores the others
    const parent = keys.length > 1 ? valueAt(copy, keys.slice(0, -1)) : copy;
    const last = keys[keys.length - 1];
    if (last !== undefined && typeof parent === 'object' && parent !== null) {
      delete (parent as Record<string, unknown>)[last];
    }
  }
  return copy;
}

// ---- the file -------------------------------------------------------------------------------------------

function decode(input: string | Uint8Array): string | Problem {
  if (typeof input === 'string') return input;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    // The first replacement character of a lenient decode marks the first bad byte: its line helps.
    const lenient = new TextDecoder('utf-8').decode(input);
    const bad = lenient.indexOf('\uFFFD');
    const line = bad < 0 ? 1 : lenient.slice(0, bad).split('\n').length;
    return problem(
      'INVALID_CONFIG',
      '(root)',
      'be UTF-8 text',
      `bytes that are not UTF-8 (line ${line})`,
      'Save the file as UTF-8 (not UTF-16 or a legacy code page).',
      { line },
    );
  }
}

interface SecretKey {
  readonly path: string;
  readonly offset: number;
}

/** Any spelling of the token's key: `secretToken`, `SecretToken` (Graph's name), `secret_token`, `secret-token`. */
function isSecretKey(key: string): boolean {
  return key.toLowerCase().replace(/[\s_-]+/g, '') === 'secrettoken';
}

/** Every text that may be a secret value in the file; no message may contain one. */
class SecretValues {
  private readonly values = new Set<string>();
  private readonly lines = new Set<number>();

  constructor(text: string) {
    // From the raw text too: a file that does not parse still must not echo the token in a syntax error.
    text.split('\n').forEach((line, i) => {
      const m = /^\s*(?:-\s*)?["']?([A-Za-z_-]+)["']?\s*:(.*)$/.exec(line);
      if (m?.[1] !== undefined && isSecretKey(m[1])) {
        this.lines.add(i + 1);
        this.add(m[2] ?? '');
      }
      for (const inline of line.matchAll(/[{,]\s*["']?([A-Za-z_-]+)["']?\s*:\s*([^,}]*)/g)) {
        if (inline[1] !== undefined && isSecretKey(inline[1])) {
          this.lines.add(i + 1);
          this.add(inline[2] ?? '');
        }
      }
    });
  }

  add(text: string): void {
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      for (const candidate of [trimmed, trimmed.replace(/^["']|["']$/g, '')]) {
        if (candidate.length >= MIN_REDACTED_LENGTH) this.values.add(candidate);
      }
    }
  }

  onLine(line: number): boolean {
    return this.lines.has(line);
  }

  scrub(message: string): string {
    return redactText(message, this.values);
  }
}

interface NodePosition {
  readonly key?: number;
  readonly value?: number;
  /**
   * Where the first character of a scalar's text is, when each character of the text is one character of
   * the file (one line, no escapes), so that a column inside an expression maps to a column in the file.
   */
  readonly textStart?: number;
}

/** Where each path of the document is, to put a line and column on every problem. */
class NodeIndex {
  private readonly nodes = new Map<string, NodePosition>();

  constructor(
    private readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  walk(node: unknown, path: readonly string[], secrets: SecretKey[], values: SecretValues): void {
    if (path.length === 0) this.record('', undefined, node);
    if (isMap(node)) {
      for (const pair of node.items) {
        const key: unknown = pair.key;
        const name = isScalar(key) ? scalarText(key.value) : undefined;
        if (name === undefined) continue;
        const p = [...path, name];
        this.record(p.join('.'), key, pair.value);
        if (isSecretKey(name)) {
          secrets.push({ path: p.join('.'), offset: rangeOf(key)?.[0] ?? 0 });
          collectText(pair.value, values);
          continue;
        }
        this.walk(pair.value, p, secrets, values);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, String(i)];
        this.record(p.join('.'), undefined, item);
        this.walk(item, p, secrets, values);
      });
    }
  }

  private record(path: string, key: unknown, value: unknown): void {
    const k = rangeOf(key)?.[0];
    const range = rangeOf(value);
    const v = range?.[0];
    let textStart: number | undefined;
    if (isScalar(value) && range !== undefined) {
      const raw = this.text.slice(range[0], range[1]);
      if (!raw.includes('\n')) {
        if (value.type === Scalar.PLAIN) textStart = range[0];
        else if (value.type === Scalar.QUOTE_DOUBLE && !raw.includes('\\')) textStart = range[0] + 1;
        else if (value.type === Scalar.QUOTE_SINGLE && !raw.slice(1, -1).includes("''")) textStart = range[0] + 1;
      }
    }
    this.nodes.set(path, {
      ...(k !== undefined && { key: k }),
      ...(v !== undefined && { value: v }),
      ...(textStart !== undefined && { textStart }),
    });
  }

  /** The path of the map key that starts at or contains `offset`. */
  keyAt(offset: number): string | undefined {
    let best: { path: string; start: number } | undefined;
    for (const [path, pos] of this.nodes) {
      if (pos.key !== undefined && pos.key <= offset && (best === undefined || pos.key > best.start)) {
        best = { path, start: pos.key };
      }
    }
    return best?.path;
  }

  /** Line and column of a path's key or value; for a path not in the file, its nearest ancestor's key. */
  locate(path: string, part: 'key' | 'value'): { line?: number; column?: number } {
    const own = this.nodes.get(path);
    const offset = own === undefined ? undefined : part === 'key' ? (own.key ?? own.value) : (own.value ?? own.key);
    if (offset !== undefined) return this.at(offset);
    const parent = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
    return path === '' ? {} : this.locate(parent, 'key');
  }

  /** Places a validateSpec problem; an expression's column becomes a column in the file. */
  locateProblem(p: Problem): { line?: number; column?: number } {
    const pos = this.nodes.get(p.path);
    if (p.column !== undefined) {
      if (pos?.textStart !== undefined) return this.at(pos.textStart + p.column - 1);
      const line = this.locate(p.path, 'value').line;
      return line === undefined ? {} : { line };
    }
    // An assignment key problem is about the key itself.
    return this.locate(
      p.path,
      p.code === 'INVALID_ASSIGNMENT_KEY' || p.code === 'DUPLICATE_ASSIGNMENT' ? 'key' : 'value',
    );
  }

  /** 1-based line and column of an offset in the file. */
  at(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** The problem at its place in the file, replacing any position it had (such as a column in an expression). */
function placed(p: Problem, where: { line?: number; column?: number }): Problem {
  const { line: _line, column: _column, ...rest } = p;
  return { ...rest, ...where };
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && range.length === 3 ? (range as [number, number, number]) : undefined;
}

function collectText(node: unknown, values: SecretValues): void {
  if (isScalar(node)) {
    values.add(scalarText(node.value) ?? '');
    if (typeof node.source === 'string') values.add(node.source);
  } else if (isMap(node)) {
    for (const pair of node.items) collectText(pair.value, values);
  } else if (isSeq(node)) {
    for (const item of node.items) collectText(item, values);
  }
}

function removeSecretKeys(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) removeSecretKeys(item);
  } else if (isRecord(value)) {
    for (const key of Object.keys(value)) {
      if (isSecretKey(key)) delete value[key];
      else removeSecretKeys(value[key]);
    }
  }
}

function finish(problems: readonly Problem[], secrets: SecretValues): Problem[] {
  return problems
    .map((p, order) => ({ p: { ...p, message: secrets.scrub(p.message) }, order }))
    .sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || (a.p.column ?? 0) - (b.p.column ?? 0) || a.order - b.order)
    .map(({ p }) => p);
}

/** A scalar as YAML's toJS names a key: `null` becomes the empty string. */
function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return String(value);
  }
  return undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(data: unknown, keys: readonly string[]): boolean {
  let cur: unknown = data;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, k)) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return true;
}

function valueAt(data: unknown, keys: readonly string[]): unknown {
  let cur: unknown = data;
  for (const k of keys) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
