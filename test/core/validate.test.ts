import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PROBLEM_CODES,
  roleId,
  SPEC_DESCRIPTION,
  validateSpec,
  type KeyDescription,
  type Problem,
  type ProblemCode,
  type RollbarProvisioningSpec,
} from '../../constructs/core';
import type { ValidateOptions } from '../../constructs/core/validate';
import { closestMatch, editDistance } from '../../constructs/core/suggest';

// Distinctive, so that a leak anywhere in a message is found by a plain substring scan.
const TOKEN = 'rbr-scim-TEST-7f3c9e21d4b84a6f9c0e5d2a1b3c4d5e';
const GROUP = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';
const ZERO = '00000000-0000-0000-0000-000000000000';

type Spec = RollbarProvisioningSpec<unknown>;

const valid = (): Spec => ({
  secretToken: TOKEN,
  notification: { email: 'identity-ops@example.com' },
  roles: [{ value: 'User' }, { value: 'Admin', displayName: 'Admin' }],
  assignments: {
    'platform-team': { principalObjectId: GROUP, principalType: 'Group', role: 'User' },
    'jane-doe': { principalObjectId: USER, principalType: 'User', role: 'Admin' },
  },
});

const withAssignment = (patch: Record<string, unknown>, key = 'platform-team'): Spec => {
  const s = valid();
  return { ...s, assignments: { ...s.assignments, [key]: { ...s.assignments?.[key], ...patch } } } as Spec;
};
const withRoles = (roles: unknown[]): Spec => ({ ...valid(), roles }) as Spec;
const withKey = (key: string): Spec => ({
  ...valid(),
  assignments: { [key]: { principalObjectId: GROUP, principalType: 'Group', role: 'User' } },
});
// Tests feed deliberately ill-typed specs, as JavaScript callers and YAML can.
const loose = (spec: object): Spec => spec as Spec;
const with_ = (patch: Record<string, unknown>): Spec => loose({ ...valid(), ...patch });

interface Row {
  readonly code: ProblemCode;
  readonly name: string;
  readonly path: string;
  readonly failing: Spec;
  readonly passing: Spec;
  readonly options?: ValidateOptions;
}

