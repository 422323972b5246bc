import { AppRoleAssignment } from '@cdktf/provider-azuread/lib/app-role-assignment';
import { ApplicationAppRoleA } from '@cdktf/provider-azuread/lib/application-app-role';
import { ApplicationFromTemplate } from '@cdktf/provider-azuread/lib/application-from-template';
import { ApplicationIdentifierUri } from '@cdktf/provider-azuread/lib/application-identifier-uri';
import { ApplicationRedirectUris } from '@cdktf/provider-azuread/lib/application-redirect-uris';
import { ServicePrincipalTokenSigningCertificate } from '@cdktf/provider-azuread/lib/service-principal-token-signing-certificate';
import { DataAzureadApplication } from '@cdktf/provider-azuread/lib/data-azuread-application';
import { DataAzureadApplicationTemplate } from '@cdktf/provider-azuread/lib/data-azuread-application-template';
import { DataAzureadClientConfig } from '@cdktf/provider-azuread/lib/data-azuread-client-config';
import { DataAzureadServicePrincipal } from '@cdktf/provider-azuread/lib/data-azuread-service-principal';
import { SynchronizationJob } from '@cdktf/provider-azuread/lib/synchronization-job';
import { Fn, TerraformIterator, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DEFAULTS, resolveSpec, type ResolvedSpec } from '../core/defaults';
import type { ResolvedSso } from '../core/sso';
import { constructIds } from '../core/naming';
import { renderSettings } from '../core/secrets';
import { throwIfProblems } from '../core/problems';
import type { RollbarProvisioningSpec } from '../core/spec';
import { validateSpec } from '../core/validate';
import { CliAsset } from './cli-asset';
import { ExternalData } from './external-data';
import { addPlanChecks, converged } from './plan-checks';
import { CliStep } from './step';
import { jsonTemplate, literal } from './template-string';
import { isUnresolved } from './unresolved';

/**
 * Props of {@link RollbarProvisioning}: the spec, with values that may be Terraform tokens (the token must be
 * one), plus what only CDKTF has.
 */
export interface RollbarProvisioningProps extends RollbarProvisioningSpec<string> {
  /**
   * The azuread provider for every azuread resource and data source (an aliased provider, for example).
   * The CLI steps sign in from the environment (`ROLLBAR_GRAPH_TOKEN` or the `ARM_*` settings) and refuse to
   * act in a tenant other than this provider's.
   * @default - the stack's default azuread provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * `${azuread_application_app_role.<name>.role_id}` as plain text rather than a cdktf token: Terraform reads the
 * same reference, but cdktf resolves a token in each of 10,000 for_each entries about four times slower than
 * it copies a string. Asking for `fqn` first fixes the name: cdktf refuses to override it afterwards.
 */
function roleReference(role: ApplicationAppRoleA): string {
  void role.fqn;
  return `\${${ApplicationAppRoleA.tfResourceType}.${role.friendlyUniqueId}.role_id}`;
}

/** What {@link RollbarProvisioning.sso} gives: the values an admin pastes into Rollbar, and the expiry to watch. */
export interface SsoOutputs {
  /** The app's federation metadata URL (Rollbar: Account Settings ▸ Identity Provider ▸ SAML Metadata). */
  readonly federationMetadataUrl: string;
  /** The active signing certificate's thumbprint. */
  readonly signingCertificateThumbprint: string;
  /** The active signing certificate's expiry (RFC 3339). */
  readonly signingCertificateExpiry: string;
}

/** The spec's `sso` as the Graph step and the plan-time read take it (plain: `jsonTemplate` escapes it). */
function ssoStepInput(sso: ResolvedSso): Record<string, unknown> {
  return {
    accountName: sso.accountName,
    ...(sso.notificationEmails !== undefined && { certificateNotificationEmails: [...sso.notificationEmails] }),
  };
}

/** The service principal, in the id forms that the resources take. */
interface ServicePrincipalIds {
  /** `/applications/{oid}`, for `azuread_application_app_role`. */
  readonly applicationId: string;
  readonly applicationObjectId: string;
  /** `/servicePrincipals/{oid}`, for the sync resources and the CLI. */
  readonly servicePrincipalId: string;
  /** The bare object id, for assignments. */
  readonly servicePrincipalObjectId: string;
}

/**
 * Automatic user provisioning (SCIM) of the Rollbar gallery app in Microsoft Entra ID, the whole admin center
 * procedure in Microsoft's order: instantiate the app, create the roles and assignments, create the job
 * disabled, validate and save the credentials, apply the mappings, then start.
 *
 * The Graph-only steps run the package's CLI, shipped inside the synthesized stack. The token reaches it only
 * through the environment of a `local-exec`, never `cdk.tf.json`, argv, a saved plan or state, when it is an
 * ephemeral variable (Terraform 1.10 or later). A new token is saved when `secretTokenVersion` changes.
 */
export class RollbarProvisioning extends Construct {
  /** Object id of the application (registration). */
  readonly applicationObjectId: string;
  /** The service principal's `/servicePrincipals/{oid}` id, the form the sync resources take. */
  readonly servicePrincipalId: string;
  /** The service principal's object id (a bare GUID), the form assignments take. */
  readonly servicePrincipalObjectId: string;
  /** The provisioning job's Graph id (such as `rollbar.<hex>.<hex>`), as `status` and the admin center show it. */
  readonly synchronizationJobId: string;
  /**
   * Each role's id by role value. References to the role resources, so that a dependent resource waits for
   * its role (the values are also known in advance: core `roleId(value)`).
   */
  readonly appRoleIds: Readonly<Record<string, string>>;
  /**
   * SAML single sign-on, when `sso` is declared: what an admin pastes into Rollbar (the federation metadata URL)
   * and the active signing certificate's thumbprint and expiry.
   */
  readonly sso?: SsoOutputs;

