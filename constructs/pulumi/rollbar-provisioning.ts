import * as azuread from '@pulumi/azuread';
import * as pulumi from '@pulumi/pulumi';
import {
  DEFAULTS,
  pulumiNames,
  resolveSpec,
  validateSpec,
  type ResolvedSpec,
  type ResolvedSso,
  type RollbarProvisioningSpec,
} from '../core';
import { throwIfProblems } from '../core/problems';
import { boundDebugStacks } from './debug-stacks';
import { Canary } from './dynamic/canary';
import { Credentials } from './dynamic/credentials';
import { Mappings } from './dynamic/mappings';
import { ProvisioningState } from './dynamic/provisioning-state';
import { SsoSettings } from './dynamic/sso-settings';
import { SyncTemplate } from './dynamic/sync-template';
import { azureadProviderOf, graphAuthFromConfig, graphAuthFromProvider, type GraphTargetArgs } from './graph-auth';

/**
 * The spec, with `pulumi.Input<string>` for the values that pass through (the token, the tenant URL, principal
 * object ids). Values that decide what is declared (role values, assignment keys, mappings, flags) stay plain.
 */
export type RollbarProvisioningArgs = RollbarProvisioningSpec<pulumi.Input<string>>;

/** The type token of the component. */
export const ROLLBAR_PROVISIONING_TYPE = 'rollbar-provisioning:index:RollbarProvisioning';

