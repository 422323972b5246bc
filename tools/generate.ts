/**
 * `npm run generate`: writes what is derived from the spec's description: `rollbar.schema.json` (shipped in the
 * package) and README's configuration table. Tests fail while either is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { configJsonSchemaText, withConfigurationTable } from '../constructs/core';

const ROOT = path.join(__dirname, '..');
writeFileSync(path.join(ROOT, 'rollbar.schema.json'), configJsonSchemaText());
const readmePath = path.join(ROOT, 'README.md');
writeFileSync(readmePath, withConfigurationTable(readFileSync(readmePath, 'utf8')));
process.stdout.write('Wrote rollbar.schema.json and the configuration table of README.md.\n');
