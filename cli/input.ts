import {
  DEFAULTS,
  resolveSpec,
  RollbarProvisioningError,
  validateSpec,
  type CredentialSettings,
  type MappingsSpec,
  type Problem,
  type RollbarProvisioningSpec,
} from '../constructs/core';
import { CREDENTIAL_SETTING_KEYS } from '../constructs/core/description';
import { problem } from '../constructs/core/problems';
import { unknownKeyProblem } from '../constructs/core/shape';
import type { CliIo } from './context';

/**
 * The JSON input of a `graph` command: in ROLLBAR_INPUT when it is set (Terraform's local-exec gives no stdin, and
 * then stdin is not read at all: an open stdin that some runners leave must neither hang nor override it), else one
 * object on stdin (Terraform's external data source writes it there and closes it). A stdin that does not end
 * within {@link INPUT_TIMEOUT_MS} stops the step with a message saying how to pass input.
 */
export async function readInput(io: CliIo): Promise<Record<string, unknown>> {
  const fromEnv = io.env.ROLLBAR_INPUT;
  const hasEnv = fromEnv !== undefined && fromEnv.trim() !== '';
  const source = hasEnv ? 'ROLLBAR_INPUT' : 'stdin';
  // A terminal is a person who did not pipe anything: say so at once rather than wait for typing.
  const text = hasEnv ? fromEnv : io.stdin.isTTY ? '' : await readAll(io.stdin, io.inputTimeoutMs ?? INPUT_TIMEOUT_MS);
  if (text.trim() === '') {
    throw inputError(
      '(input)',
      'be one JSON object on stdin or in ROLLBAR_INPUT',
      'nothing',
      `Pipe it in: echo '{"servicePrincipalId":"…"}' | rollbar-provisioning graph … (see --help for the fields).`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // JSON.parse's message quotes the input around the mistake, and the input may be a token pasted in the wrong
    // place: only where the mistake is, never what is there, is shown.
    throw inputError(
      '(input)',
      `be valid JSON (read from ${source})`,
      `text that is not JSON${jsonErrorPosition(text, e)}`,
      'Send one JSON object such as {"servicePrincipalId":"…"}.',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw inputError(
      '(input)',
      `be a JSON object (read from ${source})`,
      parsed === null ? 'null' : Array.isArray(parsed) ? 'a list' : `a ${typeof parsed}`,
      'Wrap the fields in { }.',
    );
  }
  return parsed as Record<string, unknown>;
}

/**
 * ` at line L, column C` of a JSON syntax error, when the parser's message gives its offset (`at position N`),
 * or ` (unexpected end)` when the text stops early; nothing else of the message, which quotes the input.
 */
function jsonErrorPosition(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const offset = /\bposition (\d+)/.exec(message)?.[1];
  if (offset !== undefined) {
    const before = text.slice(0, Number(offset));
    const line = before.split('\n').length;
    return ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
  }
  return /end of (JSON )?input/i.test(message) ? ' (it ends too early)' : '';
}

/** How long stdin may take to deliver its whole input (and end): generous for a pipe, short for a hung runner. */
export const INPUT_TIMEOUT_MS = 5_000;

/** Reads a stream to its end, or fails when it has not ended within `timeoutMs` (data arriving does not extend it). */
function readAll(stream: NodeJS.ReadableStream, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const cleanup = (): void => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onError);
      stream.pause();
    };
    const onData = (chunk: Buffer | string): void => {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(
        inputError(
          '(input)',
          `arrive complete on stdin within ${timeoutMs / 1000} s (stdin stayed open${chunks.length > 0 ? ' after a partial input' : ''})`,
          'an unfinished stdin',
          "Close stdin after the JSON (echo '{…}' | rollbar-provisioning graph …, or < input.json), or pass the JSON in ROLLBAR_INPUT, which is read instead of stdin.",
        ),
      );
    }, timeoutMs);
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.resume();
  });
}

/** A problem with the command input. */
export function inputError(path: string, rule: string, value: unknown, fix: string): RollbarProvisioningError {
  return new RollbarProvisioningError([problem('INVALID_INPUT', path, rule, value, fix)], 'Invalid command input');
}

/** Reads the fields of one command's input, collecting every problem before throwing once. */
export class InputReader {
  private readonly problems: Problem[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly input: Record<string, unknown>) {}

  /** A required non-empty string. */
  string(name: string, fix: string): string {
    this.used.add(name);
    const v = this.input[name];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
    this.problems.push(problem('INVALID_INPUT', name, 'be a non-empty string', v, fix));
    return '';
  }

  /** An optional string (empty counts as absent: Terraform passes unknown values as ""). */
  optionalString(name: string): string | undefined {
    this.used.add(name);
    const v = this.input[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'string') return v.trim();
    this.problems.push(problem('INVALID_INPUT', name, 'be a string', v, 'Pass it as a JSON string.'));
    return undefined;
  }

