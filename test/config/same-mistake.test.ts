/**
 * One mistake, one answer. Thirty mistakes newcomers make, each fed through the three ways a spec arrives: a
 * `rollbar.yaml` (the loader), TypeScript (`validateSpec`), and the CLI's JSON input (`graph save-credentials`'
 * `settings`, `graph plan-mappings`' `mappings`, run through the CLI's `main`). Each must give the same problems:
 * the same code, path and message (and so the same fix). The CLI names a setting under its input field, so its
 * path and message carry a `settings.` prefix, which is the only difference allowed.
 *
 * Roles, assignments and the other settings are carried by no CLI JSON input; the bad-input corpus
 * (test/hardening) holds them to the same codes from the file and from both engines.
 */
import { stringify } from 'yaml';
import { checkConfigText } from '../../constructs/config';
import { validateSpec, type RollbarProvisioningSpec } from '../../constructs/core';
import { runMain } from '../cli/run';

interface Mistake {
  readonly name: string;
  /** The settings or mappings part of a spec, as code would give it. */
  readonly spec: Record<string, unknown>;
  /** The file, when YAML spells the mistake differently from `stringify(spec)` (such as an unquoted `yes`). */
  readonly yaml?: string;
  /** The codes expected (the check that they are the same everywhere is the test; this pins what they are). */
  readonly codes: readonly string[];
}

const attribute = (target: string, mapping: unknown): Record<string, unknown> => ({
  mappings: { users: { attributes: { [target]: mapping } } },
});
const filter = (group: unknown): Record<string, unknown> => ({
  mappings: { users: { scopingFilters: [group] } },
});
const clause = (c: unknown): Record<string, unknown> => filter({ name: 'Engineering', clauses: [c] });

const MISTAKES: readonly Mistake[] = [
  // ---- credential settings -----------------------------------------------------------------------------
  { name: 'a quoted threshold', spec: { accidentalDeletionThreshold: '500' }, codes: ['INVALID_THRESHOLD'] },
  { name: 'a negative threshold', spec: { accidentalDeletionThreshold: -1 }, codes: ['INVALID_THRESHOLD'] },
  { name: 'a threshold written as yes', spec: { accidentalDeletionThreshold: 'yes' }, codes: ['INVALID_THRESHOLD'] },
  { name: 'an unknown scope', spec: { scope: 'everyone' }, codes: ['INVALID_SCOPE'] },
  { name: 'a scope in the wrong case', spec: { scope: 'All' }, codes: ['INVALID_SCOPE'] },
  { name: 'a misspelt setting (scop)', spec: { scop: 'all' }, codes: ['INVALID_CONFIG'] },
  {
    name: 'a notification without email',
    spec: { notification: { sendOnFailure: true } },
    codes: ['INVALID_EMAIL'],
  },
  {
    name: 'a notification e-mail without a domain',
    spec: { notification: { email: 'ops' } },
    codes: ['INVALID_EMAIL'],
  },
  {
    name: 'sendOnFailure written as "no"',
    spec: { notification: { email: 'ops@example.com', sendOnFailure: 'no' } },
    yaml: 'notification:\n  email: ops@example.com\n  sendOnFailure: no\n',
    codes: ['INVALID_CONFIG'],
  },
  {
    name: 'a misspelt notification key (emial)',
    spec: { notification: { emial: 'ops@example.com' } },
    codes: ['INVALID_CONFIG', 'INVALID_EMAIL'],
  },
  { name: 'notification as a bare address', spec: { notification: 'ops@example.com' }, codes: ['INVALID_CONFIG'] },
  { name: 'an http tenant URL', spec: { tenantUrl: 'http://rollbar.example.com/scim' }, codes: ['INVALID_URL'] },
  {
    name: 'skipOutOfScopeDeletions written as yes',
    spec: { skipOutOfScopeDeletions: 'yes' },
    yaml: 'skipOutOfScopeDeletions: yes\n',
    codes: ['INVALID_CONFIG'],
  },

  // ---- mappings ----------------------------------------------------------------------------------------
  {
    name: 'a misspelt source (sourc)',
    spec: attribute('userName', { sourc: '[userPrincipalName]' }),
    codes: ['INVALID_CONFIG', 'INVALID_EXPRESSION'],
  },
  { name: 'a number as the source', spec: attribute('userName', { source: 5 }), codes: ['INVALID_EXPRESSION'] },
  {
    name: 'an unknown function',
    spec: attribute('userName', { source: 'Lower([mail])' }),
    codes: ['UNKNOWN_FUNCTION'],
  },
  { name: 'a wrong argument count', spec: attribute('userName', { source: 'Append([mail])' }), codes: ['WRONG_ARITY'] },
  { name: 'an unclosed attribute', spec: attribute('userName', { source: '[mail' }), codes: ['INVALID_EXPRESSION'] },
  {
    name: 'a negative matching priority',
    spec: attribute('userName', { source: '[mail]', matchingPriority: -1 }),
    codes: ['INVALID_MATCHING_PRIORITY'],
  },
  {
    name: 'a quoted matching priority',
    spec: attribute('userName', { source: '[mail]', matchingPriority: '1' }),
    codes: ['INVALID_MATCHING_PRIORITY'],
  },
  {
    name: 'two attributes with matching priority 1',
    spec: {
      mappings: {
        users: {
          attributes: {
            userName: { source: '[userPrincipalName]', matchingPriority: 1 },
            externalId: { source: '[objectId]', matchingPriority: 1 },
          },
        },
      },
    },
    codes: ['DUPLICATE_MATCHING_PRIORITY'],
  },
  {
    name: 'apply: onCreate',
    spec: attribute('userName', { source: '[mail]', apply: 'onCreate' }),
    codes: ['INVALID_CONFIG'],
  },
  {
    name: 'a number as default value',
    spec: attribute('userName', { source: '[mail]', defaultValue: 0 }),
    codes: ['INVALID_CONFIG'],
  },
  { name: 'mappings for "user"', spec: { mappings: { user: { attributes: {} } } }, codes: ['INVALID_CONFIG'] },
  {
    name: 'attribute instead of attributes',
    spec: { mappings: { users: { attribute: { userName: { source: '[mail]' } } } } },
    codes: ['INVALID_CONFIG'],
  },
  { name: 'groups enabled: "false"', spec: { mappings: { groups: { enabled: 'false' } } }, codes: ['INVALID_CONFIG'] },
  {
    name: 'a filter group without name',
    spec: filter({ clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }] }),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'a lower-case operator',
    spec: clause({ attribute: 'department', operator: 'equals', values: ['Engineering'] }),
    codes: ['UNKNOWN_FILTER_OPERATOR'],
  },
  {
    name: 'numbers as filter values',
    spec: clause({ attribute: 'employeeId', operator: 'Greater_Than', values: [5] }),
    codes: ['INVALID_FILTER'],
  },
  {
    name: 'scoping filters as a map',
    spec: { mappings: { users: { scopingFilters: { Engineering: {} } } } },
    codes: ['INVALID_FILTER'],
  },
];

