/**
 * Where the token may go (issue 14, acceptance 2): the Graph root and the authority are checked before any
 * request, and the cloud of ARM_ENVIRONMENT picks both. "No connection was made" is proven by spying on the two
 * ways this process can open one: fetch (the Graph client) and node:https / node:http (`@azure/identity`).
 */
import http from 'node:http';
import https from 'node:https';
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { createGraphClient, findSyncTemplate, GraphError } from '../../constructs/graph';
import { resolveEndpoints } from '../../constructs/graph/clouds';
import { RollbarProvisioningError } from '../../constructs/core';
import { runMain } from '../cli/run';
import { fakeJwt } from '../fake-graph/server';

const SP = '00000000-0000-4000-8000-000000000001';

/**
 * Records every connection attempt this process makes while `fn` runs (URL, and the body of a node:https request).
 * fetch is answered with a failure; a node:https POST to an Entra token endpoint is answered with a token when
 * `tokens` is set (as Entra would: `{token_type, expires_in, access_token}`), every other request with a failure.
 */
async function connections(
  fn: () => Promise<unknown>,
  tokens?: { readonly accessToken: string },
): Promise<{ urls: string[]; bodies: string[]; result: unknown }> {
  const urls: string[] = [];
  const bodies: string[] = [];
  const fetchSpy = jest.spyOn(globalThis, 'fetch').mockImplementation((input) => {
    urls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    return Promise.reject(new TypeError('fetch failed (blocked by the test)'));
  });
  const fakeRequest = (proto: string) =>
    ((options: string | URL | https.RequestOptions, callback?: (res: unknown) => void) => {
      const o = typeof options === 'string' || options instanceof URL ? new URL(options) : options;
      const host = o instanceof URL ? o.host : (o.hostname ?? o.host ?? '');
      const path = o instanceof URL ? o.pathname : (o.path ?? '');
      const method = o instanceof URL ? 'GET' : (o.method ?? 'GET');
      urls.push(`${proto}//${host}${path.split('?')[0] ?? ''}`);
      const req = new EventEmitter() as EventEmitter & Record<string, unknown>;
      const chunks: Buffer[] = [];
      for (const m of ['setHeader', 'setTimeout', 'removeHeader', 'abort', 'destroy', 'setNoDelay', 'flushHeaders']) {
        req[m] = () => req;
      }
      req.write = (c: Buffer | string) => chunks.push(Buffer.from(c)) > 0;
      req.end = (c?: Buffer | string) => {
        if (c !== undefined) chunks.push(Buffer.from(c));
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        setImmediate(() => {
          if (tokens !== undefined && method === 'POST' && /\/oauth2\/v2\.0\/token$/.test(path.split('?')[0] ?? '')) {
            const body = JSON.stringify({ token_type: 'Bearer', expires_in: 3600, access_token: tokens.accessToken });
            const res = Object.assign(Readable.from([Buffer.from(body)]), {
              statusCode: 200,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            });
            callback?.(res);
            req.emit('response', res);
          } else {
            req.emit('error', Object.assign(new Error('blocked by the test'), { code: 'ECONNREFUSED' }));
          }
        });
        return req;
      };
      return req;
    }) as unknown as typeof https.request;
  const httpsSpy = jest.spyOn(https, 'request').mockImplementation(fakeRequest('https:'));
  const httpSpy = jest.spyOn(http, 'request').mockImplementation(fakeRequest('http:'));
  try {
    const result = await fn().catch((e: unknown) => e);
    return { urls, bodies, result };
  } finally {
    fetchSpy.mockRestore();
    httpsSpy.mockRestore();
    httpSpy.mockRestore();
  }
}

