/**
 * The configuration file, `rollbar.yaml`: read and validated the same way for both stacks, the CLI's `validate`
 * and library users (`rollbar-provisioning/config`). The file's data goes through `validateSpec`, whose shape
 * check comes from the spec's one description, so a mistake gets the same code, path and fix as in code. Every
 * problem is reported at once, each with its path and, where the file has the node, its line and column.
 * Imports no engine: the CLI uses it without cdktf or Pulumi.
 */
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar } from 'yaml';
import { problem, REDACTED, RollbarProvisioningError, type Problem } from '../core/problems';
import type { RollbarProvisioningSpec } from '../core/spec';
import { MIN_REDACTED_LENGTH, redactText } from '../core/redact';
import { validateSpec } from '../core/validate';
import { specWarnings, type Warning } from '../core/warnings';

/**
 * Where to start a configuration: the commented example ships with the package (and is `rollbar.yaml` at the
 * root of the repository).
 */
export const EXAMPLE_CONFIG = 'node_modules/rollbar-provisioning/rollbar.yaml';
const START_FROM = `start from the commented example ${EXAMPLE_CONFIG}`;

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
  /** Warnings of a valid configuration (empty while there are problems), in file order. */
  readonly warnings: readonly Warning[];
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
  return loadConfigText(readConfigFile(path), path);
}

/**
 * Reads and checks a configuration file without throwing for its content: the config (when valid), every
 * problem and every warning, each with its line and column.
 * @throws RollbarProvisioningError `CONFIG_NOT_FOUND` when the file cannot be read
 */
export function checkConfigFile(path: string = configPath()): ConfigCheck {
  return checkConfigText(readConfigFile(path));
}

function readConfigFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new RollbarProvisioningError(
      [
        problem(
          'CONFIG_NOT_FOUND',
          '(file)',
          'name a readable configuration file',
          `${nodePath.resolve(path)} (${reason})`,
          `Create it (${START_FROM}), or set ROLLBAR_CONFIG to the file's path.`,
        ),
      ],
      `Cannot read the Rollbar provisioning configuration ${path}`,
    );
  }
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
  if (typeof decoded !== 'string') return { problems: [decoded], warnings: [] };
  const text = decoded.replace(/^\uFEFF/, '');
  const secrets = new SecretValues(text);

  const lines = new LineCounter();
  // uniqueKeys is off: yaml compares each key with every earlier key of its map (quadratic: 10,000 assignments
  // took seconds). NodeIndex finds repeated keys with a set per map instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const index = new NodeIndex(text, lines);
  const found: SecretKey[] = [];
  const repeated: RepeatedKey[] = [];
  index.walk(doc.contents, [], found, secrets, repeated);
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

  for (const r of repeated) {
    problems.push(
      problem(
        'INVALID_CONFIG',
        r.path,
        'appear once in its map',
        r.path.slice(r.path.lastIndexOf('.') + 1),
        'Remove or merge the repeated key: YAML would silently keep only one of them.',
        index.at(r.offset),
      ),
    );
  }
  let fatal = false;
  for (const error of doc.errors) {
    const at = index.at(error.pos[0]);
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
  if (fatal) return { problems: finish(problems, secrets), warnings: [] };

  if (doc.contents === null) {
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be a YAML map of settings',
        'an empty file',
        `Write settings as key: value lines; ${START_FROM}.`,
        { line: 1, column: 1 },
      ),
    );
    return { problems: finish(problems, secrets), warnings: [] };
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
    return { problems: finish(problems, secrets), warnings: [] };
  }
  if (!isRecord(data)) {
    // The value itself is not shown: a file holding only a pasted token would be echoed.
    problems.push(
      problem(
        'INVALID_CONFIG',
        '(root)',
        'be a YAML map of settings',
        kindOf(data),
        `Write settings as key: value lines; ${START_FROM}.`,
        index.locate('', 'value'),
      ),
    );
    return { problems: finish(problems, secrets), warnings: [] };
  }
  removeSecretKeys(data);

  // The same check as in code: validateSpec's shape check comes from the spec's description.
  const semantic = validateSpec(data as unknown as RollbarProvisioningSpec<unknown>, { requireSecretToken: false });
  problems.push(...semantic.map((p) => placed(p, index.locateProblem(p))));

  const all = finish(problems, secrets);
  if (all.length > 0) return { problems: all, warnings: [] };
  const warnings = specWarnings(data as unknown as RollbarProvisioningSpec<unknown>)
    .map((w) => placed(w, index.has(w.path) ? index.locate(w.path, 'value') : {}))
    .sort(byPosition);
  // validateSpec passed, so the spec's literal types hold.
  return { config: data, problems: all, warnings };
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

/** A key written twice in one map. */
type RepeatedKey = SecretKey;

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

  walk(
    node: unknown,
    path: readonly string[],
    secrets: SecretKey[],
    values: SecretValues,
    repeated: RepeatedKey[],
  ): void {
    if (path.length === 0) this.record('', undefined, node);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key: unknown = pair.key;
        const name = isScalar(key) ? scalarText(key.value) : undefined;
        if (name === undefined) continue;
        const p = [...path, name];
        const joined = p.join('.');
        if (seen.has(name)) {
          // The last one wins in the data (as YAML's toJS keeps it); the index keeps the first place.
          repeated.push({ path: joined, offset: rangeOf(key)?.[0] ?? 0 });
        } else {
          seen.add(name);
          this.record(joined, key, pair.value);
        }
        if (isSecretKey(name)) {
          secrets.push({ path: joined, offset: rangeOf(key)?.[0] ?? 0 });
          collectText(pair.value, values);
          continue;
        }
        this.walk(pair.value, p, secrets, values, repeated);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        const p = [...path, String(i)];
        this.record(p.join('.'), undefined, item);
        this.walk(item, p, secrets, values, repeated);
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

  /** Whether the file has a node at `path`. */
  has(path: string): boolean {
    return this.nodes.has(path);
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
    // An assignment key problem, or an unknown key, is about the key itself.
    const aboutKey =
      p.code === 'INVALID_ASSIGNMENT_KEY' ||
      p.code === 'DUPLICATE_ASSIGNMENT' ||
      p.message.startsWith(`${p.path} must be a known setting`);
    return this.locate(p.path, aboutKey ? 'key' : 'value');
  }

  /** 1-based line and column of an offset in the file. */
  at(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }
}

/** The problem at its place in the file, replacing any position it had (such as a column in an expression). */
function placed<T extends Problem | Warning>(p: T, where: { line?: number; column?: number }): T {
  const { line: _line, column: _column, ...rest } = p;
  return { ...rest, ...where } as T;
}

function byPosition(a: { line?: number; column?: number }, b: { line?: number; column?: number }): number {
  return (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
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

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
