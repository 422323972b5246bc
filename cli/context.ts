import { redactText } from '../constructs/core/redact';
import { escapeUnsafe } from '../constructs/core/unsafe-text';
import { createGraphClient, type GraphClient } from '../constructs/graph';
import { oneLine } from './output';

/** Where the CLI reads and writes; `main` uses the process's, tests pass their own. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * How long a `graph` step waits for stdin to end.
   * @default INPUT_TIMEOUT_MS (5 s); tests pass less
   */
  readonly inputTimeoutMs?: number;
}

/** What a command gets: redacting writers, the environment, and a Graph client factory. */
export interface CliContext {
  readonly io: CliIo;
  readonly env: NodeJS.ProcessEnv;
  /** Writes text to stdout (secrets redacted, control characters but newlines escaped). */
  readonly out: (text: string) => void;
  /** Writes one line to stderr (secrets redacted, control characters but newlines escaped). */
  readonly err: (line: string) => void;
  /** A progress line on stderr, prefixed with the program name (one line: newlines escaped too). */
  readonly progress: (line: string) => void;
  /** A Graph client configured from the environment, refusing tokens of another tenant than `tenantId`. */
  readonly graph: (tenantId: string | undefined) => GraphClient;
}

/** The variables whose values must never be written, whatever the CLI prints. */
export const SECRET_VARIABLES = [
  'ROLLBAR_SECRET_TOKEN',
  'ROLLBAR_GRAPH_TOKEN',
  'ARM_CLIENT_SECRET',
  'ARM_CLIENT_CERTIFICATE_PASSWORD',
  'ARM_OIDC_TOKEN',
  'ARM_OIDC_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
] as const;

/**
 * Builds the context. Every line written goes through redaction (defence in depth behind the error scrubbing),
 * then has its control characters escaped, whatever their source: no byte that a terminal obeys (ESC, CR, an OSC
 * or 8-bit CSI sequence) reaches stdout or stderr raw, only the newline that ends a line.
 */
export function createContext(io: CliIo, program: string): CliContext {
  const secrets = SECRET_VARIABLES.flatMap((name) => {
    const v = io.env[name];
    // The JSON-escaped form too: a token with a quote or backslash appears escaped in JSON output.
    return v === undefined || v === '' ? [] : [v, JSON.stringify(v).slice(1, -1)];
  });
  const scrub = (text: string): string => escapeUnsafe(redactText(text, secrets), '\n');
  const err = (line: string): void => {
    io.stderr.write(`${scrub(line)}\n`);
  };
  const progress = (line: string): void => err(`${program}: ${oneLine(line)}`);
  return {
    io,
    env: io.env,
    out: (text) => {
      io.stdout.write(scrub(text));
    },
    err,
    progress,
    graph: (tenantId) =>
      createGraphClient({
        env: io.env,
        log: progress,
        ...(tenantId !== undefined && { tenantId }),
      }),
  };
}
