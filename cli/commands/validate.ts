import * as nodePath from 'node:path';
import { formatProblem, RollbarProvisioningError, type Problem } from '../../constructs/core';
import { parseArgs } from '../args';
import { EXIT, type Command } from '../command';

/** `validate [file]`: offline validation of a configuration file. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a configuration file offline (every problem at once)',
  help: `Usage: rollbar-provisioning validate [file] [--json]

Checks a configuration file (rollbar.yaml) offline, with the rules both stacks apply: its shape, every
value, role and assignment rules, mapping expressions and scoping filters. Nothing is sent anywhere.
Prints every problem (file:line:column, code, path and message) on stderr and exits 1; prints one OK line and
exits 0 when the file is valid.

Arguments:
  file     the configuration file (default: ROLLBAR_CONFIG, else rollbar.yaml in the working directory)

Options:
  --json   print {"ok": true|false, "file": …, "problems": [{code, path, message, line, column}]} on stdout

Environment:
  ROLLBAR_CONFIG   the default file
`,
  async run(args, ctx) {
    // Loaded on use: yaml and zod are not needed by the graph steps, which run in every deploy.
    const { configPath, loadConfig } = await import('../../stacks/config');
    const parsed = parseArgs(args, { booleans: ['json'], maxPositional: 1 });
    const given = parsed.positional[0];
    const file = given !== undefined ? nodePath.resolve(ctx.io.cwd, given) : configPath(ctx.env, ctx.io.cwd);
    const shown = nodePath.relative(ctx.io.cwd, file) || file;
    let problems: readonly Problem[] = [];
    try {
      loadConfig(file);
    } catch (e) {
      if (!(e instanceof RollbarProvisioningError)) throw e;
      problems = e.problems;
    }
    if (parsed.flags.has('json')) {
      ctx.out(`${JSON.stringify({ ok: problems.length === 0, file: shown, problems }, null, 2)}\n`);
      return problems.length === 0 ? EXIT.ok : EXIT.failure;
    }
    if (problems.length === 0) {
      ctx.out(`OK: ${shown} is a valid Rollbar provisioning configuration.\n`);
      return EXIT.ok;
    }
    for (const p of problems) ctx.err(formatProblem(p, shown));
    ctx.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${shown}.`);
    return EXIT.failure;
  },
};
