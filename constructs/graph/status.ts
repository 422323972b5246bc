import type {
  SynchronizationJob,
  SynchronizationQuarantine,
  SynchronizationTaskExecution,
} from '@microsoft/microsoft-graph-types';
import { problem, RollbarProvisioningError } from '../core';
import type { GraphClient } from './client';
import { jobPath, servicePrincipalObjectId, synchronizationPath, unknownJobHint } from './ids';
import { SYNCHRONIZATION_JOB } from './shapes';

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
}

/**
 * The job's status. Without `jobId`, the service principal's only job (a Rollbar app has one); several jobs
 * need a `jobId`.
 */
export async function getJobStatus(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string },
): Promise<JobStatus> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  let job: SynchronizationJob;
  if (a.jobId !== undefined && a.jobId !== '') {
    job = await client.get(jobPath(oid, a.jobId), {
      shape: SYNCHRONIZATION_JOB,
      notFound: unknownJobHint(oid, a.jobId),
    });
  } else {
    const jobs = await client.list(`${synchronizationPath(oid)}/jobs`, {
      shape: SYNCHRONIZATION_JOB,
      notFound: `The service principal '${oid}' is unknown: check servicePrincipalId.`,
    });
    const only = jobs.length === 1 ? jobs[0] : undefined;
    if (!only) {
      throw new RollbarProvisioningError([
        problem(
          'SYNC_JOB_NOT_FOUND',
          'jobId',
          jobs.length === 0
            ? `name a job, but service principal '${oid}' has no provisioning job`
            : `be given, because service principal '${oid}' has ${jobs.length} provisioning jobs`,
          undefined,
          jobs.length === 0
            ? 'Deploy the stack first (it creates the job), or check servicePrincipalId.'
            : `Pass --job-id, one of: ${jobs.map((j) => j.id ?? '?').join(', ')}.`,
        ),
      ]);
    }
    job = only;
  }
  return summarizeJob(job);
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
    quarantine: quarantine(s.quarantine),
    synchronizedEntryCountByType: counts,
    steadyStateFirstAchievedTime: s.steadyStateFirstAchievedTime,
    steadyStateLastAchievedTime: s.steadyStateLastAchievedTime,
    countSuccessiveCompleteFailures: s.countSuccessiveCompleteFailures,
    troubleshootingUrl: s.troubleshootingUrl ?? undefined,
  });
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
