import type { SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError, type MappingsSpec } from '../core';
import { summarizeDrift } from '../core/mappings/schema-drift';
import { problem } from '../core/problems';
import type { GraphClient } from './client';
import { GraphError } from './errors';
import { servicePrincipalObjectId, synchronizationPath } from './ids';
import { compareMappings, templateMappingsDigest } from './mappings';
import { decide } from './provisioning';
import { SYNCHRONIZATION_JOB } from './shapes';
import { readSingleSignOn, singleSignOnDrift } from './sso';
import { findSyncTemplate } from './sync-template';
import { federationMetadataUrl } from '../core';

/** Arguments of {@link planDeployment}. */
export interface PlanArgs {
  readonly servicePrincipalId: string;
  /** The spec's `mappings`; without it the schema is not managed and not read. */
  readonly mappings?: MappingsSpec;
  /** The spec's `syncTemplateId`: when set, no template is looked up. */
  readonly syncTemplateId?: string;
  /** The spec's `provisioningEnabled`. */
  readonly enabled: boolean;
  /** The spec's `sso`, with where its metadata is published; without it single sign-on is not read. */
  readonly sso?: {
    readonly accountName: string;
    readonly notificationEmails?: readonly string[];
    readonly tenantId: string;
    /** The sign-in host of the cloud in use (metadataAuthorityHost). */
    readonly authorityHost: string;
  };
}

/** What the plan-time read found. Every field is the "nothing to do" answer when there is no job yet. */
export interface PlanResult {
  /** The sync template to create the job from, while no job exists; `''` once it does (the job keeps its own). */
  readonly templateId: string;
  /** The job's id, `''` when there is none yet. */
  readonly jobId: string;
  readonly mappingsInSync: boolean;
  /** The differences by target attribute ("users displayName: [displayName] → [mail]"), capped; `''` in sync. */
  readonly drift: string;
  /** Digest of the desired schema; `''` when the mappings are not managed (or the template cannot be read). */
  readonly desiredDigest: string;
  /** The job's state is what `provisioningEnabled` asks for (or only a deploy cannot repair it). */
  readonly jobOk: boolean;
  /** The job's schedule state, with the quarantine reason when quarantined; `none` before the job exists. */
  readonly jobState: string;
  /** What the provisioning step will do about the job's state, `''` when nothing. */
  readonly jobDrift: string;
  /** A TooManyDeletes quarantine: reported, left to an admin (a deploy does not lift it); `''` otherwise. */
  readonly deletions: string;
  /** Why a read could not be made; the answer then assumes no drift, so that a destroy is never blocked. */
  readonly readError: string;
  /** Other notes (the template's schema unreadable, so the live one is the base). */
  readonly warnings: readonly string[];
  /** The app's federation metadata URL, what Rollbar takes; `''` when `sso` is not declared. */
  readonly federationMetadataUrl: string;
  /** SAML mode, the sign-on URL and the expiry e-mails are as declared (or `sso` is not declared). */
  readonly ssoInSync: boolean;
  /** What differs, `; `-separated; `''` in sync. */
  readonly ssoDrift: string;
}

const IN_SYNC = {
  templateId: '',
  jobId: '',
  mappingsInSync: true,
  drift: '',
  desiredDigest: '',
  jobOk: true,
  jobState: 'none',
  jobDrift: '',
  deletions: '',
  readError: '',
  warnings: [],
  federationMetadataUrl: '',
  ssoInSync: true,
  ssoDrift: '',
} as const satisfies PlanResult;

/**
 * The one read that `terraform plan` makes (CDKTF's `Plan` data source): it finds the service principal's job
 * itself (a job id input would make the read depend on the job resource, which depends on the read's template
 * id), and answers whether each step is in sync: the mappings (by target attribute) and the job's state against
 * `provisioningEnabled`. Before the job exists it returns the sync template id and counts as in sync, so that
 * the first deploy's next plan is empty.
 *
 * Several jobs on the service principal (an app adopted with jobs made elsewhere) are an error naming them:
 * which one to manage is not a guess. A failure of Graph itself (sign-in, permissions, throttling past the
 * retries) does not fail the read, because Terraform reads every data source again before a destroy and
 * offers no way to tell that read apart: the answer assumes no drift and says why in `readError`, which the
 * stack's check block shows as a warning, and the Graph steps still fail loudly when they run.
 */
export async function planDeployment(client: GraphClient, a: PlanArgs): Promise<PlanResult> {
  const oid = servicePrincipalObjectId(a.servicePrincipalId);
  try {
    const result = await plan(client, oid, a);
    return a.sso === undefined ? result : { ...result, ...(await singleSignOn(client, oid, a.sso)) };
  } catch (e) {
    if (!(e instanceof GraphError)) throw e;
    client.log(`warning: the plan-time read failed, so no drift is reported: ${e.message}`);
    return { ...IN_SYNC, readError: e.message };
  }
}

