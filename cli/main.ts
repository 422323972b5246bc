/**
 * The `rollbar-provisioning` CLI: `validate`, `status`, and the `graph` steps that both engines run (CDKTF
 * through Terraform's external data source and local-exec, Pulumi's dynamic providers through the library).
 * Every step has one implementation, in constructs/graph; this file only dispatches and reports.
 */
import { RollbarProvisioningError } from '../constructs/core';
import { GraphError } from '../constructs/graph';
import { EXIT, type Command } from './command';
import { UsageError } from '../constructs/core/problems';
import { applyMappingsCommand } from './commands/graph-apply-mappings';
import { exportCommand } from './commands/export';
import { logsCommand } from './commands/logs';
import { provisionOnDemandCommand } from './commands/provision-on-demand';
import { restartCommand } from './commands/restart';
import { planCommand } from './commands/graph-plan';
import { planMappingsCommand } from './commands/graph-plan-mappings';
import { resetMappingsCommand } from './commands/graph-reset-mappings';
import { saveCredentialsCommand } from './commands/graph-save-credentials';
import { setProvisioningCommand } from './commands/graph-set-provisioning';
import { graphProvisionOnDemandCommand } from './commands/graph-provision-on-demand';
import { setSsoCommand } from './commands/graph-set-sso';
import { syncTemplateCommand } from './commands/graph-sync-template';
import { statusCommand } from './commands/status';
import { validateCommand } from './commands/validate';
import { createContext, type CliIo } from './context';
import { permissionsHelp } from './permissions';
import { packageVersion } from './version';
import { messageQuotingGraph, oneLine } from './output';

const PROGRAM = 'rollbar-provisioning';

