/**
 * Names of every piece, in both engines. Construct ids and Pulumi names are public API: a resource's address
 * comes from them, so changing one replaces the resource. Entries keyed by a user's stable name (a role value,
 * an assignment key) never depend on their position, so reordering or adding one leaves the others alone.
 */

/** Construct ids of the CDKTF children of `RollbarProvisioning`. */
export const constructIds = {
  clientConfig: 'ClientConfig',
  template: 'Template',
  application: 'Application',
  existingServicePrincipal: 'ExistingServicePrincipal',
  existingApplication: 'ExistingApplication',
  role: (value: string): string => `Role-${value}`,
  assignments: 'Assignments',
  plan: 'Plan',
  job: 'Job',
  credentials: 'Credentials',
  mappings: 'Mappings',
  canary: 'Canary',
  provisioningState: 'ProvisioningState',
  ssoIdentifierUri: 'SsoIdentifierUri',
  ssoRedirectUris: 'SsoRedirectUris',
  ssoCertificate: (key: string): string => `SsoCertificate-${key}`,
  ssoSettings: 'SsoSettings',
  cli: 'Cli',
} as const;

/** Names of the Pulumi children of the component called `component`. */
export function pulumiNames(component: string) {
  return {
    clientConfig: `${component}-client-config`,
    template: `${component}-template`,
    application: `${component}-app`,
    existingServicePrincipal: `${component}-existing-sp`,
    role: (value: string): string => `${component}-role-${value}`,
    assignment: (key: string): string => `${component}-assignment-${key}`,
    syncTemplate: `${component}-sync-template`,
    job: `${component}-job`,
    credentials: `${component}-credentials`,
    mappings: `${component}-mappings`,
    canary: `${component}-canary`,
    provisioningState: `${component}-provisioning-state`,
    ssoIdentifierUri: `${component}-sso-identifier-uri`,
    ssoRedirectUris: `${component}-sso-redirect-uris`,
    ssoCertificate: (key: string): string => `${component}-sso-certificate-${key}`,
    ssoSettings: `${component}-sso-settings`,
  } as const;
}

/** The kebab-case form that assignment keys must have (they become resource addresses). */
export const ASSIGNMENT_KEY_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Role values: Graph's allowed characters, narrowed to what is safe in a construct id and a Pulumi name. */
export const ROLE_VALUE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$/;
