/**
 * The CDK for Terraform app (cdktf.json's `app`; `npm run synth:cdktf`): the `rollbar` stack from
 * `rollbar.yaml` (or `ROLLBAR_CONFIG`). Needs no terraform binary and no network.
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import { RollbarProvisioningError } from '../../constructs/core/problems';
import { configPath, loadConfig } from '../../constructs/config';
import { RollbarStack, STACK_ID } from './rollbar-stack';
import { stateBackendFromEnv } from './state-backend';

const HELP = `Usage: npm run synth:cdktf   (what cdktf synth / cdktf deploy run, through cdktf.json)

Synthesizes the CDKTF stack "rollbar" from rollbar.yaml into cdktf.out/stacks/rollbar/cdk.tf.json. Needs no
terraform binary and no network.

Environment:
  ROLLBAR_CONFIG                          the configuration file (default rollbar.yaml)
  CDKTF_OUTDIR                            the output directory (default cdktf.out)
  ROLLBAR_STATE_AZURERM_STORAGE_ACCOUNT   keep the state in Azure storage (with ROLLBAR_STATE_AZURERM_CONTAINER,
                                          and optionally _KEY, _RESOURCE_GROUP, _USE_AZUREAD_AUTH); else a local
                                          state file next to cdktf.json
  ROLLBAR_STATE_KEY                       the state's name: terraform.<key>.tfstate, azurerm blob <key>.tfstate
                                          (default: rollbar for ./rollbar.yaml, else rollbar-<path of the file>,
                                          so that each configuration, one per tenant, has its own state)
The token is not read here: Terraform takes it from TF_VAR_rollbar_secret_token at plan and apply.
`;

/** Synthesizes the stack; returns the exit code (1: a configuration problem, every one printed). */
export function main(argv: readonly string[] = process.argv.slice(2)): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  try {
    const file = configPath();
    const config = loadConfig(file);
    const app = new App();
    const stackDir = path.join(app.outdir, 'stacks', STACK_ID);
    const backend = stateBackendFromEnv(process.env, stackDir, process.cwd(), file);
    new RollbarStack(app, STACK_ID, { config, backend });
    app.synth();
    return 0;
  } catch (e) {
    // A configuration problem is the user's to fix: its message lists every problem; a stack trace would bury it.
    if (e instanceof RollbarProvisioningError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main();
