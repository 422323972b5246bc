/* eslint-disable @typescript-eslint/no-require-imports -- this file runs inside the dynamic provider's process, from serialized text, where `require` is the only way to reach a module */
/**
 * What a dynamic provider's methods use to reach Microsoft Graph, in the provider's own process.
 *
 * Pulumi serializes each provider's methods (and the functions they call, such as these) to text, stores the
 * text in the resource's `__provider` property, and evaluates it in another process (`pulumi-resource-pulumi-nodejs`).
 * Module imports of this program do not exist there, so these functions capture nothing but their arguments and
 * the string constants below, and load the compiled graph module with `require` when called:
 *
 * 1. the path found when the component was constructed (`graphModulePath` of constructs/bundle/graph.ts, the file the program itself would
 *    load, so that the provider runs the same version as the program), when that file exists on this machine;
 * 2. else `rollbar-provisioning/graph`, the package's `exports` entry, resolved from the provider process's working
 *    directory (the Pulumi project) the way a consumer project installs it.
 *
 * The provider host evaluates the text with `require-from-string` and no file name, so a package cannot refer to
 * itself by name there: that is why the path of step 1 exists, for this repository.
 */
import type * as crypto from 'node:crypto';
import type * as fs from 'node:fs';
import type * as GraphModule from '../../graph';

/** The compiled graph module, as the provider loads it. */
export type Graph = typeof GraphModule;

/** What every dynamic resource of the component passes to reach Graph. */
export interface GraphTarget {
  /** `/servicePrincipals/{oid}` or the bare object id. */
  readonly servicePrincipalId: string;
  /** The tenant the stack's azuread provider signs in to: Graph calls are refused for a token of another tenant. */
  readonly tenantId: string;
  /** ARM_* settings from the stack's `azuread:*` configuration that are not secret (tenant, OIDC, MSI…). */
  readonly graphAuth?: Readonly<Record<string, string>>;
  /** ARM_* settings that are secret (client id and secret…): a secret input, so encrypted in state. */
  readonly graphAuthSecrets?: Readonly<Record<string, string>>;
}

// Not referenced through `exports` in the functions below, so that their serialized text captures only a string.
const SPECIFIER = 'rollbar-provisioning/graph';

/** The `exports` entry of this package that holds the compiled graph module. */
export const GRAPH_MODULE_SPECIFIER = SPECIFIER;

/** Pulumi's placeholder for a value that is not known during a preview (`@pulumi/pulumi/runtime/rpc`). */
export const UNKNOWN_VALUE = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';

/** Loads the compiled graph module (see the file comment for the order). */
export function loadGraph(hint: string | undefined): Graph {
  if (hint !== undefined && (require('node:fs') as typeof fs).existsSync(hint)) {
    return require(hint) as Graph;
  }
  try {
    return require(SPECIFIER) as Graph;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const missing =
      (code === 'MODULE_NOT_FOUND' && String((e as Error).message).includes(`'${SPECIFIER}'`)) ||
      code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
    if (!missing) throw e;
    const message =
      `The Rollbar provisioning step cannot load ${SPECIFIER}` +
      (hint === undefined ? '' : ` (nor ${hint})`) +
      ': install rollbar-provisioning in the Pulumi project, or in its own repository run npm run build:graph.';
    // The class cannot be imported here (this text runs in the provider process, and the module that would hold
    // it is what failed to load), so this is a RollbarProvisioningError by its brand, as core/problems.ts
    // recognises one from any copy of the package: same name, message layout, problems and codes.
    const problem = { code: 'GRAPH_BUNDLE_UNAVAILABLE', path: SPECIFIER, message };
    const error = new Error(`Rollbar provisioning step failed:\n  - [${problem.code}] ${message}`);
    error.name = 'RollbarProvisioningError';
    Object.defineProperty(error, Symbol.for('rollbar-provisioning:RollbarProvisioningError'), { value: true });
    throw Object.assign(error, { problems: [problem], codes: [problem.code] });
  }
}

/**
 * A Graph client signed in like the stack's azuread provider: its `azuread:*` configuration (passed as inputs)
 * over the ARM_* environment of the `pulumi` process, which the provider process inherits.
 */
export function openGraph(
  hint: string | undefined,
  target: GraphTarget,
): { graph: Graph; client: GraphModule.GraphClient } {
  const graph = loadGraph(hint);
  const client = graph.createGraphClient({
    tenantId: target.tenantId,
    env: { ...process.env, ...target.graphAuth, ...target.graphAuthSecrets },
    // The provider's stderr goes to the engine's log (pulumi up -v=…, or --logflow).
    log: (line) => process.stderr.write(`rollbar-provisioning: ${line}\n`),
  });
  return { graph, client };
}

/** sha256 hex: how a token is compared between deployments without being kept in the outputs. */
export function sha256(text: string): string {
  return (require('node:crypto') as typeof crypto).createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * A new id for each run of a step, which later steps watch: `ProvisioningState` runs again after the credentials
 * or the mappings did (a job quarantined by bad credentials is restarted), like a replaced `terraform_data` in CDKTF.
 */
export function newRevision(): string {
  return (require('node:crypto') as typeof crypto).randomUUID();
}

/** JSON with sorted keys, so that two equal objects compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value)) ?? 'null';
}

/**
 * The version of the provider code that writes a resource's outputs, recorded in them as `providerVersion`.
 * Pulumi runs `read` and `delete` with the serialized provider recorded in the state (`__provider`), which only a
 * create or an update rewrites, and `diff` with the program's. So `diff` reports a change for outputs of an
 * older version (the previous release recorded none): one `pulumi up` then records the current code, and the
 * refreshes after it run it. Raise it when what `read` or `delete` do changes.
 */
const VERSION = 2;

/** See {@link VERSION}. */
export const PROVIDER_VERSION = VERSION;

/** Whether `olds` were written by an older provider (see {@link PROVIDER_VERSION}). */
export function olderProvider(olds: { providerVersion?: unknown }): boolean {
  return olds.providerVersion !== VERSION;
}

/**
 * The target's fields to keep in a resource's outputs: `read` receives the outputs alone (not the inputs), and
 * must reach the same job signed in the same way. `graphAuthSecrets` stays a secret output.
 */
export function targetOutputs(target: GraphTarget): GraphTarget {
  return {
    servicePrincipalId: target.servicePrincipalId,
    tenantId: target.tenantId,
    ...(target.graphAuth !== undefined && { graphAuth: target.graphAuth }),
    ...(target.graphAuthSecrets !== undefined && { graphAuthSecrets: target.graphAuthSecrets }),
  };
}

/** Graph answered 404: the job (or its service principal) is gone. */
export function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { status?: unknown }).status === 404;
}

/** The properties whose change means a new job (or service principal): the step runs again on it, from scratch. */
export function replacedTarget(
  olds: { servicePrincipalId?: unknown; jobId?: unknown },
  news: { servicePrincipalId?: unknown; jobId?: unknown },
): string[] {
  return (['servicePrincipalId', 'jobId'] as const).filter((k) => olds[k] !== news[k]);
}
