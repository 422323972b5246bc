import * as pulumi from '@pulumi/pulumi';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import {
  canonicalJson,
  newRevision,
  openGraph,
  PROVIDER_VERSION,
  replacedTarget,
  targetOutputs,
  type GraphTarget,
} from './graph-session';

/** What the provider receives. */
export interface CanaryInputs extends GraphTarget {
  readonly jobId: string;
  readonly principalObjectId: string;
  /** Provisioning declared on: off, the canary calls nothing and runs when it is switched on. */
  readonly enabled: boolean;
  /** Revisions of the steps before it (credentials, mappings): when one changes, the canary runs again. */
  readonly after?: Readonly<Record<string, string>>;
}

/** What the provider keeps. */
export interface CanaryOutputs extends GraphTarget {
  readonly jobId: string;
  readonly principalObjectId: string;
  readonly enabled: boolean;
  readonly after?: Readonly<Record<string, string>>;
  /** `provisioned`, `inSync` or `off`. */
  readonly outcome: string;
  readonly attempts: number;
  /** The job's state the canary found. */
  readonly jobState: string;
  /** New on every run. */
  readonly revision: string;
  /** See `PROVIDER_VERSION` in graph-session.ts. */
  readonly providerVersion: number;
}

/**
 * The canary (`runCanary`): one user provisioned on demand after the credentials and mappings and before
 * `ProvisioningState`. Runs on create, and again when the user, `enabled`, the job or an earlier step's revision
 * changes (new credentials or mappings are what a canary tests). A failure fails the resource, so Pulumi does not
 * run `ProvisioningState`, which depends on it; the step never changes the job's state. It keeps nothing live to
 * drift: `read` returns the state as it is, and `delete` does nothing (an account provisioned in Rollbar stays
 * there, as with every provisioned user).
 */
export function canaryProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<CanaryInputs, CanaryOutputs> {
  const run = async (inputs: CanaryInputs): Promise<CanaryOutputs> => {
    const { graph, client } = openGraph(graphModule, inputs);
    const result = await graph.runCanary(client, {
      servicePrincipalId: inputs.servicePrincipalId,
      jobId: inputs.jobId,
      principalObjectId: inputs.principalObjectId,
      enabled: inputs.enabled,
      lagWaitMs: graph.canaryLagWait(process.env, client.log),
    });
    return {
      ...targetOutputs(inputs),
      jobId: inputs.jobId,
      principalObjectId: inputs.principalObjectId,
      enabled: inputs.enabled,
      ...(inputs.after !== undefined && { after: inputs.after }),
      outcome: result.outcome,
      attempts: result.attempts,
      jobState: result.jobState,
      revision: newRevision(),
      providerVersion: PROVIDER_VERSION,
    };
  };
  return {
    diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      const changes =
        replaces.length > 0 ||
        olds.principalObjectId !== news.principalObjectId ||
        olds.enabled !== news.enabled ||
        canonicalJson(olds.after ?? {}) !== canonicalJson(news.after ?? {});
      return Promise.resolve({ changes, replaces });
    },
    read(id, props) {
      return Promise.resolve(props === undefined ? { id } : { id, props });
    },
    async create(inputs) {
      const outs = await run(inputs);
      return { id: `${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}/canary`, outs };
    },
    async update(_id, _olds, news) {
      return { outs: await run(news) };
    },
    delete: () => Promise.resolve(),
  };
}

/** Inputs of {@link Canary}. */
export interface CanaryArgs extends GraphTargetArgs {
  /** The bare synchronization job id. */
  readonly jobId: pulumi.Input<string>;
  /** The canary user's object id. */
  readonly principalObjectId: pulumi.Input<string>;
  /** Provisioning declared on. */
  readonly enabled: boolean;
  /**
   * Revisions of earlier steps (`Credentials.revision`, `Mappings.revision`) whose change runs the canary again.
   * @default - none
   */
  readonly after?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The dynamic resource `Canary`: one user provisioned on demand before provisioning is switched on. */
export class Canary extends pulumi.dynamic.Resource {
  /** `provisioned`, `inSync` or `off`. */
  declare readonly outcome: pulumi.Output<string>;
  /** New on every run. */
  declare readonly revision: pulumi.Output<string>;

  constructor(name: string, args: CanaryArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      canaryProvider(graphModulePath()),
      name,
      { ...args, outcome: undefined, attempts: undefined, jobState: undefined, revision: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'graphAuthSecrets'] },
      'rollbar-provisioning',
      'Canary',
    );
  }
}
