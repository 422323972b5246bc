/**
 * Writes README's permissions table from the commands' permission metadata (part of `npm run generate`), between
 * the markers, formatted by Prettier as CI checks it. test/cli/permissions.test.ts fails when README is stale.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as prettier from 'prettier';
import { COMMANDS } from '../cli/main';
import { PERMISSIONS_TABLE_BEGIN, PERMISSIONS_TABLE_END, permissionsTable } from '../cli/permissions';

const README = path.join(__dirname, '..', 'README.md');

/** Rewrites the table in README.md. */
export async function writePermissionsTable(): Promise<void> {
  const text = fs.readFileSync(README, 'utf8');
  const begin = text.indexOf(PERMISSIONS_TABLE_BEGIN);
  const end = text.indexOf(PERMISSIONS_TABLE_END);
  if (begin < 0 || end < begin)
    throw new Error(`README.md has no ${PERMISSIONS_TABLE_BEGIN} … ${PERMISSIONS_TABLE_END} section`);
  const updated =
    text.slice(0, begin + PERMISSIONS_TABLE_BEGIN.length) + `\n\n${permissionsTable(COMMANDS)}\n\n` + text.slice(end);
  const options = (await prettier.resolveConfig(README)) ?? {};
  fs.writeFileSync(README, await prettier.format(updated, { ...options, filepath: README }));
}
