/**
 * The programs of the consumer tests: what a platform team writes in its own project after
 * `npm install rollbar-provisioning` (README "Use it in your own project" shows the same ones). They are text, not
 * modules of this repository: they import the package by its published name, which resolves only in a project
 * that installed the tarball.
 */

/** An object id that looks like Entra's; nothing is deployed. */
export const ENGINEERS_GROUP = '2c1f9f8e-3b7a-4d52-9e61-0a4b8c7d6e5f';

/** `main.ts` of a CDKTF app: the stack `rollbar`, the token from the ephemeral variable `rollbar_secret_token`. */
export const CDKTF_APP = `import { AzureadProvider } from '@cdktf/provider-azuread/lib/provider';
import { App, TerraformStack, TerraformVariable } from 'cdktf';
import { RollbarProvisioning } from 'rollbar-provisioning/cdktf';

const app = new App();
const stack = new TerraformStack(app, 'rollbar');
new AzureadProvider(stack, 'azuread', {});
// Ephemeral (Terraform 1.10 or later): kept out of saved plans and the state. cdktf 0.21 has no option for it.
stack.addOverride('terraform.required_version', '>= 1.10');
const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
token.addOverride('ephemeral', true);
const version = new TerraformVariable(stack, 'rollbar_secret_token_version', { type: 'string', default: '1' });
new RollbarProvisioning(stack, 'Rollbar', {
  secretToken: token.stringValue,
  secretTokenVersion: version.stringValue, // bump it with every new token
  notification: { email: 'identity-ops@example.com' },
  assignments: { engineers: { principalObjectId: '${ENGINEERS_GROUP}', principalType: 'Group', role: 'User' } },
});
app.synth();
`;

/** `index.ts` of a Pulumi program: the token from the secret config value `rollbar:secretToken`. */
export const PULUMI_PROGRAM = `import * as pulumi from '@pulumi/pulumi';
import { RollbarProvisioning } from 'rollbar-provisioning/pulumi';

const config = new pulumi.Config('rollbar');
const rollbar = new RollbarProvisioning('rollbar', {
  secretToken: config.requireSecret('secretToken'),
  notification: { email: 'identity-ops@example.com' },
  assignments: { engineers: { principalObjectId: '${ENGINEERS_GROUP}', principalType: 'Group', role: 'User' } },
});
export const servicePrincipalId = rollbar.servicePrincipalId;
`;

/** `check.ts`: the engine-free model alone, as a policy check or a custom tool would use it. */
export const CORE_CHECK = `import { validateSpec, type RollbarProvisioningSpec } from 'rollbar-provisioning/core';
import { createGraphClient, type GraphClientOptions } from 'rollbar-provisioning/graph';

const spec = (role: string): RollbarProvisioningSpec => ({
  secretToken: 'read at deploy time',
  notification: { email: 'identity-ops@example.com' },
  assignments: { engineers: { principalObjectId: '${ENGINEERS_GROUP}', role } },
});
const graphOptions: GraphClientOptions = { maxRetries: 0 };
console.log(JSON.stringify({
  valid: validateSpec(spec('User')),
  defaultAccess: validateSpec(spec('msiam_access')),
  graph: typeof createGraphClient === 'function' && graphOptions.maxRetries === 0,
}));
`;

/**
 * `config-check.ts`: loads the file named on the command line with \`rollbar-provisioning/config\` and prints
 * every problem's code, path, line and column, and the codes of the error \`loadConfig\` throws.
 */
export const CONFIG_CHECK = `import { checkConfigFile, loadConfig } from 'rollbar-provisioning/config';
import { RollbarProvisioningError } from 'rollbar-provisioning/core';

const file = process.argv[2] ?? 'rollbar.yaml';
const { problems } = checkConfigFile(file);
let thrown: string[] = [];
try {
  loadConfig(file);
} catch (e) {
  if (e instanceof RollbarProvisioningError) thrown = e.codes;
}
console.log(JSON.stringify({ problems: problems.map(({ code, path, line, column }) => ({ code, path, line, column })), thrown }));
`;

