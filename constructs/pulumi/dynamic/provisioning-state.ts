import * as pulumi from '@pulumi/pulumi';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import {
  canonicalJson,
  isNotFound,
  olderProvider,
  openGraph,
  PROVIDER_VERSION,
  replacedTarget,
  targetOutputs,
  UNKNOWN_VALUE,
  type GraphTarget,
} from './graph-session';

/** What the provider receives. */
export interface ProvisioningStateInputs extends GraphTarget {
  readonly jobId: string;
  readonly enabled: boolean;
  /** Revisions of the steps before it (credentials, mappings): when one changes, this step runs again. */
  readonly after?: Readonly<Record<string, string>>;
}

/** What the provider keeps. */
export interface ProvisioningStateOutputs extends GraphTarget {
  readonly jobId: string;
  /** Declared on or off; after a refresh, whether the job's schedule is active. */
  readonly enabled: boolean;
  readonly after?: Readonly<Record<string, string>>;
  /** The job's schedule state after the step, or as the last refresh read it. */
  readonly state: string;
  readonly action: string;
  /** The job's status code as the last refresh read it (`Quarantine`…); absent before the first refresh. */
  readonly statusCode?: string;
  /** The quarantine's reason, when the last refresh found the job quarantined. */
  readonly quarantineReason?: string;
  /** What the last refresh found different from the declared state, one line each; empty after the step ran. */
  readonly drift: string[];
  /** See `PROVIDER_VERSION` in graph-session.ts. */
  readonly providerVersion: number;
}

/**
 * Provisioning Status On/Off (`setProvisioning`): on starts a stopped job and restarts a quarantined one, never
 * an active one; off pauses. Runs again when `enabled` changes, after the credentials or the mappings ran again
 * (new credentials are how a quarantined job gets restarted), and when the live job is not as declared: `diff`
 * reads the job (`readProvisioning`), so a plain `pulumi preview` shows a job paused or quarantined in the
 * portal. A TooManyDeletes quarantine is reported (`drift`, after a refresh) and never counts as a change: a
 * deploy must not lift it, and it must not hold up the rest of the deploy. `read` returns the live state.
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
    return record(inputs, state, action);
  };
  const record = (inputs: ProvisioningStateInputs, state: string, action: string): ProvisioningStateOutputs => {
    return {
      ...targetOutputs(inputs),
      jobId: inputs.jobId,
      enabled: inputs.enabled,
      ...(inputs.after !== undefined && { after: inputs.after }),
      state,
      action,
      drift: [],
      providerVersion: PROVIDER_VERSION,
    };
  };
  return {
    async diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      const changes =
        replaces.length > 0 ||
        olds.enabled !== news.enabled ||
        canonicalJson(olds.after ?? {}) !== canonicalJson(news.after ?? {}) ||
        olderProvider(olds);
      if (changes || [news.servicePrincipalId, news.jobId, news.tenantId].includes(UNKNOWN_VALUE)) {
        return { changes: true, replaces };
      }
      const { graph, client } = openGraph(graphModule, news);
      const live = await graph.readProvisioning(client, {
        servicePrincipalId: news.servicePrincipalId,
        jobId: news.jobId,
        enabled: news.enabled,
      });
      return { changes: live.action !== 'none', replaces };
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const { graph, client } = openGraph(graphModule, props);
      try {
        const live = await graph.readProvisioning(client, {
          servicePrincipalId: props.servicePrincipalId,
          jobId: props.jobId,
          enabled: props.enabled,
        });
        const inputs = {
          ...targetOutputs(props),
          jobId: props.jobId,
          enabled: live.enabled,
          ...(props.after !== undefined && { after: props.after }),
        };
        const { quarantineReason: _previous, ...rest } = props;
        return {
          id,
          props: {
            ...rest,
            ...inputs,
            state: live.state,
            statusCode: live.statusCode,
            ...(live.quarantineReason !== undefined && { quarantineReason: live.quarantineReason }),
            drift: live.drift,
          },
          // Pulumi types `inputs` as the outputs' type; they are the inputs, a subset.
          inputs: inputs as ProvisioningStateOutputs,
        };
      } catch (e) {
        // The job is gone: so is its state, and the next up recreates the job and starts it.
        if (isNotFound(e)) return { id: '' };
        throw e;
      }
    },
    async create(inputs) {
      const outs = await set(inputs);
      return { id: `${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}/state`, outs };
    },
    // Run only for a newer provider (see PROVIDER_VERSION), the step has nothing to do unless the job drifted: it
    // then records the job as it is, so that an upgrade never stops at a TooManyDeletes quarantine (which
    // setProvisioning refuses to lift, and which is reported, not a change).
    async update(_id, olds, news) {
      const same =
        replacedTarget(olds, news).length === 0 &&
        olds.enabled === news.enabled &&
        canonicalJson(olds.after ?? {}) === canonicalJson(news.after ?? {});
      if (same) {
        const { graph, client } = openGraph(graphModule, news);
        const live = await graph.readProvisioning(client, {
          servicePrincipalId: news.servicePrincipalId,
          jobId: news.jobId,
          enabled: news.enabled,
        });
        if (live.action === 'none') return { outs: { ...record(news, live.state, 'none'), drift: live.drift } };
      }
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
  /** The job's schedule state after the step, or as the last refresh read it (`Active`, `Paused`…). */
  declare readonly state: pulumi.Output<string>;
  /** What the last `pulumi refresh` found different from the declared state (a TooManyDeletes quarantine…). */
  declare readonly drift: pulumi.Output<string[]>;

  constructor(name: string, args: ProvisioningStateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provisioningStateProvider(graphModulePath()),
      name,
      { ...args, state: undefined, drift: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'graphAuthSecrets'] },
      'rollbar-provisioning',
      'ProvisioningState',
    );
  }
}
