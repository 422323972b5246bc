/**
 * Problems and the one error type. Every validation step returns problems instead of throwing, so that a
 * user sees everything wrong with a configuration at once; the bindings throw one
 * {@link RollbarProvisioningError} that lists them.
 */
import { escapeUnsafe } from './unsafe-text';

/** Stable problem codes. Adding one is a minor change; renaming or removing one is a major change. */
export const PROBLEM_CODES = [
  'DEFAULT_ACCESS_ROLE',
  'UNKNOWN_ROLE',
  'DUPLICATE_ROLE',
  'DUPLICATE_ASSIGNMENT',
  'INVALID_ROLE_VALUE',
  'INVALID_ROLE_ID',
  'DUPLICATE_ROLE_ID',
  'INVALID_OBJECT_ID',
  'INVALID_TEMPLATE_ID',
  'INVALID_PRINCIPAL_TYPE',
  'INVALID_ASSIGNMENT_KEY',
  'INVALID_EMAIL',
  'INVALID_URL',
  'INVALID_THRESHOLD',
  'INVALID_SCOPE',
  'INVALID_DISPLAY_NAME',
  'UNSAFE_CHARACTER',
  'MISSING_SECRET_TOKEN',
  'SECRET_TOKEN_LITERAL',
  'SECRET_IN_CONFIG',
  'INVALID_CONFIG',
  'CONFIG_NOT_FOUND',
  'INVALID_EXPRESSION',
  'UNKNOWN_FUNCTION',
  'WRONG_ARITY',
  'INVALID_MATCHING_PRIORITY',
  'NO_MATCHING_ATTRIBUTE',
  'DUPLICATE_MATCHING_PRIORITY',
  'UNKNOWN_TARGET_ATTRIBUTE',
  'UNKNOWN_SOURCE_ATTRIBUTE',
  'UNKNOWN_OBJECT_MAPPING',
  'UNKNOWN_FILTER_OPERATOR',
  'INVALID_FILTER',
  'INVALID_JOB_ID',
  'INVALID_INPUT',
  'TENANT_MISMATCH',
  'SYNC_TEMPLATE_NOT_FOUND',
  'AMBIGUOUS_SYNC_TEMPLATE',
  'SYNC_JOB_NOT_FOUND',
  'SEVERAL_SYNC_JOBS',
  'CLI_BUNDLE_UNAVAILABLE',
  'GRAPH_BUNDLE_UNAVAILABLE',
  'UNKNOWN_CLOUD',
  'GRAPH_ENDPOINT_NOT_ALLOWED',
  'INVALID_GRAPH_TOKEN',
  'JOB_BUSY',
  'TOO_MANY_DELETES',
  'SYNC_RULE_NOT_FOUND',
  'AMBIGUOUS_SYNC_RULE',
  'INVALID_RESET_SCOPE',
  'CONFIRMATION_REQUIRED',
  'CANARY_FAILED',
  'CANARY_NOT_ENTITLED',
  'INVALID_ACCOUNT_NAME',
  'INVALID_DATE',
  'INVALID_CERTIFICATE_KEY',
  'UNKNOWN_SIGNING_CERTIFICATE',
  'TOO_MANY_EMAILS',
  'GRAPH_HTTP_ERROR',
  'GRAPH_TIMEOUT',
  'GRAPH_NETWORK_ERROR',
  'GRAPH_MALFORMED_RESPONSE',
  'GRAPH_RESPONSE_TOO_LARGE',
  'GRAPH_REDIRECT_REFUSED',
  'GRAPH_CREDENTIAL_UNAVAILABLE',
  'INVALID_ARGUMENT',
] as const;

/** A stable, SCREAMING_SNAKE problem code. */
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One thing wrong with the input. */
export interface Problem {
  /** Stable code, for programs and tests. */
  readonly code: ProblemCode;
  /** Where: a dotted path into the spec, such as `assignments.platform-team.role`. */
  readonly path: string;
  /** What is wrong and how to fix it. Never contains a secret value. */
  readonly message: string;
  /** 1-based line in the configuration file, when known. */
  readonly line?: number;
  /** 1-based column (in the file, or in an expression), when known. */
  readonly column?: number;
}

/** Marks a value that must never be shown in a message. */
export const REDACTED: unique symbol = Symbol('redacted');

const MAX_SHOWN = 80;

