/**
 * A provider host process (provider-host.cjs), as Pulumi runs dynamic providers: each call sends a provider's
 * serialized text, a method and its arguments as one JSON line, and the host answers one line with the same id.
 * Tests that need a separate process (a fresh environment, another tenant's sign-in) start one with their own env.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = join(__dirname, '..', '..');
const HOST = join(__dirname, 'provider-host.cjs');
const REQUIRE_FROM_STRING = createRequire(join(ROOT, 'node_modules', '@pulumi', 'pulumi', 'package.json')).resolve(
  'require-from-string',
);

/** One answer of the host: the method's result, or the error's message. */
export interface HostReply {
  readonly ok: boolean;
  readonly result?: { id?: string; outs?: Record<string, unknown>; props?: Record<string, unknown> } | null;
  readonly error?: string;
}

export interface ProviderHost {
  /** Calls `method` of the provider whose serialized text is `provider`. */
  run(provider: string, method: string, args: unknown[]): Promise<HostReply>;
  /** Closes the host's stdin and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts a host in `cwd` with exactly `env` (nothing of this process's environment leaks in). */
export function startProviderHost(cwd: string, env: NodeJS.ProcessEnv): ProviderHost {
  const child = spawn(process.execPath, [HOST], { cwd, env });
  const pending = new Map<number, (r: HostReply) => void>();
  let next = 0;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const reply = JSON.parse(line) as HostReply & { id: number };
    pending.get(reply.id)?.(reply);
  });
  return {
    run: (provider, method, args) =>
      new Promise((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        child.stdin.write(
          `${JSON.stringify({ id, requireFromString: REQUIRE_FROM_STRING, provider, method, args })}\n`,
        );
      }),
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
