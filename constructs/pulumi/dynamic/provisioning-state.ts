import * as pulumi from '@pulumi/pulumi';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../graph-bundle';
import { canonicalJson, openGraph, replacedTarget, type GraphTarget } from './graph-session';

/** What the provider receives. */
export interface ProvisioningStateInputs extends GraphTarget {
  readonly jobId: string;
  readonly enabled: boolean;
  /** Revisions of the steps before it (credentials, mappings): when one changes, this step runs again. */
  readonly after?: Readonly<Record<string, string>>;
}

/** What the provider keeps. */
export interface ProvisioningStateOutputs {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly tenantId: string;
  readonly enabled: boolean;
  readonly after?: Readonly<Record<string, string>>;
  readonly state: string;
  readonly action: string;
}

/**
 * Provisioning Status On/Off (`setProvisioning`): on starts a stopped job and restarts a quarantined one, never
 * an active one; off pauses. Runs again when `enabled` changes, and after the credentials or the mappings ran
 * again (new credentials are how a quarantined job gets restarted).
 */
export function provisioningStateProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<ProvisioningStateInputs, ProvisioningStateOutputs> {
  const set = async (inputs: ProvisioningStateInputs): Promise<ProvisioningStateOutputs> => {
    const { graph, client } = openGraph(graphModule, inputs);
    const { state, action } = await graph.setProvisioning(client, {
      servicePrincipalId: inputs.servicePrincipalId,
      jobId: inputs.jobId,
      enabled: inputs.enabled,
    });
    return {
      servicePrincipalId: inputs.servicePrincipalId,
      jobId: inputs.jobId,
      tenantId: inputs.tenantId,
      enabled: inputs.enabled,
      ...(inputs.after !== undefined && { after: inputs.after }),
      state,
      action,
    };
  };
  return {
    diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      const changes =
        replaces.length > 0 ||
        olds.enabled !== news.enabled ||
        canonicalJson(olds.after ?? {}) !== canonicalJson(news.after ?? {});
      return Promise.resolve({ changes, replaces });
    },
    async create(inputs) {
      const outs = await set(inputs);
      return { id: `${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}/state`, outs };
    },
    async update(_id, _olds, news) {
      return { outs: await set(news) };
    },
    // Nothing to undo: the job goes with the service principal (and its own resource), and pausing a job that
    // is being deleted would only add a call that can fail.
    delete: () => Promise.resolve(),
  };
}

/** Inputs of {@link ProvisioningState}. */
export interface ProvisioningStateArgs extends GraphTargetArgs {
  /** The bare synchronization job id. */
  readonly jobId: pulumi.Input<string>;
  /** Provisioning on (start or resume) or off (pause). */
  readonly enabled: boolean;
  /**
   * Revisions of earlier steps (`Credentials.revision`, `Mappings.revision`) whose change runs this step again.
   * @default - none
   */
  readonly after?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The dynamic resource `ProvisioningState`: starts or pauses the provisioning job, last. */
export class ProvisioningState extends pulumi.dynamic.Resource {
  /** The job's schedule state after the step (`Active`, `Paused`…). */
  declare readonly state: pulumi.Output<string>;

  constructor(name: string, args: ProvisioningStateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provisioningStateProvider(graphModulePath()),
      name,
      { ...args, state: undefined },
      opts,
      'rollbar-provisioning',
      'ProvisioningState',
    );
  }
}
