import type { SynchronizationSecretKeyStringValuePair } from '@microsoft/microsoft-graph-types';
import type { CredentialSettings } from './defaults';

/** One credential as Graph's `synchronization/secrets` takes it. */
export type Credential = Required<Pick<SynchronizationSecretKeyStringValuePair, 'key' | 'value'>> & {
  readonly key: NonNullable<SynchronizationSecretKeyStringValuePair['key']>;
  readonly value: string;
};

/**
 * The `SyncNotificationSettings` JSON string. Graph replaces the whole secret set on every save, so it is
 * always sent; the accidental-deletion guard is on unless the threshold is 0.
 */
export function renderNotificationSettings(settings: CredentialSettings<unknown>): string {
  const n = settings.notification;
  const threshold = settings.accidentalDeletionThreshold;
  return JSON.stringify({
    Enabled: n ? n.sendOnFailure : false,
    ...(n && { Recipients: n.email }),
    DeleteThresholdEnabled: threshold > 0,
    ...(threshold > 0 && { DeleteThresholdValue: threshold }),
  });
}

/**
 * The complete, ordered credential set for `PUT /servicePrincipals/{id}/synchronization/secrets`:
 * `SecretToken`, then the settings saved with it. Both engines save exactly this list. Takes a resolved spec
 * (or just its token and settings, as the CLI has them).
 */
export function renderSecrets(resolved: {
  readonly secretToken: string;
  readonly settings: CredentialSettings<string>;
}): Credential[] {
  return [{ key: 'SecretToken', value: resolved.secretToken }, ...renderSettings(resolved.settings)];
}

/**
 * Everything saved with the token, as Graph receives it: `BaseAddress` (only with a tenant URL),
 * `SyncNotificationSettings`, `SyncAll`, and `SkipOutOfScopeDeletions` (`"True"` or `"False"`). None of it is
 * secret, so the CDKTF Credentials step re-runs when it changes (the token itself cannot be compared there).
 *
 * A setting that is off is sent as off, never left out: whether Graph replaces the saved set or merges it by key
 * is not documented (Microsoft's procedure GETs, appends and PUTs the whole list, MS-Entra
 * skip-out-of-scope-deletions.md; the azuread provider's delete writes empty values per key), and under a merge
 * an omitted key keeps an earlier `"True"`. A removed tenant URL is cleared by the credentials step, which alone
 * can see that one is saved.
 */
export function renderSettings(settings: CredentialSettings<string>): Credential[] {
  const list: Credential[] = [];
  if (settings.tenantUrl !== undefined) list.push({ key: 'BaseAddress', value: settings.tenantUrl });
  list.push({ key: 'SyncNotificationSettings', value: renderNotificationSettings(settings) });
  list.push({ key: 'SyncAll', value: settings.scope === 'all' ? 'true' : 'false' });
  list.push({ key: 'SkipOutOfScopeDeletions', value: settings.skipOutOfScopeDeletions ? 'True' : 'False' });
  return list;
}
