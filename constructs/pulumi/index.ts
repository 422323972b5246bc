/**
 * Pulumi binding: `RollbarProvisioning`, a ComponentResource that translates the core model to @pulumi/azuread
 * resources and to dynamic resources for the Graph-only steps.
 * @module
 */
export {
  RollbarProvisioning,
  ROLLBAR_PROVISIONING_TYPE,
  isUnresolvedInput,
  type RollbarProvisioningArgs,
} from './rollbar-provisioning';
export { SyncTemplate, syncTemplateProvider, type SyncTemplateOutputs } from './dynamic/sync-template';
export {
  Credentials,
  credentialsProvider,
  type CredentialsArgs,
  type CredentialsInputs,
  type CredentialsOutputs,
} from './dynamic/credentials';
export {
  Mappings,
  mappingsProvider,
  type MappingsArgs,
  type MappingsInputs,
  type MappingsOutputs,
} from './dynamic/mappings';
export {
  ProvisioningState,
  provisioningStateProvider,
  type ProvisioningStateArgs,
  type ProvisioningStateInputs,
  type ProvisioningStateOutputs,
} from './dynamic/provisioning-state';
export { graphAuthFromConfig, type GraphAuthArgs, type GraphTargetArgs } from './graph-auth';
// graph-bundle.ts is repository tooling (`npm run build:graph`), not exported: its declarations name esbuild, a
// devDependency, and would fail a consumer's type check (skipLibCheck off, as in Pulumi's TypeScript template).
export { GRAPH_MODULE_SPECIFIER, type GraphTarget } from './dynamic/graph-session';
export { RollbarProvisioningError } from '../core';
