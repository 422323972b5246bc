/**
 * Graph fault suite: every Graph step against the fake Graph misbehaving (throttling storms, 5xx, timeouts,
 * malformed bodies, a write failing after the read, two applies at once, start/pause/restart failing without a
 * clear answer). Each case asserts what reached the fake and the state left in it, not only the error.
 * Waits are a few milliseconds (client options), so the whole file runs in seconds.
 */
import type { SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import {
  mergeSchema,
  renderSecrets,
  resolveSpec,
  type CredentialSettings,
  type MappingsSpec,
} from '../../constructs/core';
import { schemaDigest } from '../../constructs/core/mappings/schema-digest';
import {
  applyMappings,
  findSyncTemplate,
  getJobStatus,
  GraphError,
  NO_CONTENT,
  planMappings,
  saveCredentials,
  setProvisioning,
  type GraphClient,
} from '../../constructs/graph';
import { fakeEnv, runMain } from '../cli/run';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import type { FakeGraph, Fault } from '../fake-graph/server';
import { rollbarTemplateSchema } from '../fixtures/rollbar-schema';

const ctx = useFakeGraph();

const JOB = /\/jobs\/[^/]+$/;
const SCHEMA = /\/jobs\/[^/]+\/schema$/;
const TEMPLATES = /\/synchronization\/templates$/;
const SECRETS = /\/synchronization\/secrets$/;
const VALIDATE = /\/validateCredentials$/;

const PATCH_A: MappingsSpec = {
  users: { attributes: { 'name.formatted': { source: 'Join(" ", [givenName], [surname])' }, title: null } },
};
const PATCH_B: MappingsSpec = {
  users: { attributes: { title: { source: '[department]' } } },
  groups: { enabled: false },
};
const digestOf = (patch: MappingsSpec): string => schemaDigest(mergeSchema(rollbarTemplateSchema(), patch).schema);
const DESIRED_A = digestOf(PATCH_A);
const DESIRED_B = digestOf(PATCH_B);
const TEMPLATE = schemaDigest(rollbarTemplateSchema());

function setUp(state?: 'Disabled' | 'Paused' | 'Active'): { fake: FakeGraph; sp: string; jobId: string } {
  const { fake } = ctx;
  const sp = fake.addServicePrincipal();
  return { fake, sp, jobId: fake.addJob(sp, state === undefined ? {} : { state }) };
}

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  const e = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (e instanceof GraphError) return e;
  throw new Error(`expected a GraphError, got ${String(e)}`);
}

