/**
 * Every `rollbar-provisioning …` command README shows (in code blocks and inline code) names a command the CLI has,
 * and only options that command's --help lists; where --help gives an option's choices (`--imports
 * terraform|pulumi`), README's value is one of them.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, commandHelp } from '../../cli/main';

const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PROGRAM = 'rollbar-provisioning';

/** The text after `rollbar-provisioning ` of each command README shows, up to a shell comment. */
function readmeCommands(markdown: string): string[] {
  const code: string[] = [];
  const prose: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.trim().startsWith('```')) fenced = !fenced;
    else (fenced ? code : prose).push(line);
  }
  // Inline code may wrap over lines in prose; a code block's command is its line.
  const spans = [...prose.join('\n').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\s+/g, ' '));
  return [...code, ...spans].flatMap((text) =>
    [...text.matchAll(new RegExp(`(?:^|[\\s(])${PROGRAM} ([^#|]*)`, 'g'))].map((m) => m[1]!.trim()),
  );
}

/** The choices --help gives for `--name` (`--imports terraform|pulumi`), when they are a closed list of words. */
function choices(help: string, name: string): string[] | undefined {
  const listed = new RegExp(`--${name} ([a-z-]+(?:\\|[a-z-]+)+)(?![|\\w.-])`).exec(help)?.[1];
  return listed?.split('|');
}

/** What is wrong with each command in `markdown`, as `rollbar-provisioning <text>: <problem>`. */
function commandProblems(markdown: string): string[] {
  return readmeCommands(markdown).flatMap((text) => {
    const words = text.split(' ');
    // Not a command: the package in `npm install rollbar-provisioning cdktf@0.21.0`, a directory in `… && cd`.
    if (!/^[a-z][a-z-]*$/.test(words[0] ?? '')) return [];
    const command = [...COMMANDS]
      .sort((a, b) => b.name.length - a.name.length)
      .find((c) => `${words.join(' ')} `.startsWith(`${c.name} `));
    if (command === undefined) return [`${PROGRAM} ${text}: no such command`];
    const help = commandHelp(command);
    return words.flatMap((word, i) => {
      const name = /^\[?--([a-z][a-z-]*)/.exec(word)?.[1];
      if (name === undefined || name === 'help') return [];
      if (!new RegExp(`--${name}(?![\\w-])`).test(help)) return [`${PROGRAM} ${text}: --${name} is not in its --help`];
      const allowed = choices(help, name);
      const value = words[i + 1]?.replace(/\]$/, '');
      if (allowed === undefined || value === undefined || /^[-[<]/.test(value) || allowed.includes(value)) return [];
      return [`${PROGRAM} ${text}: --${name} ${value} is not one of ${allowed.join('|')}`];
    });
  });
}

test('README shows the commands the CLI has, with the options their --help lists', () => {
  const shown = readmeCommands(README);
  expect(shown.length).toBeGreaterThanOrEqual(30);
  expect(shown).toEqual(
    expect.arrayContaining([
      'export --service-principal-id <object id> --imports terraform',
      'export --service-principal-id <object id> --imports pulumi',
    ]),
  );
  expect(commandProblems(README)).toEqual([]);
});

test('a misspelled option, an unknown command and a value outside the choices are each noticed', () => {
  const broken = [
    '```sh',
    'rollbar-provisioning export --service-principal-id <object id> --import terraform',
    'rollbar-provisioning exports --service-principal-id <object id>',
    '```',
    'Run `rollbar-provisioning export --service-principal-id <object id> --imports cdktf` first.',
  ].join('\n');
  expect(commandProblems(broken)).toEqual([
    'rollbar-provisioning export --service-principal-id <object id> --import terraform: --import is not in its --help',
    'rollbar-provisioning exports --service-principal-id <object id>: no such command',
    'rollbar-provisioning export --service-principal-id <object id> --imports cdktf: --imports cdktf is not one of terraform|pulumi',
  ]);
});
