/**
 * Answers that are not what Microsoft documents (issue 14): redirects, wrong shapes, bodies past the cap, and the
 * waits around a step (stdin, Retry-After, clamped settings, a token that cannot be sent), then two runs at once.
 * Redirects and oversized bodies come from a small scripted server (hostile-server.ts), wrong shapes from the fake
 * Graph's `replaceBody` fault (the real answer, then replaced), so that each call is reached in its real flow.
 */
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { main } from '../../cli/main';
import {
  createGraphClient,
  findSyncTemplate,
  GraphError,
  setProvisioning,
  type GraphClient,
} from '../../constructs/graph';
import { parseRetryAfter, retryDelayMs, RETRY_SETTINGS } from '../../constructs/graph/retry';
import { fakeEnv, runMain, useBundle, type RunResult } from '../cli/run';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import { FAKE_VALID_SECRET_TOKEN, fakeJwt, type FakeGraph } from '../fake-graph/server';
import { HostileServer, useHostileServer } from './hostile-server';

const ctx = useFakeGraph();
const hostile = useHostileServer();
const SP = '00000000-0000-4000-8000-0000000000aa';
const JOB = 'job-1';

/** The lines of stderr that are not progress (`rollbar-provisioning: …`): the failure report. */
function report(r: RunResult): string[] {
  return r.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('rollbar-provisioning: '));
}

function expectOneReadableLine(r: RunResult, pattern: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = report(r);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toContain('unexpected error');
  expect(r.stderr).not.toMatch(/^\s+at /m);
}

describe('redirects are never followed (acceptance 1)', () => {
  let target: HostileServer;
  beforeAll(async () => {
    target = await HostileServer.start();
  });
  afterAll(async () => {
    await target.stop();
  });
  afterEach(() => target.reset());

  test.each([
    [307, 'POST', /\/validateCredentials$/],
    [308, 'PUT', /\/synchronization\/secrets$/],
    [302, 'PUT', /\/synchronization\/secrets$/],
    [301, 'PUT', /\/synchronization\/secrets$/],
  ])('%i on %s %s: the other server receives nothing, exit 1 naming the redirect', async (status, method, path) => {
    const graph = hostile.server;
    const location = `${target.url}/v1.0/steal`;
    graph.answer = (req, res) => {
      if (req.method === method && path.test(req.path)) res.writeHead(status, { Location: location }).end();
      // The credentials step reads the saved secret keys (an empty collection here) before it saves.
      else if (req.method === 'GET') res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value":[]}');
      else res.writeHead(204).end();
    };

    const r = await runMain(['graph', 'save-credentials'], {
      input: JSON.stringify({ servicePrincipalId: SP, jobId: JOB, test: true }),
      env: {
        ROLLBAR_GRAPH_URL: graph.url,
        ROLLBAR_GRAPH_TOKEN: fakeJwt('t'),
        ROLLBAR_SECRET_TOKEN: FAKE_VALID_SECRET_TOKEN,
        ROLLBAR_GRAPH_MAX_RETRIES: '2',
      },
    });

    expect(target.requests).toEqual([]);
    expect(graph.requests.filter((q) => q.method === method && path.test(q.path))).toHaveLength(1);
    expectOneReadableLine(r, new RegExp(`answered HTTP ${status}, a redirect to host ${new URL(target.url).host}`));
    expect(r.stderr).toContain('redirects are never followed');
    expect(r.stderr).not.toContain(FAKE_VALID_SECRET_TOKEN);
  });
});

type Variant = 'error body with 200' | '[]' | 'null' | 'a missing required field' | 'an unknown enum value';
const VARIANTS: Variant[] = ['error body with 200', '[]', 'null', 'a missing required field', 'an unknown enum value'];

/** One Graph call the project makes, reached through the command that makes it. */
interface Call {
  readonly name: string;
  readonly method: string;
  readonly path: RegExp;
  /** Sets up the fake so that the command reaches the call; returns the command and its input. */
  setUp(fake: FakeGraph): { args: string[]; input?: object; env?: Record<string, string> };
  /** The real body with a required field removed, or with an enum value Graph does not document. */
  readonly missing?: (real: unknown) => unknown;
  readonly badEnum?: (real: unknown) => unknown;
  /** Why a variant does not apply (a documented 204 has no field to miss). */
  readonly notApplicable?: Partial<Record<Variant, string>>;
}

