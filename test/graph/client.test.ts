import { createGraphClient, getJobStatus, GraphError, type GraphClient } from '../../constructs/graph';
import { RollbarProvisioningError } from '../../constructs/core';
import { parseRetryAfter, retryDelayMs } from '../../constructs/graph/retry';
import { SYNCHRONIZATION_TEMPLATE } from '../../constructs/graph/shapes';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import { fakeJwt } from '../fake-graph/server';

const ctx = useFakeGraph();
const TEMPLATES = /\/synchronization\/templates$/;

function listTemplates(client: GraphClient, sp: string): Promise<unknown[]> {
  return client.list(`/servicePrincipals/${sp}/synchronization/templates`, { shape: SYNCHRONIZATION_TEMPLATE });
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof GraphError) return e;
    throw e;
  }
  throw new Error('expected a GraphError');
}

describe('retries', () => {
  test('429 with Retry-After: 1 is retried after the wait the server asked for, then succeeds', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, status: 429, retryAfter: '1' });
    const { client, lines } = fakeClient(fake, { maxRetryWaitMs: 5_000 });

    const started = Date.now();
    const templates = await listTemplates(client, sp);

    expect(templates).toHaveLength(1);
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(2);
    // Behavioural check that the wait happened (not a performance assertion).
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(lines).toEqual([expect.stringMatching(/HTTP 429; retrying in 1\.0 s \(attempt 2 of 3\)/)]);
  });

  test('a Retry-After longer than maxRetryWaitMs is capped', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, status: 429, retryAfter: '3600' });
    const { client, lines } = fakeClient(fake, { maxRetryWaitMs: 20 });

    await listTemplates(client, sp);

    expect(lines).toEqual([expect.stringMatching(/retrying in 0\.0 s/)]);
  });

  test.each([500, 502, 503, 504])('%i twice then success: retried and succeeds', async (status) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, status, times: 2 });
    const { client } = fakeClient(fake);

    await expect(listTemplates(client, sp)).resolves.toHaveLength(1);
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(3);
  });

  test('a persistent 503 fails with a clear error after the bound of retries', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({
      method: 'GET',
      path: TEMPLATES,
      status: 503,
      times: Infinity,
      message: 'Service is temporarily unavailable.',
    });
    const { client, lines } = fakeClient(fake, { maxRetries: 3 });

    const e = await failure(listTemplates(client, sp));

    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(4);
    expect(lines).toHaveLength(3);
    expect(e.status).toBe(503);
    expect(e.code).toBe('GRAPH_HTTP_ERROR');
    expect(e.graphCode).toBe('ServiceUnavailable');
    expect(e.message).toContain('Service is temporarily unavailable.');
    expect(e.message).toContain('after 4 attempts');
    expect(e.message).toContain('run the step again later');
  });

  test.each([400, 401, 403, 404])('%i is not retried', async (status) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, status });
    const { client } = fakeClient(fake);

    await failure(listTemplates(client, sp));
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(1);
  });

  test('parseRetryAfter reads seconds and HTTP dates, and ignores nonsense', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  test('backoff without Retry-After doubles, stays within the cap and is jittered', () => {
    const policy = { maxRetries: 4, maxRetryWaitMs: 3_000, baseDelayMs: 1_000 };
    expect(retryDelayMs(1, undefined, policy, () => 1)).toBe(1000);
    expect(retryDelayMs(2, undefined, policy, () => 1)).toBe(2000);
    expect(retryDelayMs(3, undefined, policy, () => 1)).toBe(3000);
    expect(retryDelayMs(2, undefined, policy, () => 0)).toBe(1000);
    expect(retryDelayMs(1, 10_000, policy)).toBe(3000);
  });
});