async function plan(client: GraphClient, oid: string, a: PlanArgs): Promise<PlanResult> {
  const jobs = await client.list(`${synchronizationPath(oid)}/jobs`, {
    shape: SYNCHRONIZATION_JOB,
    notFound: `The service principal '${oid}' is unknown: check servicePrincipalId (the Rollbar enterprise application's Object ID).`,
  });
  if (jobs.length > 1) throw severalJobs(oid, jobs);
  const job = jobs[0];
  if (job === undefined || typeof job.id !== 'string' || job.id === '') return beforeTheJob(client, oid, a);

  const withId = job as SynchronizationJob & { id: string };
  const mappings =
    a.mappings === undefined
      ? undefined
      : await compareMappings(client, { servicePrincipalId: oid, job: withId, mappings: a.mappings });
  return {
    ...IN_SYNC,
    jobId: withId.id,
    mappingsInSync: mappings?.inSync ?? true,
    drift: summarizeDrift(mappings?.drift ?? []),
    desiredDigest: mappings?.desiredDigest ?? '',
    ...jobState(job, a.enabled),
    warnings: mappings?.warnings ?? [],
  };
}

async function beforeTheJob(client: GraphClient, oid: string, a: PlanArgs): Promise<PlanResult> {
  const templateId = a.syncTemplateId ?? (await findSyncTemplate(client, { servicePrincipalId: oid })).templateId;
  const digest =
    a.mappings === undefined
      ? undefined
      : await templateMappingsDigest(client, { servicePrincipalId: oid, templateId, mappings: a.mappings });
  return { ...IN_SYNC, templateId, desiredDigest: digest?.desiredDigest ?? '', warnings: digest?.warnings ?? [] };
}

/** SAML settings against the spec, and the metadata URL (the app id is the service principal's `appId`). */
async function singleSignOn(
  client: GraphClient,
  oid: string,
  sso: NonNullable<PlanArgs['sso']>,
): Promise<Pick<PlanResult, 'federationMetadataUrl' | 'ssoInSync' | 'ssoDrift'>> {
  const live = await readSingleSignOn(client, oid);
  const drift = singleSignOnDrift(live, {
    accountName: sso.accountName,
    ...(sso.notificationEmails !== undefined && { notificationEmails: sso.notificationEmails }),
  });
  return {
    federationMetadataUrl: federationMetadataUrl(sso.authorityHost, sso.tenantId, live.appId),
    ssoInSync: drift.length === 0,
    ssoDrift: drift.join('; '),
  };
}

/** The job's state against `provisioningEnabled`, decided as the provisioning step decides it. */
function jobState(
  job: SynchronizationJob,
  enabled: boolean,
): Pick<PlanResult, 'jobOk' | 'jobState' | 'jobDrift' | 'deletions'> {
  const reason = job.status?.code === 'Quarantine' ? (job.status.quarantine?.reason ?? 'unknown reason') : undefined;
  const { action, state } = decide(job, enabled);
  const shown = reason === undefined ? state : `${state}, quarantined (${reason})`;
  if (reason === 'TooManyDeletes' && enabled) {
    return {
      jobOk: true,
      jobState: shown,
      jobDrift: '',
      deletions:
        `the job is quarantined because a cycle would delete more accounts than the accidental-deletion threshold ` +
        'allows; a deploy does not lift it. Review the deletions in the provisioning logs, then run ' +
        '`rollbar-provisioning restart --scope force-deletes` or raise accidentalDeletionThreshold.',
    };
  }
  if (action === 'none') return { jobOk: true, jobState: shown, jobDrift: '', deletions: '' };
  const declared = `provisioningEnabled is ${String(enabled)}`;
  const what =
    action === 'start' ? 'starts it' : action === 'restart' ? 'restarts it (resetScope QuarantineState)' : 'pauses it';
  return {
    jobOk: false,
    jobState: shown,
    jobDrift: `the job is ${shown} but ${declared}: the next apply ${what}`,
    deletions: '',
  };
}

function severalJobs(oid: string, jobs: readonly SynchronizationJob[]): RollbarProvisioningError {
  const ids = jobs.map((j) => j.id ?? '?').join(', ');
  return new RollbarProvisioningError(
    [
      problem(
        'SEVERAL_SYNC_JOBS',
        'servicePrincipalId',
        `have at most one provisioning job, but service principal '${oid}' has ${jobs.length}`,
        undefined,
        `The jobs are: ${ids}. A Rollbar app has one job: delete the others in the admin center (Provisioning) ` +
          'or with DELETE /servicePrincipals/{id}/synchronization/jobs/{jobId}, then plan again.',
      ),
    ],
    'The Rollbar service principal has several provisioning jobs; which one to manage is not guessed',
  );
}
