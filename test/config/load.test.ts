import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RollbarProvisioningError, validateSpec, type Problem } from '../../constructs/core';
import { checkConfigText, configPath, loadConfig, loadConfigText } from '../../constructs/config';

const ROOT = join(__dirname, '../..');
const TOKEN = 'rbr-scim-TEST-9c0e5d2a1b3c4d5e7f3c9e21d4b84a6f';
const GROUP = '11111111-1111-4111-8111-111111111111';

const problemsOf = (text: string | Uint8Array): readonly Problem[] => checkConfigText(text).problems;
const summary = (ps: readonly Problem[]) =>
  ps.map((p) => ({ code: p.code, path: p.path, line: p.line, column: p.column }));

/** The error that loading throws, so that its whole text can be scanned. */
function errorOf(load: () => unknown): RollbarProvisioningError {
  try {
    load();
  } catch (e) {
    if (e instanceof RollbarProvisioningError) return e;
    throw e;
  }
  throw new Error('expected a RollbarProvisioningError');
}

const assignment = (fields: string) => `assignments:\n  platform-team:\n${fields}`;
const fullAssignment = `    principalObjectId: ${GROUP}\n    principalType: Group\n    role: User\n`;

describe('rollbar.yaml (the example configuration)', () => {
  const config = loadConfig(join(ROOT, 'rollbar.yaml'));

  test('loads and validates, with a token from a secret store', () => {
    expect(validateSpec({ ...config, secretToken: TOKEN })).toEqual([]);
  });

  test('declares two roles, two assignments (without the deprecated principalType), an e-mail and assigned-only scope', () => {
    expect(config.roles?.map((r) => r.value)).toEqual(['User', 'Admin']);
    expect(Object.keys(config.assignments ?? {}).sort()).toEqual(['jane-doe', 'platform-team']);
    expect(Object.values(config.assignments ?? {}).every((a) => !('principalType' in a))).toBe(true);
    expect(config.notification?.email).toMatch(/@/);
    expect(config.scope).toBe('assignedOnly');
  });

  test('holds no token, and shows one attribute change and one scoping filter', () => {
    expect(config).not.toHaveProperty('secretToken');
    expect(Object.keys(config.mappings?.users?.attributes ?? {})).toHaveLength(1);
    expect(config.mappings?.users?.scopingFilters).toHaveLength(1);
  });
});