/** Three mistakes, on lines 1, 2 and 8: a misspelt key, a quoted number and Default Access. */
export const CONFIG_MISTAKES_YAML = `scop: all
accidentalDeletionThreshold: "500"
roles:
  - value: User
assignments:
  engineers:
    principalObjectId: ${ENGINEERS_GROUP}
    role: msiam_access
`;

/**
 * Run with \`node -e\` in a consumer project that installed ajv and yaml: validates every example the package
 * ships against \`rollbar-provisioning/rollbar.schema.json\`, and a misspelt key.
 */
export const SCHEMA_CHECK = `
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv');
const { parse } = require('yaml');
const schema = require('rollbar-provisioning/rollbar.schema.json');
const validate = new Ajv({ allErrors: true }).compile(schema);
const root = path.dirname(require.resolve('rollbar-provisioning/package.json'));
const files = ['rollbar.yaml'];
const walk = (dir) => {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir + '/' + e.name;
    if (e.isDirectory()) walk(rel);
    else if (e.name.endsWith('.yaml')) files.push(rel);
  }
};
walk('examples');
const examples = Object.fromEntries(files.map((f) => [f, validate(parse(fs.readFileSync(path.join(root, f), 'utf8')))]));
const valid = validate({ provisioningEnable: false });
console.log(JSON.stringify({ examples, misspelt: { valid, errors: validate.errors } }));
`;

/** A configuration file for `rollbar-provisioning validate`, with the Default Access mistake on line 6. */
export const DEFAULT_ACCESS_YAML = `roles:
  - value: User
assignments:
  engineers:
    principalObjectId: ${ENGINEERS_GROUP}
    role: msiam_access
`;

/** Where the Pulumi mocks below put the enterprise application, and the tenant they report. */
export interface PulumiMockIds {
  readonly tenantId: string;
  readonly servicePrincipalObjectId: string;
  readonly jobId: string;
}

/**
 * `mocks.js`: runs the compiled program (`index.js`) under Pulumi's mocks, with no Pulumi CLI and no Azure, and
 * prints every registered resource (type, name, inputs as the engine would pass them) and the program's output
 * as one JSON object. The token comes from the environment (ROLLBAR_TEST_TOKEN), as `pulumi config set --secret`
 * would hold it.
 */
export function pulumiMocksHarness(ids: PulumiMockIds): string {
  const sp = `/servicePrincipals/${ids.servicePrincipalObjectId}`;
  return `'use strict';
const pulumi = require('@pulumi/pulumi');
const registrations = [];
const outputs = {
  'azuread:index/applicationFromTemplate:ApplicationFromTemplate': {
    applicationId: '/applications/a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
    applicationObjectId: 'a1a1a1a1-b2b2-4c3c-8d4d-e5e5e5e5e5e5',
    servicePrincipalId: ${JSON.stringify(sp)},
    servicePrincipalObjectId: ${JSON.stringify(ids.servicePrincipalObjectId)},
  },
  'pulumi-nodejs:dynamic/rollbar-provisioning:SyncTemplate': { templateId: 'rollbar-template' },
};
const job = ${JSON.stringify(`${sp}/synchronization/jobs/${ids.jobId}`)};
const resourceIds = { 'azuread:index/synchronizationJob:SynchronizationJob': job };
pulumi.runtime.setAllConfig({ 'rollbar:secretToken': process.env.ROLLBAR_TEST_TOKEN }, ['rollbar:secretToken']);
pulumi.runtime
  .setMocks(
    {
      newResource: ({ type, name, inputs }) => {
        registrations.push({ type, name, inputs });
        return { id: resourceIds[type] ?? name + '-id', state: { ...inputs, ...outputs[type] } };
      },
      call: ({ token }) =>
        token.endsWith('getClientConfig') ? { tenantId: ${JSON.stringify(ids.tenantId)} } : { templateId: 'gallery' },
    },
    'consumer',
    'test',
    false,
  )
  .then(async () => {
    const program = require('./index.js');
    const servicePrincipalId = await new Promise((resolve) => program.servicePrincipalId.apply(resolve));
    await require('@pulumi/pulumi/runtime/settings').waitForRPCs();
    process.stdout.write(JSON.stringify({ servicePrincipalId, registrations }));
  });
`;
}
