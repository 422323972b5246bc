/**
 * Waiting for the initial cycle: the job reaches steady state ("no more changes to the process", MS-Graph
 * api-reference/v1.0/resources/synchronization-synchronizationstatus.md, `steadyStateFirstAchievedTime`), while
 * `status.progress` (completedUnits of totalUnits) says how far it is. The portal's "Synchronization Details".
 */
import type { GraphClient } from './client';
import { sleep as defaultSleep } from './retry';
import { readJob } from './job';
import { jobProblems, reachedSteadyState, summarizeJob, type JobStatus } from './status';

/** How a wait ended. */
export type WaitOutcome = 'steady' | 'quarantined' | 'failed' | 'stopped' | 'timeout';

/** Arguments of {@link waitForSteadyState}. */
export interface WaitArgs {
  readonly servicePrincipalId: string;
  readonly jobId?: string;
  /** Give up after this long. */
  readonly timeoutMs: number;
  /** Time between reads of the job. */
  readonly pollMs: number;
  /** Receives a line whenever the progress changes. */
  readonly onProgress?: (line: string) => void;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Reads the job until it reaches steady state (`steady`), is quarantined, its last cycle failed, it is not
 * running (`stopped`: disabled or paused, nothing to wait for), or the timeout passes. A job that reached steady
 * state before counts as steady.
 */
export async function waitForSteadyState(
  client: GraphClient,
  a: WaitArgs,
): Promise<{ outcome: WaitOutcome; status: JobStatus; reads: number; problems: string[] }> {
  const now = a.now ?? Date.now;
  const wait = a.sleep ?? defaultSleep;
  const deadline = now() + a.timeoutMs;
  let jobId = a.jobId;
  let last = '';
  for (let reads = 1; ; reads++) {
    const status = summarizeJob(await readJob(client, { servicePrincipalId: a.servicePrincipalId, jobId }));
    jobId = status.jobId;
    const problems = jobProblems(status);
    if (status.statusCode === 'Quarantine') return { outcome: 'quarantined', status, reads, problems };
    if (problems.length > 0) return { outcome: 'failed', status, reads, problems };
    if (reachedSteadyState(status)) return { outcome: 'steady', status, reads, problems };
    if (status.state === 'Disabled' || status.state === 'Paused') {
      return { outcome: 'stopped', status, reads, problems: [`the job is ${status.state}: no cycle is running`] };
    }
    const line = progressLine(status);
    if (line !== last) {
      a.onProgress?.(line);
      last = line;
    }
    const left = deadline - now();
    if (left <= 0) return { outcome: 'timeout', status, reads, problems: [] };
    await wait(Math.min(a.pollMs, left));
  }
}

/** "Initial cycle: 40 of 120 users (33%)", from the latest progress observation. Pure. */
export function progressLine(s: JobStatus): string {
  const p = s.progress?.[s.progress.length - 1];
  if (!p || p.totalUnits <= 0) return `Initial cycle running (status ${s.statusCode}; Graph reports no progress yet)…`;
  const pct = Math.floor((p.completedUnits / p.totalUnits) * 100);
  return `Initial cycle: ${p.completedUnits} of ${p.totalUnits}${p.units ? ` ${p.units}` : ''} (${pct}%)…`;
}
