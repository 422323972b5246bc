/**
 * Where Terraform keeps the stack's state. Chosen by environment variables rather than `rollbar.yaml`: the
 * configuration describes the Rollbar app, which is the same for every engine, while state is this engine's
 * and usually differs per pipeline.
 */
import * as path from 'node:path';
import { AzurermBackend, LocalBackend, type TerraformStack } from 'cdktf';
import { problem, RollbarProvisioningError, type Problem } from '../../constructs/core/problems';

/** The state file's name when it is local. */
export const LOCAL_STATE_FILE = 'terraform.rollbar.tfstate';

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

const DEFAULT_AZURERM_KEY = 'rollbar.tfstate';

/**
 * The backend that the environment asks for: azurerm when `ROLLBAR_STATE_AZURERM_STORAGE_ACCOUNT` is set
 * (its sign-in comes from the usual `ARM_*` variables), else a local file next to `cdktf.json`, named by a
 * path relative to the stack's directory so that no absolute path of this machine is synthesized.
 * @param stackDir the directory the stack is synthesized into (`<outdir>/stacks/<stack>`)
 * @param projectDir the directory holding `cdktf.json`
 * @throws RollbarProvisioningError when the azurerm settings are incomplete
 */
export function stateBackendFromEnv(env: NodeJS.ProcessEnv, stackDir: string, projectDir: string): StateBackend {
  const value = (name: string): string | undefined => env[name]?.trim() || undefined;
  const storageAccountName = value(AZURERM_ENV.storageAccountName);
  if (storageAccountName === undefined) {
    const fromStack = path.relative(path.resolve(stackDir), path.resolve(projectDir));
    // Outside the project (a temporary outdir), "next to cdktf.json" would need an absolute path.
    const inProject = !fromStack.split(path.sep).some((part) => part !== '..');
    const dir = inProject ? fromStack.split(path.sep).join('/') : '';
    return { kind: 'local', path: dir === '' ? LOCAL_STATE_FILE : `${dir}/${LOCAL_STATE_FILE}` };
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
    key: value(AZURERM_ENV.key) ?? DEFAULT_AZURERM_KEY,
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
