/** Every configuration under examples/ loads, and synthesizes in both engines. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as pulumiType from '@pulumi/pulumi';
import type { RollbarProvisioning as PulumiComponent } from '../../constructs/pulumi';
import { App, Testing } from 'cdktf';
import { loadConfig } from '../../constructs/config';
import { RollbarStack } from '../../stacks/cdktf/rollbar-stack';
import { installMocks, type Recorder } from '../pulumi/mocks';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const files = fs
  .readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .sort();

let recorder: Recorder;
let pulumi: typeof pulumiType;
let Component: typeof PulumiComponent;

beforeAll(async () => {
  recorder = await installMocks({ 'rollbar:secretToken': 'examples-token' }, ['rollbar:secretToken']);
  pulumi = await import('@pulumi/pulumi');
  ({ RollbarProvisioning: Component } = await import('../../constructs/pulumi'));
});

test('there are at least three examples', () => {
  expect(files.length).toBeGreaterThanOrEqual(3);
});

describe.each(files)('examples/%s', (file) => {
  const config = loadConfig(path.join(EXAMPLES, file));
  const roles = (config.roles ?? [{ value: 'User' }]).length;
  const assignments = Object.keys(config.assignments ?? {}).length;

  test('synthesizes with CDKTF', () => {
    const stack = new RollbarStack(new App({ skipValidation: true }), 'rollbar', { config });
    const tf = JSON.parse(Testing.synth(stack)) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(Object.keys(tf.resource.azuread_application_app_role ?? {})).toHaveLength(roles);
    const [assignment] = Object.values(tf.resource.azuread_app_role_assignment ?? {});
    expect(Object.keys((assignment?.for_each as object | undefined) ?? {})).toHaveLength(assignments);
    expect(Object.keys(tf.resource.terraform_data ?? {}).length).toBeGreaterThanOrEqual(2);
  });

  test('registers in Pulumi', async () => {
    recorder.clear();
    const name = `ex-${file.replace(/[^a-z0-9]+/gi, '-').replace(/-yaml$/, '')}`;
    new Component(name, { ...config, secretToken: pulumi.secret('examples-token') });
    await recorder.settle();
    const names = recorder.registrations.map((r) => r.name);
    expect(names.filter((n) => n.startsWith(`${name}-role-`))).toHaveLength(roles);
    expect(names.filter((n) => n.startsWith(`${name}-assignment-`))).toHaveLength(assignments);
    expect(names).toEqual(expect.arrayContaining([`${name}-job`, `${name}-credentials`, `${name}-provisioning-state`]));
    expect(names.includes(`${name}-mappings`)).toBe(config.mappings !== undefined);
  });
});
