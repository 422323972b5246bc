import type {
  SynchronizationJob,
  SynchronizationProgress,
  SynchronizationQuarantine,
  SynchronizationTaskExecution,
} from '@microsoft/microsoft-graph-types';
import type { GraphClient } from './client';
import { readJob } from './job';

/** One provisioning cycle, as `status` shows it. */
export interface ExecutionSummary {
  /** `Succeeded`, `Failed` or `EntryLevelErrors`. */
  readonly state?: string;
  readonly timeBegan?: string;
  readonly timeEnded?: string;
  readonly countEntitled?: number;
  readonly countExported?: number;
  readonly countImported?: number;
  readonly countEscrowed?: number;
  /** The cycle's error, when it failed. */
  readonly error?: { readonly code?: string; readonly message?: string };
}

/** Why and until when a job is quarantined. */
export interface QuarantineSummary {
  /** `EncounteredQuarantineException` (bad credentials), `TooManyDeletes`, … */
  readonly reason?: string;
  readonly currentBegan?: string;
  readonly nextAttempt?: string;
  readonly seriesBegan?: string;
  readonly seriesCount?: number;
  readonly error?: { readonly code?: string; readonly message?: string };
}

/** A provisioning job's state, read from Graph: what the portal's Provisioning page shows. */
export interface JobStatus {
  readonly jobId: string;
  readonly templateId?: string;
  /** Schedule state: `Active`, `Disabled` or `Paused` (`Unknown` when Graph sends none). */
  readonly state: string;
  /** Interval between cycles (ISO 8601 duration, `PT40M` when active). */
  readonly interval?: string;
  /** `NotConfigured`, `NotRun`, `Active`, `Paused` or `Quarantine` (`Unknown` when Graph sends none). */
  readonly statusCode: string;
  readonly lastExecution?: ExecutionSummary;
  readonly lastSuccessfulExecution?: ExecutionSummary;
  readonly quarantine?: QuarantineSummary;
  /** Synchronized objects by type, as Graph counts them. */
  readonly synchronizedEntryCountByType: Readonly<Record<string, number>>;
  readonly steadyStateFirstAchievedTime?: string;
  readonly steadyStateLastAchievedTime?: string;
  readonly countSuccessiveCompleteFailures?: number;
  readonly troubleshootingUrl?: string;
  /** Progress of the running cycle toward completion (the portal's progress bar), when Graph reports it. */
  readonly progress?: readonly ProgressSummary[];
}

/** One progress observation of the running cycle: `completedUnits` of `totalUnits` (units such as users). */
export interface ProgressSummary {
  readonly completedUnits: number;
  readonly totalUnits: number;
  readonly units?: string;
  readonly observedAt?: string;
}

/**
 * The job's status. Without `jobId`, the service principal's only job (a Rollbar app has one); several jobs
 * need a `jobId`.
 */
export async function getJobStatus(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string },
): Promise<JobStatus> {
  return summarizeJob(await readJob(client, a));
}

/** Flattens Graph's job into a {@link JobStatus}. Pure. */
export function summarizeJob(job: SynchronizationJob): JobStatus {
  const s = job.status ?? {};
  const counts: Record<string, number> = {};
  for (const pair of s.synchronizedEntryCountByType ?? []) {
    if (typeof pair.key === 'string' && typeof pair.value === 'number') counts[pair.key] = pair.value;
  }
  return compact({
    jobId: job.id ?? '',
    templateId: job.templateId ?? undefined,
    state: job.schedule?.state ?? 'Unknown',
    interval: job.schedule?.interval,
    statusCode: s.code ?? 'Unknown',
    lastExecution: execution(s.lastExecution),
    lastSuccessfulExecution: execution(s.lastSuccessfulExecution),
    // Graph sends a quarantine object with empty fields on jobs that are not quarantined (the same example).
    quarantine: s.code === 'Quarantine' || (s.quarantine?.reason ?? '') !== '' ? quarantine(s.quarantine) : undefined,
    synchronizedEntryCountByType: counts,
    // Graph answers the zero time (0001-01-01T00:00:00Z) for "never" (synchronization-synchronizationjob-get.md).
    steadyStateFirstAchievedTime: realTime(s.steadyStateFirstAchievedTime),
    steadyStateLastAchievedTime: realTime(s.steadyStateLastAchievedTime),
    countSuccessiveCompleteFailures: s.countSuccessiveCompleteFailures,
    troubleshootingUrl: s.troubleshootingUrl ?? undefined,
    progress: progress(s.progress),
  });
}

/**
 * What is wrong with the job, for a non-zero exit: quarantined, or its last cycle failed. Empty when healthy.
 * Pure.
 */
export function jobProblems(s: JobStatus): string[] {
  const problems: string[] = [];
  if (s.statusCode === 'Quarantine') {
    problems.push(`the job is quarantined${s.quarantine?.reason ? ` (${s.quarantine.reason})` : ''}`);
  }
  if (s.lastExecution?.state === 'Failed') {
    const e = s.lastExecution.error;
    problems.push(
      `its last cycle failed${e?.code || e?.message ? `: ${[e.code, e.message].filter(Boolean).join(' ')}` : ''}`,
    );
  }
  return problems;
}

/** Whether the job has reached steady state (its initial cycle finished) at least once. Pure. */
export function reachedSteadyState(s: JobStatus): boolean {
  return s.steadyStateFirstAchievedTime !== undefined || s.steadyStateLastAchievedTime !== undefined;
}

function realTime(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' && !value.startsWith('0001-01-01') ? value : undefined;
}

function progress(p: readonly SynchronizationProgress[] | null | undefined): ProgressSummary[] | undefined {
  const list = (p ?? []).flatMap((o): ProgressSummary[] =>
    typeof o.completedUnits === 'number' && typeof o.totalUnits === 'number'
      ? [
          compact({
            completedUnits: o.completedUnits,
            totalUnits: o.totalUnits,
            units: o.units ?? undefined,
            observedAt: o.progressObservationDateTime,
          }),
        ]
      : [],
  );
  return list.length > 0 ? list : undefined;
}

/** The code and message of an execution's or a quarantine's error. */
function errorSummary(error: { code?: string | null; message?: string | null } | null | undefined) {
  return error ? compact({ code: error.code ?? undefined, message: error.message ?? undefined }) : undefined;
}

function execution(e: SynchronizationTaskExecution | null | undefined): ExecutionSummary | undefined {
  if (!e) return undefined;
  return compact({
    state: e.state,
    timeBegan: e.timeBegan,
    timeEnded: e.timeEnded,
    countEntitled: e.countEntitled,
    countExported: e.countExported,
    countImported: e.countImported,
    countEscrowed: e.countEscrowed,
    error: errorSummary(e.error),
  });
}

function quarantine(q: SynchronizationQuarantine | null | undefined): QuarantineSummary | undefined {
  if (!q) return undefined;
  return compact({
    reason: q.reason,
    currentBegan: q.currentBegan,
    nextAttempt: q.nextAttempt,
    seriesBegan: q.seriesBegan,
    seriesCount: q.seriesCount,
    error: errorSummary(q.error),
  });
}

/** Drops undefined fields, so JSON output and equality checks carry only what Graph sent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
