/**
 * Stand-in for hashicorp/external 2.3.5: the `external` data source, behaving as the real one does
 * (hashicorp/terraform-provider-external `internal/provider/data_source.go`, and its documentation
 * `docs/data-sources/external.md`): the program (not run through a shell; found on PATH like Go's
 * exec.LookPath, with the provider's `$SHELL -i -c` fallback when it is not found) reads `query` as one JSON
 * object on stdin (null elements left out), runs in `working_dir` (else the current directory), and must
 * print one JSON object of string values; `id` is always "-". A non-zero exit fails with the program's stderr;
 * output that is not a JSON object of strings fails as "Unexpected External Program Results". The summaries
 * and details are the real provider's; the `Result Error` line imitates Go's encoding/json messages.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Value } from '../../plugin/cty';
import { ProviderError, providerRpcs, type ObjectValue } from '../../plugin/provider';
import { serve } from '../../plugin/serve';

const LOOKUP_DETAIL = `The data source received an unexpected error while attempting to parse the query. The data source received an unexpected error while attempting to find the program.

The program must be accessible according to the platform where Terraform is running.

If the expected program should be automatically found on the platform where Terraform is running, ensure that the program is in an expected directory. On Unix-based platforms, these directories are typically searched based on the '$PATH' environment variable. On Windows-based platforms, these directories are typically searched based on the '%PATH%' environment variable.

If the expected program is relative to the Terraform configuration, it is recommended that the program name includes the interpolated value of 'path.module' before the program name to ensure that it is compatible with varying module usage. For example: "\${path.module}/my-program"

The program must also be executable according to the platform where Terraform is running. On Unix-based platforms, the file on the filesystem must have the executable bit set. On Windows-based platforms, no action is typically necessary.
`;

const RESULTS_DETAIL = `The data source received unexpected results after executing the program.

Program output must be a JSON encoded map of string keys and string values.

If the error is unclear, the output can be viewed by enabling Terraform's logging at TRACE level. Terraform documentation on logging: https://www.terraform.io/internals/debugging
`;

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Go's exec.LookPath: a name with a slash is used as given, else the first executable on PATH. */
function lookPath(file: string): { path: string } | { error: string } {
  if (file.includes('/')) {
    return isExecutableFile(file)
      ? { path: file }
      : { error: `exec: "${file}": stat ${file}: no such file or directory` };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir === '' ? '.' : dir, file);
    if (isExecutableFile(candidate)) return { path: candidate };
  }
  return { error: `exec: "${file}": executable file not found in $PATH` };
}

/** What Go's json.Unmarshal into map[string]string says about output it cannot take. */
function parseResult(stdout: string): Record<string, string> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    const first = stdout.trimStart()[0];
    return first === undefined
      ? 'unexpected end of JSON input'
      : `invalid character '${first}' looking for beginning of value`;
  }
  if (parsed === null) return {};
  const kind = (v: unknown): string =>
    Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'boolean' ? 'bool' : typeof v;
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    return `json: cannot unmarshal ${kind(parsed)} into Go value of type map[string]string`;
  }
  const result: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
    if (v === null) result[k] = '';
    else if (typeof v === 'string') result[k] = v;
    else return `json: cannot unmarshal ${kind(v)} into Go struct field .${k} of type string`;
  }
  return result;
}

function run(program: string, args: string[], cwd: string | undefined, stdin: string) {
  return new Promise<{ stdout: string; stderr: string; state: string | undefined }>((resolve) => {
    const child = spawn(program, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => resolve({ stdout: '', stderr: '', state: e.message }));
    child.on('close', (code, signal) =>
      resolve({
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        state: signal !== null ? `signal: ${signal}` : code !== 0 ? `exit status ${code}` : undefined,
      }),
    );
    child.stdin.on('error', () => undefined); // a program that does not read stdin
    child.stdin.end(stdin);
  });
}

async function readExternal(config: ObjectValue): Promise<ObjectValue> {
  const program = ((config.program as Value[] | null) ?? []).filter(
    (a): a is string => typeof a === 'string' && a !== '',
  );
  if (program.length === 0) {
    throw new ProviderError(
      'External Program Missing',
      'The data source was configured without a program to execute. Verify the configuration contains at least one non-empty value.',
      'program',
    );
  }
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries((config.query as Record<string, Value> | null) ?? {})) {
    if (typeof v === 'string') query[k] = v;
  }
  let [command, ...args] = program as [string, ...string[]];
  const found = lookPath(command);
  let resolved = 'path' in found ? found.path : undefined;
  if (resolved === undefined) {
    const shell = process.env.SHELL ?? '';
    if (['bash', 'fish', 'zsh', 'ksh', 'ash', 'sh', 'dash'].some((s) => shell.endsWith(`/${s}`))) {
      args = ['-i', '-c', '--', program.join(' ')];
      command = shell;
      resolved = shell;
    } else {
      throw new ProviderError(
        'External Program Lookup Failed',
        `${LOOKUP_DETAIL}\nPlatform: ${process.platform}\nProgram: ${program[0]}\nError: ${'error' in found ? found.error : ''}`,
        'program',
      );
    }
  }
  const workingDir =
    typeof config.working_dir === 'string' && config.working_dir !== '' ? config.working_dir : undefined;
  const result = await run(resolved, args, workingDir, JSON.stringify(query));
  if (result.state !== undefined) {
    throw new ProviderError(
      'External Program Execution Failed',
      result.stderr.length > 0
        ? `The data source received an unexpected error while attempting to execute the program.\n\nProgram: ${resolved}\nError Message: ${result.stderr}\nState: ${result.state}`
        : `The data source received an unexpected error while attempting to execute the program.\n\nThe program was executed, however it returned no additional error messaging.\n\nProgram: ${resolved}\nState: ${result.state}`,
      'program',
    );
  }
  const parsed = parseResult(result.stdout);
  if (typeof parsed === 'string') {
    throw new ProviderError(
      'Unexpected External Program Results',
      `${RESULTS_DETAIL}\nProgram: ${resolved}\nResult Error: ${parsed}`,
      'program',
    );
  }
  return { result: parsed, id: '-' };
}

serve(
  providerRpcs({
    schema: { block: { attributes: {} } },
    configure: () => undefined,
    resources: {},
    dataSources: {
      external: {
        schema: {
          block: {
            attributes: {
              program: { type: ['list', 'string'], required: true },
              working_dir: { type: 'string', optional: true },
              query: { type: ['map', 'string'], optional: true },
              result: { type: ['map', 'string'], computed: true },
              id: { type: 'string', computed: true },
            },
          },
        },
        validate: (config) => {
          // listvalidator.SizeAtLeast(1), checked once the list is known.
          const program = config.program;
          if (Array.isArray(program) && program.length === 0) {
            throw new ProviderError(
              'Invalid Attribute Value',
              'Attribute program list must contain at least 1 elements, got: 0',
              'program',
            );
          }
        },
        read: readExternal,
      },
    },
  }),
);