const NO_BODY = {
  'a missing required field': 'a documented 204 has no body, so no field',
  'an unknown enum value': 'a documented 204 has no body, so no enum',
};
const omit =
  (key: string) =>
  (real: unknown): unknown => {
    const copy = structuredClone(real) as Record<string, unknown>;
    delete copy[key];
    return copy;
  };
const firstItem =
  (edit: (item: Record<string, unknown>) => void) =>
  (real: unknown): unknown => {
    const copy = structuredClone(real) as { value: Record<string, unknown>[] };
    edit(copy.value[0]!);
    return copy;
  };
const jobState = (real: unknown): unknown => {
  const copy = structuredClone(real) as { schedule: { state: string } };
  copy.schedule.state = 'Hibernating';
  return copy;
};

function job(fake: FakeGraph, state?: 'Active' | 'Disabled'): { sp: string; jobId: string } {
  const sp = fake.addServicePrincipal();
  return { sp, jobId: fake.addJob(sp, state ? { state } : {}) };
}
const JOIN = { users: { attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } } } };
const FILTERED = {
  users: {
    scopingFilters: [{ name: 'Eng', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Eng'] }] }],
  },
};

const CALLS: Call[] = [
  {
    name: 'GET templates',
    method: 'GET',
    path: /\/synchronization\/templates$/,
    setUp: (fake) => ({ args: ['graph', 'sync-template'], input: { servicePrincipalId: fake.addServicePrincipal() } }),
    missing: firstItem((t) => delete t.id),
    notApplicable: { 'an unknown enum value': 'synchronizationTemplate has no enum the steps read' },
  },
  {
    name: 'GET jobs (status without --job-id)',
    method: 'GET',
    path: /\/synchronization\/jobs$/,
    setUp: (fake) => ({ args: ['status', '--service-principal-id', job(fake).sp] }),
    missing: firstItem((j) => delete j.status),
    badEnum: firstItem((j) => ((j.status as { code: string }).code = 'Sleeping')),
  },
  {
    name: 'GET job (set-provisioning)',
    method: 'GET',
    path: /\/jobs\/[^/]+$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'set-provisioning'], input: { servicePrincipalId: sp, jobId, enabled: true } };
    },
    missing: omit('schedule'),
    badEnum: jobState,
  },
  {
    name: 'GET job schema',
    method: 'GET',
    path: /\/jobs\/[^/]+\/schema$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'plan-mappings'], input: { servicePrincipalId: sp, jobId, mappings: {} } };
    },
    missing: omit('synchronizationRules'),
    notApplicable: { 'an unknown enum value': 'the steps read no enum of synchronizationSchema' },
  },
  {
    name: 'GET template schema',
    method: 'GET',
    path: /\/templates\/[^/]+\/schema$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'plan-mappings'], input: { servicePrincipalId: sp, jobId, mappings: {} } };
    },
    missing: omit('directories'),
    notApplicable: { 'an unknown enum value': 'the steps read no enum of synchronizationSchema' },
  },
  {
    name: 'GET filterOperators',
    method: 'GET',
    path: /\/schema\/filterOperators$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'plan-mappings'], input: { servicePrincipalId: sp, jobId, mappings: FILTERED } };
    },
    missing: firstItem((o) => delete o.name),
    notApplicable: { 'an unknown enum value': 'the steps read no enum of filterOperatorSchema' },
  },
  {
    name: 'POST parseExpression',
    method: 'POST',
    path: /\/schema\/parseExpression$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'apply-mappings'], input: { servicePrincipalId: sp, jobId, mappings: JOIN } };
    },
    missing: omit('parsingSucceeded'),
    notApplicable: { 'an unknown enum value': 'parseExpressionResponse has no enum the steps read' },
  },
  {
    name: 'PUT job schema',
    method: 'PUT',
    path: /\/jobs\/[^/]+\/schema$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'apply-mappings'], input: { servicePrincipalId: sp, jobId, mappings: JOIN } };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'DELETE job schema',
    method: 'DELETE',
    path: /\/jobs\/[^/]+\/schema$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      fake.editSchema(sp, jobId, (s) => s.synchronizationRules?.pop());
      return { args: ['graph', 'reset-mappings'], input: { servicePrincipalId: sp, jobId } };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'POST validateCredentials',
    method: 'POST',
    path: /\/validateCredentials$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return {
        args: ['graph', 'save-credentials'],
        input: { servicePrincipalId: sp, jobId },
        env: { ROLLBAR_SECRET_TOKEN: fake.validSecretToken },
      };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'PUT secrets',
    method: 'PUT',
    path: /\/synchronization\/secrets$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return {
        args: ['graph', 'save-credentials'],
        input: { servicePrincipalId: sp, jobId },
        env: { ROLLBAR_SECRET_TOKEN: fake.validSecretToken },
      };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'POST start',
    method: 'POST',
    path: /\/start$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      return { args: ['graph', 'set-provisioning'], input: { servicePrincipalId: sp, jobId, enabled: true } };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'POST pause',
    method: 'POST',
    path: /\/pause$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake, 'Active');
      return { args: ['graph', 'set-provisioning'], input: { servicePrincipalId: sp, jobId, enabled: false } };
    },
    notApplicable: NO_BODY,
  },
  {
    name: 'POST restart',
    method: 'POST',
    path: /\/restart$/,
    setUp: (fake) => {
      const { sp, jobId } = job(fake);
      fake.quarantine(sp, jobId);
      return { args: ['graph', 'set-provisioning'], input: { servicePrincipalId: sp, jobId, enabled: true } };
    },
    notApplicable: NO_BODY,
  },
];

