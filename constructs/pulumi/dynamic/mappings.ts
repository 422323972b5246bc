import * as pulumi from '@pulumi/pulumi';
import type { MappingsSpec } from '../../core';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import {
  isNotFound,
  newRevision,
  olderProvider,
  openGraph,
  PROVIDER_VERSION,
  replacedTarget,
  targetOutputs,
  UNKNOWN_VALUE,
  type GraphTarget,
} from './graph-session';

/** What the provider receives: the patch, readable in `pulumi preview --diff`. */
export interface MappingsInputs extends GraphTarget {
  readonly jobId: string;
  readonly mappings: MappingsSpec;
}

/** What the provider keeps. */
export interface MappingsOutputs extends GraphTarget {
  readonly jobId: string;
  /** The patch last applied; after a refresh, the live schema as a patch (`schemaToPatch`). */
  readonly mappings: MappingsSpec;
  readonly desiredDigest: string;
  readonly changed: boolean;
  readonly warnings: string[];
  /** What the last refresh found different from the patch applied, one line each; empty after an apply. */
  readonly drift: string[];
  /** New on every apply. */
  readonly revision: string;
  /** See `PROVIDER_VERSION` in graph-session.ts. */
  readonly providerVersion: number;
}

/**
 * Keeps the job's schema at Rollbar's default schema with the patch applied (`applyMappings`, which writes only
 * when the schemas differ). `diff` reads the live schema (`planMappings`), so an edit made in the portal shows as
 * a change in `pulumi preview` and is corrected by the next `pulumi up`. `read` (`pulumi refresh`) returns the
 * live schema as the resource's inputs (`readMappings`: the patch that gives the live schema, shaped like the one
 * applied), so the next preview shows which attribute drifted and how; `drift` names the differences, those the
 * model cannot express included.
 */
export function mappingsProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<MappingsInputs, MappingsOutputs> {
  const apply = async (inputs: MappingsInputs): Promise<MappingsOutputs> => {
    const { graph, client } = openGraph(graphModule, inputs);
    const target = { servicePrincipalId: inputs.servicePrincipalId, jobId: inputs.jobId, mappings: inputs.mappings };
    const result = await graph.applyMappings(client, target);
    return {
      ...targetOutputs(inputs),
      jobId: inputs.jobId,
      mappings: inputs.mappings,
      desiredDigest: result.desiredDigest,
      changed: result.changed,
      warnings: result.warnings,
      drift: [],
      revision: newRevision(),
      providerVersion: PROVIDER_VERSION,
    };
  };
  return {
    // Decided by the live schema, not by the text of the patch: after a refresh, `olds.mappings` is the live
    // schema's patch, which says the same as the program's in other words when nothing drifted.
    async diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      if (replaces.length > 0) return { changes: true, replaces };
      if (olderProvider(olds)) return { changes: true };
      if ([news.servicePrincipalId, news.jobId, news.tenantId].includes(UNKNOWN_VALUE)) return { changes: true };
      const { graph, client } = openGraph(graphModule, news);
      const plan = await graph.planMappings(client, {
        servicePrincipalId: news.servicePrincipalId,
        jobId: news.jobId,
        mappings: news.mappings,
      });
      return { changes: !plan.inSync };
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const { graph, client } = openGraph(graphModule, props);
      try {
        const live = await graph.readMappings(client, {
          servicePrincipalId: props.servicePrincipalId,
          jobId: props.jobId,
          mappings: props.mappings,
        });
        const inputs = { ...targetOutputs(props), jobId: props.jobId, mappings: live.mappings };
        return {
          id,
          props: { ...props, ...inputs, warnings: live.warnings, drift: live.drift },
          // Pulumi types `inputs` as the outputs' type; they are the inputs, a subset.
          inputs: inputs as MappingsOutputs,
        };
      } catch (e) {
        // The job is gone (deleted in the portal, or with its app): so is its schema, and the next up recreates it.
        if (isNotFound(e)) return { id: '' };
        throw e;
      }
    },
    async create(inputs) {
      const outs = await apply(inputs);
      return { id: `${inputs.servicePrincipalId}/synchronization/jobs/${inputs.jobId}/schema`, outs };
    },
    async update(_id, _olds, news) {
      return { outs: await apply(news) };
    },
    // Nothing is reset: deleting the job deletes its schema, and a schema left behind by an unmanaged job stays
    // the owner's (a reset would start a full provisioning cycle nobody asked for).
    delete: () => Promise.resolve(),
  };
}

/** Inputs of {@link Mappings}. */
export interface MappingsArgs extends GraphTargetArgs {
  /** The bare synchronization job id. */
  readonly jobId: pulumi.Input<string>;
  /** The spec's `mappings` patch. */
  readonly mappings: MappingsSpec;
}

/** The dynamic resource `Mappings`: attribute mappings and scoping filters, as a patch on Rollbar's defaults. */
export class Mappings extends pulumi.dynamic.Resource {
  /** Digest of the desired schema last written or confirmed. */
  declare readonly desiredDigest: pulumi.Output<string>;
  /** Warnings of the last apply (for example: the template's schema could not be read). */
  declare readonly warnings: pulumi.Output<string[]>;
  /** New on every apply: what `ProvisioningState` watches. */
  declare readonly revision: pulumi.Output<string>;
  /** What the last `pulumi refresh` found different from the patch, one line each (the live schema drifted). */
  declare readonly drift: pulumi.Output<string[]>;

  constructor(name: string, args: MappingsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      mappingsProvider(graphModulePath()),
      name,
      { ...args, desiredDigest: undefined, warnings: undefined, revision: undefined, drift: undefined },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'graphAuthSecrets'] },
      'rollbar-provisioning',
      'Mappings',
    );
  }
}
