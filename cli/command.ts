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

/** A mistake in the command line itself (exit code 2, with a pointer to --help). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;
