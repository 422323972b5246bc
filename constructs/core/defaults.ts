import { roleId } from './role-id';
import { resolveSso, type ResolvedSso } from './sso';
import type {
  AppRoleSpec,
  AssignmentSpec,
  CanarySpec,
  MappingsSpec,
  NotificationSpec,
  ProvisioningScope,
  RollbarProvisioningSpec,
} from './spec';

/** Every default of the model, in one place. */
export const DEFAULTS = {
  displayName: 'Rollbar',
  secretTokenVersion: '1',
  galleryDisplayName: 'Rollbar',
  accidentalDeletionThreshold: 500,
  scope: 'assignedOnly' as ProvisioningScope,
  provisioningEnabled: true,
  testConnection: true,
  protect: true,
  skipOutOfScopeDeletions: false,
  sendOnFailure: true,
  roles: [{ value: 'User', displayName: 'User' }] as readonly AppRoleSpec[],
} as const;

/** A role with every default applied and its id: the given one, else derived from the value. */
export interface ResolvedRole {
  readonly id: string;
  readonly value: string;
  readonly displayName: string;
  readonly description: string;
  readonly allowedMemberTypes: readonly 'User'[];
}

/** An assignment with its key. */
export interface ResolvedAssignment<V = string> extends AssignmentSpec<V> {
  readonly key: string;
}

/** The settings saved with the token: everything in the credential set but the token itself. */
export interface CredentialSettings<V = string> {
  readonly tenantUrl?: V;
  readonly notification?: Required<NotificationSpec>;
  readonly accidentalDeletionThreshold: number;
  readonly scope: ProvisioningScope;
  readonly skipOutOfScopeDeletions: boolean;
}

/** The spec with every default applied; roles sorted by value and assignments by key, for stable output. */
export interface ResolvedSpec<V = string> {
  readonly displayName: string;
  readonly applicationTemplateId?: string;
  readonly syncTemplateId?: string;
  readonly secretToken: V;
  readonly secretTokenVersion: string;
  readonly settings: CredentialSettings<V>;
  readonly provisioningEnabled: boolean;
  readonly testConnection: boolean;
  readonly roles: readonly ResolvedRole[];
  readonly assignments: readonly ResolvedAssignment<V>[];
  readonly mappings?: MappingsSpec;
  readonly protect: boolean;
  readonly existingServicePrincipalObjectId?: string;
  readonly canary?: CanarySpec<V>;
  /** Absent: single sign-on is not managed. */
  readonly sso?: ResolvedSso;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Applies every default. Call it on a validated spec. */
export function resolveSpec<V>(spec: RollbarProvisioningSpec<V>): ResolvedSpec<V> {
  const roles = (spec.roles ?? DEFAULTS.roles)
    .map((r): ResolvedRole => {
      const displayName = r.displayName ?? r.value;
      return {
        id: r.id ?? roleId(r.value),
        value: r.value,
        displayName,
        description: r.description ?? `${displayName} role for Rollbar provisioning`,
        allowedMemberTypes: r.allowedMemberTypes ?? ['User'],
      };
    })
    .sort((a, b) => byString(a.value, b.value));
  // Keys sorted as strings (UTF-16 code units, as byString compares), before the objects are built.
  const given = spec.assignments ?? {};
  const assignments = Object.keys(given)
    .sort()
    .map((key): ResolvedAssignment<V> => {
      const a = given[key]!;
      return { key, principalObjectId: a.principalObjectId, role: a.role };
    });
  return {
    displayName: spec.displayName ?? DEFAULTS.displayName,
    ...(spec.applicationTemplateId !== undefined && { applicationTemplateId: spec.applicationTemplateId }),
    ...(spec.syncTemplateId !== undefined && { syncTemplateId: spec.syncTemplateId }),
    secretToken: spec.secretToken,
    secretTokenVersion: spec.secretTokenVersion ?? DEFAULTS.secretTokenVersion,
    settings: {
      ...(spec.tenantUrl !== undefined && { tenantUrl: spec.tenantUrl }),
      ...(spec.notification !== undefined && {
        notification: {
          email: spec.notification.email,
          sendOnFailure: spec.notification.sendOnFailure ?? DEFAULTS.sendOnFailure,
        },
      }),
      accidentalDeletionThreshold: spec.accidentalDeletionThreshold ?? DEFAULTS.accidentalDeletionThreshold,
      scope: spec.scope ?? DEFAULTS.scope,
      skipOutOfScopeDeletions: spec.skipOutOfScopeDeletions ?? DEFAULTS.skipOutOfScopeDeletions,
    },
    provisioningEnabled: spec.provisioningEnabled ?? DEFAULTS.provisioningEnabled,
    testConnection: spec.testConnection ?? DEFAULTS.testConnection,
    roles,
    assignments,
    ...(spec.mappings !== undefined && { mappings: spec.mappings }),
    protect: spec.protect ?? DEFAULTS.protect,
    ...(spec.existingServicePrincipalObjectId !== undefined && {
      existingServicePrincipalObjectId: spec.existingServicePrincipalObjectId,
    }),
    ...(spec.canary !== undefined && { canary: { principalObjectId: spec.canary.principalObjectId } }),
    ...(spec.sso !== undefined && { sso: resolveSso(spec.sso) }),
  };
}
