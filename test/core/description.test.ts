/**
 * What is derived from the spec's one description stays derived: the shipped JSON Schema and README's
 * configuration table equal what the description generates (run `npm run generate` when a test here fails), and
 * a JSON Schema validator, given the shipped schema, accepts every example and rejects what validate rejects for
 * its shape.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { SPEC_DESCRIPTION } from '../../constructs/core';
import { configurationTable, CONFIG_TABLE_MARKERS, withConfigurationTable } from '../../constructs/core/config-table';
import { CREDENTIAL_SETTING_KEYS } from '../../constructs/core/description';
import { configJsonSchemaText } from '../../constructs/core/json-schema';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

/** rollbar.yaml and every YAML file under examples/. */
function exampleFiles(): string[] {
  const out = ['rollbar.yaml'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.yaml')) out.push(rel);
    }
  };
  walk('examples');
  return out;
}

describe('derived from the description', () => {
  test('rollbar.schema.json is current (npm run generate rewrites it)', () => {
    expect(read('rollbar.schema.json')).toBe(configJsonSchemaText());
  });

  test("README's configuration table is current (npm run generate rewrites it)", () => {
    const readme = read('README.md');
    expect(readme).toContain(CONFIG_TABLE_MARKERS.start);
    expect(readme).toContain(CONFIG_TABLE_MARKERS.end);
    expect(readme).toContain(configurationTable());
    expect(withConfigurationTable(readme)).toBe(readme);
  });

  test('a stale table is noticed: a changed description gives another README', () => {
    const readme = read('README.md');
    const stale = readme.replace('| `scope`', '| `scopes`');
    expect(stale).not.toBe(readme);
    expect(withConfigurationTable(stale)).toBe(readme);
  });

  test('the table lists every key of the file, and not the token', () => {
    const table = configurationTable();
    for (const key of Object.keys(SPEC_DESCRIPTION.shape.kind === 'object' ? SPEC_DESCRIPTION.shape.keys : {})) {
      if (key === 'secretToken') expect(table).not.toContain('`secretToken`');
      else expect(table).toMatch(new RegExp(`\\| \`${key}(\\.[a-zA-Z]+)?\``));
    }
  });

  test("the credential settings are the ones DESIGN.md lists for graph save-credentials' settings", () => {
    expect([...CREDENTIAL_SETTING_KEYS].sort()).toEqual(
      ['accidentalDeletionThreshold', 'notification', 'scope', 'skipOutOfScopeDeletions', 'tenantUrl'].sort(),
    );
  });
});

describe('the JSON Schema, with a JSON Schema validator (ajv)', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false });
  const validate = ajv.compile(JSON.parse(read('rollbar.schema.json')));

  test.each(exampleFiles())('%s: accepted, and its yaml-language-server line names the schema', (file) => {
    const text = read(file);
    expect(validate(parse(text))).toBe(true);
    const line = /^# yaml-language-server: \$schema=(\S+)$/m.exec(text);
    expect(line).not.toBeNull();
    expect(path.resolve(ROOT, path.dirname(file), line![1]!)).toBe(path.join(ROOT, 'rollbar.schema.json'));
  });

  test.each([
    ['a misspelt key', { provisioningEnable: false }, '/', 'additionalProperties'],
    ['a misspelt nested key', { notification: { emial: 'ops@example.com' } }, '/notification', 'additionalProperties'],
    ['the token', { secretToken: 'x' }, '/', 'additionalProperties'],
    ['a quoted number', { accidentalDeletionThreshold: '500' }, '/accidentalDeletionThreshold', 'type'],
    ['an unknown scope', { scope: 'everyone' }, '/scope', 'enum'],
    [
      'a camel-case assignment key',
      { assignments: { PlatformTeam: { principalObjectId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', role: 'User' } } },
      '/assignments',
      'propertyNames',
    ],
    [
      'a mapping without source',
      { mappings: { users: { attributes: { userName: {} } } } },
      '/mappings/users/attributes/userName',
      'required',
    ],
  ])('rejects %s', (_name, data, instancePath, keyword) => {
    expect(validate(data)).toBe(false);
    expect(validate.errors).toContainEqual(
      expect.objectContaining({ instancePath: instancePath === '/' ? '' : instancePath, keyword }),
    );
  });

  test('null removes an attribute mapping', () => {
    expect(validate({ mappings: { users: { attributes: { 'name.familyName': null } } } })).toBe(true);
  });
});
