/** CDKTF through the construct: App + TerraformStack + RollbarProvisioning, `app.synth()` to a temporary outdir. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { RollbarProvisioning } from '../../constructs/cdktf';
import { runCase, timed } from '../child';
import { benchSpec } from '../spec';
import { countTerraformResources } from './terraform-json';

runCase(({ n, outdir }) => {
  const spec = benchSpec(n);
  const { value: app, ms: construct } = timed(() => {
    const app = new App({ outdir });
    const stack = new TerraformStack(app, 'rollbar');
    new AzureadProvider(stack, 'azuread', {});
    const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
    token.addOverride('ephemeral', true);
    new RollbarProvisioning(stack, 'Rollbar', { ...spec, secretToken: token.stringValue });
    return app;
  });
  const { ms: synth } = timed(() => app.synth());
  const file = path.join(outdir, 'stacks', 'rollbar', 'cdk.tf.json');
  const text = fs.readFileSync(file, 'utf8');
  return { resources: countTerraformResources(text), outputBytes: text.length, phases: { construct, synth } };
});
