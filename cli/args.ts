import { UsageError } from '../constructs/core/problems';

/** Parsed flags and positional arguments. */
export interface ParsedArgs {
  readonly flags: ReadonlyMap<string, string | true>;
  readonly positional: readonly string[];
  /** Every value of each repeatable flag, in order. */
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

/**
 * Parses `--name value`, `--name=value` and boolean `--name`. `valued` names the flags that take a value;
 * `booleans` those that do not; `repeated` those that take a value and may be given several times (all values
 * in `lists`). Anything else is a usage error, so a typo never passes silently.
 */
export function parseArgs(
  args: readonly string[],
  spec: {
    readonly valued?: readonly string[];
    readonly booleans?: readonly string[];
    readonly repeated?: readonly string[];
    readonly maxPositional?: number;
  },
): ParsedArgs {
  const repeated = new Set(spec.repeated ?? []);
  const lists = new Map<string, string[]>();
  const valued = new Set([...(spec.valued ?? []), ...repeated]);
  const booleans = new Set(spec.booleans ?? []);
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    if (booleans.has(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (valued.has(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
      if (repeated.has(name)) lists.set(name, [...(lists.get(name) ?? []), value]);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  if (spec.maxPositional !== undefined && positional.length > spec.maxPositional) {
    throw new UsageError(`unexpected argument '${positional[spec.maxPositional]}'`);
  }
  return { flags, positional, lists };
}

/** A valued flag, or undefined. */
export function flag(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