describe('SECRET_IN_CONFIG', () => {
  test.each([
    ['at the root', `secretToken: ${TOKEN}\nscope: all\n`, 'secretToken', 1],
    ['quoted, in Graph spelling', `scope: all\nSecretToken: "${TOKEN}"\n`, 'SecretToken', 2],
    ['snake case', `secret_token: '${TOKEN}'\n`, 'secret_token', 1],
    [
      'nested in an assignment',
      assignment(`${fullAssignment}    secretToken: ${TOKEN}\n`),
      'assignments.platform-team.secretToken',
      6,
    ],
    [
      'in a flow map',
      `notification: { email: ops@example.com, secretToken: ${TOKEN} }\n`,
      'notification.secretToken',
      1,
    ],
    ['as a block scalar', `secretToken: |\n  ${TOKEN}\n`, 'secretToken', 1],
    ['as an empty value', `secretToken:\n`, 'secretToken', 1],
  ])('%s is reported with its path and line, its value never shown', (_name, text, path, line) => {
    const e = errorOf(() => loadConfigText(text));
    expect(summary(e.problems).filter((p) => p.code === 'SECRET_IN_CONFIG')).toEqual([
      { code: 'SECRET_IN_CONFIG', path, line, column: expect.any(Number) },
    ]);
    expect(e.problems.filter((p) => p.code !== 'SECRET_IN_CONFIG')).toEqual([]);
    expect(e.message).not.toContain(TOKEN);
    expect(e.message).toContain('<redacted>');
  });

  test('the token is not echoed by a YAML syntax error on its line, or by other problems', () => {
    const texts = [
      `secretToken: "${TOKEN}\n`,
      `secretToken: ${TOKEN}: x\n`,
      `displayName: [${TOKEN}\nsecretToken: ${TOKEN}\n`,
      `secretToken: ${TOKEN}\nscope: ${TOKEN}\nroles: [{ value: '${TOKEN} x' }]\n`,
      `${TOKEN}\n`,
      `- ${TOKEN}\n`,
    ];
    for (const text of texts) {
      const messages = problemsOf(text).map((p) => p.message);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.filter((m) => m.includes(TOKEN.slice(0, 12)))).toEqual([]);
    }
  });

  test('a comment that mentions secretToken is not a problem', () => {
    expect(problemsOf('# secretToken: comes from TF_VAR_rollbar_secret_token\nscope: all\n')).toEqual([]);
  });

  test('a secret file read from disk fails the same way', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollbar-config-'));
    try {
      const file = join(dir, 'rollbar.yaml');
      writeFileSync(file, `secretToken: ${TOKEN}\n`);
      const e = errorOf(() => loadConfig(file));
      expect(e.codes).toEqual(['SECRET_IN_CONFIG']);
      expect(e.message).toContain(file);
      expect(e.message).not.toContain(TOKEN);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('shape: the code of the key (from the spec description), its path, line and column', () => {
  test.each([
    [
      'a number for text',
      assignment(`    principalObjectId: ${GROUP}\n    principalType: 5\n    role: User\n`),
      'INVALID_PRINCIPAL_TYPE',
      'assignments.platform-team.principalType',
      4,
      20,
    ],
    ['text for a boolean (YAML 1.2 yes)', 'provisioningEnabled: yes\n', 'INVALID_CONFIG', 'provisioningEnabled', 1, 22],
    [
      'text for a number',
      'accidentalDeletionThreshold: lots\n',
      'INVALID_THRESHOLD',
      'accidentalDeletionThreshold',
      1,
      30,
    ],
    ['a map for a list', 'roles:\n  value: User\n', 'INVALID_CONFIG', 'roles', 2, 3],
    ['a list item of the wrong type', 'roles:\n  - value: User\n  - 7\n', 'INVALID_CONFIG', 'roles.1', 3, 5],
    [
      'a missing required field (at its parent)',
      assignment(`    principalType: Group\n    role: User\n`),
      'INVALID_OBJECT_ID',
      'assignments.platform-team.principalObjectId',
      2,
      3,
    ],
    ['null where a map is expected', 'notification:\nscope: all\n', 'INVALID_CONFIG', 'notification', 1, 14],
  ])('%s', (_name, text, code, path, line, column) => {
    expect(summary(problemsOf(text))).toEqual([{ code, path, line, column }]);
  });

  test.each([
    ['scpe: all\n', 'scpe', "Did you mean 'scope'?"],
    ['notifcation:\n  email: ops@example.com\n', 'notifcation', "Did you mean 'notification'?"],
    ['accidentalDeleteThreshold: 10\n', 'accidentalDeleteThreshold', "Did you mean 'accidentalDeletionThreshold'?"],
    [
      assignment(`${fullAssignment}    principalObjectID: ${GROUP}\n`),
      'assignments.platform-team.principalObjectID',
      "Did you mean 'principalObjectId'?",
    ],
    [
      'mappings:\n  users:\n    attributes:\n      userName: { source: "[userPrincipalName]", matchPriority: 1 }\n',
      'mappings.users.attributes.userName.matchPriority',
      "Did you mean 'matchingPriority'?",
    ],
    ['colour: blue\n', 'colour', 'Remove it; the settings here are: displayName,'],
  ])('an unknown key %j is reported with a near-miss suggestion', (text, path, hint) => {
    const [p, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'INVALID_CONFIG', path });
    expect(p?.message).toContain(hint);
  });

  test("a null mappings explains the difference between unmanaged and Rollbar's defaults", () => {
    expect(problemsOf('mappings:\n')[0]?.message).toMatch(/mappings: \{\}/);
  });

  test('a mappings patch of the right shape passes the shape check', () => {
    const text =
      'mappings:\n  users:\n    attributes:\n      name.givenName: { source: "[givenName]" }\n      emails[type eq "work"].value: null\n' +
      '    scopingFilters:\n      - name: engineers\n        clauses:\n          - { attribute: department, operator: EQUALS, values: [Engineering] }\n';
    expect(problemsOf(text).filter((p) => p.code === 'INVALID_CONFIG')).toEqual([]);
  });
});

describe('validateSpec problems in a file', () => {
  test('carry the line and column of their node', () => {
    const text = [
      'scope: everyone',
      'notification:',
      '  email: not-an-email',
      'assignments:',
      '  Platform_Team:',
      `    principalObjectId: ${GROUP}`,
      '    principalType: Group',
      '    role: msiam_access',
    ].join('\n');
    expect(summary(problemsOf(text))).toEqual([
      { code: 'INVALID_SCOPE', path: 'scope', line: 1, column: 8 },
      { code: 'INVALID_EMAIL', path: 'notification.email', line: 3, column: 10 },
      { code: 'INVALID_ASSIGNMENT_KEY', path: 'assignments.Platform_Team', line: 5, column: 3 },
      { code: 'DEFAULT_ACCESS_ROLE', path: 'assignments.Platform_Team.role', line: 8, column: 11 },
    ]);
  });

  test('a problem inside an expression is placed on its line, within the value', () => {
    const line = '        source: Join(" ", [givenName]';
    const text = `mappings:\n  users:\n    attributes:\n      name.givenName:\n${line}\n`;
    const [p, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'INVALID_EXPRESSION', line: 5 });
    expect(p?.column).toBeGreaterThanOrEqual(line.indexOf('Join') + 1);
    expect(p?.column).toBeLessThanOrEqual(line.length);
  });

  test('come together with shape problems, each reported once', () => {
    const text = [
      'scpe: all',
      'accidentalDeletionThreshold: -1',
      'assignments:',
      '  platform-team:',
      '    principalObjectId: 12',
      '    principalType: Team',
      '    role: Owner',
    ].join('\n');
    expect(summary(problemsOf(text)).map((p) => `${p.code} ${p.path}`)).toEqual([
      'INVALID_CONFIG scpe',
      'INVALID_THRESHOLD accidentalDeletionThreshold',
      'INVALID_OBJECT_ID assignments.platform-team.principalObjectId',
      'INVALID_PRINCIPAL_TYPE assignments.platform-team.principalType',
      'UNKNOWN_ROLE assignments.platform-team.role',
    ]);
  });
});

describe('the file itself', () => {
  test('a missing file is CONFIG_NOT_FOUND, with the path and a fix', () => {
    const missing = join(tmpdir(), 'rollbar-config-does-not-exist', 'rollbar.yaml');
    const e = errorOf(() => loadConfig(missing));
    expect(e.codes).toEqual(['CONFIG_NOT_FOUND']);
    expect(e.message).toContain(missing);
    expect(e.message).toContain('ROLLBAR_CONFIG');
  });

  test.each([
    ['an empty file', ''],
    ['a file of comments', '# nothing here yet\n'],
    ['a list', '- scope: all\n'],
    ['a scalar', 'assignedOnly\n'],
  ])('%s is INVALID_CONFIG at the root', (_name, text) => {
    expect(summary(problemsOf(text))).toEqual([{ code: 'INVALID_CONFIG', path: '(root)', line: 1, column: 1 }]);
  });

  test.each([
    ['an unclosed flow list (found at the end)', 'scope: all\nroles: [\n  { value: User }\n', 4],
    ['a tab indentation', 'notification:\n\temail: ops@example.com\n', 2],
    ['two documents', 'scope: all\n---\nscope: all\n', 2],
  ])('bad YAML (%s) is INVALID_CONFIG with a line', (_name, text, line) => {
    const [p, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'INVALID_CONFIG', path: '(root)', line });
    expect(p?.message).toContain('must be valid YAML');
  });

  test('a duplicate key is INVALID_CONFIG at its path and line, and other problems are still found', () => {
    const text = 'scope: all\nnotification:\n  email: bad\nscope: assignedOnly\n';
    expect(summary(problemsOf(text))).toEqual([
      { code: 'INVALID_EMAIL', path: 'notification.email', line: 3, column: 10 },
      { code: 'INVALID_CONFIG', path: 'scope', line: 4, column: 1 },
    ]);
  });

  test('bytes that are not UTF-8 are INVALID_CONFIG, with the line of the first bad byte', () => {
    const bytes = Buffer.concat([
      Buffer.from('scope: all\ndisplayName: '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    const [p, ...rest] = problemsOf(bytes);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ code: 'INVALID_CONFIG', path: '(root)', line: 2 });
    expect(p?.message).toContain('must be UTF-8 text');
  });

  test('UTF-8 with a byte order mark is accepted', () => {
    expect(problemsOf(Buffer.from('\uFEFFdisplayName: Rollbär\n', 'utf8'))).toEqual([]);
  });

  test('the error summary names the file and lists every problem', () => {
    const e = errorOf(() => loadConfigText('scpe: all\nscope: some\n', 'team.yaml'));
    expect(e.message).toMatch(/^Invalid Rollbar provisioning configuration in team\.yaml \(2 problems\):/);
    expect(e.message).toContain('(line 1, column 1)');
  });
});

describe('configPath', () => {
  test.each([
    [{}, resolve('/srv/app', 'rollbar.yaml')],
    [{ ROLLBAR_CONFIG: '' }, resolve('/srv/app', 'rollbar.yaml')],
    [{ ROLLBAR_CONFIG: 'env/prod.yaml' }, resolve('/srv/app', 'env/prod.yaml')],
    [{ ROLLBAR_CONFIG: '/etc/rollbar.yaml' }, '/etc/rollbar.yaml'],
  ])('with %j is %s', (env, expected) => {
    expect(configPath(env, '/srv/app')).toBe(expected);
  });
});

test('constructs/config loads no engine (the CLI uses it without cdktf or Pulumi)', () => {
  const script =
    "require('./constructs/config');" +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](cdktf|constructs|@cdktf|@pulumi)[\\\\/]/.test(f))))';
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
  });
  expect(JSON.parse(out)).toEqual([]);
});
