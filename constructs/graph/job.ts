import type { SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { jobPath, servicePrincipalObjectId, synchronizationPath, unknownJobHint } from './ids';
import { SYNCHRONIZATION_JOB } from './shapes';

/**
 * Reads the provisioning job. Without `jobId`, the service principal's only job (a Rollbar app has one), so that
 * a person at a terminal needs only the service principal; several jobs need a `jobId`.
 */
export async function readJob(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string | undefined },
): Promise<SynchronizationJob> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  if (a.jobId !== undefined && a.jobId !== '') {
    return client.get(jobPath(oid, a.jobId), { shape: SYNCHRONIZATION_JOB, notFound: unknownJobHint(oid, a.jobId) });
  }
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
  return only;
}

/** The job's id, read when not given (see {@link readJob}). */
export async function resolveJobId(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId?: string | undefined },
): Promise<string> {
  if (a.jobId !== undefined && a.jobId !== '') return a.jobId;
  const job = await readJob(client, a);
  return job.id ?? '';
}
