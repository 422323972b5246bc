import type { SynchronizationJob, SynchronizationJobRestartCriteria } from '@microsoft/microsoft-graph-types';
import type { GraphClient } from './client';
import { jobPath, servicePrincipalObjectId, unknownJobHint } from './ids';

/** What `setProvisioning` did. */
export type ProvisioningAction = 'start' | 'restart' | 'pause' | 'none';

/**
 * The portal's Provisioning Status On/Off, made idempotent. On: start a disabled or paused job; restart a
 * quarantined one with `QuarantineState` (the fix after a credentials change); leave an active one alone,
 * because Graph warns that repeated starts on a running job can stop the service. Off: pause an active job.
 * Returns the schedule state the job is left in.
 */
export async function setProvisioning(
  client: GraphClient,
  a: { readonly servicePrincipalId: string; readonly jobId: string; readonly enabled: boolean },
): Promise<{ state: string; action: ProvisioningAction }> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  const path = jobPath(oid, a.jobId);
  const notFound = unknownJobHint(oid, a.jobId);
  const job = await client.get<SynchronizationJob>(path, { notFound });
  const state = job.schedule?.state ?? undefined;
  const code = job.status?.code ?? undefined;
  // A job with no schedule state is judged by its status code, and never started unless clearly stopped.
  const active = state === 'Active' || (state === undefined && code === 'Active');
  const stopped = state === 'Disabled' || state === 'Paused';
  const quarantined = code === 'Quarantine';

  let action: ProvisioningAction = 'none';
  if (a.enabled) {
    if (stopped) action = 'start';
    else if (quarantined) action = 'restart';
  } else if (active) {
    action = 'pause';
  }

  if (action === 'start') {
    client.log(`Starting the provisioning job (it was ${state ?? 'stopped'})…`);
    await client.request({ method: 'POST', path: `${path}/start`, notFound });
    return { state: 'Active', action };
  }
  if (action === 'restart') {
    client.log('Restarting the quarantined provisioning job (resetScope QuarantineState)…');
    const criteria: SynchronizationJobRestartCriteria = { resetScope: 'QuarantineState' };
    await client.request({ method: 'POST', path: `${path}/restart`, body: { criteria }, notFound });
    return { state: 'Active', action };
  }
  if (action === 'pause') {
    client.log('Pausing the provisioning job…');
    await client.request({ method: 'POST', path: `${path}/pause`, notFound });
    return { state: 'Paused', action };
  }
  return { state: state ?? code ?? 'Unknown', action };
}
