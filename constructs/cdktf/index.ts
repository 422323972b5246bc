/**
 * CDK for Terraform binding: the `RollbarProvisioning` construct. Every cdktf import of the package stays in
 * this directory (and `stacks/cdktf`), so that a move to cdktf's community fork stays mechanical.
 * @module
 */
export { RollbarProvisioning, type RollbarProvisioningProps, type SsoOutputs } from './rollbar-provisioning';