  constructor(scope: Construct, id: string, props: RollbarProvisioningProps) {
    super(scope, id);
    const { provider, ...spec } = props;
    throwIfProblems(validateSpec(spec, { isUnresolved, secretTokenMustBeUnresolved: true }));
    const r = resolveSpec(spec);
    const meta = provider === undefined ? {} : { provider };

    const tenantId = new DataAzureadClientConfig(this, constructIds.clientConfig, meta).tenantId;
    const sp = this.servicePrincipal(r, meta);
    this.applicationObjectId = sp.applicationObjectId;
    this.servicePrincipalId = sp.servicePrincipalId;
    this.servicePrincipalObjectId = sp.servicePrincipalObjectId;

    const roles: ApplicationAppRoleA[] = [];
    const roleIds: Record<string, string> = {};
    const roleRefs: Record<string, string> = {};
    for (const role of r.roles) {
      const resource = new ApplicationAppRoleA(this, constructIds.role(role.value), {
        ...meta,
        applicationId: sp.applicationId,
        roleId: role.id,
        value: role.value,
        displayName: literal(role.displayName),
        description: literal(role.description),
        allowedMemberTypes: [...role.allowedMemberTypes],
      });
      roles.push(resource);
      roleIds[role.value] = resource.roleId;
      roleRefs[role.value] = roleReference(resource);
    }
    this.appRoleIds = roleIds;

    // One resource for every assignment: synthesis stays flat at 10,000 of them, and each instance's address
    // is its key (`…["platform-team"]`), so reordering or adding one moves no other.
    const entries: Record<string, { principal_object_id: string; role_id: string }> = {};
    for (const a of r.assignments) {
      entries[a.key] = { principal_object_id: a.principalObjectId, role_id: roleRefs[a.role] ?? '' };
    }
    const each = TerraformIterator.fromMap(entries);
    const assignments = new AppRoleAssignment(this, constructIds.assignments, {
      ...meta,
      forEach: each,
      appRoleId: each.getString('role_id'),
      principalObjectId: each.getString('principal_object_id'),
      resourceObjectId: sp.servicePrincipalObjectId,
      // Every role exists before it is assigned and outlives its assignments.
      dependsOn: roles,
    });

    const cli = new CliAsset(this, constructIds.cli);
    // The patch as JSON: readable in cdk.tf.json and, as a trigger, in `cdktf plan`.
    const patch = r.mappings === undefined ? undefined : jsonTemplate(r.mappings);
    // The one plan-time read. It finds the job itself: a job id input would make it wait for the job, which
    // waits for its template id.
    const plan = new ExternalData(this, constructIds.plan, {
      program: cli.program('graph', 'plan'),
      query: {
        servicePrincipalId: sp.servicePrincipalId,
        tenantId,
        enabled: String(r.provisioningEnabled),
        ...(patch !== undefined && { mappings: patch }),
        ...(r.syncTemplateId !== undefined && { syncTemplateId: literal(r.syncTemplateId) }),
        ...(r.sso !== undefined && { sso: jsonTemplate(ssoStepInput(r.sso)) }),
      },
    });
    addPlanChecks(plan, { mappings: patch !== undefined, sso: r.sso !== undefined });

    const job = new SynchronizationJob(this, constructIds.job, {
      ...meta,
      servicePrincipalId: sp.servicePrincipalId,
      // Read only while no job exists; "" afterwards, which the job ignores.
      templateId: r.syncTemplateId ?? plan.result('templateId'),
      // Created disabled: the ProvisioningState step starts it once the credentials are saved. Graph owns
      // `enabled` from then on, and a template id read again later must not replace the job.
      enabled: false,
      lifecycle: { ignoreChanges: ['enabled', 'template_id'] },
    });
    // The provider's id is /servicePrincipals/{oid}/synchronization/jobs/{jobId}.
    this.synchronizationJobId = Token.asString(Fn.element(Fn.split('/', job.id), 5));
    const target = { servicePrincipalId: sp.servicePrincipalId, jobId: this.synchronizationJobId, tenantId };

    const credentials = new CliStep(this, constructIds.credentials, {
      cli,
      command: 'save-credentials',
      input: { ...target, settings: r.settings, test: r.testConnection },
      triggers: {
        // The token is an ephemeral variable: Terraform refuses it (or anything derived from it, a hash
        // included) in a stored argument, so a rotation is announced by its version, a plain value.
        secret_token_version: r.secretTokenVersion,
        // What is saved besides the token, as Graph receives it: a change of what Graph would store re-runs it.
        settings: Object.fromEntries(renderSettings(r.settings).map((c) => [c.key, literal(c.value)])),
        job_id: job.id,
        test_connection: r.testConnection,
      },
      // A provisioner's environment is the one place an ephemeral value may go, and is never stored. Terraform
      // replaces the command's output with "(output suppressed due to ephemeral value in config)" while it
      // runs, but keeps it in the error of a failed run, so Graph's reason for a failed test still shows.
      secretEnvironment: { ROLLBAR_SECRET_TOKEN: r.secretToken },
    });

    // Only when the spec manages the schema. Its triggers: the patch, the desired schema (a new template
    // schema from Microsoft re-runs it) and the live schema's drift.
    const mappings =
      r.mappings === undefined || patch === undefined
        ? undefined
        : new CliStep(this, constructIds.mappings, {
            cli,
            command: 'apply-mappings',
            input: { ...target, mappings: r.mappings },
            triggers: {
              mappings: patch,
              desired_digest: plan.result('desiredDigest'),
              job_id: job.id,
              // The key and value of the previous release, so that an upgrade does not re-run the step.
              live_schema: converged(plan.result('mappingsInSync'), 'in sync'),
            },
            dependsOn: [credentials],
          });

    // The canary: one user on demand, while a new job is still disabled (on demand needs no running job for a
    // bearer-token app: constructs/graph/canary.ts). It runs again after the credentials or the mappings ran
    // (their ids are new then) and when provisioning is switched on; a failure stops the apply before the
    // ProvisioningState step.
    const canary =
      r.canary === undefined
        ? undefined
        : new CliStep(this, constructIds.canary, {
            cli,
            command: 'provision-on-demand',
            input: { ...target, principalObjectId: r.canary.principalObjectId, enabled: r.provisioningEnabled },
            triggers: {
              principal_object_id: r.canary.principalObjectId,
              enabled: r.provisioningEnabled,
              job_id: job.id,
              credentials: credentials.id,
              ...(mappings !== undefined && { mappings: mappings.id }),
            },
            dependsOn: [assignments, credentials, ...(mappings === undefined ? [] : [mappings])],
          });

    new CliStep(this, constructIds.provisioningState, {
      cli,
      command: 'set-provisioning',
      input: { ...target, enabled: r.provisioningEnabled },
      // Not the other steps' ids: a mapping drift re-runs the mappings step alone, and a job paused or
      // quarantined (by bad credentials, say) is seen by the plan-time read itself.
      triggers: {
        enabled: r.provisioningEnabled,
        job_id: job.id,
        job_state: converged(plan.result('jobOk'), 'ok'),
      },
      // Still after them: the job starts only with its credentials saved, its mappings written and the canary
      // provisioned.
      dependsOn: [
        assignments,
        credentials,
        ...(mappings === undefined ? [] : [mappings]),
        ...(canary === undefined ? [] : [canary]),
      ],
    });

    if (r.sso !== undefined) this.sso = this.singleSignOn(r.sso, sp, { cli, plan, tenantId, meta });
  }

