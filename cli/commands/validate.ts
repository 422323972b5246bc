import * as nodePath from 'node:path';
import { formatProblem, RollbarProvisioningError, type Problem, type Warning } from '../../constructs/core';
import { parseArgs } from '../args';
import { EXIT, type Command } from '../command';
import { OFFLINE } from '../permissions';

/** `validate [file]`: offline validation of a configuration file. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a configuration file offline (every problem and warning at once)',
  permissions: OFFLINE,
  help: `Usage: rollbar-provisioning validate [file] [--strict] [--json]

Checks a configuration file (rollbar.yaml) offline, with the rules both stacks apply: its shape, every
value, role and assignment rules, mapping expressions and scoping filters. Nothing is sent anywhere.
Prints every problem (file:line:column, code, path and message) on stderr and exits 1. A valid file may still
have warnings: settings that will fail or surprise at deploy time (placeholder object ids, scope all with the
deletion guard off, no notification e-mail, Test Connection off, settings adoption ignores, attributes outside
Rollbar's documented list). They are printed on stderr, and the summary says "valid, with N warnings".

Arguments:
  file       the configuration file (default: ROLLBAR_CONFIG, else rollbar.yaml in the working directory)

Options:
  --strict   treat warnings as failures (exit 1)
  --json     print {"ok": true|false, "file": …, "problems": [{code, path, message, line, column}],
             "warnings": [{code, path, message, line, column}]} on stdout

Environment:
  ROLLBAR_CONFIG   the default file
`,
  async run(args, ctx) {
    // Loaded on use: yaml is not needed by the graph steps, which run in every deploy.
    const { checkConfigFile, configPath } = await import('../../constructs/config');
    const parsed = parseArgs(args, { booleans: ['json', 'strict'], maxPositional: 1 });
    const strict = parsed.flags.has('strict');
    const given = parsed.positional[0];
    const file = given !== undefined ? nodePath.resolve(ctx.io.cwd, given) : configPath(ctx.env, ctx.io.cwd);
    const shown = nodePath.relative(ctx.io.cwd, file) || file;
    let problems: readonly Problem[] = [];
    let warnings: readonly Warning[] = [];
    try {
      ({ problems, warnings } = checkConfigFile(file));
    } catch (e) {
      if (!(e instanceof RollbarProvisioningError)) throw e;
      problems = e.problems;
    }
    const ok = problems.length === 0 && !(strict && warnings.length > 0);
    if (parsed.flags.has('json')) {
      ctx.out(`${JSON.stringify({ ok, file: shown, strict, problems, warnings }, null, 2)}\n`);
      return ok ? EXIT.ok : EXIT.failure;
    }
    for (const p of problems) ctx.err(formatProblem(p, shown));
    for (const w of warnings) ctx.err(formatProblem(w, shown, 'warning'));
    if (problems.length > 0) {
      ctx.err(`${count(problems.length, 'problem')} in ${shown}.`);
      return EXIT.failure;
    }
    if (warnings.length === 0) {
      ctx.out(`OK: ${shown} is a valid Rollbar provisioning configuration.\n`);
      return EXIT.ok;
    }
    if (strict) {
      ctx.err(`${shown} is valid, with ${count(warnings.length, 'warning')}: failing because of --strict.`);
      return EXIT.failure;
    }
    ctx.out(`OK: ${shown} is valid, with ${count(warnings.length, 'warning')}.\n`);
    return EXIT.ok;
  },
};

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
