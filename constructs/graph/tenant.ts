import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';

/**
 * The tenant (`tid` claim) of a bearer token, or undefined for a token that is not a JWT or has no `tid`.
 * The signature is not checked: Graph checks it. This only stops a step from acting on the wrong tenant
 * when the environment holds credentials for another one (a stale `az login`, a leftover ARM_TENANT_ID).
 */
export function tokenTenantId(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[1] === undefined || parts[1] === '') return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (typeof payload !== 'object' || payload === null) return undefined;
    const tid = (payload as { tid?: unknown }).tid;
    return typeof tid === 'string' && tid !== '' ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses to act when the token belongs to a tenant other than `expected` (compared case-insensitively).
 * A token with no readable tenant is refused too: with a tenant to protect, "unknown" is not "the same".
 */
export function assertTokenTenant(token: string, expected: string | undefined): void {
  if (expected === undefined || expected.trim() === '') return;
  const actual = tokenTenantId(token);
  if (actual === undefined) {
    throw new RollbarProvisioningError(
      [
        problem(
          'TENANT_MISMATCH',
          'tenantId',
          'be checkable against the Microsoft Graph token, whose tenant (tid claim) cannot be read',
          expected,
          'Use a Microsoft Entra access token (a JWT with a tid claim) in ROLLBAR_GRAPH_TOKEN, or unset it to sign in with the ARM_* settings.',
        ),
      ],
      'Refusing to call Microsoft Graph',
    );
  }
  if (actual.toLowerCase() !== expected.trim().toLowerCase()) {
    throw new RollbarProvisioningError(
      [
        problem(
          'TENANT_MISMATCH',
          'tenantId',
          `be the tenant of the Microsoft Graph token ('${actual}')`,
          expected,
          `The credentials in this environment belong to another tenant: set ARM_TENANT_ID=${expected} (or run az login --tenant ${expected}) so that Graph calls act on the tenant this stack manages.`,
        ),
      ],
      'Refusing to call Microsoft Graph',
    );
  }
}
