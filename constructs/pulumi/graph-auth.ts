import * as azuread from '@pulumi/azuread';
import * as pulumi from '@pulumi/pulumi';

/**
 * The stack's `azuread:*` configuration keys that the Graph steps understand, with the ARM_* variable the graph
 * client reads for each (the same settings the azuread provider takes from its configuration or environment).
 */
const PLAIN_SETTINGS = {
  tenantId: 'ARM_TENANT_ID',
  clientCertificatePath: 'ARM_CLIENT_CERTIFICATE_PATH',
  environment: 'ARM_ENVIRONMENT',
  useOidc: 'ARM_USE_OIDC',
  oidcTokenFilePath: 'ARM_OIDC_TOKEN_FILE_PATH',
  oidcRequestUrl: 'ARM_OIDC_REQUEST_URL',
  useMsi: 'ARM_USE_MSI',
} as const;

/**
 * Kept secret: the azuread provider itself marks `clientId` secret, along with the real secrets. Short-lived tokens
 * (`oidcToken`, `oidcRequestToken`) are not among them: inputs are stored in the state, and a token stored there is
 * stale at the next refresh; the provider process reads them from ARM_OIDC_TOKEN / ARM_OIDC_REQUEST_TOKEN (or the
 * CI system) when it runs.
 */
const SECRET_SETTINGS = {
  clientId: 'ARM_CLIENT_ID',
  clientSecret: 'ARM_CLIENT_SECRET',
  clientCertificatePassword: 'ARM_CLIENT_CERTIFICATE_PASSWORD',
} as const;

/** How the dynamic resources sign in to Graph: like the stack's azuread provider. */
export interface GraphAuthArgs {
  /**
   * Non-secret ARM_* settings from the stack's `azuread:*` configuration.
   * @default - none: the ARM_* environment of the `pulumi` process alone
   */
  readonly graphAuth?: pulumi.Input<Record<string, string>>;
  /**
   * Secret ARM_* settings from the stack's `azuread:*` configuration, as a secret input (encrypted in state,
   * never shown by `pulumi preview`).
   * @default - none
   */
  readonly graphAuthSecrets?: pulumi.Input<Record<string, string>>;
}

/** The inputs every dynamic resource of the component takes to reach Graph. */
export interface GraphTargetArgs extends GraphAuthArgs {
  /** `/servicePrincipals/{oid}`. */
  readonly servicePrincipalId: pulumi.Input<string>;
  /** The tenant of the stack's azuread provider (`getClientConfig`): Graph calls for another tenant are refused. */
  readonly tenantId: pulumi.Input<string>;
}

/**
 * Reads the stack's `azuread:*` configuration at construction time. The provider process inherits the ARM_*
 * environment of `pulumi` but not the stack configuration, so settings given as configuration travel as inputs:
 * the plain ones as they are, the secret ones (read with `getSecret`, whether or not they were set with
 * `--secret`) inside one secret input. A stack configured only through ARM_* variables passes nothing.
 */
export function graphAuthFromConfig(config: pulumi.Config = new pulumi.Config('azuread')): GraphAuthArgs {
  const plain = Object.entries(PLAIN_SETTINGS).flatMap(([key, env]) => {
    const value = config.get(key);
    return value === undefined || value === '' ? [] : [[env, value] as const];
  });
  const secret = Object.entries(SECRET_SETTINGS).flatMap(([key, env]) => {
    const value = config.getSecret(key);
    return value === undefined ? [] : [[env, value] as const];
  });
  return {
    ...(plain.length > 0 && { graphAuth: Object.fromEntries(plain) }),
    ...(secret.length > 0 && {
      graphAuthSecrets: pulumi.secret(
        pulumi.output(Object.fromEntries(secret)) as pulumi.Output<Record<string, string>>,
      ),
    }),
  };
}

/**
 * Signs in as the azuread provider the component was given (`opts.provider` or `opts.providers`): its string
 * identity (tenant, client id, environment) is copied from the provider's outputs, so that two components with two
 * providers reach two tenants. How it signs in (client secret, certificate, OIDC, managed identity, Azure CLI) is not
 * among the provider's outputs that can be trusted to be set, so it comes from the ARM_* environment of the
 * `pulumi` process when the step runs; no secret and no token of the provider is copied into the state.
 */
export function graphAuthFromProvider(
  provider: azuread.Provider,
): GraphAuthArgs & { tenantId?: pulumi.Output<string> } {
  const present = (entries: [string, string | undefined][]): Record<string, string> =>
    Object.fromEntries(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  return {
    graphAuth: pulumi.all([provider.tenantId, provider.environment]).apply(([tenantId, environment]) =>
      present([
        ['ARM_TENANT_ID', tenantId],
        ['ARM_ENVIRONMENT', environment],
      ]),
    ),
    graphAuthSecrets: pulumi.secret(
      pulumi.output(provider.clientId).apply((clientId) => present([['ARM_CLIENT_ID', clientId]])),
    ),
  };
}

/** The azuread provider of the component's options, if one was given. */
export function azureadProviderOf(opts: pulumi.ComponentResourceOptions | undefined): azuread.Provider | undefined {
  const candidates: unknown[] = [
    opts?.provider,
    ...(Array.isArray(opts?.providers) ? opts.providers : Object.values(opts?.providers ?? {})),
  ];
  return candidates.find((p): p is azuread.Provider => azuread.Provider.isInstance(p));
}
