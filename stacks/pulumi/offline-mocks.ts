/**
 * Pulumi mocks that record every registration: `npm run synth` lists what the program declares with them (offline,
 * no Pulumi CLI), and the component's tests and the parity test assert on what they record.
 *
 * `MockResourceArgs` carries no resource options (pulumi/pulumi#14421), so the monitor's `registerResource` is
 * wrapped to read them from the request itself: parent, dependencies, protect, ignoreChanges,
 * additionalSecretOutputs. Computed outputs are faked here (a mock that leaves them out makes an `apply` hang).
 * Load programs and components only after {@link installMocks} (imports are hoisted above it).
 */
import { createHash } from 'node:crypto';
import * as pulumi from '@pulumi/pulumi';

/** The marker Pulumi puts on a secret value in `MockResourceArgs.inputs`. */
export const SECRET_SIG = '4dabf18193072939515e22adb298388d';
const SECRET_SIG_VALUE = '1b47061264138c4ac30d75fd1eb44270';

export const FAKE = {
  tenantId: '9c0d1e2f-3a4b-4c5d-8e6f-7a8b9c0d1e2f',
  galleryTemplateId: 'd3b0a5c1-7e2f-4a6b-9c8d-1e2f3a4b5c6d',
  applicationObjectId: 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
  /** The application found for an adopted service principal (getApplication). */
  existingApplicationObjectId: 'e7e7e7e7-f8f8-4a9a-8b0b-c1c1c1c1c1c1',
  servicePrincipalObjectId: 'f6f6f6f6-0707-4808-8909-0a0a0a0a0a0a',
  clientId: 'c1c1c1c1-d2d2-4e3e-8f4f-a5a5a5a5a5a5',
  syncTemplateId: 'fake-rollbar-template',
  jobId: 'fake-rollbar-template.0123456789abcdef0123456789abcdef.0f0e0d0c-0b0a-4908-8706-050403020100',
  /** The end date a token-signing certificate answers when none is given. */
  certificateEndDate: '2029-12-01T00:00:00Z',
} as const;

/** One registered resource, with the options the engine would see. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** As the provider would receive them: secrets wrapped in `{ [SECRET_SIG]: …, value }`. */
  readonly inputs: Record<string, unknown>;
  /** What the mock answered, with the outputs named in `additionalSecretOutputs` made secret as the engine does. */
  readonly state: Record<string, unknown>;
  readonly urn: string;
  readonly parent: string;
  readonly dependencies: readonly string[];
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
  readonly additionalSecretOutputs: readonly string[];
}

/** One invoke (data source call). */
export interface Invocation {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** What a test reads back. */
export interface Recorder {
  readonly registrations: Registration[];
  readonly invocations: Invocation[];
  /** Waits until every registration so far has been answered. */
  settle(): Promise<void>;
  /** Forgets what was recorded (the runtime's resources stay). */
  clear(): void;
}

/** True for a value that Pulumi marked secret in `MockResourceArgs.inputs`. */
export function isSecretWrapper(value: unknown): value is { value: unknown } {
  return (
    typeof value === 'object' && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === SECRET_SIG_VALUE
  );
}

/** The inputs with every secret replaced by `'<secret>'`. */
export function redactSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return '<secret>';
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

/** The inputs with every secret unwrapped to its value. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretWrapper(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

/** Resolves an Output (under these mocks only: an Output of a mock always resolves). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** The outputs a dynamic provider would add; it never echoes the token or the sign-in secrets. */
function dynamicState(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const { secretToken, graphAuthSecrets: _secrets, __provider: _provider, ...rest } = inputs;
  switch (type.split(':').pop()) {
    case 'SyncTemplate':
      return { ...rest, templateId: FAKE.syncTemplateId };
    case 'Credentials': {
      const token = unwrapSecrets(secretToken);
      return {
        ...rest,
        tokenHash: createHash('sha256').update(String(token)).digest('hex'),
        validated: inputs.test === true,
        saved: 4,
        revision: 'credentials-revision-1',
      };
    }
    case 'Mappings':
      return { ...rest, desiredDigest: 'd'.repeat(64), changed: true, warnings: [], revision: 'mappings-revision-1' };
    case 'ProvisioningState':
      return { ...rest, state: inputs.enabled === true ? 'Active' : 'Disabled', action: 'start' };
    case 'SsoSettings':
      return {
        ...rest,
        federationMetadataUrl: `https://login.microsoftonline.com/${FAKE.tenantId}/federationmetadata/2007-06/federationmetadata.xml?appid=${FAKE.clientId}`,
        changed: [],
        drift: [],
      };
    default:
      return rest;
  }
}

/** A token-signing certificate's thumbprint under the mocks: 40 upper-case hex digits, one per resource name. */
export function fakeThumbprint(name: string): string {
  return createHash('sha1').update(name).digest('hex').toUpperCase();
}

function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  if (type.startsWith('pulumi-nodejs:dynamic')) return { id: `${name}-id`, state: dynamicState(type, inputs) };
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
    case 'azuread:index/synchronizationJob:SynchronizationJob': {
      const sp = String(inputs.servicePrincipalId);
      return { id: `${sp}/synchronization/jobs/${FAKE.jobId}`, state: { ...inputs, schedules: [] } };
    }
    case 'azuread:index/applicationAppRole:ApplicationAppRole':
      return { id: `${String(inputs.applicationId)}/appRoles/${String(inputs.roleId)}`, state: inputs };
    case 'azuread:index/servicePrincipalTokenSigningCertificate:ServicePrincipalTokenSigningCertificate':
      return {
        id: `${String(inputs.servicePrincipalId)}/tokenSigningCertificate/${name}`,
        state: {
          ...inputs,
          thumbprint: fakeThumbprint(name),
          endDate: inputs.endDate ?? FAKE.certificateEndDate,
        },
      };
    default:
      return { id: `${name}-id`, state: inputs };
  }
}