  /**
   * SAML SSO, the tutorial's "Basic SAML Configuration" and "SAML Signing Certificate": the identifier and the
   * reply URL on the application (the provider's resources for them), one token-signing certificate per declared
   * key (the provider's), then the Graph step for what the service principal holds (SAML mode, sign-on URL,
   * expiry e-mails, which certificate is active).
   */
  private singleSignOn(
    sso: ResolvedSso,
    sp: ServicePrincipalIds,
    c: { cli: CliAsset; plan: ExternalData; tenantId: string; meta: { provider?: TerraformProvider } },
  ): SsoOutputs {
    const identifier = new ApplicationIdentifierUri(this, constructIds.ssoIdentifierUri, {
      ...c.meta,
      applicationId: sp.applicationId,
      identifierUri: sso.identifierUri,
    });
    const replyUrls = new ApplicationRedirectUris(this, constructIds.ssoRedirectUris, {
      ...c.meta,
      applicationId: sp.applicationId,
      type: 'Web',
      redirectUris: [sso.replyUrl],
    });
    const certificates = new Map(
      sso.certificates.map((cert) => [
        cert.key,
        new ServicePrincipalTokenSigningCertificate(this, constructIds.ssoCertificate(cert.key), {
          ...c.meta,
          servicePrincipalId: sp.servicePrincipalId,
          ...(cert.endDate !== undefined && { endDate: cert.endDate }),
        }),
      ]),
    );
    // validateSpec guarantees the active key is declared.
    const active = certificates.get(sso.activeCertificate)!;
    new CliStep(this, constructIds.ssoSettings, {
      cli: c.cli,
      command: 'set-sso',
      input: {
        servicePrincipalId: sp.servicePrincipalId,
        tenantId: c.tenantId,
        sso: ssoStepInput(sso),
        activeThumbprint: active.thumbprint,
      },
      triggers: {
        sso: jsonTemplate(ssoStepInput(sso)),
        active_thumbprint: active.thumbprint,
        service_principal_id: sp.servicePrincipalId,
        // SAML mode, sign-on URL or e-mails changed in the portal re-run the step (the plan-time read sees them).
        live_sso: converged(c.plan.result('ssoInSync'), 'in sync'),
      },
      // After the application holds Rollbar's identifier and reply URL: SAML mode is switched on last.
      dependsOn: [identifier, replyUrls, ...certificates.values()],
    });
    return {
      federationMetadataUrl: c.plan.result('federationMetadataUrl'),
      signingCertificateThumbprint: active.thumbprint,
      signingCertificateExpiry: active.endDate,
    };
  }

