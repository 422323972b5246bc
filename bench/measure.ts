/**
 * Runs one case in its own process and measures it from outside: wall time with the harness's clock, peak RSS
 * and CPU time from `/usr/bin/time -v` (GNU time) when it exists, else from the child's own
 * `process.resourceUsage()`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { CaseReport } from './child';
import { REPORT_PREFIX } from './child';

export const GNU_TIME = '/usr/bin/time';

/** One measured run of one case. */
export interface Sample {
  readonly wallMs: number;
  readonly maxRssKb: number;
  /** User + system CPU time, when GNU time reported it: steadier than wall time on a busy machine. */
  readonly cpuMs?: number;
  readonly report: CaseReport & { readonly maxRssKb: number };
  /** Where the peak RSS came from. */
  readonly rssSource: 'gnu-time' | 'process.resourceUsage';
}

export function hasGnuTime(): boolean {
  try {
    fs.accessSync(GNU_TIME, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `Maximum resident set size (kbytes): 123` and friends, from `time -v`'s stderr. */
function gnuTimeField(stderr: string, label: string): string | undefined {
  const line = stderr.split('\n').find((l) => l.trim().startsWith(label));
  return line?.slice(line.lastIndexOf(': ') + 2).trim();
}

/**
 * Runs `node <script> <n> <outdir>` and resolves its sample.
 * @throws Error when the case fails, prints no report, or outlives `timeoutMs` (then it is killed)
 */
export function measure(
  script: string,
  n: number,
  outdir: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<Sample> {
  const gnuTime = hasGnuTime();
  const argv = [script, String(n), outdir];
  const [command, args] = gnuTime ? [GNU_TIME, ['-v', process.execPath, ...argv]] : [process.execPath, argv];
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    // Its own process group, so that a timeout ends the case and its node together, and nothing else.
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const line = stdout.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
      if (code !== 0 || line === undefined) {
        const why =
          signal === 'SIGKILL' || signal !== null ? `killed after ${Math.round(wallMs / 1000)} s` : `exit ${code}`;
        reject(new Error(`${script} ${n}: ${why}\n${stderr.split('\n').slice(-15).join('\n')}`));
        return;
      }
      const report = JSON.parse(line.slice(REPORT_PREFIX.length)) as Sample['report'];
      const rss = gnuTime ? Number(gnuTimeField(stderr, 'Maximum resident set size')) : NaN;
      const user = gnuTime ? Number(gnuTimeField(stderr, 'User time (seconds)')) : NaN;
      const system = gnuTime ? Number(gnuTimeField(stderr, 'System time (seconds)')) : NaN;
      resolve({
        wallMs: Math.round(wallMs),
        maxRssKb: Number.isFinite(rss) ? rss : report.maxRssKb,
        ...(Number.isFinite(user + system) && { cpuMs: Math.round((user + system) * 1000) }),
        report,
        rssSource: Number.isFinite(rss) ? 'gnu-time' : 'process.resourceUsage',
      });
    });
  });
}