/** The waits the client logged, in ms (the log prints tenths of a second). */
function loggedWaits(lines: readonly string[]): number[] {
  return lines.flatMap((l) => {
    const m = /retrying in (\d+\.\d) s/.exec(l);
    return m ? [Math.round(Number(m[1]) * 1000)] : [];
  });
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const putDigests = (fake: FakeGraph): string[] =>
  fake.requestsTo('PUT', SCHEMA).map((r) => schemaDigest(r.body as SynchronizationSchema));

/** Resolves once `condition` holds (a request the fake still holds landing); fails the test after `ms`. */
async function until(condition: () => boolean, ms = 3_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('429 storms', () => {
  // maxRetries 3 and maxRetryWaitMs 100: one request waits at most 3 × 0.1 s, whatever Retry-After asks.
  const bound = { maxRetries: 3, maxRetryWaitMs: 100 };
  const later = (): string => new Date(Date.now() + 3_600_000).toUTCString();

  test.each([
    ['2 throttled answers, Retry-After 1 s', 2, '1'],
    ['3 throttled answers (the bound exactly), Retry-After 1 hour', 3, '3600'],
    ['3 throttled answers, Retry-After an HTTP date an hour away', 3, later()],
  ])('%s: waited out within the bound, every wait reported', async (_name, times, retryAfter) => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ status: 429, retryAfter, times });
    const { client, lines } = fakeClient(fake, bound);

    const result = await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A });

    expect(result).toMatchObject({ changed: true, desiredDigest: DESIRED_A });
    const retries = lines.filter((l) => l.includes('answered HTTP 429; retrying in'));
    expect(retries).toHaveLength(times);
    expect(loggedWaits(lines)).toEqual(Array<number>(times).fill(100));
    expect(sum(loggedWaits(lines))).toBeLessThanOrEqual(bound.maxRetries * bound.maxRetryWaitMs);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
  });

  test.each([
    ['one throttled answer more than the bound', 4],
    ['a storm that never ends', Infinity],
  ])('%s: fails with an error naming throttling, after the bounded wait, and writes nothing', async (_name, times) => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ status: 429, retryAfter: '1', times, message: 'Too many requests.' });
    const { client, lines } = fakeClient(fake, bound);

    const e = await failure(applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A }));

    expect(e.status).toBe(429);
    expect(e.code).toBe('GRAPH_HTTP_ERROR');
    expect(e.graphCode).toBe('TooManyRequests');
    expect(e.message).toContain('Too many requests.');
    expect(e.message).toMatch(/throttling/);
    expect(e.message).toContain('after 4 attempts and 0.3 s of waiting');
    expect(e.message).toContain('ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS');
    expect(fake.requests).toHaveLength(4);
    expect(loggedWaits(lines)).toEqual([100, 100, 100]);
    expect(fake.requestsTo('PUT', SCHEMA)).toHaveLength(0);
    expect(fake.job(sp, jobId).schemaWrites).toBe(0);
  });

  test('the CLI reports each wait on stderr and succeeds after the storm', async () => {
    const { fake, sp } = setUp();
    fake.fault({ status: 429, retryAfter: '1', times: 2 });
    const env = fakeEnv(fake, { ROLLBAR_GRAPH_MAX_RETRIES: '3', ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '100' });

    const r = await runMain(['graph', 'sync-template'], { input: JSON.stringify({ servicePrincipalId: sp }), env });

    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ templateId: 'fake-rollbar-template' });
    const retries = r.stderr.split('\n').filter((l) => l.includes('HTTP 429'));
    expect(retries).toEqual([
      expect.stringMatching(
        /^rollbar-provisioning: Graph GET .* answered HTTP 429; retrying in 0\.1 s \(attempt 2 of 4; Retry-After asked for 1\.0 s, capped by ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS\)$/,
      ),
      expect.stringMatching(
        /^rollbar-provisioning: Graph GET .* answered HTTP 429; retrying in 0\.1 s \(attempt 3 of 4; Retry-After asked for 1\.0 s, capped by ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS\)$/,
      ),
    ]);
  });

  test('the CLI fails with exit 1 and a throttling message, no stack trace, when the storm outlasts the bound', async () => {
    const { fake, sp } = setUp();
    fake.fault({ status: 429, retryAfter: '1', times: Infinity });
    const env = fakeEnv(fake, { ROLLBAR_GRAPH_MAX_RETRIES: '2', ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '100' });

    const r = await runMain(['graph', 'sync-template'], { input: JSON.stringify({ servicePrincipalId: sp }), env });

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('throttling');
    expect(r.stderr).toContain('after 3 attempts and 0.2 s of waiting');
    expect(r.stderr.match(/answered HTTP 429; retrying/g)).toHaveLength(2);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(fake.requestsTo('GET', TEMPLATES)).toHaveLength(3);
  });
});

describe('5xx', () => {
  test.each([500, 502, 503, 504])('%i twice on the schema read: retried, and the plan succeeds', async (status) => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'GET', path: SCHEMA, status, times: 2 });
    const { client, lines } = fakeClient(fake, { maxRetries: 2 });

    const plan = await planMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A });

    expect(plan).toMatchObject({ inSync: false, desiredDigest: DESIRED_A, liveDigest: TEMPLATE });
    expect(fake.requestsTo('GET', SCHEMA)).toHaveLength(3);
    expect(lines.filter((l) => l.includes(`answered HTTP ${status}; retrying`))).toHaveLength(2);
  });

  test.each([500, 502, 503, 504])(
    '%i persistent: a clear error after maxRetries + 1 attempts, nothing written',
    async (status) => {
      const { fake, sp, jobId } = setUp();
      fake.fault({ method: 'GET', path: SCHEMA, status, times: Infinity, message: 'The service is down.' });
      const { client } = fakeClient(fake, { maxRetries: 2 });

      const e = await failure(applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A }));

      expect(e.status).toBe(status);
      expect(e.message).toContain('The service is down.');
      expect(e.message).toContain('after 3 attempts');
      expect(e.message).toContain('run the step again later');
      expect(e.requestId).toBeDefined();
      expect(fake.requestsTo('GET', SCHEMA)).toHaveLength(3);
      expect(fake.requestsTo('PUT', SCHEMA)).toHaveLength(0);
    },
  );
});

