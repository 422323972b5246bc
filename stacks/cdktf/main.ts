/**
 * The CDK for Terraform app (cdktf.json's `app`; `npm run synth:cdktf`): the `rollbar` stack from
 * `rollbar.yaml` (or `ROLLBAR_CONFIG`). Needs no terraform binary and no network.
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import { RollbarProvisioningError } from '../../constructs/core/problems';
import { configPath, loadConfig } from '../config';
import { RollbarStack, STACK_ID } from './rollbar-stack';
import { stateBackendFromEnv } from './state-backend';

function main(): number {
  try {
    const config = loadConfig(configPath());
    const app = new App();
    const stackDir = path.join(app.outdir, 'stacks', STACK_ID);
    const backend = stateBackendFromEnv(process.env, stackDir, process.cwd());
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

process.exitCode = main();
