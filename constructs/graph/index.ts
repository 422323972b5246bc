/**
 * The few Microsoft Graph calls the azuread provider lacks: the plan-time read, the sync template look-up, Test Connection and the
 * complete secret save, the schema read-merge-write and reset, the job's start/pause/restart, its status,
 * provisioning on demand, the provisioning logs, and waiting for steady state.
 * Both engines and the CLI call only these. Used at deploy time only; nothing here runs during synthesis.
 * Named exports only: a name listed here is public API, everything else in this folder is internal.
 * @module
 */
export {
  createGraphClient,
  type GraphClient,
  type GraphClientOptions,
  type GraphReadOptions,
  type GraphRequest,
} from './client';
export { CLOUDS, type Cloud, type GraphEndpoints } from './clouds';
export {
  collectionOf,
  FILTER_OPERATOR_SCHEMA,
  NO_CONTENT,
  PARSE_EXPRESSION_RESPONSE,
  resource,
  SYNCHRONIZATION_JOB,
  SYNCHRONIZATION_SCHEMA,
  SYNCHRONIZATION_TEMPLATE,
  type Field,
  type Fields,
  type Shape,
} from './shapes';
export { GraphError, type GraphErrorCode } from './errors';
export { servicePrincipalObjectId } from './ids';
export { findSyncTemplate } from './sync-template';
export { saveCredentials, testSavedCredentials } from './credentials';
export {
  readProvisioning,
  setProvisioning,
  tooManyDeletesAction,
  type LiveProvisioning,
  type ProvisioningAction,
  type TooManyDeletesAction,
} from './provisioning';
export {
  getJobStatus,
  jobProblems,
  type JobStatus,
  type ExecutionSummary,
  type QuarantineSummary,
  type ProgressSummary,
} from './status';
export {
  provisionOnDemand,
  formatOnDemand,
  onDemandVerdict,
  MAX_ON_DEMAND_MEMBERS,
  ON_DEMAND_TIMEOUT_MS,
  type OnDemandArgs,
  type OnDemandResult,
  type OnDemandStep,
  type OnDemandSubject,
} from './on-demand';
export {
  runCanary,
  canaryLagWait,
  CANARY_LAG_WAIT,
  CANARY_LAG_WAIT_ENV,
  type CanaryArgs,
  type CanaryResult,
} from './canary';
export {
  listProvisioningLogs,
  type ProvisioningLogEntry,
  type ProvisioningLogs,
  type ProvisioningLogsArgs,
} from './provisioning-logs';
export { RESTART_SCOPES, parseRestartScopes, restartJob, type RestartScope, type RestartResult } from './restart';
export { waitForSteadyState, type WaitArgs, type WaitOutcome } from './steady-state';
export {
  planMappings,
  applyMappings,
  readMappings,
  resetMappings,
  type LiveMappings,
  type MappingsArgs,
} from './mappings';
export { planDeployment, type PlanArgs, type PlanResult } from './plan';
export { exportPortalApp, readPortalApp } from './export';
export {
  activeCertificateExpiry,
  federationMetadataUrlFor,
  metadataAuthorityHost,
  readSingleSignOn,
  setSingleSignOn,
  singleSignOnDrift,
  thumbprintOf,
  type LiveSingleSignOn,
  type SigningCertificate,
  type SingleSignOnArgs,
} from './sso';
export type { CredentialSettings, MappingsSpec } from '../core';