describe('timeouts', () => {
  test('one response slower than timeoutMs: retried, and the step succeeds', async () => {
    const { fake, sp, jobId } = setUp('Active');
    fake.fault({ method: 'GET', path: JOB, delayMs: 1_000 });
    const { client, lines } = fakeClient(fake, { timeoutMs: 100 });

    const status = await getJobStatus(client, { servicePrincipalId: sp, jobId });

    expect(status.state).toBe('Active');
    expect(fake.requestsTo('GET', JOB)).toHaveLength(2);
    expect(lines).toEqual([expect.stringContaining('timed out after 100 ms; retrying')]);
  });

  test('every response slower than timeoutMs: GRAPH_TIMEOUT after maxRetries + 1 attempts, nothing written', async () => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'GET', path: SCHEMA, delayMs: 1_000, times: Infinity });
    const { client } = fakeClient(fake, { timeoutMs: 100, maxRetries: 2 });

    const e = await failure(applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A }));

    expect(e.code).toBe('GRAPH_TIMEOUT');
    expect(e.message).toContain('timed out after 100 ms (gave up after 3 attempts');
    expect(e.message).toContain('ROLLBAR_GRAPH_TIMEOUT_MS');
    expect(fake.requestsTo('GET', SCHEMA)).toHaveLength(3);
    expect(fake.requestsTo('PUT', SCHEMA)).toHaveLength(0);
  });
});

describe('malformed JSON bodies', () => {
  type Step = (client: GraphClient, sp: string, jobId: string) => Promise<unknown>;
  const rows: [string, RegExp, Step][] = [
    ['findSyncTemplate (templates)', TEMPLATES, (c, sp) => findSyncTemplate(c, { servicePrincipalId: sp })],
    [
      'planMappings (live schema)',
      SCHEMA,
      (c, sp, jobId) => planMappings(c, { servicePrincipalId: sp, jobId, mappings: PATCH_A }),
    ],
    [
      'applyMappings (job)',
      JOB,
      (c, sp, jobId) => applyMappings(c, { servicePrincipalId: sp, jobId, mappings: PATCH_A }),
    ],
    ['getJobStatus (job)', JOB, (c, sp, jobId) => getJobStatus(c, { servicePrincipalId: sp, jobId })],
    [
      'setProvisioning (job)',
      JOB,
      (c, sp, jobId) => setProvisioning(c, { servicePrincipalId: sp, jobId, enabled: true }),
    ],
  ];

  test.each(rows)('%s: GRAPH_MALFORMED_RESPONSE, not retried, and nothing written', async (_name, path, step) => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'GET', path, malformed: true, times: Infinity });
    const { client } = fakeClient(fake);

    const e = await failure(step(client, sp, jobId));

    expect(e.code).toBe('GRAPH_MALFORMED_RESPONSE');
    expect(e.status).toBe(200);
    expect(e.message).toContain('not JSON');
    expect(e.message).toContain('a proxy between here and Graph may have answered');
    expect(fake.requests.filter((r) => r.method === 'GET' && path.test(r.path))).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(fake.job(sp, jobId).schedule.state).toBe('Disabled');
  });
});

