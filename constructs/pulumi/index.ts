/**
 * Pulumi binding: `RollbarProvisioning`, a ComponentResource that translates the core model to @pulumi/azuread
 * resources and to dynamic resources for the Graph-only steps. Named exports only: the dynamic resources and their
 * providers are internal (Pulumi records their module path, `lib/constructs/pulumi/dynamic/*.js`, not a name from
 * here).
 * @module
 */
export {
  RollbarProvisioning,
  ROLLBAR_PROVISIONING_TYPE,
  type RollbarProvisioningArgs,
  type SsoOutputs,
} from './rollbar-provisioning';
export { RollbarProvisioningError } from '../core';