describe('errors', () => {
  test.each([
    [401, 'InvalidAuthenticationToken'],
    [403, 'Authorization_RequestDenied'],
  ])('%i names the permissions and roles needed, with Graph code and request id', async (status, code) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({
      method: 'GET',
      path: TEMPLATES,
      status,
      message: 'Insufficient privileges to complete the operation.',
    });
    const { client } = fakeClient(fake);

    const e = await failure(listTemplates(client, sp));

    expect(e.status).toBe(status);
    expect(e.code).toBe('GRAPH_HTTP_ERROR');
    expect(e.graphCode).toBe(code);
    expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toContain('Insufficient privileges to complete the operation.');
    expect(e.message).toContain(e.requestId);
    expect(e.message).toContain('Synchronization.ReadWrite.All');
    expect(e.message).toContain('Application.ReadWrite.All');
    expect(e.message).toContain('Application Administrator');
  });

  test('404 on a job says that the job id is unknown', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const { client } = fakeClient(fake);

    const e = await failure(getJobStatus(client, { servicePrincipalId: sp, jobId: 'no-such-job' }));

    expect(e.status).toBe(404);
    expect(e.message).toContain("The synchronization job 'no-such-job' is unknown");
    expect(e.message).toContain('check jobId');
  });

  test('a response slower than the timeout is retried, then fails as a timeout', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, delayMs: 1_000, times: Infinity });
    const { client, lines } = fakeClient(fake, { timeoutMs: 100, maxRetries: 1 });

    const e = await failure(listTemplates(client, sp));

    expect(e.code).toBe('GRAPH_TIMEOUT');
    expect(e.status).toBeUndefined();
    expect(e.message).toContain('timed out after 100 ms');
    expect(e.message).toContain('ROLLBAR_GRAPH_TIMEOUT_MS');
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(2);
    expect(lines).toEqual([expect.stringContaining('timed out after 100 ms; retrying')]);
  });

  test('one slow response then a fast one succeeds', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, delayMs: 1_000 });
    const { client } = fakeClient(fake, { timeoutMs: 100 });

    await expect(listTemplates(client, sp)).resolves.toHaveLength(1);
  });

  test('a body that is not JSON is a clear error', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, malformed: true });
    const { client } = fakeClient(fake);

    const e = await failure(listTemplates(client, sp));

    expect(e.code).toBe('GRAPH_MALFORMED_RESPONSE');
    expect(e.message).toContain('not JSON');
  });

  test('an unreachable Graph is a network error after the retries', async () => {
    const { client } = fakeClient(ctx.fake, { baseUrl: 'http://127.0.0.1:9', maxRetries: 1 });

    const e = await failure(listTemplates(client, ctx.fake.addServicePrincipal()));

    expect(e.code).toBe('GRAPH_NETWORK_ERROR');
    expect(e.message).toContain('could not reach http://127.0.0.1:9');
    expect(e.message).toContain('ROLLBAR_GRAPH_URL');
  });

  test('no secret reaches an error message, even when Graph echoes it', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const token = fake.token();
    fake.fault({ method: 'GET', path: TEMPLATES, status: 400, message: `bad header Bearer ${token}` });
    const { client } = fakeClient(fake, { token });

    const e = await failure(listTemplates(client, sp));

    expect(e.message).not.toContain(token);
    expect(e.graphMessage).not.toContain(token);
    expect(e.message).toContain('<redacted>');
  });

  test('every request carries the bearer token', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    await listTemplates(fakeClient(fake).client, sp);
    expect(fake.requests[0]?.authorization).toBe(`Bearer ${fake.token()}`);
  });
});

describe('tenant safety', () => {
  test('a token from another tenant is refused before any request', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const other = '99999999-8888-4777-8666-555555555555';
    const { client } = fakeClient(fake, { token: fakeJwt(other) });

    const e = await listTemplates(client, sp).catch((err: unknown) => err);

    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['TENANT_MISMATCH']);
    expect((e as Error).message).toContain(other);
    expect((e as Error).message).toContain(`ARM_TENANT_ID=${fake.tenantId}`);
    expect(fake.requests).toHaveLength(0);
  });

  test('an opaque token cannot be checked, so it is refused when a tenant is given', async () => {
    const { fake } = ctx;
    const { client } = fakeClient(fake, { token: 'opaque-token-without-claims' });

    const e = await listTemplates(client, fake.addServicePrincipal()).catch((err: unknown) => err);

    expect((e as RollbarProvisioningError).codes).toEqual(['TENANT_MISMATCH']);
    expect((e as Error).message).toContain('cannot be read');
    expect((e as Error).message).not.toContain('opaque-token-without-claims');
    expect(fake.requests).toHaveLength(0);
  });

  test('the tenant comparison ignores case', async () => {
    const { fake } = ctx;
    const { client } = fakeClient(fake, { tenantId: fake.tenantId.toUpperCase() });
    await expect(listTemplates(client, fake.addServicePrincipal())).resolves.toHaveLength(1);
  });

  test('without a tenantId, the token is not checked here (Graph still checks it)', async () => {
    const { fake } = ctx;
    const client = createGraphClient({ baseUrl: fake.url, token: fakeJwt('another-tenant'), env: {}, maxRetries: 0 });

    const e = await failure(listTemplates(client, fake.addServicePrincipal()));

    expect(e.status).toBe(401);
  });
});

describe('configuration', () => {
  test('base URL and token come from ROLLBAR_GRAPH_URL and ROLLBAR_GRAPH_TOKEN', async () => {
    const { fake } = ctx;
    const client = createGraphClient({ env: { ROLLBAR_GRAPH_URL: `${fake.url}/`, ROLLBAR_GRAPH_TOKEN: fake.token() } });
    expect(client.baseUrl).toBe(fake.url);
    await expect(listTemplates(client, fake.addServicePrincipal())).resolves.toHaveLength(1);
  });

  test('retry settings come from the environment when not given', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ method: 'GET', path: TEMPLATES, status: 503, times: Infinity });
    const client = createGraphClient({
      env: {
        ROLLBAR_GRAPH_URL: fake.url,
        ROLLBAR_GRAPH_TOKEN: fake.token(),
        ROLLBAR_GRAPH_MAX_RETRIES: '1',
        ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '5',
      },
    });

    await failure(listTemplates(client, sp));
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(2);
  });

  test('the v1.0 API is used', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    await listTemplates(fakeClient(fake).client, sp);
    expect(fake.requests[0]?.path).toBe(`/servicePrincipals/${sp}/synchronization/templates`);
  });
});
