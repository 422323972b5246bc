import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { RollbarProvisioning } from '../../constructs/cdktf';
import { DEFAULTS } from '../../constructs/core/defaults';
import { provisioningPortalUrl } from '../../constructs/core/portal';
import type { RollbarConfig } from '../../constructs/config';
import { addStateBackend, type StateBackend } from './state-backend';

/** The stack's id: its directory under `cdktf.out/stacks` and its name in `cdktf deploy`. */
export const STACK_ID = 'rollbar';

/** The ephemeral variable that carries the Rollbar token (`TF_VAR_rollbar_secret_token`). */
export const SECRET_TOKEN_VARIABLE = 'rollbar_secret_token';

/** The variable that says which token that is (`TF_VAR_rollbar_secret_token_version`): bump it to rotate. */
export const SECRET_TOKEN_VERSION_VARIABLE = 'rollbar_secret_token_version';

/** Ephemeral input variables need Terraform 1.10 (earlier versions reject the `ephemeral` argument). */
export const TERRAFORM_VERSION_CONSTRAINT = '>= 1.10';

/** Props of {@link RollbarStack}. */
export interface RollbarStackProps {
  /** The configuration, as `loadConfig` reads it from `rollbar.yaml`. */
  readonly config: RollbarConfig;
  /**
   * Where the state lives.
   * @default - cdktf's own default (only for tests: it is an absolute path)
   */
  readonly backend?: StateBackend;
}

/**
 * The `rollbar` stack: one tenant's Rollbar provisioning from one configuration file. The azuread provider and
 * the CLI steps both sign in from the environment (`ARM_*`), so the stack names no credential.
 */
export class RollbarStack extends TerraformStack {
  readonly rollbar: RollbarProvisioning;

  constructor(scope: Construct, id: string, props: RollbarStackProps) {
    super(scope, id);
    new AzureadProvider(this, 'azuread', {});
    this.addOverride('terraform.required_version', TERRAFORM_VERSION_CONSTRAINT);
    // cdktf 0.21's HCL renderer writes the terraform block's plain attributes by index (`0 = "required_version"`,
    // render.js renderTerraform passes the key list): `cdktf synth --hcl` gets the attribute written properly.
    const toHcl = this.toHclTerraform.bind(this);
    this.toHclTerraform = () => {
      const out = toHcl();
      const hcl = String(out.hcl).replace(
        /^(\s*)0 = "required_version"$/m,
        `$1required_version = "${TERRAFORM_VERSION_CONSTRAINT}"`,
      );
      return { ...out, hcl };
    };
    const token = new TerraformVariable(this, SECRET_TOKEN_VARIABLE, {
      type: 'string',
      sensitive: true,
      nullable: false,
      description:
        'Rollbar SCIM access token (Rollbar > Account Settings > Identity Provider > Provisioning Options). Set TF_VAR_rollbar_secret_token, at plan and again at apply.',
    });
    // Ephemeral: Terraform keeps the value out of saved plans and the state. cdktf 0.21 has no option for it.
    token.addOverride('ephemeral', true);
    const version = new TerraformVariable(this, SECRET_TOKEN_VERSION_VARIABLE, {
      type: 'string',
      nullable: false,
      default: props.config.secretTokenVersion ?? DEFAULTS.secretTokenVersion,
      description:
        'Which Rollbar token rollbar_secret_token holds: change it whenever the token changes, and the deploy tests and saves the new one.',
    });
    this.rollbar = new RollbarProvisioning(this, 'Rollbar', {
      ...props.config,
      secretToken: token.stringValue,
      secretTokenVersion: version.stringValue,
    });
    if (props.backend !== undefined) addStateBackend(this, props.backend);

    new TerraformOutput(this, 'application_object_id', {
      value: this.rollbar.applicationObjectId,
      description: 'Object id of the Rollbar application registration.',
    });
    new TerraformOutput(this, 'service_principal_id', {
      value: this.rollbar.servicePrincipalId,
      description: 'The Rollbar enterprise application: rollbar-provisioning status --service-principal-id <this>',
    });
    new TerraformOutput(this, 'service_principal_object_id', {
      value: this.rollbar.servicePrincipalObjectId,
      description: 'Object id of the Rollbar enterprise application (service principal).',
    });
    new TerraformOutput(this, 'synchronization_job_id', {
      value: this.rollbar.synchronizationJobId,
      description: 'Id of the provisioning job.',
    });
    new TerraformOutput(this, 'portal_url', {
      value: provisioningPortalUrl(this.rollbar.servicePrincipalObjectId),
      description: 'Provisioning page of the Rollbar enterprise application in the Azure portal.',
    });
    const sso = this.rollbar.sso;
    if (sso !== undefined) {
      new TerraformOutput(this, 'sso_federation_metadata_url', {
        value: sso.federationMetadataUrl,
        description: 'Paste its XML into Rollbar: Account Settings, Identity Provider, SAML Metadata (AZURE).',
      });
      new TerraformOutput(this, 'sso_signing_certificate_thumbprint', {
        value: sso.signingCertificateThumbprint,
        description: 'Thumbprint of the active SAML signing certificate.',
      });
      new TerraformOutput(this, 'sso_signing_certificate_expiry', {
        value: sso.signingCertificateExpiry,
        description: 'Expiry of the active SAML signing certificate: rotate before it (README).',
      });
    }
  }
}
