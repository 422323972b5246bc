/**
 * The configuration every case declares, construct and raw alike: the example configuration's shape (two roles,
 * notification, one mapping override and one scoping filter) with `n` assignments,
 * alternating roles. Principal ids are distinct, deterministic GUIDs, so every run synthesizes the same bytes.
 */
import type { AssignmentSpec, MappingsSpec, RollbarProvisioningSpec } from '../constructs/core/spec';

export const BENCH_ROLES = [
  { value: 'User', displayName: 'User', description: 'Rollbar users' },
  { value: 'Admin', displayName: 'Admin', description: 'Rollbar account administrators' },
] as const;

export const BENCH_NOTIFICATION = { email: 'identity-ops@example.com', sendOnFailure: true } as const;

export const BENCH_MAPPINGS: MappingsSpec = {
  users: {
    attributes: { 'emails[type eq "work"].value': { source: 'Coalesce([mail], [userPrincipalName])' } },
    scopingFilters: [
      {
        name: 'Engineering and support',
        clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }],
      },
    ],
  },
};

/** The `i`-th principal's object id: a valid GUID that differs in its last 12 hex digits. */
export function principalObjectId(i: number): string {
  return `0000a11c-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

/** `n` assignments keyed by stable kebab-case names (`principal-00042`). */
export function benchAssignments(n: number): Record<string, AssignmentSpec> {
  const out: Record<string, AssignmentSpec> = {};
  for (let i = 0; i < n; i++) {
    out[`principal-${String(i).padStart(5, '0')}`] = {
      principalObjectId: principalObjectId(i),
      role: BENCH_ROLES[i % BENCH_ROLES.length]!.value,
    };
  }
  return out;
}

/** The spec without its token (each engine supplies one its own way). */
export function benchSpec(n: number): Omit<RollbarProvisioningSpec, 'secretToken'> {
  return {
    displayName: 'Rollbar',
    notification: BENCH_NOTIFICATION,
    accidentalDeletionThreshold: 500,
    scope: 'assignedOnly',
    provisioningEnabled: true,
    testConnection: true,
    roles: BENCH_ROLES,
    assignments: benchAssignments(n),
    mappings: BENCH_MAPPINGS,
  };
}

/** The settings the credentials step saves, as the raw baselines spell them by hand. */
export const BENCH_SETTINGS = {
  notification: BENCH_NOTIFICATION,
  accidentalDeletionThreshold: 500,
  scope: 'assignedOnly',
  skipOutOfScopeDeletions: false,
} as const;
