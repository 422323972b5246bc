import { renderSecrets, resolveSpec, type RollbarProvisioningSpec } from '../../constructs/core';
import { renderNotificationSettings } from '../../constructs/core/secrets';

const TOKEN = 'rbr-scim-TEST-secret-0123456789';

// GIVEN a spec; WHEN it is resolved and rendered; THEN the credential list is what Graph's PUT takes.
const render = (patch: Partial<RollbarProvisioningSpec> = {}) =>
  renderSecrets(resolveSpec({ secretToken: TOKEN, ...patch }));
const valueOf = (patch: Partial<RollbarProvisioningSpec>, key: string) =>
  render(patch).find((c) => c.key === key)?.value;
const notificationOf = (patch: Partial<RollbarProvisioningSpec>) =>
  JSON.parse(valueOf(patch, 'SyncNotificationSettings') ?? 'null');

describe('renderSecrets', () => {
  test.each([
    ['assignedOnly', 'false'],
    ['all', 'true'],
  ] as const)('SyncAll for scope %s is "%s"', (scope, syncAll) => {
    expect(valueOf({ scope }, 'SyncAll')).toBe(syncAll);
  });

  test('SyncAll defaults to "false" (assigned only)', () => {
    expect(valueOf({}, 'SyncAll')).toBe('false');
  });

  test('SecretToken carries the token', () => {
    expect(valueOf({}, 'SecretToken')).toBe(TOKEN);
  });

  test.each([
    ['no notification', {}, { Enabled: false, DeleteThresholdEnabled: true, DeleteThresholdValue: 500 }],
    [
      'an e-mail',
      { notification: { email: 'ops@example.com' } },
      { Enabled: true, Recipients: 'ops@example.com', DeleteThresholdEnabled: true, DeleteThresholdValue: 500 },
    ],
    [
      'an e-mail without send-on-failure',
      { notification: { email: 'ops@example.com', sendOnFailure: false } },
      { Enabled: false, Recipients: 'ops@example.com', DeleteThresholdEnabled: true, DeleteThresholdValue: 500 },
    ],
    [
      'a custom threshold',
      { accidentalDeletionThreshold: 25 },
      { Enabled: false, DeleteThresholdEnabled: true, DeleteThresholdValue: 25 },
    ],
    ['threshold 0 (guard off)', { accidentalDeletionThreshold: 0 }, { Enabled: false, DeleteThresholdEnabled: false }],
  ])('SyncNotificationSettings is always a JSON string: %s', (_name, patch, expected) => {
    expect(typeof valueOf(patch, 'SyncNotificationSettings')).toBe('string');
    expect(notificationOf(patch)).toStrictEqual(expected);
  });

  test('SyncNotificationSettings keeps the documented key order', () => {
    expect(valueOf({ notification: { email: 'ops@example.com' } }, 'SyncNotificationSettings')).toBe(
      '{"Enabled":true,"Recipients":"ops@example.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":500}',
    );
  });

  test('no BaseAddress unless tenantUrl is set', () => {
    expect(render().map((c) => c.key)).not.toContain('BaseAddress');
    expect(valueOf({ tenantUrl: 'https://scim.example.com/v2' }, 'BaseAddress')).toBe('https://scim.example.com/v2');
  });

  test.each([
    ['the minimum', {}, ['SecretToken', 'SyncNotificationSettings', 'SyncAll', 'SkipOutOfScopeDeletions']],
    [
      'every optional credential',
      { tenantUrl: 'https://scim.example.com', skipOutOfScopeDeletions: true },
      ['SecretToken', 'BaseAddress', 'SyncNotificationSettings', 'SyncAll', 'SkipOutOfScopeDeletions'],
    ],
  ])('the list is complete and ordered: %s', (_name, patch, keys) => {
    expect(render(patch).map((c) => c.key)).toEqual(keys);
  });

  test.each([
    // Off is sent as "False", so that turning it off works whether Graph replaces or merges the saved set.
    [undefined, 'False'],
    [false, 'False'],
    [true, 'True'],
  ])('SkipOutOfScopeDeletions %s renders %s', (skip, value) => {
    expect(valueOf(skip === undefined ? {} : { skipOutOfScopeDeletions: skip }, 'SkipOutOfScopeDeletions')).toBe(value);
  });

  test('the token appears only in SecretToken', () => {
    const list = render({ tenantUrl: 'https://scim.example.com', notification: { email: 'ops@example.com' } });
    expect(list.filter((c) => c.value.includes(TOKEN)).map((c) => c.key)).toEqual(['SecretToken']);
  });

  test('renderNotificationSettings is what renderSecrets sends', () => {
    const resolved = resolveSpec({ secretToken: TOKEN, accidentalDeletionThreshold: 7 });
    expect(valueOf({ accidentalDeletionThreshold: 7 }, 'SyncNotificationSettings')).toBe(
      renderNotificationSettings(resolved.settings),
    );
  });
});
