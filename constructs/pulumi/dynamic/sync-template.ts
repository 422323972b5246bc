import * as pulumi from '@pulumi/pulumi';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import { openGraph, replacedTarget, type GraphTarget } from './graph-session';

/** What the provider keeps: the template id read once for this service principal. */
export interface SyncTemplateOutputs {
  readonly servicePrincipalId: string;
  readonly tenantId: string;
  readonly templateId: string;
}

/**
 * Reads the service principal's synchronization template id once (`findSyncTemplate`): Rollbar's id is not
 * published, and the job's template never changes afterwards, so later deployments do not ask again.
 * `graphModule` is captured by value into the serialized provider.
 */
export function syncTemplateProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<GraphTarget, SyncTemplateOutputs> {
  return {
    diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      return Promise.resolve({ changes: replaces.length > 0, replaces });
    },
    async create(inputs) {
      const { graph, client } = openGraph(graphModule, inputs);
      const { templateId } = await graph.findSyncTemplate(client, { servicePrincipalId: inputs.servicePrincipalId });
      return {
        id: `${inputs.servicePrincipalId}/synchronization/templates/${templateId}`,
        outs: { servicePrincipalId: inputs.servicePrincipalId, tenantId: inputs.tenantId, templateId },
      };
    },
    // Nothing to undo: reading a template changes nothing in the tenant.
    delete: () => Promise.resolve(),
  };
}

/** The dynamic resource `SyncTemplate`: the sync template id of the Rollbar service principal. */
export class SyncTemplate extends pulumi.dynamic.Resource {
  /** The synchronization template id (for `SynchronizationJob.templateId`). */
  declare readonly templateId: pulumi.Output<string>;

  constructor(name: string, args: GraphTargetArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      syncTemplateProvider(graphModulePath()),
      name,
      { ...args, templateId: undefined },
      opts,
      'rollbar-provisioning',
      'SyncTemplate',
    );
  }
}