  /** A boolean, given as JSON true/false or as the strings "true"/"false" (the external protocol passes strings). */
  boolean(name: string, fallback?: boolean): boolean {
    this.used.add(name);
    const v = this.input[name];
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
    if ((v === undefined || v === '') && fallback !== undefined) return fallback;
    this.problems.push(
      problem('INVALID_INPUT', name, 'be true or false', v, `Pass "${name}": true or "${name}": false.`),
    );
    return fallback ?? false;
  }

  /** An object, given as JSON or as a JSON string of one (the external protocol passes strings). */
  object(name: string, required: boolean): Record<string, unknown> | undefined {
    this.used.add(name);
    let v = this.input[name];
    if ((v === undefined || v === '' || v === null) && !required) return undefined;
    if (typeof v === 'string') {
      try {
        v = JSON.parse(v);
      } catch {
        this.problems.push(
          problem('INVALID_INPUT', name, 'be an object or a JSON string of one', v, 'Pass valid JSON.'),
        );
        return undefined;
      }
    }
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
    this.problems.push(
      problem(
        'INVALID_INPUT',
        name,
        'be an object or a JSON string of one',
        v,
        required ? `Pass "${name}": {…}.` : `Pass "${name}": {…} or leave it out.`,
      ),
    );
    return undefined;
  }

  /** Adds problems found by a deeper check. */
  add(problems: readonly Problem[]): void {
    this.problems.push(...problems);
  }

  /** Throws every problem at once, including fields this command does not know (a typo must not pass silently). */
  finish(fields: readonly string[]): void {
    for (const key of Object.keys(this.input)) {
      if (!this.used.has(key)) {
        this.problems.push(
          problem(
            'INVALID_INPUT',
            key,
            'be a field of this command',
            key,
            `Remove it; the fields are: ${fields.join(', ')}.`,
          ),
        );
      }
    }
    if (this.problems.length > 0) {
      const n = this.problems.length;
      throw new RollbarProvisioningError(this.problems, `Invalid command input (${n} problem${n === 1 ? '' : 's'})`);
    }
  }
}

/**
 * The credential settings of the input, checked with the spec's own checks (validateSpec: the shape from the
 * spec's description, then the value rules) and completed with its defaults (resolveSpec), so the CLI saves
 * exactly what an engine would, and a mistake gets the code and fix it gets in rollbar.yaml, at `settings.<path>`.
 */
export function credentialSettings(reader: InputReader, raw: Record<string, unknown> | undefined): CredentialSettings {
  const settings = raw ?? {};
  const unknown = Object.keys(settings).filter((k) => !CREDENTIAL_SETTING_KEYS.includes(k));
  const known = Object.fromEntries(Object.entries(settings).filter(([k]) => CREDENTIAL_SETTING_KEYS.includes(k)));
  const spec = known as unknown as RollbarProvisioningSpec<unknown>;
  const problems = [
    ...unknown.map((k) => unknownKeyProblem(k, k, CREDENTIAL_SETTING_KEYS)),
    ...validateSpec(spec, { requireSecretToken: false }),
  ].map((p) => ({ ...p, path: `settings.${p.path}`, message: `settings.${p.message}` }));
  reader.add(problems);
  if (problems.length > 0) {
    return {
      accidentalDeletionThreshold: DEFAULTS.accidentalDeletionThreshold,
      scope: DEFAULTS.scope,
      skipOutOfScopeDeletions: false,
    };
  }
  return resolveSpec({ ...(known as Omit<RollbarProvisioningSpec<string>, 'secretToken'>), secretToken: '' }).settings;
}

/**
 * The mappings patch of the input, checked offline with the spec's own checks (shape, expressions, priorities…):
 * the input's field is named `mappings`, so each problem has the path it has in rollbar.yaml.
 */
export function mappingsSpec(reader: InputReader, raw: Record<string, unknown> | undefined): MappingsSpec {
  const mappings = (raw ?? {}) as MappingsSpec;
  const spec = { mappings } as unknown as RollbarProvisioningSpec<unknown>;
  reader.add(validateSpec(spec, { requireSecretToken: false }));
  return mappings;
}

/** The fields of the job every `graph` job step acts on. */
export const JOB_TARGET_FIELDS = ['servicePrincipalId', 'jobId', 'tenantId'] as const;

/** Reads {@link JOB_TARGET_FIELDS}: the job, and the tenant the caller expects the token to belong to. */
export function jobTarget(reader: InputReader): {
  readonly job: { readonly servicePrincipalId: string; readonly jobId: string };
  readonly tenantId: string | undefined;
} {
  const servicePrincipalId = reader.string('servicePrincipalId', 'Pass the Rollbar service principal object id.');
  const jobId = reader.string('jobId', 'Pass the synchronization job id.');
  return { job: { servicePrincipalId, jobId }, tenantId: reader.optionalString('tenantId') };
}