function replacement(call: Call, variant: Variant): ((real: unknown) => unknown) | undefined {
  switch (variant) {
    case 'error body with 200':
      return () => ({ error: { code: 'InternalServerError', message: 'Something went wrong at the proxy.' } });
    case '[]':
      return () => [];
    case 'null':
      return () => null;
    case 'a missing required field':
      return call.missing;
    case 'an unknown enum value':
      return call.badEnum;
  }
}

const TABLE = CALLS.flatMap((call) => VARIANTS.map((variant) => [call.name, variant, call] as const));

describe('every 2xx is checked against its documented shape (acceptance 3)', () => {
  test('every call has a real replacement or a reason for each variant', () => {
    for (const [, variant, call] of TABLE) {
      expect(replacement(call, variant) !== undefined || call.notApplicable?.[variant] !== undefined).toBe(true);
    }
  });

  test.each(TABLE.filter(([, variant, call]) => replacement(call, variant) !== undefined))(
    '%s × %s: exit 1, one readable line, nothing acted on after it',
    async (_name, variant, call) => {
      const { fake } = ctx;
      const { args, input, env } = call.setUp(fake);
      fake.fault({ method: call.method, path: call.path, replaceBody: replacement(call, variant)! });

      const r = await runMain(args, {
        ...(input !== undefined && { input: JSON.stringify(input) }),
        env: fakeEnv(fake, env),
      });

      expect(fake.requestsTo(call.method, call.path)).toHaveLength(1);
      expectOneReadableLine(
        r,
        new RegExp(
          `Microsoft Graph ${call.method} \\S+ answered HTTP 200 with ` +
            (variant === 'error body with 200'
              ? 'an error body \\(InternalServerError: Something went wrong at the proxy\\.\\)'
              : 'a body that is not the documented'),
        ),
      );
      // Nothing that changes the job happened after the bad answer.
      const after = fake.requests.slice(
        fake.requests.findIndex((q) => q.method === call.method && call.path.test(q.path)) + 1,
      );
      expect(after.filter((q) => q.method !== 'GET')).toEqual([]);
      if (args[1] === 'set-provisioning' && call.method === 'GET') {
        expect(fake.requestsTo('POST', /\/(start|pause|restart)$/)).toEqual([]);
      }
    },
  );
});

