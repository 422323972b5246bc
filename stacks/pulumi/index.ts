/**
 * The Pulumi program (`pulumi up`; Pulumi.yaml points here): Rollbar provisioning as `rollbar.yaml` declares it.
 *
 * Stack configuration:
 * - `rollbar:secretToken` (required, secret): the Rollbar SCIM token, `pulumi config set --secret rollbar:secretToken`.
 * - `rollbar:configFile` (optional): the configuration file, relative to the project directory.
 *   @default - env ROLLBAR_CONFIG, else rollbar.yaml
 * - `azuread:*`: the azuread provider's settings; the Graph steps sign in with the same ones (or the ARM_* env).
 */
import * as pulumi from '@pulumi/pulumi';
import { provisioningPortalUrl } from '../../constructs/core/portal';
import { RollbarProvisioning } from '../../constructs/pulumi';
import { configPath, loadConfig } from '../../constructs/config';

const config = new pulumi.Config('rollbar');
const spec = loadConfig(config.get('configFile') ?? configPath());

const rollbar = new RollbarProvisioning('rollbar', { ...spec, secretToken: config.requireSecret('secretToken') });

/** Object id of the application registration. */
export const applicationObjectId = rollbar.applicationObjectId;
/** `/servicePrincipals/{oid}` of the Rollbar enterprise application. */
export const servicePrincipalId = rollbar.servicePrincipalId;
/** Object id of the Rollbar enterprise application: `rollbar-provisioning status --service-principal-id …`. */
export const servicePrincipalObjectId = rollbar.servicePrincipalObjectId;
/** The provisioning job's id. */
export const synchronizationJobId = rollbar.synchronizationJobId;
/** App role ids by role value. */
export const appRoleIds = rollbar.appRoleIds;
/** The provisioning page of the Rollbar enterprise application in the Azure portal. */
export const portalUrl = rollbar.servicePrincipalObjectId.apply(provisioningPortalUrl);
/** With `sso`: paste its XML into Rollbar (Account Settings, Identity Provider, SAML Metadata, AZURE). */
export const ssoFederationMetadataUrl = rollbar.sso?.federationMetadataUrl;
/** With `sso`: the active SAML signing certificate's thumbprint. */
export const ssoSigningCertificateThumbprint = rollbar.sso?.signingCertificateThumbprint;
/** With `sso`: the active SAML signing certificate's expiry; rotate before it (README). */
export const ssoSigningCertificateExpiry = rollbar.sso?.signingCertificateExpiry;
