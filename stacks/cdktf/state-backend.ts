/**
 * Where Terraform keeps the stack's state. Chosen by environment variables rather than `rollbar.yaml`: the
 * configuration describes the Rollbar app, which is the same for every engine, while state is this engine's
 * and usually differs per pipeline.
 *
 * The state follows the configuration file: one tenant is one file (DESIGN: one tenant holds one Rollbar
 * instance), and two tenants sharing a state would each drop the other's app and job from it, so the next run
 * creates a second Rollbar app. The default `rollbar.yaml` keeps the name it always had.
 */
import * as path from 'node:path';
import { AzurermBackend, LocalBackend, type TerraformStack } from 'cdktf';
import { problem, RollbarProvisioningError, type Problem } from '../../constructs/core/problems';

/** The state file's name when it is local and the configuration is the default `rollbar.yaml`. */
export const LOCAL_STATE_FILE = 'terraform.rollbar.tfstate';

/** The configuration file whose state keeps the names of the first releases. */
const DEFAULT_CONFIG = 'rollbar.yaml';
const DEFAULT_STATE_KEY = 'rollbar';

/** Names a state explicitly (a file moved, or outside the project): `terraform.<key>.tfstate`, `<key>.tfstate`. */
export const STATE_KEY_ENV = 'ROLLBAR_STATE_KEY';

const STATE_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

/** Where the state lives. */
export type StateBackend =
  | {
      readonly kind: 'local';
      /** Relative to the stack's directory, where Terraform runs. */
      readonly path: string;
    }
  | {
      readonly kind: 'azurerm';
      readonly storageAccountName: string;
      readonly containerName: string;
      readonly key: string;
      readonly resourceGroupName?: string;
      readonly useAzureadAuth: boolean;
    };

/** The environment variables that select and configure the azurerm backend. */
export const AZURERM_ENV = {
  storageAccountName: 'ROLLBAR_STATE_AZURERM_STORAGE_ACCOUNT',
  containerName: 'ROLLBAR_STATE_AZURERM_CONTAINER',
  key: 'ROLLBAR_STATE_AZURERM_KEY',
  resourceGroupName: 'ROLLBAR_STATE_AZURERM_RESOURCE_GROUP',
  useAzureadAuth: 'ROLLBAR_STATE_AZURERM_USE_AZUREAD_AUTH',
} as const;

/**
 * The name of the configuration's state: `ROLLBAR_STATE_KEY` when set; `rollbar` for the project's
 * `rollbar.yaml`; else `rollbar-` and the file's path in the project (`examples/two-tenants/contoso.yaml`:
 * `rollbar-examples-two-tenants-contoso`). A file outside the project has no name that is the same on every
 * machine, so it needs `ROLLBAR_STATE_KEY`.
 * @throws RollbarProvisioningError when the key is invalid or cannot be derived
 */
export function stateKey(env: NodeJS.ProcessEnv, projectDir: string, configFile: string): string {
  const explicit = env[STATE_KEY_ENV]?.trim();
  if (explicit) {
    if (STATE_KEY.test(explicit)) return explicit;
    throw new RollbarProvisioningError([
      problem(
        'INVALID_CONFIG',
        STATE_KEY_ENV,
        'be letters, digits, dots, dashes or underscores (at most 200)',
        explicit,
        'It names the state file terraform.<key>.tfstate and the azurerm blob <key>.tfstate.',
      ),
    ]);
  }
  const relative = path.relative(path.resolve(projectDir), path.resolve(configFile));
  if (relative === DEFAULT_CONFIG) return DEFAULT_STATE_KEY;
  if (relative === '' || relative.split(path.sep).includes('..') || path.isAbsolute(relative)) {
    throw new RollbarProvisioningError([
      problem(
        'INVALID_CONFIG',
        STATE_KEY_ENV,
        'be set when the configuration file is outside the project',
        configFile,
        `Set ${STATE_KEY_ENV} to a name for this tenant's state (the same on every machine that deploys it).`,
      ),
    ]);
  }
  const withoutExtension = relative.replace(/\.ya?ml$/i, '');
  return `${DEFAULT_STATE_KEY}-${withoutExtension
    .split(path.sep)
    .join('-')
    .replace(/[^A-Za-z0-9._-]+/g, '-')}`.slice(0, 200);
}

/**
 * The backend that the environment asks for: azurerm when `ROLLBAR_STATE_AZURERM_STORAGE_ACCOUNT` is set
 * (its sign-in comes from the usual `ARM_*` variables), else a local file next to `cdktf.json`, named by a
 * path relative to the stack's directory so that no absolute path of this machine is synthesized. Either is
 * named after the configuration ({@link stateKey}).
 * @param stackDir the directory the stack is synthesized into (`<outdir>/stacks/<stack>`)
 * @param projectDir the directory holding `cdktf.json`
 * @param configFile the configuration the stack is synthesized from
 * @throws RollbarProvisioningError when the azurerm settings are incomplete or the state cannot be named
 */
export function stateBackendFromEnv(
  env: NodeJS.ProcessEnv,
  stackDir: string,
  projectDir: string,
  configFile: string = path.join(projectDir, DEFAULT_CONFIG),
): StateBackend {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const key = stateKey(env, projectDir, configFile);
  const file = `terraform.${key}.tfstate`;
  const storageAccountName = value(AZURERM_ENV.storageAccountName);
  if (storageAccountName === undefined) {
    const fromStack = path.relative(path.resolve(stackDir), path.resolve(projectDir));
    // Outside the project (a temporary outdir), "next to cdktf.json" would need an absolute path.
    const inProject = !fromStack.split(path.sep).some((part) => part !== '..');
    const dir = inProject ? fromStack.split(path.sep).join('/') : '';
    return { kind: 'local', path: dir === '' ? file : `${dir}/${file}` };
  }
  const problems: Problem[] = [];
  const containerName = value(AZURERM_ENV.containerName);
  if (containerName === undefined) {
    problems.push(
      problem(
        'INVALID_CONFIG',
        AZURERM_ENV.containerName,
        `be set when ${AZURERM_ENV.storageAccountName} is`,
        undefined,
        'Name the blob container that holds the state.',
      ),
    );
  }
  const auth = value(AZURERM_ENV.useAzureadAuth)?.toLowerCase() ?? 'true';
  if (auth !== 'true' && auth !== 'false') {
    problems.push(
      problem('INVALID_CONFIG', AZURERM_ENV.useAzureadAuth, "be 'true' or 'false'", auth, "Omit it to use 'true'."),
    );
  }
  if (problems.length > 0 || containerName === undefined) {
    throw new RollbarProvisioningError(problems, 'Incomplete azurerm state backend settings');
  }
  const resourceGroupName = value(AZURERM_ENV.resourceGroupName);
  return {
    kind: 'azurerm',
    storageAccountName,
    containerName,
    key: value(AZURERM_ENV.key) ?? `${key}.tfstate`,
    ...(resourceGroupName !== undefined && { resourceGroupName }),
    // Entra ID sign-in to the storage account: no shared access key to hand around.
    useAzureadAuth: auth === 'true',
  };
}

/** Declares the backend on the stack. */
export function addStateBackend(stack: TerraformStack, backend: StateBackend): void {
  if (backend.kind === 'local') {
    new LocalBackend(stack, { path: backend.path });
    return;
  }
  const { kind: _kind, ...config } = backend;
  new AzurermBackend(stack, config);
}