describe('response bodies are read with a cap, and never retried past it (acceptance 4)', () => {
  const CAP = 1024 * 1024;
  // The largest piece fetch hands over at once; the client stops within one of them past the cap.
  const CHUNK = 64 * 1024;

  function client(url: string): GraphClient {
    return createGraphClient({
      baseUrl: url,
      token: fakeJwt('t'),
      maxRetries: 3,
      maxRetryWaitMs: 0,
      maxResponseBytes: CAP,
      env: {},
    });
  }

  async function tooLarge(answer: (res: ServerResponse) => void): Promise<GraphError> {
    const server = hostile.server;
    server.answer = (_req, res) => answer(res);
    const e = await findSyncTemplate(client(server.url), { servicePrincipalId: SP }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GraphError);
    expect((e as GraphError).code).toBe('GRAPH_RESPONSE_TOO_LARGE');
    expect(server.requests).toHaveLength(1);
    return e as GraphError;
  }

  test('a gzip bomb (16 MiB of zeros in about 16 KB on the wire): stops within the cap plus one chunk', async () => {
    const bomb = gzipSync(Buffer.alloc(16 * 1024 * 1024));
    const e = await tooLarge((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }).end(bomb);
    });
    expect(e.bytesRead).toBeGreaterThan(CAP);
    expect(e.bytesRead).toBeLessThanOrEqual(CAP + CHUNK);
    expect(e.message).toMatch(/larger than 1048576 bytes .* not retried/);
  });

  test('an oversized plain body without Content-Length: stops within the cap plus one chunk', async () => {
    const e = await tooLarge((res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const piece = Buffer.alloc(CHUNK, 0x20);
      let sent = 0;
      const more = (): void => {
        while (sent < 8 * CAP) {
          sent += CHUNK;
          if (!res.write(piece)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => undefined);
      more();
    });
    expect(e.bytesRead).toBeLessThanOrEqual(CAP + CHUNK);
  });

  test('a declared Content-Length over the cap: nothing of the body is read', async () => {
    const e = await tooLarge((res) => {
      res.on('error', () => undefined);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(8 * CAP) });
      res.write(Buffer.alloc(CHUNK, 0x20));
    });
    expect(e.bytesRead).toBe(0);
  });
});

describe('waits', () => {
  function openStdin(): PassThrough {
    return new PassThrough();
  }

  test('without ROLLBAR_INPUT, a stdin that stays open stops the step and says how to pass input', async () => {
    const err: string[] = [];
    const code = await main(['graph', 'sync-template'], {
      stdin: openStdin(),
      stdout: { write: () => true },
      stderr: { write: (s: string) => err.push(s) },
      env: fakeEnv(ctx.fake),
      inputTimeoutMs: 50,
    });
    expect(code).toBe(1);
    expect(err.join('')).toContain('must arrive complete on stdin within 0.05 s (stdin stayed open)');
    expect(err.join('')).toContain('ROLLBAR_INPUT');
    expect(ctx.fake.requests).toHaveLength(0);
  });

  test('with ROLLBAR_INPUT set, stdin is not read: a byte on an open stdin changes nothing', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const stdin = openStdin();
    stdin.write('x');
    const out: string[] = [];
    const code = await main(['graph', 'sync-template'], {
      stdin,
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => true },
      env: fakeEnv(ctx.fake, { ROLLBAR_INPUT: JSON.stringify({ servicePrincipalId: sp }) }),
      inputTimeoutMs: 10,
    });
    expect(code).toBe(0);
    expect(out.join('')).toBe('{"templateId":"fake-rollbar-template"}\n');
    expect(stdin.readableLength).toBe(1);
  });

  test.each([
    ['-5', undefined],
    ['soon', undefined],
    ['1e3', undefined],
    ['', undefined],
    ['0', 0],
    ['120', 120_000],
    ['Wed, 21 Oct 2015 07:28:00 GMT', 0],
  ])('Retry-After %j reads as %p ms (anything else falls back to the backoff)', (value, ms) => {
    expect(parseRetryAfter(value, Date.parse('2030-01-01T00:00:00Z'))).toBe(ms);
  });

  test('a Retry-After of minutes is honoured by default up to the documented 5 minutes, never more', () => {
    const policy = { maxRetries: 4, maxRetryWaitMs: RETRY_SETTINGS.maxRetryWaitMs.default, baseDelayMs: 1000 };
    expect(retryDelayMs(1, 120_000, policy)).toBe(120_000);
    expect(retryDelayMs(1, 3_600_000, policy)).toBe(300_000);
  });

  test('Retry-After: -5 waits the backoff, not zero', async () => {
    const sp = ctx.fake.addServicePrincipal();
    ctx.fake.fault({ method: 'GET', status: 429, retryAfter: '-5' });
    const { client, lines } = fakeClient(ctx.fake, { maxRetryWaitMs: 300_000 });
    await findSyncTemplate(client, { servicePrincipalId: sp });
    // The first backoff step is 0.5 to 1 s (1 s with jitter); "-5" would have meant 0.0 s.
    expect(lines).toEqual([expect.stringMatching(/HTTP 429; retrying in (0\.[5-9]|1\.0) s \(attempt 2 of 3\)$/)]);
  });

  test.each([501, 505])('HTTP %i is not retried: a retry cannot change it', async (status) => {
    const sp = ctx.fake.addServicePrincipal();
    ctx.fake.fault({ method: 'GET', status, times: Infinity });
    const { client } = fakeClient(ctx.fake);
    const e = await findSyncTemplate(client, { servicePrincipalId: sp }).catch((err: unknown) => err);
    expect((e as GraphError).status).toBe(status);
    expect(ctx.fake.requests).toHaveLength(1);
  });

  test('ROLLBAR_GRAPH_TIMEOUT_MS of 2^31 is clamped to 10 minutes and said so (it used to fire after 1 ms)', async () => {
    const sp = ctx.fake.addServicePrincipal();
    ctx.fake.fault({ method: 'GET', delayMs: 50 });
    const lines: string[] = [];
    const client = createGraphClient({
      env: {
        ROLLBAR_GRAPH_URL: ctx.fake.url,
        ROLLBAR_GRAPH_TOKEN: ctx.fake.token(),
        ROLLBAR_GRAPH_TIMEOUT_MS: String(2 ** 31),
      },
      maxRetries: 0,
      log: (l) => lines.push(l),
    });
    await expect(findSyncTemplate(client, { servicePrincipalId: sp })).resolves.toEqual({
      templateId: 'fake-rollbar-template',
    });
    expect(lines).toEqual(['ROLLBAR_GRAPH_TIMEOUT_MS=2147483648 is outside 100..600000; using 600000.']);
  });

  test.each([
    ['ROLLBAR_GRAPH_MAX_RETRIES', '1000', 'ROLLBAR_GRAPH_MAX_RETRIES=1000 is outside 0..10; using 10.'],
    ['ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS', '-1', 'ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS=-1 is outside 0..900000; using 0.'],
    [
      'ROLLBAR_GRAPH_TIMEOUT_MS',
      'ten',
      'ROLLBAR_GRAPH_TIMEOUT_MS=ten is not a whole number; using the default, 60000.',
    ],
  ])('%s=%s is explained: %s', (name, value, line) => {
    const lines: string[] = [];
    createGraphClient({ env: { [name]: value }, token: 't', log: (l) => lines.push(l) });
    expect(lines).toEqual([line]);
  });

  test.each([
    ['a line break', `${fakeJwt('t')}\nsecond-line`],
    ['a non-Latin-1 character', `${fakeJwt('t')}\u20ac`],
  ])('a token with %s fails at once, about the token, not the network', async (_name, token) => {
    const r = await runMain(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: SP }),
      env: { ...fakeEnv(ctx.fake), ROLLBAR_GRAPH_TOKEN: token },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[INVALID_GRAPH_TOKEN] ROLLBAR_GRAPH_TOKEN must be a bearer token of printable ASCII');
    expect(r.stderr).not.toContain('retrying');
    expect(ctx.fake.requests).toHaveLength(0);
  });
});