describe('a schema PUT that fails after the GET', () => {
  test.each([
    ['500', { status: 500 }],
    ['503 with Retry-After', { status: 503, retryAfter: '1' }],
  ] as [string, Fault][])(
    'persistent %s: nothing half-written, and the next run converges with exactly one PUT',
    async (_name, fault) => {
      const { fake, sp, jobId } = setUp();
      const before = structuredClone(fake.job(sp, jobId).schema);
      fake.fault({ method: 'PUT', path: SCHEMA, times: Infinity, ...fault });
      const { client } = fakeClient(fake, { maxRetries: 2 });
      const args = { servicePrincipalId: sp, jobId, mappings: PATCH_A };

      const e = await failure(applyMappings(client, args));

      expect(e.status).toBe(fault.status);
      expect(e.message).toContain(
        `Microsoft Graph PUT /servicePrincipals/${sp}/synchronization/jobs/${jobId}/schema failed`,
      );
      expect(fake.requestsTo('PUT', SCHEMA)).toHaveLength(3);
      expect(fake.job(sp, jobId).schema).toEqual(before);
      expect(fake.job(sp, jobId).schemaWrites).toBe(0);

      fake.reset();
      const second = await applyMappings(client, args);

      expect(second).toMatchObject({ changed: true, desiredDigest: DESIRED_A });
      expect(fake.requestsTo('PUT', SCHEMA)).toHaveLength(1);
      expect(fake.job(sp, jobId).schemaWrites).toBe(1);
      expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
      await expect(planMappings(client, args)).resolves.toMatchObject({ inSync: true, liveDigest: DESIRED_A });
    },
  );

  test('a PUT that took effect but answered 502: the retry writes the same schema, and the next run writes nothing', async () => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'PUT', path: SCHEMA, status: 502, afterEffect: true });
    const { client } = fakeClient(fake);
    const args = { servicePrincipalId: sp, jobId, mappings: PATCH_A };

    await expect(applyMappings(client, args)).resolves.toMatchObject({ changed: true });
    await expect(applyMappings(client, args)).resolves.toMatchObject({ changed: false });

    expect(putDigests(fake)).toEqual([DESIRED_A, DESIRED_A]);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
  });

  test('a PUT that timed out and lands late: both writes are the whole desired schema', async () => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'PUT', path: SCHEMA, delayMs: 300 });
    const { client, lines } = fakeClient(fake, { timeoutMs: 100 });

    await expect(applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH_A })).resolves.toMatchObject({
      changed: true,
    });
    await until(() => fake.job(sp, jobId).schemaWrites === 2);

    expect(lines).toContainEqual(expect.stringContaining('/schema timed out after 100 ms; retrying'));
    expect(putDigests(fake)).toEqual([DESIRED_A, DESIRED_A]);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
  });
});

describe('a secrets PUT that fails after a successful validateCredentials', () => {
  const settings = (): CredentialSettings =>
    resolveSpec({ secretToken: '', notification: { email: 'ops@example.com' } }).settings;

  test('nothing is saved, no secret is in the error, and the next run tests and saves', async () => {
    const { fake, sp, jobId } = setUp();
    fake.fault({ method: 'PUT', path: SECRETS, status: 503, times: Infinity });
    const { client } = fakeClient(fake, { maxRetries: 2 });
    const args = {
      servicePrincipalId: sp,
      jobId,
      secretToken: fake.validSecretToken,
      settings: settings(),
      test: true,
    };

    const e = await failure(saveCredentials(client, args));

    expect(e.status).toBe(503);
    expect(e.message).toContain('/secrets failed');
    expect(e.message).not.toContain(fake.validSecretToken);
    expect(fake.requestsTo('POST', VALIDATE)).toHaveLength(1);
    expect(fake.requestsTo('PUT', SECRETS)).toHaveLength(3);
    expect(fake.servicePrincipal(sp).secrets).toBeUndefined();
    expect(fake.servicePrincipal(sp).secretWrites).toBe(0);

    fake.reset();
    const result = await saveCredentials(client, args);

    const expected = renderSecrets({ secretToken: fake.validSecretToken, settings: args.settings });
    expect(result).toEqual({ validated: true, saved: expected.length });
    expect(fake.requests.map((r) => r.method + (VALIDATE.test(r.path) ? ' validate' : ' secrets'))).toEqual([
      'POST validate',
      'GET secrets',
      'PUT secrets',
    ]);
    expect(fake.servicePrincipal(sp).secrets).toEqual(expected);
    expect(fake.servicePrincipal(sp).secretWrites).toBe(1);
  });
});

