import * as pulumi from '@pulumi/pulumi';
import type { CredentialSettings } from '../../core';
import type { GraphTargetArgs } from '../graph-auth';
import { graphModulePath } from '../../bundle/graph';
import {
  canonicalJson,
  newRevision,
  openGraph,
  replacedTarget,
  sha256,
  UNKNOWN_VALUE,
  type GraphTarget,
} from './graph-session';

/** What the provider receives. */
export interface CredentialsInputs extends GraphTarget {
  readonly jobId: string;
  readonly secretToken: string;
  readonly secretTokenVersion: string;
  readonly settings: CredentialSettings;
  readonly test: boolean;
}

/** What the provider keeps: never the token, only its sha256 (a Pulumi secret), to notice a rotation. */
export interface CredentialsOutputs {
  readonly servicePrincipalId: string;
  readonly jobId: string;
  readonly tenantId: string;
  /** Absent in state written before the version existed. */
  readonly secretTokenVersion?: string;
  readonly settings: CredentialSettings;
  readonly test: boolean;
  readonly tokenHash: string;
  readonly validated: boolean;
  readonly saved: number;
  /** New on every save. */
  readonly revision: string;
}

/**
 * Test Connection, then Save (`saveCredentials`). Runs again when the token (by hash), its version, a setting or
 * `test` changes, so that a rotated token is tested before it is saved.
 */
export function credentialsProvider(
  graphModule: string | undefined,
): pulumi.dynamic.ResourceProvider<CredentialsInputs, CredentialsOutputs> {
  const save = async (inputs: CredentialsInputs): Promise<CredentialsOutputs> => {
    const { graph, client } = openGraph(graphModule, inputs);
    const result = await graph.saveCredentials(client, {
      servicePrincipalId: inputs.servicePrincipalId,
      jobId: inputs.jobId,
      secretToken: inputs.secretToken,
      settings: inputs.settings,
      test: inputs.test,
    });
    return {
      servicePrincipalId: inputs.servicePrincipalId,
      jobId: inputs.jobId,
      tenantId: inputs.tenantId,
      secretTokenVersion: inputs.secretTokenVersion,
      settings: inputs.settings,
      test: inputs.test,
      tokenHash: sha256(inputs.secretToken),
      validated: result.validated,
      saved: result.saved,
      revision: newRevision(),
    };
  };
  return {
    diff(_id, olds, news) {
      const replaces = replacedTarget(olds, news);
      const changes =
        replaces.length > 0 ||
        news.secretToken === UNKNOWN_VALUE ||
        olds.tokenHash !== sha256(news.secretToken) ||
        // State from before the version existed compares by the token alone (which it always did).
        (olds.secretTokenVersion !== undefined && olds.secretTokenVersion !== news.secretTokenVersion) ||
        canonicalJson(olds.settings) !== canonicalJson(news.settings) ||
        olds.test !== news.test;
      return Promise.resolve({ changes, replaces });
    },
    async create(inputs) {
      const outs = await save(inputs);
      return { id: `${inputs.servicePrincipalId}/synchronization/secrets`, outs };
    },
    async update(_id, _olds, news) {
      return { outs: await save(news) };
    },
    // Nothing is removed: the secrets go with the service principal, and Graph rejects the empty secret set that
    // a removal would have to save (azuread issue #973, why azuread_synchronization_secret is not used).
    delete: () => Promise.resolve(),
  };
}

/** Inputs of {@link Credentials}. */
export interface CredentialsArgs extends GraphTargetArgs {
  /** The bare synchronization job id. */
  readonly jobId: pulumi.Input<string>;
  /** The Rollbar SCIM token: pass a secret. */
  readonly secretToken: pulumi.Input<string>;
  /** The token's version (`secretTokenVersion`): a change re-runs the step. */
  readonly secretTokenVersion: pulumi.Input<string>;
  /** Everything saved with the token (tenant URL, notification, deletion threshold, scope…). */
  readonly settings: pulumi.Input<CredentialSettings<pulumi.Input<string>>>;
  /** Test the connection before saving. */
  readonly test: pulumi.Input<boolean>;
}

/** The dynamic resource `Credentials`: validates, then saves, the complete provisioning secret set. */
export class Credentials extends pulumi.dynamic.Resource {
  /** sha256 of the token last saved. */
  declare readonly tokenHash: pulumi.Output<string>;
  /** Whether the last save was preceded by a successful Test Connection. */
  declare readonly validated: pulumi.Output<boolean>;
  /** New on every save: what `ProvisioningState` watches. */
  declare readonly revision: pulumi.Output<string>;

  constructor(name: string, args: CredentialsArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      credentialsProvider(graphModulePath()),
      name,
      {
        ...args,
        secretToken: pulumi.secret(args.secretToken),
        tokenHash: undefined,
        validated: undefined,
        revision: undefined,
      },
      { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), 'tokenHash'] },
      'rollbar-provisioning',
      'Credentials',
    );
  }
}
