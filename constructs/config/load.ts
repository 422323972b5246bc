/**
 * The configuration file, `rollbar.yaml`: read and validated the same way for both stacks, the CLI's `validate`
 * and library users (`rollbar-provisioning/config`). The file's data goes through `validateSpec`, whose shape
 * check comes from the spec's one description, so a mistake gets the same code, path and fix as in code. Every
 * problem is reported at once, each with its path and, where the file has the node, its line and column.
 * Imports no engine: the CLI uses it without cdktf or Pulumi.
 */
import { readFileSync } from 'node:fs';
import * as nodePath from 'node:path';
import { problem, REDACTED, RollbarProvisioningError, type Problem } from '../core/problems';
import type { RollbarProvisioningSpec } from '../core/spec';
import { MIN_REDACTED_LENGTH, redactText } from '../core/redact';
import { validateSpec } from '../core/validate';
import { specWarnings, type Warning } from '../core/warnings';
import { isSecretKey } from './secret-key';
import { readWithYaml, type NodePosition, type PathIndex } from './yaml-document';
import { readYamlSubset, type SubsetRead } from './yaml-subset';

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
  return checkConfigTextWith(input, readYamlSubset);
}

/**
 * {@link checkConfigText} with the fast reader given: `readYamlSubset`, or (in the tests that compare the two
 * paths) one that always steps aside, so that yaml reads every file. Not part of the package's API.
 */
export function checkConfigTextWith(
  input: string | Uint8Array,
  readSubset: (text: string) => SubsetRead | undefined,
): ConfigCheck {
  const decoded = decode(input);
  if (typeof decoded !== 'string') return { problems: [decoded], warnings: [] };
  const text = decoded.replace(/^\uFEFF/, '');
  const secrets = new SecretValues(text);

  // Most files are in the subset of YAML that readYamlSubset reads (it holds no secret key and no syntax error);
  // every other file is read by yaml, which reports what is wrong with it.
  const subset = readSubset(text);
  if (subset !== undefined) {
    let index: NodeIndex | undefined;
    const locate = (): NodeIndex => (index ??= new NodeIndex(subset.index()));
    return checkData(subset.data, subset.repeated ? repeatedKeys(locate()) : [], secrets, locate);
  }

  const { doc, index: paths } = readWithYaml(text, (t) => secrets.add(t));
  const index = new NodeIndex(paths);
  const found = paths.secretKeys;
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
  problems.push(...repeatedKeys(index));
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
  return checkData(data, problems, secrets, () => index);
}

/** The problems of keys written twice in one map. */
function repeatedKeys(index: NodeIndex): Problem[] {
  return index.paths.repeated.map((r) =>
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

/**
 * The checks of the file's data, a map without secret keys, after the problems found while reading it. The index
 * is asked for only to place problems and warnings.
 */
function checkData(
  data: Record<string, unknown>,
  problems: Problem[],
  secrets: SecretValues,
  locate: () => NodeIndex,
): ConfigCheck {
  // The same check as in code: validateSpec's shape check comes from the spec's description.
  const semantic = validateSpec(data as unknown as RollbarProvisioningSpec<unknown>, { requireSecretToken: false });
  if (problems.length > 0 || semantic.length > 0) {
    const index = locate();
    problems.push(...semantic.map((p) => placed(p, index.locateProblem(p))));
    return { problems: finish(problems, secrets), warnings: [] };
  }
  const found = specWarnings(data as unknown as RollbarProvisioningSpec<unknown>);
  const index = found.length > 0 ? locate() : undefined;
  const warnings = found
    .map((w) => placed(w, index?.has(w.path) === true ? index.locate(w.path, 'value') : {}))
    .sort(byPosition);
  // validateSpec passed, so the spec's literal types hold.
  return { config: data, problems: [], warnings };
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

/** Every text that may be a secret value in the file; no message may contain one. */
class SecretValues {
  private readonly values = new Set<string>();
  private readonly lines = new Set<number>();

  constructor(text: string) {
    // From the raw text too: a file that does not parse still must not echo the token in a syntax error.
    // A key below is letters, `_` and `-`; without those letters of secretToken in a row, no line has one.
    if (!/s[_-]*e[_-]*c[_-]*r[_-]*e[_-]*t[_-]*t[_-]*o[_-]*k[_-]*e[_-]*n/i.test(text)) return;
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

/** Where each path of the document is, to put a line and column on every problem. */
class NodeIndex {
  private readonly nodes: ReadonlyMap<string, NodePosition>;

  constructor(readonly paths: PathIndex) {
    this.nodes = paths.nodes;
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
    const { line, col } = this.paths.lines.linePos(offset);
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

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return `a ${typeof value}`;
}
