import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SP_PATH = /^\/?servicePrincipals\/([^/]+)\/?$/i;
// Graph job ids look like `<templateId>.<hex>.<guid>`; anything that could change the URL path is refused.
const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;

/**
 * The service principal's object id, from the bare id or the `/servicePrincipals/{oid}` form that the azuread
 * sync resources use (both engines pass whichever they have).
 */
export function servicePrincipalObjectId(id: string): string {
  const trimmed = typeof id === 'string' ? id.trim() : '';
  const oid = SP_PATH.exec(trimmed)?.[1] ?? trimmed;
  if (!GUID.test(oid)) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_OBJECT_ID',
        'servicePrincipalId',
        'be the service principal object id or /servicePrincipals/{object id}',
        id,
        "Pass the Rollbar enterprise application's Object ID (azuread_service_principal.object_id).",
      ),
    ]);
  }
  return oid.toLowerCase();
}

const JOB_RESOURCE_ID = /^\/?servicePrincipals\/([^/]+)\/synchronization\/jobs\/([^/]+)\/?$/i;

/**
 * The synchronization job id, checked before it goes into a URL. Takes the bare id or the azuread resource id
 * `/servicePrincipals/{oid}/synchronization/jobs/{jobId}` (what `azuread_synchronization_job.id` holds); the
 * latter must name the same service principal as `servicePrincipalId`, when given.
 */
export function checkJobId(jobId: string, servicePrincipalId?: string): string {
  const trimmed = typeof jobId === 'string' ? jobId.trim() : '';
  const resource = JOB_RESOURCE_ID.exec(trimmed);
  const id = resource?.[2] ?? trimmed;
  if (!JOB_ID.test(id)) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_JOB_ID',
        'jobId',
        'be a synchronization job id (letters, digits, dots, dashes, underscores)',
        jobId,
        'Pass the id of azuread_synchronization_job: the bare job id or /servicePrincipals/{oid}/synchronization/jobs/{jobId}.',
      ),
    ]);
  }
  if (resource && servicePrincipalId !== undefined && resource[1]?.toLowerCase() !== servicePrincipalId.toLowerCase()) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_JOB_ID',
        'jobId',
        `belong to service principal '${servicePrincipalId}'`,
        jobId,
        'Pass the job of the same Rollbar service principal as servicePrincipalId.',
      ),
    ]);
  }
  return id;
}

/** `/servicePrincipals/{oid}/synchronization` */
export function synchronizationPath(servicePrincipalId: string): string {
  return `/servicePrincipals/${encodeURIComponent(servicePrincipalObjectId(servicePrincipalId))}/synchronization`;
}

/** `/servicePrincipals/{oid}/synchronization/jobs/{jobId}` */
export function jobPath(servicePrincipalId: string, jobId: string): string {
  const oid = servicePrincipalObjectId(servicePrincipalId);
  return `${synchronizationPath(oid)}/jobs/${encodeURIComponent(checkJobId(jobId, oid))}`;
}

/** The message for a 404 on a job: Graph's own text does not say which id was wrong. */
export function unknownJobHint(servicePrincipalId: string, jobId: string): string {
  return (
    `The synchronization job '${jobId}' is unknown on service principal '${servicePrincipalId}': check jobId ` +
    '(deleted job, another service principal, or a typo).'
  );
}
