/** Each command's least permissions: in its --help and in README's one table, both from cli/permissions.ts. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, commandHelp } from '../../cli/main';
import {
  PERMISSIONS_TABLE_BEGIN,
  PERMISSIONS_TABLE_END,
  permissionsHelp,
  permissionsTable,
  WRITE_SYNC,
} from '../../cli/permissions';
import { packageVersion } from '../../cli/version';
import { runMain, spawnNode } from './run';

const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The table's rows as trimmed cells: Prettier's column padding is not content. */
function rows(markdown: string): string[][] {
  return markdown
    .split('\n')
    .filter((l) => l.trim().startsWith('|'))
    .map((l) =>
      l
        .trim()
        .slice(1, -1)
        .split(' | ')
        .map((c) => c.trim()),
    )
    .filter((cells) => !cells.every((c) => /^-+$/.test(c)));
}

function readmeTable(readme: string): string {
  const begin = readme.indexOf(PERMISSIONS_TABLE_BEGIN);
  const end = readme.indexOf(PERMISSIONS_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('README.md has no generated permissions table');
  return readme.slice(begin + PERMISSIONS_TABLE_BEGIN.length, end);
}

describe('README permissions table', () => {
  test('is the one generated from the commands (run `npm run generate` when this fails)', () => {
    expect(rows(readmeTable(README))).toEqual(rows(permissionsTable(COMMANDS)));
  });

  test('the comparison notices a stale table: a command whose permissions changed', () => {
    const changed = COMMANDS.map((c) => (c.name === 'logs' ? { ...c, permissions: WRITE_SYNC } : c));
    expect(rows(readmeTable(README))).not.toEqual(rows(permissionsTable(changed)));
    const missing = COMMANDS.filter((c) => c.name !== 'restart');
    expect(rows(readmeTable(README))).not.toEqual(rows(permissionsTable(missing)));
  });

  test('has the deploy identity and every command, once', () => {
    const names = rows(readmeTable(README)).map((r) => r[0]);
    expect(names[1]).toContain('deploy identity');
    for (const c of COMMANDS) expect(names.filter((n) => n === `\`rollbar-provisioning ${c.name}\``)).toHaveLength(1);
  });
});

describe('--help names the least permissions', () => {
  test.each(COMMANDS.map((c) => [c.name, c] as const))('%s', async (name, command) => {
    const r = await runMain([...name.split(' '), '--help']);
    expect(r.stdout).toBe(commandHelp(command));
    expect(r.stdout).toContain(permissionsHelp(command.permissions));
    for (const p of command.permissions.graph) expect(r.stdout).toContain(p);
  });

  test('logs names AuditLog.Read.All and Directory.Read.All; read-only commands name read permissions only', () => {
    const byName = new Map(COMMANDS.map((c) => [c.name, c]));
    expect(permissionsHelp(byName.get('logs')!.permissions)).toContain('AuditLog.Read.All and Directory.Read.All');
    for (const name of ['logs', 'graph sync-template', 'graph plan-mappings']) {
      expect(byName.get(name)!.permissions.graph.join(' ')).not.toContain('ReadWrite');
    }
    // status reads; only its opt-in Test Connection writes.
    expect(byName.get('status')!.permissions.graph).toEqual(['Synchronization.Read.All']);
    expect(byName.get('status')!.permissions.extra?.option).toBe('--test-connection');
    expect(byName.get('validate')!.permissions.graph).toEqual([]);
  });
});

describe('--version', () => {
  const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

  test('prints the package version', async () => {
    const r = await runMain(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  test('the launcher prints it too', async () => {
    const r = await spawnNode([path.join(ROOT, 'bin', 'rollbar-provisioning'), '--version']);
    expect(r.stdout).toBe(`${version}\n`);
    expect(r.code).toBe(0);
  });

  test('is looked up from the package, not guessed', () => {
    expect(packageVersion(path.join(ROOT, 'cli'))).toBe(version);
    expect(packageVersion('/')).toBeUndefined();
  });
});