describe('a Graph root that is not Microsoft Graph is refused before any request', () => {
  test.each([
    ['http on another host', 'http://graph.example.net'],
    ['https on another host', 'https://graph.example.net'],
    ['Graph without a scheme', 'graph.microsoft.com'],
    ['a look-alike suffix', 'https://graph.microsoft.com.evil.example'],
    ['user info before the real host', 'https://graph.microsoft.com@evil.example'],
    ['a punycode look-alike (Cyrillic a)', 'https://gr\u0430ph.microsoft.com'],
    ['http on the Graph host', 'http://graph.microsoft.com'],
    ['the Graph host on another port', 'https://graph.microsoft.com:8443'],
    ['a root with the API version', 'https://graph.microsoft.com/v1.0'],
  ])('%s (%s): exit 1, GRAPH_ENDPOINT_NOT_ALLOWED, no connection', async (_name, url) => {
    const { urls, result } = await connections(() =>
      runMain(['graph', 'sync-template'], {
        input: JSON.stringify({ servicePrincipalId: SP }),
        env: { ROLLBAR_GRAPH_URL: url, ROLLBAR_GRAPH_TOKEN: fakeJwt('t') },
      }),
    );
    const r = result as { code: number; stderr: string };
    expect(urls).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[GRAPH_ENDPOINT_NOT_ALLOWED] ROLLBAR_GRAPH_URL must');
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  test('ROLLBAR_GRAPH_ALLOW_HOST lets exactly that host through, over https only', () => {
    const env = { ROLLBAR_GRAPH_ALLOW_HOST: 'graph.example.net' };
    expect(resolveEndpoints({ ...env, ROLLBAR_GRAPH_URL: 'https://graph.example.net' }).graphRoot).toBe(
      'https://graph.example.net',
    );
    for (const url of ['http://graph.example.net', 'https://other.example.net', 'https://x.graph.example.net']) {
      expect(() => resolveEndpoints({ ...env, ROLLBAR_GRAPH_URL: url })).toThrow(/GRAPH_ENDPOINT_NOT_ALLOWED/);
    }
  });

  test("a Graph host of another cloud than ARM_ENVIRONMENT's is refused (a token never crosses clouds)", () => {
    expect(() =>
      resolveEndpoints({ ARM_ENVIRONMENT: 'global', ROLLBAR_GRAPH_URL: 'https://graph.microsoft.us' }),
    ).toThrow(/be the Microsoft Graph host of the cloud ARM_ENVIRONMENT selects/);
  });

  test('an ARM_ENVIRONMENT the azuread provider does not accept is UNKNOWN_CLOUD, with the names it accepts', () => {
    const e = (() => {
      try {
        return resolveEndpoints({ ARM_ENVIRONMENT: 'germany' });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['UNKNOWN_CLOUD']);
    expect((e as Error).message).toContain('global, public, usgovernment, usgovernmentl4, dod, usgovernmentl5, china');
  });

  test("an authority that is not the cloud's is refused the same way; loopback is allowed (tests count sign-ins)", () => {
    expect(() => resolveEndpoints({ ROLLBAR_AUTHORITY_HOST: 'https://login.example.net' })).toThrow(
      /\[GRAPH_ENDPOINT_NOT_ALLOWED\] ROLLBAR_AUTHORITY_HOST must/,
    );
    expect(resolveEndpoints({ ROLLBAR_AUTHORITY_HOST: 'http://127.0.0.1:9999' }).authorityHost).toBe(
      'http://127.0.0.1:9999',
    );
  });
});

describe('accepted roots', () => {
  test.each([
    ['https://graph.microsoft.com', 'global', 'https://login.microsoftonline.com'],
    ['https://graph.microsoft.us', 'usgovernment', 'https://login.microsoftonline.us'],
    ['https://dod-graph.microsoft.us', 'dod', 'https://login.microsoftonline.us'],
    ['https://microsoftgraph.chinacloudapi.cn', 'china', 'https://login.chinacloudapi.cn'],
    ['https://graph.microsoft.com/', 'global', 'https://login.microsoftonline.com'],
  ])('%s: cloud %s, authority %s', (url, cloud, authority) => {
    expect(resolveEndpoints({ ROLLBAR_GRAPH_URL: url })).toEqual({
      graphRoot: url.replace(/\/$/, ''),
      cloud,
      authorityHost: authority,
    });
  });

  test.each(['http://127.0.0.1:8080', 'http://127.4.5.6:1', 'http://localhost:3000', 'http://[::1]:3000'])(
    'loopback %s, http allowed',
    (url) => {
      expect(createGraphClient({ baseUrl: url, token: 't', env: {} }).baseUrl).toBe(url);
    },
  );
});

describe('ARM_ENVIRONMENT picks the Graph root and the authority (names and hosts of the azuread provider)', () => {
  test.each([
    [undefined, 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['public', 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
    ['usgovernment', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgovernmentl4', 'https://graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['usgovernmentl5', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['DoD', 'https://dod-graph.microsoft.us', 'https://login.microsoftonline.us'],
    ['china', 'https://microsoftgraph.chinacloudapi.cn', 'https://login.chinacloudapi.cn'],
  ])('%s: %s and %s', (name, graphRoot, authorityHost) => {
    const r = resolveEndpoints(name === undefined ? {} : { ARM_ENVIRONMENT: name });
    expect([r.graphRoot, r.authorityHost]).toEqual([graphRoot, authorityHost]);
  });

  test('usgovernment with ROLLBAR_GRAPH_TOKEN: the Graph call goes to graph.microsoft.us', async () => {
    const { urls, result } = await connections(() =>
      findSyncTemplate(
        createGraphClient({
          env: { ARM_ENVIRONMENT: 'usgovernment', ROLLBAR_GRAPH_TOKEN: fakeJwt('t') },
          maxRetries: 0,
        }),
        { servicePrincipalId: SP },
      ),
    );
    expect(result).toBeInstanceOf(GraphError);
    expect(urls).toEqual([`https://graph.microsoft.us/v1.0/servicePrincipals/${SP}/synchronization/templates`]);
  });

  test('usgovernment with a client secret: the token is asked from login.microsoftonline.us for graph.microsoft.us, then Graph is called there', async () => {
    const tenant = '11111111-2222-4333-8444-555555555555';
    const { urls, bodies, result } = await connections(
      () =>
        findSyncTemplate(
          createGraphClient({
            env: {
              ARM_ENVIRONMENT: 'usgovernment',
              ARM_TENANT_ID: tenant,
              ARM_CLIENT_ID: '22222222-2222-4333-8444-555555555555',
              ARM_CLIENT_SECRET: 'not-a-real-secret-value',
            },
            maxRetries: 0,
          }),
          { servicePrincipalId: SP },
        ),
      { accessToken: fakeJwt(tenant) },
    );
    expect(result).toBeInstanceOf(GraphError);
    expect((result as GraphError).code).toBe('GRAPH_NETWORK_ERROR');
    expect(urls).toEqual([
      `https://login.microsoftonline.us/${tenant}/oauth2/v2.0/token`,
      `https://graph.microsoft.us/v1.0/servicePrincipals/${SP}/synchronization/templates`,
    ]);
    expect(new URLSearchParams(bodies[0]).get('scope')).toBe('https://graph.microsoft.us/.default');
  });
});