// Each row: a spec with exactly the named problem, and the nearest spec without any problem.
const rows: Row[] = [
  ...[
    'msiam_access',
    'Default Access',
    ZERO,
    'default_access',
    'MSIAM-ACCESS',
    `{${ZERO}}`,
    ZERO.replace(/-/g, ''),
  ].map((role): Row => ({
    code: 'DEFAULT_ACCESS_ROLE',
    name: `an assignment of Default Access as '${role}'`,
    path: 'assignments.platform-team.role',
    failing: withAssignment({ role }),
    passing: withAssignment({ role: 'Admin' }),
  })),
  {
    code: 'DEFAULT_ACCESS_ROLE',
    name: 'a role that redeclares msiam_access',
    path: 'roles.2.value',
    failing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'msiam_access' }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'Viewer' }]),
  },
  {
    code: 'DEFAULT_ACCESS_ROLE',
    name: "a role displayed as 'Default Access'",
    path: 'roles.0.displayName',
    failing: withRoles([{ value: 'User', displayName: 'Default Access' }, { value: 'Admin' }]),
    passing: withRoles([{ value: 'User', displayName: 'Rollbar user' }, { value: 'Admin' }]),
  },
  {
    code: 'UNKNOWN_ROLE',
    name: 'a role not declared under roles',
    path: 'assignments.jane-doe.role',
    failing: withAssignment({ role: 'Owner' }, 'jane-doe'),
    passing: withAssignment({ role: 'User' }, 'jane-doe'),
  },
  {
    code: 'UNKNOWN_ROLE',
    name: 'a role that only the omitted default would declare',
    path: 'assignments.platform-team.role',
    failing: withRoles([{ value: 'Admin' }]),
    passing: {
      ...withRoles([{ value: 'Admin' }]),
      assignments: { 'platform-team': { principalObjectId: GROUP, principalType: 'Group', role: 'Admin' } },
    },
  },
  {
    code: 'DUPLICATE_ROLE',
    name: 'two roles with one value',
    path: 'roles.2.value',
    failing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'User', displayName: 'Again' }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'Viewer', displayName: 'Again' }]),
  },
  {
    code: 'INVALID_ROLE_ID',
    name: 'a role id that is not a GUID',
    path: 'roles.1.id',
    failing: withRoles([{ value: 'User' }, { value: 'Admin', id: 'admin' }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin', id: '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a' }]),
  },
  {
    code: 'INVALID_ROLE_ID',
    name: 'the zero GUID as a role id (Default Access of apps without roles)',
    path: 'roles.1.id',
    failing: withRoles([{ value: 'User' }, { value: 'Admin', id: ZERO }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin', id: '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a' }]),
  },
  {
    code: 'DUPLICATE_ROLE_ID',
    name: 'two roles given one id (ids compared case-insensitively)',
    path: 'roles.1.id',
    failing: withRoles([
      { value: 'User', id: '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a' },
      { value: 'Admin', id: '7C1B6F0E-2D4A-4E8B-9A3C-5F6E7D8C9B0A' },
    ]),
    passing: withRoles([
      { value: 'User', id: '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a' },
      { value: 'Admin', id: '8d2c7a1f-3e5b-4f9c-8b4d-6a7f8e9d0c1b' },
    ]),
  },
  {
    code: 'DUPLICATE_ROLE_ID',
    name: "a given id equal to the id derived from another role's value",
    path: 'roles.1.id',
    failing: withRoles([{ value: 'User' }, { value: 'Admin', id: roleId('User') }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin', id: roleId('Admin') }]),
  },
  {
    code: 'DUPLICATE_ASSIGNMENT',
    name: 'one principal assigned one role twice (object ids compared case-insensitively)',
    path: 'assignments.platform-team',
    failing: withAssignment({ principalObjectId: USER.toUpperCase(), principalType: 'User', role: 'Admin' }),
    passing: withAssignment({ principalObjectId: USER, principalType: 'User', role: 'User' }),
  },
  {
    code: 'INVALID_ROLE_VALUE',
    name: 'a role value with a space',
    path: 'roles.2.value',
    failing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'Rollbar Admin' }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin' }, { value: 'Platform.Engineer' }]),
  },
  {
    code: 'INVALID_OBJECT_ID',
    name: 'an assignment principal that is not a GUID',
    path: 'assignments.platform-team.principalObjectId',
    failing: withAssignment({ principalObjectId: 'platform-team@example.com' }),
    passing: withAssignment({ principalObjectId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' }),
  },
  {
    code: 'INVALID_OBJECT_ID',
    name: 'an assignment principal that is the zero GUID placeholder',
    path: 'assignments.platform-team.principalObjectId',
    failing: withAssignment({ principalObjectId: ZERO }),
    passing: withAssignment({ principalObjectId: GROUP }),
  },
  {
    code: 'INVALID_OBJECT_ID',
    name: 'a malformed existingServicePrincipalObjectId',
    path: 'existingServicePrincipalObjectId',
    failing: with_({ existingServicePrincipalObjectId: '/servicePrincipals/abc' }),
    passing: with_({ existingServicePrincipalObjectId: '33333333-3333-4333-8333-333333333333' }),
  },
  {
    code: 'INVALID_TEMPLATE_ID',
    name: 'an applicationTemplateId that is not a GUID',
    path: 'applicationTemplateId',
    failing: with_({ applicationTemplateId: 'Rollbar' }),
    passing: with_({ applicationTemplateId: '44444444-4444-4444-8444-444444444444' }),
  },
  {
    code: 'INVALID_TEMPLATE_ID',
    name: 'a syncTemplateId with a space',
    path: 'syncTemplateId',
    failing: with_({ syncTemplateId: 'rollbar scim' }),
    passing: with_({ syncTemplateId: 'rollbar.a1b2c3' }),
  },
  {
    code: 'INVALID_PRINCIPAL_TYPE',
    name: 'a principal type in the wrong case',
    path: 'assignments.platform-team.principalType',
    failing: withAssignment({ principalType: 'group' }),
    passing: withAssignment({ principalType: 'Group' }),
  },
  ...['PlatformTeam', 'platform_team', 'platform--team', '-platform', 'platform team'].map((key): Row => ({
    code: 'INVALID_ASSIGNMENT_KEY',
    name: `the assignment key '${key}'`,
    path: `assignments.${key}`,
    failing: withKey(key),
    passing: withKey('platform-team-2'),
  })),
  {
    code: 'INVALID_EMAIL',
    name: 'an e-mail without a domain dot',
    path: 'notification.email',
    failing: with_({ notification: { email: 'ops@example' } }),
    passing: with_({ notification: { email: 'ops@example.com', sendOnFailure: false } }),
  },
  {
    code: 'INVALID_URL',
    name: 'a plain-http tenant URL',
    path: 'tenantUrl',
    failing: with_({ tenantUrl: 'http://scim.example.com/v2' }),
    passing: with_({ tenantUrl: 'https://scim.example.com/v2' }),
  },
  {
    code: 'INVALID_URL',
    name: 'a tenant URL that is not a URL',
    path: 'tenantUrl',
    failing: with_({ tenantUrl: 'scim.example.com' }),
    passing: with_({ tenantUrl: 'https://scim.example.com' }),
  },
  ...[-1, 1.5, 2_000_000, '500'].map((t): Row => ({
    code: 'INVALID_THRESHOLD',
    name: `the threshold ${JSON.stringify(t)}`,
    path: 'accidentalDeletionThreshold',
    failing: with_({ accidentalDeletionThreshold: t }),
    passing: with_({ accidentalDeletionThreshold: 0 }),
  })),
  {
    code: 'INVALID_SCOPE',
    name: 'an unknown scope',
    path: 'scope',
    failing: with_({ scope: 'assigned' }),
    passing: with_({ scope: 'all' }),
  },
  {
    code: 'INVALID_DISPLAY_NAME',
    name: 'a blank display name',
    path: 'displayName',
    failing: with_({ displayName: '  ' }),
    passing: with_({ displayName: 'Rollbar (production)' }),
  },
  {
    code: 'MISSING_SECRET_TOKEN',
    name: 'no token',
    path: 'secretToken',
    failing: with_({ secretToken: undefined }),
    passing: valid(),
  },
  {
    code: 'MISSING_SECRET_TOKEN',
    name: 'an empty token',
    path: 'secretToken',
    failing: with_({ secretToken: '' }),
    passing: valid(),
  },
  {
    code: 'SECRET_TOKEN_LITERAL',
    name: 'a literal token where a Terraform token is required',
    path: 'secretToken',
    options: {
      secretTokenMustBeUnresolved: true,
      isUnresolved: (v) => typeof v === 'string' && v.startsWith('${TfToken['),
    },
    failing: valid(),
    passing: with_({ secretToken: '${TfToken[TOKEN.7]}' }),
  },
  {
    code: 'UNSAFE_CHARACTER',
    name: 'an escape sequence in the display name',
    path: 'displayName',
    failing: with_({ displayName: 'Rollbar\u001b]0;owned\u0007' }),
    passing: with_({ displayName: 'Rollbar (production)' }),
  },
  {
    code: 'UNSAFE_CHARACTER',
    name: 'a NUL in a role display name',
    path: 'roles.0.displayName',
    failing: withRoles([{ value: 'User', displayName: 'Us\u0000er' }, { value: 'Admin' }]),
    passing: withRoles([{ value: 'User', displayName: 'Üser 😀' }, { value: 'Admin' }]),
  },
  {
    code: 'UNSAFE_CHARACTER',
    name: 'a bidirectional override in a role description',
    path: 'roles.1.description',
    failing: withRoles([{ value: 'User' }, { value: 'Admin', description: 'Admins \u202enimda' }]),
    passing: withRoles([{ value: 'User' }, { value: 'Admin', description: 'Admins, right to left: עברית' }]),
  },
  {
    code: 'UNSAFE_CHARACTER',
    name: 'a C1 control in a mapping constant',
    path: 'mappings.users.attributes.title.source',
    failing: with_({ mappings: { users: { attributes: { title: { source: '"Engineer\u009b"' } } } } }),
    passing: with_({ mappings: { users: { attributes: { title: { source: '"Engineer"' } } } } }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'an empty secretTokenVersion',
    path: 'secretTokenVersion',
    failing: with_({ secretTokenVersion: ' ' }),
    passing: with_({ secretTokenVersion: '2026-12-01' }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'a secretTokenVersion that is not text',
    path: 'secretTokenVersion',
    failing: with_({ secretTokenVersion: 2 }),
    passing: with_({ secretTokenVersion: '2' }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'a boolean setting given as text',
    path: 'provisioningEnabled',
    failing: with_({ provisioningEnabled: 'yes' }),
    passing: with_({ provisioningEnabled: false }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'sendOnFailure given as text',
    path: 'notification.sendOnFailure',
    failing: with_({ notification: { email: 'ops@example.com', sendOnFailure: 'true' } }),
    passing: with_({ notification: { email: 'ops@example.com', sendOnFailure: true } }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'roles that are not a list',
    path: 'roles',
    failing: { ...with_({ roles: { value: 'User' } }), assignments: {} },
    passing: { ...with_({ roles: [{ value: 'User' }] }), assignments: {} },
  },
  {
    code: 'INVALID_CONFIG',
    name: 'assignments that are not a map',
    path: 'assignments',
    failing: with_({ assignments: [{ principalObjectId: GROUP, principalType: 'Group', role: 'User' }] }),
    passing: with_({ assignments: {} }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'an assignment that is not an object',
    path: 'assignments.platform-team',
    failing: with_({ assignments: { 'platform-team': 'User' } }),
    passing: with_({ assignments: {} }),
  },
  {
    code: 'INVALID_CONFIG',
    name: "an unknown key named like an Object member ('constructor')",
    path: 'assignments.platform-team.constructor',
    failing: withAssignment({ constructor: 'x' }),
    passing: withAssignment({}),
  },
  {
    code: 'INVALID_CONFIG',
    name: "an unknown top-level key named like an Object member ('toString')",
    path: 'toString',
    failing: with_({ toString: 'x' }),
    passing: with_({}),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'a role held by applications',
    path: 'roles.0.allowedMemberTypes.0',
    failing: withRoles([{ value: 'User', allowedMemberTypes: ['Application'] }, { value: 'Admin' }]),
    passing: withRoles([{ value: 'User', allowedMemberTypes: ['User'] }, { value: 'Admin' }]),
  },
  {
    code: 'INVALID_ACCOUNT_NAME',
    name: 'a Rollbar account name pasted as a URL',
    path: 'sso.accountName',
    failing: with_({ sso: { accountName: 'https://rollbar.com/acme' } }),
    passing: with_({ sso: { accountName: 'acme' } }),
  },
  {
    code: 'INVALID_EMAIL',
    name: 'a certificate notification e-mail without a domain',
    path: 'sso.certificateNotificationEmails.0',
    failing: with_({ sso: { accountName: 'acme', certificateNotificationEmails: ['ops'] } }),
    passing: with_({ sso: { accountName: 'acme', certificateNotificationEmails: ['ops@example.com'] } }),
  },
  {
    code: 'TOO_MANY_EMAILS',
    name: 'six certificate notification e-mails',
    path: 'sso.certificateNotificationEmails',
    failing: with_({
      sso: { accountName: 'acme', certificateNotificationEmails: [1, 2, 3, 4, 5, 6].map((i) => `o${i}@example.com`) },
    }),
    passing: with_({
      sso: { accountName: 'acme', certificateNotificationEmails: [1, 2, 3, 4, 5].map((i) => `o${i}@example.com`) },
    }),
  },
  {
    code: 'INVALID_CERTIFICATE_KEY',
    name: 'a signing certificate key in camel case',
    path: 'sso.signingCertificates.NextYear',
    failing: with_({ sso: { accountName: 'acme', signingCertificates: { NextYear: {} } } }),
    passing: with_({ sso: { accountName: 'acme', signingCertificates: { 'next-year': {} } } }),
  },
  {
    code: 'INVALID_DATE',
    name: 'a certificate end date in local time',
    path: 'sso.signingCertificates.primary.endDate',
    failing: with_({ sso: { accountName: 'acme', signingCertificates: { primary: { endDate: '2027-06-01 00:00' } } } }),
    passing: with_({
      sso: { accountName: 'acme', signingCertificates: { primary: { endDate: '2027-06-01T00:00:00Z' } } },
    }),
  },
  {
    code: 'UNKNOWN_SIGNING_CERTIFICATE',
    name: 'an active certificate that is not declared',
    path: 'sso.activeCertificate',
    failing: with_({ sso: { accountName: 'acme', activeCertificate: 'next' } }),
    passing: with_({ sso: { accountName: 'acme', activeCertificate: 'primary' } }),
  },
  {
    code: 'INVALID_CONFIG',
    name: 'a token that is not a string',
    path: 'secretToken',
    failing: with_({ secretToken: 42 }),
    passing: valid(),
  },
];

// `<path> must <rule>, got '<value>'. <fix>`: the fix is a sentence after the value.
const hasFix = (p: Problem): boolean =>
  p.message.startsWith(`${p.path} must `) && /, got '[^]*'\. [A-Z][^]*[.?]$/.test(p.message);

describe('validateSpec', () => {
  test('the valid fixture has no problem', () => {
    expect(validateSpec(valid())).toEqual([]);
  });

  describe.each(rows)('$code: $name', ({ code, path, failing, passing, options }) => {
    test('is reported with its path and a fix', () => {
      const problems = validateSpec(failing, options);
      expect(problems.map((p) => [p.code, p.path])).toEqual([[code, path]]);
      expect(problems.every(hasFix)).toBe(true);
    });

    test('is not reported for the corrected spec', () => {
      expect(validateSpec(passing, options)).toEqual([]);
    });
  });

  test('every code that the spec rules and the description of the spec emit has a row', () => {
    // Mapping codes come from the mappings rules, tested with them.
    const dir = join(__dirname, '../../constructs/core');
    const source: string = ['validate.ts', ...readdirSync(join(dir, 'rules')).map((f) => join('rules', f))]
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const emitted = new Set([...source.matchAll(/problem\(\s*'([A-Z_]+)'/g)].map((m) => m[1]));
    const walk = (d: KeyDescription, path: string): void => {
      if (path.startsWith('mappings')) return;
      emitted.add(d.code);
      if (d.shape.kind === 'object') for (const [k, c] of Object.entries(d.shape.keys)) walk(c, `${path}${k}.`);
      if (d.shape.kind === 'list') walk(d.shape.items, path);
      if (d.shape.kind === 'record') walk(d.shape.values, path);
    };
    walk(SPEC_DESCRIPTION, '');
    expect([...emitted].sort()).toEqual([...new Set(rows.map((r) => r.code))].sort());
    expect([...emitted].every((c) => (PROBLEM_CODES as readonly string[]).includes(c!))).toBe(true);
  });

  test('shows an unsafe value escaped, on one line, and names the character and its position', () => {
    const [p, ...rest] = validateSpec(with_({ displayName: 'Roll\rbar\u001b[2J\n' }));
    expect(rest).toEqual([]);
    expect(p?.message).toBe(
      "displayName must be text without control characters or bidirectional overrides, got 'Roll\\u000dbar\\u001b[2J\\u000a'. " +
        'Remove the character U+000D at position 5: Entra would store it, and terminals that print it would obey it.',
    );
  });

  test('an unsafe key of the mappings is escaped in the path too', () => {
    const problems = validateSpec(
      with_({ mappings: { users: { attributes: { 'ti\u001btle': { source: '[mail]' } } } } }),
    );
    const unsafe = problems.filter((p) => p.code === 'UNSAFE_CHARACTER');
    expect(unsafe.map((p) => p.path)).toEqual(['mappings.users.attributes.ti\\u001btle']);
    // eslint-disable-next-line no-control-regex -- control characters are what this test looks for
    expect(problems.map((p) => p.message).join('')).not.toMatch(/[\u0000-\u001f]/);
  });

  test('reports every problem at once', () => {
    const spec = loose({
      secretToken: TOKEN,
      displayName: '',
      scope: 'everyone',
      accidentalDeletionThreshold: -5,
      notification: { email: 'nobody' },
      roles: [{ value: 'User' }, { value: 'User' }],
      assignments: {
        PlatformTeam: { principalObjectId: 'x', principalType: 'Team', role: 'msiam_access' },
        'jane-doe': { principalObjectId: USER, principalType: 'User', role: 'Owner' },
      },
    });
    expect(
      validateSpec(spec)
        .map((p) => `${p.code} ${p.path}`)
        .sort(),
    ).toEqual(
      [
        'DEFAULT_ACCESS_ROLE assignments.PlatformTeam.role',
        'DUPLICATE_ROLE roles.1.value',
        'INVALID_ASSIGNMENT_KEY assignments.PlatformTeam',
        'INVALID_DISPLAY_NAME displayName',
        'INVALID_EMAIL notification.email',
        'INVALID_OBJECT_ID assignments.PlatformTeam.principalObjectId',
        'INVALID_PRINCIPAL_TYPE assignments.PlatformTeam.principalType',
        'INVALID_SCOPE scope',
        'INVALID_THRESHOLD accidentalDeletionThreshold',
        'UNKNOWN_ROLE assignments.jane-doe.role',
      ].sort(),
    );
  });

  test('no message contains the secret token, even when the token is typed into another field', () => {
    const misplaced: Spec[] = [
      with_({ displayName: TOKEN.repeat(10) }),
      with_({ tenantUrl: TOKEN }),
      with_({ tenantUrl: `https://user:${TOKEN}@scim.example.com` }),
      with_({ scope: TOKEN }),
      with_({ applicationTemplateId: TOKEN }),
      with_({ notification: { email: TOKEN } }),
      withAssignment({ principalObjectId: TOKEN, role: TOKEN }),
      withRoles([{ value: TOKEN }, { value: 'User', displayName: 5 }]),
      withKey(TOKEN),
      with_({ secretToken: [TOKEN] }),
    ];
    const messages = [...rows.map((r) => r.failing), ...misplaced].flatMap((s) => [
      ...validateSpec(s),
      ...validateSpec(s, { secretTokenMustBeUnresolved: true }),
    ]);
    expect(messages.length).toBeGreaterThan(rows.length);
    expect(messages.filter((p) => p.message.includes(TOKEN) || p.message.includes(TOKEN.slice(0, 20)))).toEqual([]);
  });

  test('a tenant URL with credentials is rejected without being shown', () => {
    const [p] = validateSpec(with_({ tenantUrl: 'https://rollbar:hunter22@scim.example.com' }));
    expect(p?.code).toBe('INVALID_URL');
    expect(p?.message).not.toContain('hunter22');
  });

  describe('unresolved engine values', () => {
    const marker = { unresolved: true };
    const isUnresolved = (v: unknown): boolean => v === marker;
    const spec = (): Spec =>
      with_({
        secretToken: marker,
        tenantUrl: marker,
        notification: { email: marker },
        assignments: { 'platform-team': { principalObjectId: marker, principalType: 'Group', role: 'User' } },
      });

    test('are skipped, not rejected', () => {
      expect(validateSpec(spec(), { isUnresolved, secretTokenMustBeUnresolved: true })).toEqual([]);
    });

    test('are checked as plain values without options', () => {
      expect(validateSpec(spec()).map((p) => p.path)).toEqual(
        expect.arrayContaining(['tenantUrl', 'notification.email', 'assignments.platform-team.principalObjectId']),
      );
    });
  });

  test('an omitted token is fine for a configuration file', () => {
    expect(validateSpec(with_({ secretToken: undefined }), { requireSecretToken: false })).toEqual([]);
  });

  test.each([
    ['an unknown role', withAssignment({ role: 'admin' }), "Did you mean 'Admin'?"],
    ['a principal type', withAssignment({ principalType: 'GROUP' }), "Did you mean 'Group'?"],
    ['a scope', with_({ scope: 'assignedonly' }), "Did you mean 'assignedOnly'?"],
  ])('suggests the near miss of %s', (_name, spec, hint) => {
    expect(
      validateSpec(spec)
        .map((p) => p.message)
        .join('\n'),
    ).toContain(hint);
  });
});

describe('near-miss suggestions', () => {
  test.each([
    ['scpe', 'scope', 1],
    ['emial', 'email', 1],
    ['accidentalDeleteThreshold', 'accidentalDeletionThreshold', 3],
    ['', 'abc', 3],
  ])('editDistance(%s, %s) = %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  test.each([
    ['scpe', ['scope', 'roles'], 'scope'],
    ['ROLES', ['scope', 'roles'], 'roles'],
    ['name', ['role', 'scope'], undefined],
    ['scope', ['scope'], undefined],
  ])('closestMatch(%s) is %s', (input, candidates, expected) => {
    expect(closestMatch(input, candidates)).toBe(expected);
  });
});