/**
 * Formats a value for a message, shortened, on one line: control characters and bidirectional overrides are
 * written as `\uXXXX` (a value from a file must not move the cursor of the terminal that prints it, nor start a
 * line of its own); secrets are never shown.
 */
export function showValue(value: unknown): string {
  if (value === REDACTED) return '<redacted>';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? typeof value;
    } catch {
      text = typeof value;
    }
  }
  const shown = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN - 1)}…` : text;
  return escapeUnsafe(shown);
}

/**
 * Builds a problem whose message reads `<path> must <rule>, got '<value>'. <fix>`.
 * Pass {@link REDACTED} as the value of anything secret.
 */
export function problem(
  code: ProblemCode,
  path: string,
  rule: string,
  value: unknown,
  fix: string,
  where: { line?: number; column?: number } = {},
): Problem {
  const message = `${path} must ${rule}, got '${showValue(value)}'. ${fix}`;
  return { code, path, message, ...where };
}

// `instanceof` by brand, not by prototype: the Pulumi providers load the graph module as a bundle that carries its
// own copy of this class, and an error thrown there must still be a RollbarProvisioningError to the caller.
const ERROR_BRAND = Symbol.for('rollbar-provisioning:RollbarProvisioningError');

/**
 * The one error family of this library: every problem of the input, each with a code, path and fix. A failed
 * Microsoft Graph call (`GraphError`, codes `GRAPH_*`) and a command-line mistake (`INVALID_ARGUMENT`) are of it too.
 */
export class RollbarProvisioningError extends Error {
  /** True for an error of this class from any copy of this package (a bundle, another install). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }

  /** Every problem found. */
  readonly problems: readonly Problem[];

  /**
   * @param problems every problem found
   * @param summary the head line above the list (default: "Invalid Rollbar provisioning configuration (n problems)")
   * @param options `message`: the whole message instead of the head line and the list, when one sentence says it
   *   better (a Graph failure, a command-line mistake)
   */
  constructor(problems: readonly Problem[], summary?: string, options: { readonly message?: string } = {}) {
    const head =
      summary ??
      `Invalid Rollbar provisioning configuration (${problems.length} problem${problems.length === 1 ? '' : 's'})`;
    super(
      options.message ?? [`${head}:`, ...problems.map((p) => `  - [${p.code}] ${p.message}${where(p)}`)].join('\n'),
    );
    this.name = 'RollbarProvisioningError';
    this.problems = problems;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /** The codes, in order, for tests and programs. */
  get codes(): ProblemCode[] {
    return this.problems.map((p) => p.code);
  }
}

const USAGE_BRAND = Symbol.for('rollbar-provisioning:UsageError');

/**
 * A mistake in the command line itself (an unknown option, a missing value): the CLI, `npm run synth` and
 * `npm run bench` print its message with a pointer to their help and exit with 2.
 */
export class UsageError extends RollbarProvisioningError {
  /** True for a UsageError only: without its own brand, every RollbarProvisioningError would pass the parent's test. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[USAGE_BRAND] === true;
  }

  /** @param message one sentence: what is wrong with the arguments, such as `--max needs a value` */
  constructor(message: string) {
    super([{ code: 'INVALID_ARGUMENT', path: '(command line)', message }], undefined, { message });
    this.name = 'UsageError';
    Object.defineProperty(this, USAGE_BRAND, { value: true });
  }
}

function where(p: Problem): string {
  if (p.line === undefined) return '';
  return p.column === undefined ? ` (line ${p.line})` : ` (line ${p.line}, column ${p.column})`;
}

/** Throws one {@link RollbarProvisioningError} when there is any problem. */
export function throwIfProblems(problems: readonly Problem[], summary?: string): void {
  if (problems.length > 0) throw new RollbarProvisioningError(problems, summary);
}

/**
 * One problem (or, with `label`, a warning) as a line for people: `file:line:column: [warning: ]CODE: message`
 * (the position when known). A message names
 * its path first (as every problem of this package does); one that does not gets `at <path>` after the code.
 */
export function formatProblem(
  p: Omit<Problem, 'code'> & { readonly code: string },
  file?: string,
  label?: 'warning',
): string {
  const position = [file, p.line, p.line === undefined ? undefined : p.column].filter((x) => x !== undefined).join(':');
  const where = p.message.startsWith(p.path) ? '' : ` at ${p.path}`;
  return `${position === '' ? '' : `${position}: `}${label === undefined ? '' : `${label}: `}${p.code}${where}: ${p.message}`;
}