function invokeResult(token: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case 'azuread:index/getClientConfig:getClientConfig':
      return { id: FAKE.tenantId, tenantId: FAKE.tenantId, clientId: FAKE.clientId, objectId: FAKE.clientId };
    case 'azuread:index/getApplicationTemplate:getApplicationTemplate':
      return { id: FAKE.galleryTemplateId, templateId: FAKE.galleryTemplateId, displayName: inputs.displayName };
    case 'azuread:index/getServicePrincipal:getServicePrincipal':
      return {
        id: `/servicePrincipals/${String(inputs.objectId)}`,
        objectId: inputs.objectId,
        clientId: FAKE.clientId,
      };
    case 'azuread:index/getApplication:getApplication':
      return {
        id: `/applications/${FAKE.existingApplicationObjectId}`,
        objectId: FAKE.existingApplicationObjectId,
        clientId: inputs.clientId,
      };
    default:
      throw new Error(`unexpected invoke ${token}`);
  }
}

/**
 * `state` with each output named in `additionalSecretOutputs` made secret, as the engine does with what a provider
 * answers before it stores the state and returns it to the program (pulumi/pulumi
 * pkg/resource/deploy/step_executor.go: `resource.MakeSecret` for each of `newState.AdditionalSecretOutputs`).
 * The mock monitor does not, so without this an output the engine would keep secret reaches state and the program
 * in plain text.
 */
export function withSecretOutputs(
  state: Record<string, unknown>,
  secretOutputs: readonly string[],
): Record<string, unknown> {
  const out = { ...state };
  for (const key of secretOutputs) {
    if (key in out && !isSecretWrapper(out[key])) out[key] = { [SECRET_SIG]: SECRET_SIG_VALUE, value: out[key] };
  }
  return out;
}

interface RegisterRequest {
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getIgnorechangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}

/**
 * Sets the stack configuration (once: a later `setConfig` forgets which keys are secret) and the mocks.
 * @param config stack configuration; `secretKeys` lists the secret ones
 */
export async function installMocks(
  config: Record<string, string> = {},
  secretKeys: string[] = [],
  stack = 'test',
): Promise<Recorder> {
  const registrations: Registration[] = [];
  const invocations: Invocation[] = [];
  const options = new Map<string, Omit<Registration, 'type' | 'name' | 'custom' | 'inputs' | 'state' | 'urn'>>();
  pulumi.runtime.setAllConfig(config, secretKeys);
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const opts = options.get(args.name);
        const { id, state: answered } =
          args.custom === false ? { id: `${args.name}-id`, state: {} } : mockState(args.type, args.name, inputs);
        const state = withSecretOutputs(answered, opts?.additionalSecretOutputs ?? []);
        const parentType = opts?.parent ? (opts.parent.split('::')[2] ?? '').split('$').pop() : undefined;
        const urn = `urn:pulumi:${stack}::rollbar-provisioning::${parentType ? `${parentType}$` : ''}${args.type}::${args.name}`;
        registrations.push({
          type: args.type,
          name: args.name,
          custom: args.custom !== false,
          inputs,
          state,
          urn,
          parent: opts?.parent ?? '',
          dependencies: opts?.dependencies ?? [],
          protect: opts?.protect ?? false,
          ignoreChanges: opts?.ignoreChanges ?? [],
          additionalSecretOutputs: opts?.additionalSecretOutputs ?? [],
        });
        return { id, state };
      },
      call(args) {
        const inputs = args.inputs as Record<string, unknown>;
        invocations.push({ token: args.token, inputs });
        return invokeResult(args.token, inputs);
      },
    },
    'rollbar-provisioning',
    stack,
    false,
  );
  const monitor = (
    pulumi.runtime as unknown as { getMonitor(): { registerResource(req: RegisterRequest, cb: unknown): unknown } }
  ).getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    options.set(req.getName(), {
      parent: req.getParent(),
      dependencies: req.getDependenciesList(),
      protect: req.getProtect(),
      ignoreChanges: req.getIgnorechangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    });
    return register(req, cb);
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- internal, not in the typings: waits for every pending RPC
  const settings = require('@pulumi/pulumi/runtime/settings') as { waitForRPCs(): Promise<void> };
  return {
    registrations,
    invocations,
    settle: () => settings.waitForRPCs(),
    clear: () => {
      registrations.length = 0;
      invocations.length = 0;
    },
  };
}
