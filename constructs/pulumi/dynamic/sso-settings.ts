import * as pulumi from '@pulumi/pulumi';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import {
  canonicalJson,
  isNotFound,
  openGraph,
  replacedTarget,
  targetOutputs,
  UNKNOWN_VALUE,
  type GraphTarget,
} from './graph-session';

/** What the provider receives. */
export interface SsoSettingsInputs extends GraphTarget {
  readonly accountName: string;
  /** Absent: the notification addresses are not managed. */
  readonly notificationEmails?: readonly string[];
  /** The thumbprint of the certificate to make active (the certificate resource's output). */
  readonly activeThumbprint: string;
}

/** What the provider keeps. */
export interface SsoSettingsOutputs extends SsoSettingsInputs {
  /** The app's federation metadata URL, what Rollbar takes. */
  readonly federationMetadataUrl: string;
  /** The properties the last run wrote (empty when all was as declared). */
  readonly changed: readonly string[];
  /** What the last refresh found different from the declared settings, one line each. */
  readonly drift: readonly string[];
}

/**
 * The service principal's SAML settings (`setSingleSignOn`): SAML mode, the sign-on URL, the expiry e-mails and
 * the active certificate. `diff` reads them, so that a change made in the portal shows in `pulumi preview` and
 * the next `up` sets them again; a run writes only what differs. Deleting it writes nothing: the settings go with
 * the service principal, and an app that stays (adopted) keeps working sign-in.
 */
export function ssoSettingsProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<SsoSettingsInputs, SsoSettingsOutputs> {
  const declared = (i: SsoSettingsInputs) => ({
    accountName: i.accountName,
    ...(i.notificationEmails !== undefined && { notificationEmails: i.notificationEmails }),
    activeThumbprint: i.activeThumbprint,
  });
  const run = async (inputs: SsoSettingsInputs): Promise<SsoSettingsOutputs> => {
    const { graph, client } = openGraph(graphModule, inputs);
    const { changed } = await graph.setSingleSignOn(client, {
      servicePrincipalId: inputs.servicePrincipalId,
      ...declared(inputs),
    });
    const live = await graph.readSingleSignOn(client, inputs.servicePrincipalId);
    return {
      ...targetOutputs(inputs),
      ...declared(inputs),
      federationMetadataUrl: graph.federationMetadataUrlFor(
        { ...process.env, ...inputs.graphAuth },
        inputs.tenantId,
        live.appId,
      ),
      changed,
      drift: [],
    };
  };
  return {
    async diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      const changes =
        replaces.length > 0 ||
        olds.tenantId !== news.tenantId ||
        canonicalJson(declared(olds)) !== canonicalJson(declared(news));
      if (changes || [news.servicePrincipalId, news.activeThumbprint].includes(UNKNOWN_VALUE)) {
        return { changes: true, replaces };
      }
      const { graph, client } = openGraph(graphModule, news);
      const live = await graph.readSingleSignOn(client, news.servicePrincipalId);
      return { changes: graph.singleSignOnDrift(live, declared(news)).length > 0, replaces };
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const { graph, client } = openGraph(graphModule, props);
      try {
        const live = await graph.readSingleSignOn(client, props.servicePrincipalId);
        return { id, props: { ...props, drift: graph.singleSignOnDrift(live, declared(props)) } };
      } catch (e) {
        if (isNotFound(e)) return { id: '' };
        throw e;
      }
    },
    async create(inputs) {
      return { id: `${inputs.servicePrincipalId}/singleSignOn`, outs: await run(inputs) };
    },
    async update(_id, _olds, news) {
      return { outs: await run(news) };
    },
    delete: () => Promise.resolve(),
  };
}

/** Inputs of {@link SsoSettings}. */
export interface SsoSettingsArgs extends GraphTargetArgs {
  readonly accountName: string;
  /**
   * The addresses Entra e-mails before the active certificate expires.
   * @default - not managed
   */
  readonly notificationEmails?: readonly string[];
  readonly activeThumbprint: pulumi.Input<string>;
}

/** The dynamic resource `SsoSettings`: SAML mode, sign-on URL, expiry e-mails and the active certificate. */
export class SsoSettings extends pulumi.dynamic.Resource {
  /** The app's federation metadata URL. */
  declare readonly federationMetadataUrl: pulumi.Output<string>;
  /** What the last refresh found different from the declared settings. */
  declare readonly drift: pulumi.Output<string[]>;

  constructor(name: string, args: SsoSettingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      ssoSettingsProvider(graphModulePath()),
      name,
      { ...args, federationMetadataUrl: undefined, changed: undefined, drift: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'graphAuthSecrets'] },
      'rollbar-provisioning',
      'SsoSettings',
    );
  }
}