describe('two applies at once', () => {
  // What the code guarantees: no lock and no ETag (Graph documents neither for the schema). Each apply reads,
  // computes the desired schema from the template (not from the live schema) and PUTs it whole, so two applies
  // of one spec send byte-for-byte the same schema: at most one PUT each, and whichever lands last, the end
  // state is the desired schema. Two different specs: the last PUT wins whole; never a mix of the two.
  test('the same spec: at most two PUTs, each the whole desired schema; the end state is desired', async () => {
    const { fake, sp, jobId } = setUp();
    const args = { servicePrincipalId: sp, jobId, mappings: PATCH_A };

    const [a, b] = await Promise.all([
      applyMappings(fakeClient(fake).client, args),
      applyMappings(fakeClient(fake).client, args),
    ]);

    expect(a.desiredDigest).toBe(DESIRED_A);
    expect(b.desiredDigest).toBe(DESIRED_A);
    const puts = putDigests(fake);
    expect(puts.length).toBeGreaterThanOrEqual(1);
    expect(puts.length).toBeLessThanOrEqual(2);
    expect([a.changed, b.changed].filter(Boolean)).toHaveLength(puts.length);
    expect(new Set(puts)).toEqual(new Set([DESIRED_A]));
    expect(fake.job(sp, jobId).schemaWrites).toBe(puts.length);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
    await expect(applyMappings(fakeClient(fake).client, args)).resolves.toMatchObject({ changed: false });
  });

  test('two different specs: the last PUT wins whole, and re-running one converges to it', async () => {
    const { fake, sp, jobId } = setUp();
    const a = { servicePrincipalId: sp, jobId, mappings: PATCH_A };
    const b = { servicePrincipalId: sp, jobId, mappings: PATCH_B };

    await Promise.all([applyMappings(fakeClient(fake).client, a), applyMappings(fakeClient(fake).client, b)]);

    const puts = putDigests(fake);
    expect(puts.length).toBeLessThanOrEqual(2);
    for (const d of puts) expect([DESIRED_A, DESIRED_B]).toContain(d);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(puts.at(-1));

    await applyMappings(fakeClient(fake).client, a);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(DESIRED_A);
  });
});

describe('requests that must not be sent twice (idempotent: false)', () => {
  test.each([
    ['a 503', 1, { status: 503 }, 'rejects'],
    ['a timeout', 1, { delayMs: 500 }, 'rejects'],
    ['a 429 (Graph throttles before it acts)', 2, { status: 429, retryAfter: '0' }, 'resolves'],
  ] as [string, number, Fault, 'rejects' | 'resolves'][])(
    'after %s: sent %i time(s)',
    async (_name, sent, fault, outcome) => {
      const { fake, sp, jobId } = setUp('Disabled');
      const path = `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/pause`;
      fake.fault({ method: 'POST', path: /\/pause$/, ...fault });
      const { client } = fakeClient(fake, { timeoutMs: 100, maxRetries: 3 });

      const result = client.request({ method: 'POST', path, shape: NO_CONTENT, idempotent: false });

      await (outcome === 'rejects'
        ? expect(result).rejects.toThrow(GraphError)
        : expect(result).resolves.toBeUndefined());
      expect(fake.requestsTo('POST', /\/pause$/)).toHaveLength(sent);
    },
  );
});

