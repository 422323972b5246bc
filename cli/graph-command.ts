import type { GraphClient } from '../constructs/graph';
import { parseArgs } from './args';
import { EXIT, type Command } from './command';
import type { CliContext } from './context';
import type { CommandPermissions } from './permissions';
import { InputReader, readInput } from './input';

/** A field of a `graph` command's input or output, for --help. */
export interface FieldDoc {
  readonly name: string;
  readonly doc: string;
}

/** The input fields every `graph` command shares. */
export const SERVICE_PRINCIPAL_FIELD: FieldDoc = {
  name: 'servicePrincipalId',
  doc: 'required. The Rollbar service principal: its object id, or /servicePrincipals/{objectId}.',
};
export const TENANT_FIELD: FieldDoc = {
  name: 'tenantId',
  doc: 'optional. The tenant the stack manages: the step refuses to act with a Graph token of another tenant.',
};
export const JOB_FIELD: FieldDoc = { name: 'jobId', doc: 'required. The synchronization job id.' };
export const MAPPINGS_FIELD: FieldDoc = {
  name: 'mappings',
  doc: "required object (or JSON string): the spec's mappings ({} means Rollbar's defaults)",
};

/** The environment every `graph` command reads. */
export const GRAPH_ENV_HELP = `Environment:
  ROLLBAR_INPUT                    the input JSON; when set, stdin is not read (Terraform local-exec);
                                   without it, stdin must deliver the JSON and close within 5 s
  ROLLBAR_GRAPH_URL                Graph root URL: https on the Graph host of the cloud in use, or a loopback
                                   emulator (http allowed); default: the Graph host of ARM_ENVIRONMENT
  ROLLBAR_GRAPH_ALLOW_HOST         one more host ROLLBAR_GRAPH_URL or ROLLBAR_AUTHORITY_HOST may name (https),
                                   exactly as written; every other host is refused before any request
  ROLLBAR_AUTHORITY_HOST           sign-in authority (default: the cloud's), under the same rule
  ROLLBAR_GRAPH_TOKEN              a bearer token for Graph; when unset, @azure/identity signs in with the
                                   azuread provider's ARM_* settings:
                                     ARM_TENANT_ID + ARM_CLIENT_ID + ARM_CLIENT_SECRET (client secret)
                                     ARM_CLIENT_CERTIFICATE_PATH [+ ARM_CLIENT_CERTIFICATE_PASSWORD] (PEM)
                                     ARM_USE_OIDC + ARM_OIDC_TOKEN | ARM_OIDC_TOKEN_FILE_PATH | GitHub Actions
                                     ARM_USE_MSI [+ ARM_CLIENT_ID] (managed identity)
                                     otherwise the Azure CLI (az login)
  ARM_ENVIRONMENT                  the cloud, as the azuread provider names it: global (public), usgovernment
                                   (usgovernmentl4), dod (usgovernmentl5), china: the Graph host and authority
  ROLLBAR_GRAPH_TIMEOUT_MS         timeout of one Graph request (default 60000; 100..600000)
  ROLLBAR_GRAPH_MAX_RETRIES        retries on 429/5xx (not 501/505)/timeouts (default 4; 0..10)
  ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS  cap of one wait between retries, Retry-After included (default 300000,
                                   5 min; 0..900000); each wait is printed on stderr
  ROLLBAR_GRAPH_REPLICATION_WAIT_MS  how long a step waits for a service principal created moments ago to
                                   appear in the synchronization API (404/403/409, no template; default 120000;
                                   0..900000)
  Values outside a range are clamped, and the clamp is printed on stderr.`;

const HELP_WIDTH = 110;

/** Word-wraps `text` to `width` columns, indenting continuation lines. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

/** Builds a `graph` subcommand: JSON object in (stdin or ROLLBAR_INPUT), one flat JSON object of strings out. */
export function graphCommand(def: {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly inputs: readonly FieldDoc[];
  readonly outputs: readonly FieldDoc[];
  readonly extraEnv?: string;
  readonly example: string;
  /** The least Graph permissions the step needs. */
  readonly permissions: CommandPermissions;
  /** Reads the input (through `reader`) and runs the step. */
  run(
    reader: InputReader,
    ctx: CliContext,
    graph: (tenantId: string | undefined) => GraphClient,
  ): Promise<Record<string, string>>;
}): Command {
  const width = Math.max(...[...def.inputs, ...def.outputs].map((f) => f.name.length)) + 2;
  const list = (fields: readonly FieldDoc[]): string =>
    fields
      .map((f) => `  ${f.name.padEnd(width)}${wrap(f.doc, HELP_WIDTH - width - 2, ' '.repeat(width + 2))}`)
      .join('\n');
  const help = `Usage: rollbar-provisioning ${def.name} < input.json

${def.description}

Reads one JSON object from ROLLBAR_INPUT when it is set, else on stdin, and prints one flat JSON object of
strings on stdout (Terraform's external program protocol). Objects may be given as JSON strings. On failure it
prints the reason (Graph's message included) on stderr and exits 1.

Input fields:
${list(def.inputs)}

Output fields (all strings):
${list(def.outputs)}

${def.extraEnv ? `${def.extraEnv}\n\n` : ''}${GRAPH_ENV_HELP}

Example:
  ${def.example}
`;
  return {
    name: def.name,
    summary: def.summary,
    help,
    permissions: def.permissions,
    async run(args, ctx) {
      parseArgs(args, { maxPositional: 0 });
      const input = await readInput(ctx.io);
      const reader = new InputReader(input);
      const output = await def.run(reader, ctx, (tenantId) => ctx.graph(tenantId));
      ctx.out(`${JSON.stringify(output)}\n`);
      return EXIT.ok;
    },
  };
}
