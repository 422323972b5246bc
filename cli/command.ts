import type { CliContext } from './context';
import type { CommandPermissions } from './permissions';

/** One command (or subcommand) of the CLI. */
export interface Command {
  /** Words that select it, such as `graph sync-template`. */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full `--help` text: usage, input and output fields, environment. */
  readonly help: string;
  /** The least Graph permissions it needs: appended to --help and listed in README's permissions table. */
  readonly permissions: CommandPermissions;
  /** Runs it; resolves to the exit code. Throws for failures (main prints them). */
  run(args: readonly string[], ctx: CliContext): Promise<number>;
}

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
