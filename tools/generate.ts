/**
 * `npm run generate`: writes what is derived from the spec's description: `rollbar.schema.json` (shipped in the
 * package), README's configuration table, and README's permissions table (from the commands' permissions). Tests
 * fail while any is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { withConfigurationTable } from '../constructs/core/config-table';
import { configJsonSchemaText } from '../constructs/core/json-schema';
import { writePermissionsTable } from './permissions-table';

const ROOT = path.join(__dirname, '..');
writeFileSync(path.join(ROOT, 'rollbar.schema.json'), configJsonSchemaText());
const readmePath = path.join(ROOT, 'README.md');
writeFileSync(readmePath, withConfigurationTable(readFileSync(readmePath, 'utf8')));
void writePermissionsTable().then(
  () => process.stdout.write('Wrote rollbar.schema.json and the configuration and permissions tables of README.md.\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
