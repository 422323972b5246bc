/**
 * The exported configuration as rollbar.yaml: it loads and validates as any configuration does (`validate`'s
 * check and the shipped JSON Schema), carries its notes as comments, and is the same text every time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { exportConfig, type PortalSnapshot } from '../../constructs/core';
import { checkConfigText } from '../../constructs/config';
import { NOT_EXPRESSED_MARKER, renderExportedConfig } from '../../constructs/config/write';
import { PORTAL_PRINCIPALS, portalSnapshot } from '../fixtures/portal-app';

const text = renderExportedConfig(exportConfig(portalSnapshot()));

describe('renderExportedConfig', () => {
  test('validate accepts it, without a problem', () => {
    expect(checkConfigText(text).problems).toEqual([]);
  });

  test('the JSON Schema accepts it', () => {
    const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(__dirname, '../../rollbar.schema.json'), 'utf8')));
    expect(validate(parse(text))).toBe(true);
  });

  test('a second export of the same app, listed in another order, is byte-identical', () => {
    const s = portalSnapshot();
    const again: PortalSnapshot = {
      ...s,
      assignments: [...s.assignments].reverse(),
      appRoles: [...s.appRoles].reverse(),
    };
    expect(renderExportedConfig(exportConfig(again))).toBe(text);
  });

  test('no masked value and no secret key is written', () => {
    expect(text).not.toMatch(/:\s*["']?\*["']?\s*$/m);
    expect(text).not.toMatch(/^\s*secretToken:/im);
  });

  test('the inexpressible difference is in the marked section, the Default Access assignment in its own', () => {
    const marked = text.slice(text.indexOf(NOT_EXPRESSED_MARKER));
    expect(text).toContain(`# ${NOT_EXPRESSED_MARKER}`);
    expect(marked).toContain('FLOW_BEHAVIOR mappings.users.attributes.title.flowBehavior');
    expect(text).toMatch(/# DEFAULT ACCESS ASSIGNMENTS[^]*#\s+dana-ortiz:[^]*principalObjectId: b4000000/);
    expect(parse(text).assignments).not.toHaveProperty('dana-ortiz');
    expect(JSON.stringify(parse(text))).not.toContain(PORTAL_PRINCIPALS[3].id);
  });

  test('the file says that keys never follow renames and that the patch is against the current template', () => {
    expect(text).toMatch(/never\s*\n?#?\s*follow a later rename/);
    expect(text).toContain("A patch against Microsoft's current Rollbar template");
  });
});
