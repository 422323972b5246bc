/**
 * `rollbar-provisioning export` against the fake Graph's portal-made app (test/fake-graph/portal-app.ts): portal
 * roles with random ids, three assignments (two principals named alike), one Default Access assignment, one
 * changed mapping, one scoping filter, one difference the model cannot express, a masked secret, notification and
 * scope. The export acceptance, items 1 and 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { checkConfigText } from '../../constructs/config';
import { EXPORT_NOT_EXPRESSED_EXIT } from '../../cli/commands/export';
import { seedPortalApp } from '../fake-graph/portal-app';
import { FakeGraph } from '../fake-graph/server';
import { PORTAL_PRINCIPALS, PORTAL_ROLES, PORTAL_SP } from '../fixtures/portal-app';
import { findSecretForms } from '../secret-forms';
import { fakeEnv, runMain } from './run';

const SAVED_TOKEN = 'rollbar-portal-saved-token-5f1e9a0c7b3d4e2f';

let fake: FakeGraph;
let dir: string;
beforeAll(async () => {
  fake = await FakeGraph.start();
  seedPortalApp(fake, SAVED_TOKEN);
  dir = mkdtempSync(path.join(tmpdir(), 'rollbar-export-'));
});
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const exportTo = (file: string, extra: string[] = []) =>
  runMain(['export', '--service-principal-id', PORTAL_SP, '--out', file, ...extra], { env: fakeEnv(fake), cwd: dir });

describe('export of the portal-made app', () => {
  let first: Awaited<ReturnType<typeof exportTo>>;
  let text: string;
  beforeAll(async () => {
    first = await exportTo('rollbar.yaml');
    text = readFileSync(path.join(dir, 'rollbar.yaml'), 'utf8');
  });

  test('writes a file that validate accepts, and exits with the not-expressed code naming the difference', async () => {
    expect(first.code).toBe(EXPORT_NOT_EXPRESSED_EXIT);
    expect(first.stderr).toContain('not expressed: FLOW_BEHAVIOR mappings.users.attributes.title.flowBehavior');
    expect(checkConfigText(text).problems).toEqual([]);
    const validate = await runMain(['validate', path.join(dir, 'rollbar.yaml')], { cwd: dir });
    expect(validate.code).toBe(0);
  });

  test('contains no secret and no masked value', () => {
    const everything = `${text}\n${first.stdout}\n${first.stderr}`;
    expect(findSecretForms('export', everything, [SAVED_TOKEN])).toEqual([]);
    expect(text).not.toContain('rollbar-scim.example.com');
    expect(text).not.toMatch(/:\s*["']?\*["']?\s*$/m);
    expect(first.stderr).toContain('note: MASKED_SECRET tenantUrl');
  });

  test('adopts the app: roles with their portal ids, keys for the two Alex Kims, notification and scope', () => {
    const config = parse(text) as Record<string, unknown>;
    expect(config.existingServicePrincipalObjectId).toBe(PORTAL_SP);
    expect(config.roles).toEqual([
      {
        value: 'Admin',
        id: PORTAL_ROLES[2]!.id,
        displayName: 'Rollbar Admin',
        description: 'Rollbar account administrators',
      },
      { value: 'User', id: PORTAL_ROLES[1]!.id, displayName: 'Rollbar User', description: 'Rollbar users' },
    ]);
    expect(Object.keys(config.assignments as object)).toEqual(['alex-kim', 'alex-kim-2', 'engineering']);
    expect(config).toMatchObject({
      notification: { email: 'identity-ops@example.com', sendOnFailure: true },
      accidentalDeletionThreshold: 250,
      scope: 'assignedOnly',
      provisioningEnabled: true,
      mappings: { users: { attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } } } },
    });
  });

  test('Default Access: left out of assignments, listed in its commented section with the key it would get', () => {
    const dana = PORTAL_PRINCIPALS[3].id;
    expect(JSON.stringify(parse(text))).not.toContain(dana);
    expect(text).toMatch(new RegExp(`# DEFAULT ACCESS ASSIGNMENTS[^]*#\\s+dana-ortiz:[^]*principalObjectId: ${dana}`));
    expect(first.stderr).toContain('note: DEFAULT_ACCESS_ASSIGNMENT assignments.dana-ortiz');
  });

  test('a second export is byte-identical', async () => {
    const second = await exportTo('again.yaml');
    expect(second.code).toBe(EXPORT_NOT_EXPRESSED_EXIT);
    expect(readFileSync(path.join(dir, 'again.yaml'), 'utf8')).toBe(text);
  });

  test('reads only: no PUT, POST, PATCH or DELETE reached Graph', () => {
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('export --imports', () => {
  test('terraform: one import block for the job, each role and each assignment', async () => {
    const r = await exportTo('tf.yaml', ['--imports', 'terraform', '--imports-out', 'imports.tf']);
    expect(r.code).toBe(EXPORT_NOT_EXPRESSED_EXIT);
    const blocks = readFileSync(path.join(dir, 'imports.tf'), 'utf8');
    expect(blocks.match(/^import \{$/gm)).toHaveLength(1 + 2 + 3);
    expect(blocks).toMatch(/to = azuread_synchronization_job\.Rollbar_Job_[0-9A-F]{8}\n/);
    expect(blocks).toContain(`id = "/applications/`);
    expect(blocks).toMatch(/to = azuread_app_role_assignment\.Rollbar_Assignments_[0-9A-F]{8}\["alex-kim-2"\]/);
  });

  test('pulumi: a file for pulumi import --file, the children parented to the component', async () => {
    const r = await exportTo('p.yaml', [
      '--imports',
      'pulumi',
      '--imports-out',
      'import.json',
      '--pulumi-urn',
      'urn:x',
    ]);
    expect(r.code).toBe(EXPORT_NOT_EXPRESSED_EXIT);
    const file = JSON.parse(readFileSync(path.join(dir, 'import.json'), 'utf8')) as {
      nameTable: Record<string, string>;
      resources: { type: string; name: string; parent: string }[];
    };
    expect(file.nameTable).toEqual({ rollbar: 'urn:x' });
    expect(file.resources.map((x) => x.name)).toEqual([
      'rollbar-job',
      'rollbar-role-Admin',
      'rollbar-role-User',
      'rollbar-assignment-alex-kim',
      'rollbar-assignment-alex-kim-2',
      'rollbar-assignment-engineering',
    ]);
    expect(new Set(file.resources.map((x) => x.parent))).toEqual(new Set(['rollbar']));
  });

  test('a wrong --imports is a usage error, and nothing is written', async () => {
    const r = await exportTo('never.yaml', ['--imports', 'ansible']);
    expect(r.code).toBe(2);
    expect(() => readFileSync(path.join(dir, 'never.yaml'))).toThrow();
  });

  test('--help names the command, its exit codes and its read permissions', async () => {
    const r = await runMain(['export', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: rollbar-provisioning export --service-principal-id ID');
    expect(r.stdout).toContain(`${EXPORT_NOT_EXPRESSED_EXIT} when the portal has configuration`);
    expect(r.stdout).toContain('Application.Read.All and Synchronization.Read.All');
  });
});