describe('two runs at once send start at most once (acceptance 5)', () => {
  const bundle = useBundle();

  test('two set-provisioning processes against a slow fake: one start, the other run sees it', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    // Each read of the job takes 400 ms: without serialization both runs read "Disabled" and both start.
    fake.fault({ method: 'GET', path: new RegExp(`/jobs/${jobId.replace(/\./g, '\\.')}$`), delayMs: 400, times: 4 });
    const input = JSON.stringify({ servicePrincipalId: sp, jobId, enabled: true });

    const runs = await Promise.all([
      bundle.run(['graph', 'set-provisioning'], { input, env: fakeEnv(fake) }),
      bundle.run(['graph', 'set-provisioning'], { input, env: fakeEnv(fake) }),
    ]);

    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(1);
    expect(runs.map((r) => (JSON.parse(r.stdout) as { action: string }).action).sort()).toEqual(['none', 'start']);
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });

  test('in one process too: two concurrent setProvisioning calls start once', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    fake.fault({ method: 'GET', path: /\/jobs\/[^/]+$/, delayMs: 100, times: 4 });
    const a = fakeClient(fake).client;
    const b = fakeClient(fake).client;

    const results = await Promise.all([
      setProvisioning(a, { servicePrincipalId: sp, jobId, enabled: true }),
      setProvisioning(b, { servicePrincipalId: sp, jobId, enabled: true }),
    ]);

    expect(results.map((r) => r.action).sort()).toEqual(['none', 'start']);
    expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(1);
  });
});