  /** The app to provision: the adopted service principal, or one instantiated from the gallery. */
  private servicePrincipal(r: ResolvedSpec, meta: { provider?: TerraformProvider }): ServicePrincipalIds {
    const adopted = r.existingServicePrincipalObjectId;
    if (adopted !== undefined) {
      const existing = new DataAzureadServicePrincipal(this, constructIds.existingServicePrincipal, {
        ...meta,
        objectId: adopted,
      });
      // The roles need the application's object id, which the service principal does not carry: the
      // application is found by the client id they share.
      const application = new DataAzureadApplication(this, constructIds.existingApplication, {
        ...meta,
        clientId: existing.clientId,
      });
      return {
        applicationId: `/applications/${application.objectId}`,
        applicationObjectId: application.objectId,
        servicePrincipalId: `/servicePrincipals/${adopted}`,
        servicePrincipalObjectId: adopted,
      };
    }
    const templateId =
      r.applicationTemplateId ??
      new DataAzureadApplicationTemplate(this, constructIds.template, {
        ...meta,
        displayName: DEFAULTS.galleryDisplayName,
      }).templateId;
    const app = new ApplicationFromTemplate(this, constructIds.application, {
      ...meta,
      displayName: literal(r.displayName),
      templateId,
      ...(r.protect && { lifecycle: { preventDestroy: true } }),
    });
    return {
      applicationId: app.applicationId,
      applicationObjectId: app.applicationObjectId,
      servicePrincipalId: app.servicePrincipalId,
      servicePrincipalObjectId: app.servicePrincipalObjectId,
    };
  }
}
