import { DEFAULTS, resolveSpec, roleId } from '../../constructs/core';

const GROUP = '11111111-1111-4111-8111-111111111111';
const USER = '22222222-2222-4222-8222-222222222222';

describe('resolveSpec', () => {
  test('applies every default to a minimal spec', () => {
    expect(resolveSpec({ secretToken: 't' })).toStrictEqual({
      displayName: 'Rollbar',
      secretToken: 't',
      secretTokenVersion: '1',
      settings: { accidentalDeletionThreshold: 500, scope: 'assignedOnly', skipOutOfScopeDeletions: false },
      provisioningEnabled: true,
      testConnection: true,
      roles: [
        {
          id: roleId('User'),
          value: 'User',
          displayName: 'User',
          description: 'User role for Rollbar provisioning',
          allowedMemberTypes: ['User'],
        },
      ],
      assignments: [],
      protect: true,
    });
  });

  test("a role's given id is used; the others keep the id derived from their value", () => {
    const portalId = '7c1b6f0e-2d4a-4e8b-9a3c-5f6e7d8c9b0a';
    const r = resolveSpec({ secretToken: 't', roles: [{ value: 'User' }, { value: 'Admin', id: portalId }] });
    expect(r.roles.map((role) => [role.value, role.id])).toEqual([
      ['Admin', portalId],
      ['User', roleId('User')],
    ]);
  });

  test.each([
    [
      'displayName',
      { displayName: 'Rollbar (prod)' },
      (r: ReturnType<typeof resolveSpec>) => r.displayName,
      'Rollbar (prod)',
    ],
    [
      'accidentalDeletionThreshold 0',
      { accidentalDeletionThreshold: 0 },
      (r: ReturnType<typeof resolveSpec>) => r.settings.accidentalDeletionThreshold,
      0,
    ],
    ['scope', { scope: 'all' as const }, (r: ReturnType<typeof resolveSpec>) => r.settings.scope, 'all'],
    [
      'provisioningEnabled',
      { provisioningEnabled: false },
      (r: ReturnType<typeof resolveSpec>) => r.provisioningEnabled,
      false,
    ],
    [
      'secretTokenVersion',
      { secretTokenVersion: '2' },
      (r: ReturnType<typeof resolveSpec>) => r.secretTokenVersion,
      '2',
    ],
    ['testConnection', { testConnection: false }, (r: ReturnType<typeof resolveSpec>) => r.testConnection, false],
    ['protect', { protect: false }, (r: ReturnType<typeof resolveSpec>) => r.protect, false],
    [
      'skipOutOfScopeDeletions',
      { skipOutOfScopeDeletions: true },
      (r: ReturnType<typeof resolveSpec>) => r.settings.skipOutOfScopeDeletions,
      true,
    ],
    [
      'tenantUrl',
      { tenantUrl: 'https://scim.example.com' },
      (r: ReturnType<typeof resolveSpec>) => r.settings.tenantUrl,
      'https://scim.example.com',
    ],
  ])('an explicit %s wins over the default', (_name, patch, pick, expected) => {
    expect(pick(resolveSpec({ secretToken: 't', ...patch }))).toBe(expected);
  });

  test('the default threshold is the portal suggestion, in DEFAULTS', () => {
    expect(DEFAULTS.accidentalDeletionThreshold).toBe(500);
  });

  test('notification defaults sendOnFailure to true', () => {
    expect(
      resolveSpec({ secretToken: 't', notification: { email: 'ops@example.com' } }).settings.notification,
    ).toStrictEqual({
      email: 'ops@example.com',
      sendOnFailure: true,
    });
  });

  test('role display name and description default from the value', () => {
    const [role] = resolveSpec({ secretToken: 't', roles: [{ value: 'Admin' }] }).roles;
    expect(role).toMatchObject({ displayName: 'Admin', description: 'Admin role for Rollbar provisioning' });
  });

  test('roles are sorted by value and assignments by key, whatever the declared order', () => {
    const roles = [{ value: 'Viewer' }, { value: 'Admin' }, { value: 'User' }];
    const assignments = {
      'zeta-team': { principalObjectId: GROUP, principalType: 'Group' as const, role: 'User' },
      'alpha-user': { principalObjectId: USER, principalType: 'User' as const, role: 'Admin' },
      'mid-team': { principalObjectId: GROUP, principalType: 'Group' as const, role: 'Viewer' },
    };
    const a = resolveSpec({ secretToken: 't', roles, assignments });
    const b = resolveSpec({
      secretToken: 't',
      roles: [...roles].reverse(),
      assignments: Object.fromEntries(Object.entries(assignments).reverse()),
    });
    expect(a.roles.map((r) => r.value)).toEqual(['Admin', 'User', 'Viewer']);
    expect(a.assignments.map((x) => x.key)).toEqual(['alpha-user', 'mid-team', 'zeta-team']);
    expect(b).toStrictEqual(a);
  });

  test('role ids follow the value, not the position', () => {
    const ids = (values: string[]) =>
      Object.fromEntries(
        resolveSpec({ secretToken: 't', roles: values.map((value) => ({ value })) }).roles.map((r) => [r.value, r.id]),
      );
    const before = ids(['User', 'Admin']);
    const after = ids(['Auditor', 'Admin', 'User']);
    expect(after.User).toBe(before.User);
    expect(after.Admin).toBe(before.Admin);
  });

  test('optional fields stay absent when not given', () => {
    const r = resolveSpec({ secretToken: 't' });
    for (const key of ['applicationTemplateId', 'syncTemplateId', 'mappings', 'existingServicePrincipalObjectId']) {
      expect(r).not.toHaveProperty(key);
    }
    expect(r.settings).not.toHaveProperty('tenantUrl');
    expect(r.settings).not.toHaveProperty('notification');
  });
});