describe('setProvisioning under faults: a failed start never leads to a second start on an active job', () => {
  const START = /\/start$/;
  type Row = [string, Fault, { starts: number; action: 'start' }];
  const recovered: Row[] = [
    ['500 after the start took effect', { status: 500, afterEffect: true }, { starts: 1, action: 'start' }],
    ['502 after the start took effect', { status: 502, afterEffect: true }, { starts: 1, action: 'start' }],
    ['504 after the start took effect', { status: 504, afterEffect: true }, { starts: 1, action: 'start' }],
    [
      '503 before the start took effect: re-read, still stopped, sent again',
      { status: 503 },
      { starts: 2, action: 'start' },
    ],
    [
      '429 twice (throttled before acting): retried by the client',
      { status: 429, retryAfter: '0', times: 2 },
      { starts: 3, action: 'start' },
    ],
    ['a timeout, the start landing while the job is re-read', { delayMs: 250 }, { starts: 1, action: 'start' }],
  ];

  test.each(recovered)('%s', async (_name, fault, expected) => {
    const { fake, sp, jobId } = setUp('Disabled');
    fake.fault({ method: 'POST', path: START, ...fault });
    const { client } = fakeClient(fake, { timeoutMs: 100, maxRetries: 4, maxRetryWaitMs: 200 });

    const result = await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });

    expect(result).toEqual({ action: expected.action, state: 'Active' });
    expect(fake.requestsTo('POST', START)).toHaveLength(expected.starts);
    expect(fake.job(sp, jobId).schedule.state).toBe('Active');
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });

  test('a timeout whose start lands only after the run gave up: not resent; the next run sends nothing', async () => {
    const { fake, sp, jobId } = setUp('Paused');
    fake.fault({ method: 'POST', path: START, delayMs: 700 });
    const { client, lines } = fakeClient(fake, { timeoutMs: 100, maxRetries: 2, maxRetryWaitMs: 10 });
    const args = { servicePrincipalId: sp, jobId, enabled: true };

    const e = await failure(setProvisioning(client, args));

    expect(e.code).toBe('GRAPH_TIMEOUT');
    expect(e.message).toContain('not retried: Graph may have acted on it');
    expect(e.message).toContain('The job is still Paused after 3 reads; Graph may yet apply the start');
    expect(e.message).toContain('Run the step again in a few minutes');
    expect(fake.requestsTo('POST', START)).toHaveLength(1);
    expect(fake.requestsTo('GET', JOB)).toHaveLength(3);
    expect(lines).toContainEqual(expect.stringContaining('The start request failed (GRAPH_TIMEOUT)'));

    await until(() => fake.job(sp, jobId).schedule.state === 'Active');
    await expect(setProvisioning(client, args)).resolves.toEqual({ action: 'none', state: 'Active' });
    expect(fake.requestsTo('POST', START)).toHaveLength(1);
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });

  test('a 504 before the start took effect: not resent (it may still arrive), and the error says so', async () => {
    const { fake, sp, jobId } = setUp('Disabled');
    fake.fault({ method: 'POST', path: START, status: 504 });
    const { client } = fakeClient(fake, { maxRetries: 2 });

    const e = await failure(setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true }));

    expect(e.status).toBe(504);
    expect(e.message).toContain('Graph may yet apply the start');
    expect(fake.requestsTo('POST', START)).toHaveLength(1);
    expect(fake.job(sp, jobId).schedule.state).toBe('Disabled');
  });

  test('a persistent 503: at most maxRetries + 1 starts, each to a job still stopped, then a clear error', async () => {
    const { fake, sp, jobId } = setUp('Disabled');
    fake.fault({ method: 'POST', path: START, status: 503, times: Infinity, message: 'Try later.' });
    const { client } = fakeClient(fake, { maxRetries: 2 });

    const e = await failure(setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true }));

    expect(e.status).toBe(503);
    expect(e.message).toContain('Try later.');
    expect(fake.requestsTo('POST', START)).toHaveLength(3);
    expect(fake.requestsTo('GET', JOB)).toHaveLength(3);
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });

  test('a restart of a quarantined job answered 500 after it took effect is not sent twice', async () => {
    const { fake, sp, jobId } = setUp('Active');
    fake.quarantine(sp, jobId);
    fake.fault({ method: 'POST', path: /\/restart$/, status: 500, afterEffect: true });
    const { client } = fakeClient(fake);

    const result = await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });

    expect(result).toEqual({ action: 'restart', state: 'Active' });
    expect(fake.requestsTo('POST', /\/restart$/)).toHaveLength(1);
    expect(fake.requestsTo('POST', START)).toHaveLength(0);
    expect(fake.job(sp, jobId).status.code).toBe('Active');
  });

  test('a pause that timed out and landed while the job was re-read is not sent twice', async () => {
    const { fake, sp, jobId } = setUp('Active');
    fake.fault({ method: 'POST', path: /\/pause$/, delayMs: 250 });
    const { client } = fakeClient(fake, { timeoutMs: 100, maxRetries: 4, maxRetryWaitMs: 200 });

    const result = await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: false });

    expect(result).toEqual({ action: 'pause', state: 'Paused' });
    expect(fake.requestsTo('POST', /\/pause$/)).toHaveLength(1);
  });
});