/** Every command, by the words that select it. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  statusCommand,
  provisionOnDemandCommand,
  logsCommand,
  restartCommand,
  exportCommand,
  planCommand,
  syncTemplateCommand,
  saveCredentialsCommand,
  planMappingsCommand,
  applyMappingsCommand,
  resetMappingsCommand,
  graphProvisionOnDemandCommand,
  setProvisioningCommand,
  setSsoCommand,
];

const GRAPH_COMMANDS = COMMANDS.filter((c) => c.name.startsWith('graph '));

const list = (commands: readonly Command[], prefix = ''): string => {
  const width = Math.max(...commands.map((c) => c.name.length - prefix.length)) + 2;
  return commands.map((c) => `  ${c.name.slice(prefix.length).padEnd(width)}${c.summary}`).join('\n');
};

const MAIN_HELP = `Usage: ${PROGRAM} <command> [options]

Microsoft Entra ID provisioning of the Rollbar gallery app: the steps the azuread provider lacks, used by the
CDKTF and Pulumi stacks and by people.

Commands:
${list(COMMANDS)}

Run '${PROGRAM} <command> --help' for a command's input, output, environment and permissions.
'${PROGRAM} --version' prints the version.
Secrets are read from the environment only (ROLLBAR_SECRET_TOKEN, ROLLBAR_GRAPH_TOKEN, ARM_*), never from the
command line, and are never printed.
`;

const GRAPH_HELP = `Usage: ${PROGRAM} graph <step> < input.json

The Microsoft Graph steps of a deployment. Each reads one JSON object on stdin (or ROLLBAR_INPUT) and prints
one flat JSON object of strings on stdout; on failure, a message on stderr and exit code 1.

Steps:
${list(GRAPH_COMMANDS, 'graph ')}

Run '${PROGRAM} graph <step> --help' for the step's fields.
`;

/**
 * Runs the CLI and resolves to the exit code: 0 success, 1 failure (message on stderr), 2 usage error.
 * `io` defaults to the process's streams and environment; tests pass their own.
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const ctx = createContext(
    {
      stdin: io.stdin ?? process.stdin,
      stdout: io.stdout ?? process.stdout,
      stderr: io.stderr ?? process.stderr,
      env: io.env ?? process.env,
      cwd: io.cwd ?? process.cwd(),
      ...(io.inputTimeoutMs !== undefined && { inputTimeoutMs: io.inputTimeoutMs }),
    },
    PROGRAM,
  );
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const words = argv.filter((a) => !a.startsWith('-'));
  if (argv.length === 1 && argv[0] === '--version') {
    ctx.out(`${packageVersion() ?? 'unknown (a bundled copy outside the package)'}\n`);
    return EXIT.ok;
  }
  if (argv.length === 0 || words[0] === 'help' || (wantsHelp && words.length === 0)) {
    const topic = words[0] === 'help' ? words.slice(1) : [];
    return help(topic, ctx.out, ctx.err);
  }
  const command = COMMANDS.find((c) => {
    const parts = c.name.split(' ');
    return parts.every((p, i) => argv[i] === p);
  });
  if (!command) {
    if (argv[0] === 'graph') {
      if (wantsHelp) return help(['graph'], ctx.out, ctx.err);
      // A step is required: Terraform runs these, and a missing one is a bug in the caller, not a request for help.
      ctx.err(
        argv.length === 1
          ? `${PROGRAM}: graph needs a step.\n\n${GRAPH_HELP}`
          : `${PROGRAM}: unknown graph step '${oneLine(argv[1] ?? '')}'.\n\n${GRAPH_HELP}`,
      );
      return EXIT.usage;
    }
    ctx.err(`${PROGRAM}: unknown command '${oneLine(argv[0] ?? '')}'.\n\n${MAIN_HELP}`);
    return EXIT.usage;
  }
  const args = argv.slice(command.name.split(' ').length);
  if (wantsHelp) {
    ctx.out(commandHelp(command));
    return EXIT.ok;
  }
  try {
    return await command.run(args, ctx);
  } catch (e) {
    return report(e, command, ctx.err, ctx.env);
  }
}

function help(topic: readonly string[], out: (text: string) => void, err: (line: string) => void): number {
  if (topic.length === 0) {
    out(MAIN_HELP);
    return EXIT.ok;
  }
  if (topic.length === 1 && topic[0] === 'graph') {
    out(GRAPH_HELP);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === topic.join(' '));
  if (!command) {
    err(`${PROGRAM}: no help for '${oneLine(topic.join(' '))}'.`);
    return EXIT.usage;
  }
  out(commandHelp(command));
  return EXIT.ok;
}

/** A command's --help: its own text, then the least permissions it needs (from the same data as README). */
export function commandHelp(command: Command): string {
  return `${command.help.trimEnd()}\n\n${permissionsHelp(command.permissions)}\n`;
}

/** Expected failures print their message alone; only a bug shows a stack (and only with ROLLBAR_DEBUG=1). */
function report(e: unknown, command: Command, err: (line: string) => void, env: NodeJS.ProcessEnv): number {
  const prefix = `${PROGRAM} ${command.name}`;
  if (e instanceof UsageError) {
    err(`${prefix}: ${oneLine(e.message)}. Run '${PROGRAM} ${command.name} --help'.`);
    return EXIT.usage;
  }
  if (e instanceof GraphError) {
    // Graph wrote the message: one line, cut (Terraform quotes a failed step's output in its error).
    err(`${prefix}: ${messageQuotingGraph(e.message, e.graphMessage)}`);
    return EXIT.failure;
  }
  if (e instanceof RollbarProvisioningError) {
    // Its lines are ours; the values in them are already escaped (showValue).
    err(`${prefix}: ${e.message}`);
    return EXIT.failure;
  }
  const message = e instanceof Error ? e.message : String(e);
  err(`${prefix}: unexpected error: ${oneLine(message)}`);
  if (env.ROLLBAR_DEBUG === '1' && e instanceof Error && e.stack) err(e.stack);
  else err('Set ROLLBAR_DEBUG=1 for details, and report it if it persists.');
  return EXIT.failure;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
