/**
 * The Terraform import blocks of `export --imports terraform` name the resources the repository's stack
 * synthesizes from the exported configuration: CDKTF's logical ids (core cdktfLogicalId) and the assignments'
 * for_each keys, with the roles' portal ids. A change in how cdktf allocates ids fails here.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { exportConfig } from '../../../constructs/core';
import { terraformImportBlocks } from '../../../constructs/core/imports';
import { loadConfigText } from '../../../constructs/config';
import { renderExportedConfig } from '../../../constructs/config/write';
import { RollbarStack, STACK_ID } from '../../../stacks/cdktf/rollbar-stack';
import { stateBackendFromEnv } from '../../../stacks/cdktf/state-backend';
import { PORTAL_ROLES, portalSnapshot } from '../../fixtures/portal-app';

const REPO = path.resolve(__dirname, '..', '..', '..');

function synth(yaml: string): { resource: Record<string, Record<string, Record<string, unknown>>> } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-cdktf-imports-'));
  try {
    const app = new App({ outdir });
    const backend = stateBackendFromEnv({}, path.join(outdir, 'stacks', STACK_ID), REPO);
    new RollbarStack(app, STACK_ID, { config: loadConfigText(yaml), backend });
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', STACK_ID, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('terraform import blocks for the exported configuration', () => {
  const result = exportConfig(portalSnapshot());
  const json = synth(renderExportedConfig(result));
  const blocks = terraformImportBlocks(result.imports, ['Rollbar']);
  const targets = [...blocks.matchAll(/^ {2}to = (\w+)\.([\w-]+)(?:\["([^"]+)"\])?$/gm)].map((m) => ({
    type: m[1]!,
    name: m[2]!,
    key: m[3],
  }));

  test('every block names a synthesized resource, and assignments a key of its for_each', () => {
    expect(targets).toHaveLength(1 + 2 + 3);
    for (const t of targets) {
      const resource = json.resource[t.type]?.[t.name];
      expect([t.type, t.name, resource !== undefined]).toEqual([t.type, t.name, true]);
      if (t.key !== undefined) expect(Object.keys(resource!.for_each as object)).toContain(t.key);
    }
  });

  test("the synthesized roles carry the portal's ids, so the imported roles are not replaced", () => {
    const roles = Object.values(json.resource.azuread_application_app_role ?? {}).map((r) => [r.value, r.role_id]);
    expect(roles.sort()).toEqual([
      ['Admin', PORTAL_ROLES[2]!.id],
      ['User', PORTAL_ROLES[1]!.id],
    ]);
  });
});
