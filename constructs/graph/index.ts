/**
 * The few Microsoft Graph calls the azuread provider lacks: the sync template look-up, Test Connection and the
 * complete secret save, the schema read-merge-write and reset, the job's start/pause/restart, and its status.
 * Both engines and the CLI call only these. Used at deploy time only; nothing here runs during synthesis.
 * @module
 */
export {
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
  type GraphReadOptions,
  type GraphRequest,
} from './client';
export { CLOUDS, isLoopback, resolveEndpoints, type Cloud, type GraphEndpoints } from './clouds';
export {
  collectionOf,
  FILTER_OPERATOR_SCHEMA,
  NO_CONTENT,
  PARSE_EXPRESSION_RESPONSE,
  resource,
  SYNCHRONIZATION_JOB,
  SYNCHRONIZATION_SCHEMA,
  SYNCHRONIZATION_TEMPLATE,
  type Shape,
} from './shapes';
export { GraphError, REQUIRED_PERMISSIONS_HINT, redact } from './errors';
export { servicePrincipalObjectId } from './ids';
export { tokenTenantId } from './tenant';
export { findSyncTemplate } from './sync-template';
export { saveCredentials } from './credentials';
export {
  setProvisioning,
  tooManyDeletesAction,
  TOO_MANY_DELETES_ENV,
  type ProvisioningAction,
  type TooManyDeletesAction,
} from './provisioning';
export { getJobStatus, summarizeJob, type JobStatus, type ExecutionSummary, type QuarantineSummary } from './status';
export { planMappings, applyMappings, resetMappings, type MappingsArgs } from './mappings';
export type { CredentialSettings, MappingsSpec } from '../core';
