/**
 * Runs the CLI in tests: in-process through `main` (fast, for most cases), or as Terraform runs it, a separate
 * `node` process on an esbuild bundle of cli/main.ts (one bundle per test file, built in beforeAll).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { buildSync } from 'esbuild';
import { main } from '../../cli/main';
import type { FakeGraph } from '../fake-graph/server';

/** What a run printed and returned. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * The environment of a CLI run against the fake: its URL and token, short retry waits, no replication wait,
 * nothing inherited.
 */
export function fakeEnv(fake: FakeGraph, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ROLLBAR_GRAPH_URL: fake.url,
    ROLLBAR_GRAPH_TOKEN: fake.token(),
    ROLLBAR_GRAPH_MAX_RETRIES: '2',
    ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '10',
    // A 404 or 403 is final at once unless a test waits for replication on purpose.
    ROLLBAR_GRAPH_REPLICATION_WAIT_MS: '0',
    ...extra,
  };
}

/** Runs `main` in this process. `input` goes to stdin; undefined means an empty stdin. */
export async function runMain(
  args: string[],
  options: { input?: string; env?: Record<string, string>; cwd?: string } = {},
): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdin: Readable.from(options.input === undefined ? [] : [options.input]),
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env: options.env ?? {},
    cwd: options.cwd ?? ROOT,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** Builds the CLI bundle once for the test file; returns a runner and registers the clean-up. */
export function useBundle(): {
  run: (args: string[], options?: { input?: string; env?: Record<string, string> }) => Promise<RunResult>;
} {
  const dir = { path: '' };
  beforeAll(() => {
    dir.path = mkdtempSync(path.join(tmpdir(), 'rollbar-cli-'));
    buildSync({
      entryPoints: [path.join(ROOT, 'cli', 'main.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: path.join(dir.path, 'rollbar-provisioning.cjs'),
      logLevel: 'error',
    });
  });
  afterAll(() => {
    if (dir.path) rmSync(dir.path, { recursive: true, force: true });
  });
  return {
    run: (args, options = {}) => spawnNode([path.join(dir.path, 'rollbar-provisioning.cjs'), ...args], options),
  };
}

/**
 * Spawns `node` with a clean environment (PATH only, plus `env`). With `input`, it is written to stdin as
 * Terraform's external data source does; without, stdin is /dev/null, as in Terraform's local-exec.
 */
export function spawnNode(
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
