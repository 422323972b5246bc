/**
 * Seeds the fake Graph with the Rollbar app "set up in the portal" of test/fixtures/portal-app.ts: the
 * application and service principal as the gallery instantiates them (with the fixture's roles, among them
 * `msiam_access`), the principals and assignments, a job whose schema carries the portal's edits, and the saved
 * secrets. Graph answers GET secrets with the token and the tenant URL masked (`maskedSecretKeys`).
 */
import type { FakeGraph } from './server';
import {
  PORTAL_APP,
  PORTAL_JOB,
  PORTAL_MASKED_SECRET_KEYS,
  PORTAL_PRINCIPALS,
  PORTAL_ROLES,
  PORTAL_SP,
  portalAssignments,
  portalJobSchema,
  portalSavedSecrets,
} from '../fixtures/portal-app';

/** The token the portal saved (the fake accepts it). Never exported; tests scan for it. */
export function seedPortalApp(fake: FakeGraph, savedToken: string): { servicePrincipalId: string; jobId: string } {
  const appId = 'c0ffee00-1234-4abc-8def-00000000a990';
  fake.directory.applications.set(PORTAL_APP, {
    id: PORTAL_APP,
    appId,
    displayName: 'Rollbar',
    appRoles: PORTAL_ROLES.map((r) => ({
      id: r.id!,
      allowedMemberTypes: [...(r.allowedMemberTypes ?? [])],
      description: r.description ?? null,
      displayName: r.displayName ?? null,
      isEnabled: r.isEnabled ?? true,
      origin: 'Application' as const,
      value: r.value ?? null,
    })),
  });
  fake.directory.servicePrincipals.set(PORTAL_SP, {
    id: PORTAL_SP,
    appId,
    applicationId: PORTAL_APP,
    displayName: 'Rollbar',
  });
  fake.addServicePrincipal({ id: PORTAL_SP });
  for (const p of PORTAL_PRINCIPALS) fake.directory.addPrincipal(p.id, p.type, p.displayName);
  for (const a of portalAssignments()) {
    fake.directory.assignments.set(a.id!, {
      id: a.id!,
      appRoleId: a.appRoleId!,
      principalId: a.principalId!,
      principalDisplayName: a.principalDisplayName!,
      principalType: a.principalType as 'User' | 'Group',
      resourceId: PORTAL_SP,
      resourceDisplayName: 'Rollbar',
      createdDateTime: '2026-11-02T09:00:00Z',
    });
  }
  const jobId = fake.addJob(PORTAL_SP, { id: PORTAL_JOB, state: 'Active', statusCode: 'Active' });
  const job = fake.job(PORTAL_SP, jobId);
  job.schema = portalJobSchema(job.schema);
  const sp = fake.servicePrincipal(PORTAL_SP);
  sp.secrets = portalSavedSecrets(savedToken);
  sp.maskedSecretKeys = [...PORTAL_MASKED_SECRET_KEYS];
  return { servicePrincipalId: PORTAL_SP, jobId };
}