const SP = '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716';
/** No request is made (every case fails its input check first); a closed loopback port proves it. */
const ENV = {
  ROLLBAR_GRAPH_URL: 'http://127.0.0.1:9',
  ROLLBAR_GRAPH_TOKEN: 'not-used',
  ROLLBAR_SECRET_TOKEN: 'not-used-either',
};

interface Seen {
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

const seen = (ps: readonly { code: string; path: string; message: string }[]): Seen[] =>
  ps
    .map(({ code, path, message }) => ({ code, path, message }))
    .sort((a, b) => (a.path + a.code < b.path + b.code ? -1 : 1));

/** The problems of the CLI's JSON input, as it prints them (`  - [CODE] message (line …)`), prefix removed. */
async function throughCli(spec: Record<string, unknown>): Promise<Seen[]> {
  const { mappings, ...settings } = spec;
  const [command, input] =
    mappings === undefined
      ? ['save-credentials', { servicePrincipalId: SP, jobId: 'job', settings }]
      : ['plan-mappings', { servicePrincipalId: SP, jobId: 'job', mappings }];
  const r = await runMain(['graph', command], { input: JSON.stringify(input), env: ENV });
  expect(r.code).toBe(1);
  const strip = (text: string): string => (mappings === undefined ? text.replace(/^settings\./, '') : text);
  const problems = [...r.stderr.matchAll(/^ {2}- \[([A-Z_]+)\] (.*)$/gm)].map((m) => ({
    code: m[1]!,
    message: strip(m[2]!),
  }));
  return problems
    .map((p) => ({ ...p, path: p.message.slice(0, p.message.indexOf(' must ')) }))
    .map(({ code, path, message }) => ({ code, path, message }))
    .sort((a, b) => (a.path + a.code < b.path + b.code ? -1 : 1));
}

test('the table holds 30 mistakes, every one with a distinct name', () => {
  expect(MISTAKES).toHaveLength(30);
  expect(new Set(MISTAKES.map((m) => m.name)).size).toBe(30);
});

describe.each(MISTAKES)('$name', (m) => {
  test('YAML, validateSpec and the CLI report the same code, path and message', async () => {
    const file = checkConfigText(m.yaml ?? stringify(m.spec));
    const code = validateSpec(m.spec as unknown as RollbarProvisioningSpec<unknown>, { requireSecretToken: false });
    const cli = await throughCli(m.spec);

    expect(
      seen(code)
        .map((p) => p.code)
        .sort(),
    ).toEqual([...m.codes].sort());
    expect(seen(file.problems)).toEqual(seen(code));
    expect(cli).toEqual(seen(code));
  });
});