/** A Pulumi Output or a promise: values the spec may hold that are known only at deployment. */
export function isUnresolvedInput(value: unknown): boolean {
  return (
    pulumi.Output.isInstance(value) ||
    (typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function')
  );
}

/** What {@link RollbarProvisioning.sso} gives: the values an admin pastes into Rollbar, and the expiry to watch. */
export interface SsoOutputs {
  /** The app's federation metadata URL (Rollbar: Account Settings ▸ Identity Provider ▸ SAML Metadata). */
  readonly federationMetadataUrl: pulumi.Output<string>;
  /** The active signing certificate's thumbprint. */
  readonly signingCertificateThumbprint: pulumi.Output<string>;
  /** The active signing certificate's expiry (RFC 3339). */
  readonly signingCertificateExpiry: pulumi.Output<string>;
}

/** The enterprise application, instantiated from the gallery or adopted. */
interface Application {
  /** `/applications/{oid}`, what app roles take. */
  readonly applicationId: pulumi.Output<string>;
  readonly applicationObjectId: pulumi.Output<string>;
  /** `/servicePrincipals/{oid}`, what the sync resources take. */
  readonly servicePrincipalId: pulumi.Output<string>;
  /** The bare object id, what assignments take. */
  readonly servicePrincipalObjectId: pulumi.Output<string>;
}

/**
 * Microsoft Entra ID automatic user provisioning of Rollbar, as one component: the gallery app, its roles and
 * assignments, the provisioning job, the credentials (tested before saved), the attribute mappings and the
 * provisioning state, in Microsoft's documented order. The same pieces as the CDKTF construct, from the same
 * resolved model; child names come from `pulumiNames` and depend on role values and assignment keys only.
 */
export class RollbarProvisioning extends pulumi.ComponentResource {
  /** Object id of the application registration. */
  readonly applicationObjectId: pulumi.Output<string>;
  /** `/servicePrincipals/{oid}` of the enterprise application. */
  readonly servicePrincipalId: pulumi.Output<string>;
  /** Object id of the enterprise application (service principal). */
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The provisioning job's id (the last segment of its resource id). */
  readonly synchronizationJobId: pulumi.Output<string>;
  /** App role ids by role value. */
  readonly appRoleIds: pulumi.Output<Record<string, string>>;
  /** SAML single sign-on, when `sso` is declared: the metadata URL and the active certificate. */
  readonly sso?: SsoOutputs;

  /**
   * @throws RollbarProvisioningError listing every problem of `args`, before anything is registered.
   */
  constructor(name: string, args: RollbarProvisioningArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems(validateSpec(args, { isUnresolved: isUnresolvedInput }));
    super(ROLLBAR_PROVISIONING_TYPE, name, {}, opts);

    const spec = resolveSpec(args);
    const names = pulumiNames(name);
    const parent = { parent: this };

    const provider = azureadProviderOf(opts);
    const clientTenant = azuread.getClientConfigOutput(parent).tenantId;
    // The tenant the Graph steps must act in: the given provider's, when it names one.
    const tenantId = provider
      ? pulumi.all([provider.tenantId, clientTenant]).apply(([own, client]) => own ?? client)
      : clientTenant;
    const app = this.application(spec, names.application);

    const roles = new Map(
      spec.roles.map((role) => [
        role.value,
        new azuread.ApplicationAppRole(
          names.role(role.value),
          {
            applicationId: app.applicationId,
            roleId: role.id,
            value: role.value,
            displayName: role.displayName,
            description: role.description,
            allowedMemberTypes: [...role.allowedMemberTypes],
          },
          parent,
        ),
      ]),
    );

    // A plain loop, not `map`, with Pulumi's debug stacks bounded (see debug-stacks.ts): the runtime keeps stack
    // text for every pending promise of every registration, so each frame between here and `new`, and each frame
    // of those strings, costs memory and time per assignment, and large tenants have thousands. The bound is
    // V8's process-wide `Error.stackTraceLimit`, lowered to 8 frames for this synchronous loop only and restored in
    // the `finally` before the constructor returns (left alone with PULUMI_DEBUG_PROMISE_LEAKS set); a benchmark
    // measure (bench/, Pulumi at 10,000 assignments), not behaviour, so it is kept out of the class's docs.
    const assignments: azuread.AppRoleAssignment[] = [];
    const restoreStacks = boundDebugStacks();
    try {
      for (const assignment of spec.assignments) {
        // validateSpec guarantees the role is declared.
        const role = roles.get(assignment.role)!;
        // `appRoleId` is the role resource's output, so the assignment depends on the role (created before it,
        // deleted after it) without an explicit dependsOn, which would also cost memory per assignment.
        assignments.push(
          new azuread.AppRoleAssignment(
            names.assignment(assignment.key),
            {
              appRoleId: role.roleId,
              principalObjectId: assignment.principalObjectId,
              resourceObjectId: app.servicePrincipalObjectId,
            },
            { parent: this },
          ),
        );
      }
    } finally {
      restoreStacks();
    }

    // Signed in as the azuread provider the component was given, else as the stack's (its azuread:* config).
    const target: GraphTargetArgs = {
      servicePrincipalId: app.servicePrincipalId,
      tenantId,
      ...(provider ? graphAuthFromProvider(provider) : graphAuthFromConfig()),
    };

    const templateId = spec.syncTemplateId ?? new SyncTemplate(names.syncTemplate, target, parent).templateId;

    const job = new azuread.SynchronizationJob(
      names.job,
      { servicePrincipalId: app.servicePrincipalId, templateId, enabled: false },
      // Created disabled: ProvisioningState starts it once credentials and mappings are in place. The template is
      // read once; Graph may report another spelling later, which must not replace the job.
      { parent: this, ignoreChanges: ['enabled', 'templateId'] },
    );
    const jobId = job.id.apply((id) => id.split('/').pop() ?? id);

    const credentials = new Credentials(
      names.credentials,
      {
        ...target,
        jobId,
        secretToken: pulumi.secret(spec.secretToken),
        secretTokenVersion: spec.secretTokenVersion,
        settings: spec.settings,
        test: spec.testConnection,
      },
      parent,
    );

    const mappings =
      spec.mappings === undefined
        ? undefined
        : new Mappings(
            names.mappings,
            { ...target, jobId, mappings: spec.mappings },
            { parent: this, dependsOn: [credentials] },
          );

    const after = { credentials: credentials.revision, ...(mappings && { mappings: mappings.revision }) };
    // One user on demand while a new job is still disabled (constructs/graph/canary.ts); ProvisioningState
    // depends on it, so a failed canary leaves the job as it was.
    const canary =
      spec.canary === undefined
        ? undefined
        : new Canary(
            names.canary,
            {
              ...target,
              jobId,
              principalObjectId: spec.canary.principalObjectId,
              enabled: spec.provisioningEnabled,
              after,
            },
            { parent: this, dependsOn: [...assignments, credentials, ...(mappings ? [mappings] : [])] },
          );

    new ProvisioningState(
      names.provisioningState,
      { ...target, jobId, enabled: spec.provisioningEnabled, after },
      {
        parent: this,
        dependsOn: [...assignments, credentials, ...(mappings ? [mappings] : []), ...(canary ? [canary] : [])],
      },
    );

    if (spec.sso !== undefined) this.sso = this.singleSignOn(spec.sso, app, target, names);

    this.applicationObjectId = app.applicationObjectId;
    this.servicePrincipalId = app.servicePrincipalId;
    this.servicePrincipalObjectId = app.servicePrincipalObjectId;
    this.synchronizationJobId = jobId;
    this.appRoleIds = pulumi.output(Object.fromEntries([...roles].map(([value, role]) => [value, role.roleId])));
    this.registerOutputs({
      applicationObjectId: this.applicationObjectId,
      servicePrincipalId: this.servicePrincipalId,
      servicePrincipalObjectId: this.servicePrincipalObjectId,
      synchronizationJobId: this.synchronizationJobId,
      appRoleIds: this.appRoleIds,
      ...(this.sso !== undefined && { sso: this.sso }),
    });
  }

  /**
   * SAML SSO, the same pieces as the CDKTF construct: the identifier and reply URL on the application, one
   * token-signing certificate per declared key, then `SsoSettings` for the service principal's part.
   */
  private singleSignOn(
    sso: ResolvedSso,
    app: Application,
    target: GraphTargetArgs,
    names: ReturnType<typeof pulumiNames>,
  ): SsoOutputs {
    const identifier = new azuread.ApplicationIdentifierUri(
      names.ssoIdentifierUri,
      { applicationId: app.applicationId, identifierUri: sso.identifierUri },
      { parent: this },
    );
    const replyUrls = new azuread.ApplicationRedirectUris(
      names.ssoRedirectUris,
      { applicationId: app.applicationId, type: 'Web', redirectUris: [sso.replyUrl] },
      { parent: this },
    );
    const certificates = new Map(
      sso.certificates.map((cert) => [
        cert.key,
        new azuread.ServicePrincipalTokenSigningCertificate(
          names.ssoCertificate(cert.key),
          { servicePrincipalId: app.servicePrincipalId, ...(cert.endDate !== undefined && { endDate: cert.endDate }) },
          { parent: this },
        ),
      ]),
    );
    // validateSpec guarantees the active key is declared.
    const active = certificates.get(sso.activeCertificate)!;
    const settings = new SsoSettings(
      names.ssoSettings,
      {
        ...target,
        accountName: sso.accountName,
        ...(sso.notificationEmails !== undefined && { notificationEmails: sso.notificationEmails }),
        activeThumbprint: active.thumbprint,
      },
      // After the application holds Rollbar's identifier and reply URL: SAML mode is switched on last.
      { parent: this, dependsOn: [identifier, replyUrls, ...certificates.values()] },
    );
    return {
      federationMetadataUrl: settings.federationMetadataUrl,
      signingCertificateThumbprint: active.thumbprint,
      signingCertificateExpiry: active.endDate,
    };
  }

  /** The gallery app instantiated from its template, or the existing one adopted by its service principal. */
  private application(spec: ResolvedSpec<pulumi.Input<string>>, name: string): Application {
    const parent = { parent: this };
    const existing = spec.existingServicePrincipalObjectId;
    if (existing !== undefined) {
      const sp = azuread.getServicePrincipalOutput({ objectId: existing }, parent);
      const registration = azuread.getApplicationOutput({ clientId: sp.clientId }, parent);
      return {
        applicationId: pulumi.interpolate`/applications/${registration.objectId}`,
        applicationObjectId: registration.objectId,
        servicePrincipalId: pulumi.output(`/servicePrincipals/${existing}`),
        servicePrincipalObjectId: pulumi.output(existing),
      };
    }
    const templateId =
      spec.applicationTemplateId ??
      azuread.getApplicationTemplateOutput({ displayName: DEFAULTS.galleryDisplayName }, parent).templateId;
    const app = new azuread.ApplicationFromTemplate(
      name,
      { displayName: spec.displayName, templateId },
      { parent: this, protect: spec.protect },
    );
    return {
      applicationId: app.applicationId,
      applicationObjectId: app.applicationObjectId,
      servicePrincipalId: app.servicePrincipalId,
      servicePrincipalObjectId: app.servicePrincipalObjectId,
    };
  }
}
