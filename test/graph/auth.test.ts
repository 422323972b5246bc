import { createTokenSource } from '../../constructs/graph/auth';
import { GraphError } from '../../constructs/graph';
import { tokenTenantId } from '../../constructs/graph/tenant';
import { fakeJwt } from '../fake-graph/server';

const base = { baseUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' };

describe('token source', () => {
  test('an explicit token wins over ROLLBAR_GRAPH_TOKEN', async () => {
    const source = createTokenSource({ ...base, token: 'explicit', env: { ROLLBAR_GRAPH_TOKEN: 'from-env' } });
    await expect(source()).resolves.toBe('explicit');
  });

  test('ROLLBAR_GRAPH_TOKEN is used when no token is given', async () => {
    const source = createTokenSource({ ...base, env: { ROLLBAR_GRAPH_TOKEN: ' from-env ' } });
    await expect(source()).resolves.toBe('from-env');
  });

  // The paths below fail before any network call, so they run offline.
  test.each([
    [
      'a client secret without ARM_CLIENT_ID',
      { ARM_TENANT_ID: 't', ARM_CLIENT_SECRET: 'shh-secret-value' },
      /ARM_TENANT_ID and ARM_CLIENT_ID/,
    ],
    [
      'OIDC without ARM_TENANT_ID',
      { ARM_USE_OIDC: 'true', ARM_CLIENT_ID: 'c' },
      /OIDC \(ARM_USE_OIDC\) needs ARM_TENANT_ID and ARM_CLIENT_ID/,
    ],
    [
      'a PKCS#12 certificate',
      { ARM_TENANT_ID: 't', ARM_CLIENT_ID: 'c', ARM_CLIENT_CERTIFICATE_PATH: '/certs/sp.pfx' },
      /PEM file.*openssl pkcs12/,
    ],
  ])('%s is a clear GRAPH_CREDENTIAL_UNAVAILABLE error', async (_name, env, message) => {
    const source = createTokenSource({ ...base, env });
    const e = await source().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GraphError);
    expect((e as GraphError).code).toBe('GRAPH_CREDENTIAL_UNAVAILABLE');
    expect((e as Error).message).toMatch(message);
    expect((e as Error).message).not.toContain('shh-secret-value');
  });

  test('OIDC with no token source says where the token should come from', async () => {
    const source = createTokenSource({
      ...base,
      env: { ARM_USE_OIDC: 'true', ARM_TENANT_ID: '11111111-2222-4333-8444-555555555555', ARM_CLIENT_ID: 'c' },
    });
    const e = await source().catch((err: unknown) => err);
    expect((e as GraphError).code).toBe('GRAPH_CREDENTIAL_UNAVAILABLE');
    expect((e as Error).message).toContain('OIDC federation (ARM_USE_OIDC)');
    expect((e as Error).message).toContain('ARM_OIDC_TOKEN');
  });
});

describe('tokenTenantId', () => {
  test.each([
    ['a JWT with tid', fakeJwt('abc'), 'abc'],
    ['a JWT without tid', fakeJwt(undefined), undefined],
    ['an opaque token', 'opaque', undefined],
    ['a JWT whose payload is not JSON', 'a.bm90IGpzb24.c', undefined],
  ])('%s', (_name, token, expected) => {
    expect(tokenTenantId(token)).toBe(expected);
  });
});
