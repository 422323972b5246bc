/**
 * The Pulumi mocks both Pulumi cases run under: the smallest monitor that answers every registration and invoke
 * of the component with the computed outputs its `apply`s need (a mock that omits them makes an apply hang).
 * Both cases pay exactly the same per-registration cost here, so the ratio measures the code that registers.
 */
import * as pulumi from '@pulumi/pulumi';

const FAKE = {
  tenantId: '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
  galleryTemplateId: 'd3b0a5c1-7e2f-4a6b-9c8d-1e2f3a4b5c6d',
  applicationObjectId: 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
  servicePrincipalObjectId: 'f6f6f6f6-0707-4808-8909-0a0a0a0a0a0a',
  clientId: 'c1c1c1c1-d2d2-4e3e-8f4f-a5a5a5a5a5a5',
  syncTemplateId: 'bench-rollbar-template',
  jobId: 'bench-rollbar-template.0123456789abcdef0123456789abcdef.0f0e0d0c-0b0a-4908-8706-050403020100',
} as const;

/** The token a case passes as a secret; never printed. */
export const BENCH_TOKEN = 'bench-token-not-a-secret';

function state(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  switch (type) {
    case 'azuread:index/applicationFromTemplate:ApplicationFromTemplate':
      return {
        id: `/applications/${FAKE.applicationObjectId}`,
        state: {
          ...inputs,
          applicationId: `/applications/${FAKE.applicationObjectId}`,
          applicationObjectId: FAKE.applicationObjectId,
          servicePrincipalId: `/servicePrincipals/${FAKE.servicePrincipalObjectId}`,
          servicePrincipalObjectId: FAKE.servicePrincipalObjectId,
        },
      };
    case 'azuread:index/synchronizationJob:SynchronizationJob':
      return {
        id: `/servicePrincipals/${FAKE.servicePrincipalObjectId}/synchronization/jobs/${FAKE.jobId}`,
        state: inputs,
      };
    case 'pulumi-nodejs:dynamic/rollbar-provisioning:SyncTemplate':
      return { id: `${name}-id`, state: { ...inputs, templateId: FAKE.syncTemplateId } };
    case 'pulumi-nodejs:dynamic/rollbar-provisioning:Credentials':
    case 'pulumi-nodejs:dynamic/rollbar-provisioning:Mappings':
      return { id: `${name}-id`, state: { ...inputs, revision: `${name}-revision` } };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

/** What {@link installBenchMocks} gives a case. */
export interface BenchMocks {
  /** How many registrations the mocks answered (the stack root included). */
  registrations(): number;
  /** Resolves when every pending registration has been answered. */
  settle(): Promise<void>;
  /**
   * Runs a program as `pulumi up` and `pulumi preview` run one: inside the root `pulumi:pulumi:Stack` resource,
   * which becomes the parent of every resource declared without one. Mocks alone have no stack root, so a raw
   * program under them would skip the parent bookkeeping (URN prefix, child set, provider inheritance) that every
   * resource of a real raw program pays; both cases run here so that neither skips it.
   */
  inStack<T>(program: () => Promise<T>): Promise<T>;
}

/** Installs the mocks (before any resource is declared) and returns how many registrations they answered. */
export async function installBenchMocks(): Promise<BenchMocks> {
  let registrations = 0;
  pulumi.runtime.setAllConfig({ 'rollbar:secretToken': BENCH_TOKEN }, ['rollbar:secretToken']);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        registrations++;
        return state(args.type, args.name, args.inputs as Record<string, unknown>);
      },
      call(args) {
        switch (args.token) {
          case 'azuread:index/getClientConfig:getClientConfig':
            return { id: FAKE.tenantId, tenantId: FAKE.tenantId, clientId: FAKE.clientId, objectId: FAKE.clientId };
          case 'azuread:index/getApplicationTemplate:getApplicationTemplate':
            return { id: FAKE.galleryTemplateId, templateId: FAKE.galleryTemplateId, displayName: 'Rollbar' };
          default:
            throw new Error(`unexpected invoke ${args.token}`);
        }
      },
    },
    'bench',
    'bench',
    false,
  );
  // Internal, not in the typings: what the runtime itself awaits before a program ends (every pending RPC).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
  return {
    registrations: () => registrations,
    settle: () => settings.waitForRPCs(),
    async inStack<T>(program: () => Promise<T>): Promise<T> {
      let result: { value: T } | undefined;
      await pulumi.runtime.runInPulumiStack(async () => {
        result = { value: await program() };
        return undefined;
      });
      if (result === undefined) throw new Error('the stack root finished without running the program');
      return result.value;
    },
  };
}

/** Resolves an Output (under mocks every Output resolves). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}
