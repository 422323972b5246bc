import { randomUUID } from 'node:crypto';
import { RollbarProvisioningError } from '../core';
import { problem, REDACTED } from '../core/problems';
import { createTokenSource, type TokenSource } from './auth';
import { resolveEndpoints } from './clouds';
import { errorFromResponse, GraphError, type GraphErrorContext } from './errors';
import { isRetryableStatus, parseRetryAfter, retryDelayMs, RETRY_SETTINGS, sleep, type RetryPolicy } from './retry';
import { collectionOf, type Shape } from './shapes';
import { assertTokenTenant } from './tenant';

/** How to reach Microsoft Graph. Every field falls back to an environment variable, then to a default. */
export interface GraphClientOptions {
  /**
   * Graph root URL, without the API version: https on the Graph host of the cloud in use, or loopback (http
   * allowed there); any other host only when named exactly in ROLLBAR_GRAPH_ALLOW_HOST (see `clouds.ts`).
   * @default - env ROLLBAR_GRAPH_URL, else the Graph root of ARM_ENVIRONMENT's cloud ('https://graph.microsoft.com')
   */
  readonly baseUrl?: string;
  /**
   * Sign-in authority for the ARM_* path, under the same rule as `baseUrl`.
   * @default - env ROLLBAR_AUTHORITY_HOST, else the authority of the cloud in use
   */
  readonly authorityHost?: string;
  /**
   * Bearer token.
   * @default - env ROLLBAR_GRAPH_TOKEN, else `@azure/identity` configured from the ARM_* settings
   */
  readonly token?: string;
  /**
   * The tenant the caller manages: every call is refused when the token belongs to another tenant.
   * @default - no tenant check
   */
  readonly tenantId?: string;
  /**
   * Retries after the first attempt, on 429, 5xx (not 501, 505), timeouts and network errors (a request marked
   * not idempotent only on 429). Also bounds how often `setProvisioning` re-reads the job after an action failed.
   * Clamped to 0..10.
   * @default - env ROLLBAR_GRAPH_MAX_RETRIES, else 4
   */
  readonly maxRetries?: number;
  /**
   * Cap of one wait between attempts, `Retry-After` included; the total wait is at most maxRetries times this.
   * Clamped to 0..900000 (15 minutes).
   * @default - env ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS, else 300000 (5 minutes)
   */
  readonly maxRetryWaitMs?: number;
  /**
   * How long a step waits for a service principal created moments ago to become visible to the synchronization
   * API (Graph answers 404, 403 or 409, or an empty template list, while it replicates); see replication.ts.
   * Clamped to 0..900000 (15 minutes).
   * @default - env ROLLBAR_GRAPH_REPLICATION_WAIT_MS, else 120000 (2 minutes)
   */
  readonly replicationWaitMs?: number;
  /**
   * Timeout of one attempt, response body included. Clamped to 100..600000 (10 minutes).
   * @default - env ROLLBAR_GRAPH_TIMEOUT_MS, else 60000
   */
  readonly timeoutMs?: number;
  /**
   * The most bytes of one response body read (after decompression); past it the call stops and is not retried.
   * @default 4 MiB
   */
  readonly maxResponseBytes?: number;
  /**
   * Receives progress lines (retries, long steps). The CLI writes them to stderr.
   * @default - progress is dropped
   */
  readonly log?: (line: string) => void;
  /**
   * Environment to read the ROLLBAR_GRAPH_* and ARM_* settings from.
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** One request. */
export interface GraphRequest<T> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the version (`/servicePrincipals/...`), or an absolute `@odata.nextLink` on the same host. */
  readonly path: string;
  /** JSON body. Never logged, never put in an error. */
  readonly body?: unknown;
  /** The documented shape of a 2xx body (see `shapes.ts`); `NO_CONTENT` for a documented 204. */
  readonly shape: Shape<T>;
  /**
   * What a 404 means here, added to the error.
   * @default - Graph's message alone
   */
  readonly notFound?: string;
  /**
   * Secret values the body carries, scrubbed from any error.
   * @default - none
   */
  readonly secrets?: readonly string[];
  /**
   * Whether sending the request twice does no harm. When false (start, restart, pause), a timeout, network error
   * or 5xx is not retried, because Graph may have acted on it: the caller re-reads and decides. A 429 is still
   * retried: Graph throttles before it acts.
   * @default true
   */
  readonly idempotent?: boolean;
  /**
   * Timeout of each attempt of this request, for a call that Graph documents as slow (provisionOnDemand).
   * @default - the client's timeoutMs
   */
  readonly timeoutMs?: number;
}

/** Options of a read. */
export interface GraphReadOptions<T> {
  /** The documented shape of the resource (for `list`: of one item). */
  readonly shape: Shape<T>;
  /** What a 404 means here. */
  readonly notFound?: string;
}

/** A thin Graph client: JSON in and out, retries, timeouts, tenant check, shape checks, readable errors. */
export interface GraphClient {
  /** Graph root URL, without the version. */
  readonly baseUrl: string;
  /** Progress sink. */
  readonly log: (line: string) => void;
  /** Retries after the first attempt; an operation that re-reads and decides again keeps the same bound. */
  readonly maxRetries: number;
  /** How long a step waits for a new service principal to replicate (see replication.ts). */
  readonly replicationWaitMs: number;
  /** Waits as the client does before retry number `retry` (1-based, no Retry-After); resolves to the wait in ms. */
  backoff(retry: number): Promise<number>;
  /** Sends a request; resolves to the body, checked against `shape` (undefined for `NO_CONTENT`). */
  request<T>(request: GraphRequest<T>): Promise<T>;
  /** GET of one resource. */
  get<T>(path: string, options: GraphReadOptions<T>): Promise<T>;
  /** GET of a collection, following `@odata.nextLink`; every item is checked against `shape`. */
  list<T>(path: string, options: GraphReadOptions<T>): Promise<T[]>;
}

const API_VERSION = 'v1.0';
const BASE_DELAY_MS = 1_000;
/** Larger than any synchronization schema seen (Rollbar's is about 100 KB), small enough to hold in memory. */
const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** The replication wait's default and range (replication.ts): two minutes, at most fifteen. */
const REPLICATION_WAIT_SETTING = { default: 120_000, min: 0, max: 900_000 } as const;
// A collection that never ends is a server bug; stop rather than loop.
const MAX_PAGES = 100;

/**
 * Creates a client. The Graph root and the authority are checked here (nothing is sent to an address that is not
 * allowed); no token is fetched until the first request.
 */
export function createGraphClient(options: GraphClientOptions = {}): GraphClient {
  const env = options.env ?? process.env;
  const log = options.log ?? (() => undefined);
  const endpoints = resolveEndpoints(env, {
    ...(options.baseUrl !== undefined && { baseUrl: options.baseUrl }),
    ...(options.authorityHost !== undefined && { authorityHost: options.authorityHost }),
  });
  const baseUrl = endpoints.graphRoot;
  const origin = new URL(baseUrl).origin;
  const policy: RetryPolicy = {
    maxRetries: setting('maxRetries', options.maxRetries, env, 'ROLLBAR_GRAPH_MAX_RETRIES', log),
    maxRetryWaitMs: setting('maxRetryWaitMs', options.maxRetryWaitMs, env, 'ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS', log),
    baseDelayMs: BASE_DELAY_MS,
  };
  const timeoutMs = setting('timeoutMs', options.timeoutMs, env, 'ROLLBAR_GRAPH_TIMEOUT_MS', log);
  const replicationWaitMs = setting(
    'replicationWaitMs',
    options.replicationWaitMs,
    env,
    'ROLLBAR_GRAPH_REPLICATION_WAIT_MS',
    log,
  );
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const tokens: TokenSource = createTokenSource({
    baseUrl,
    authorityHost: endpoints.authorityHost,
    env,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.tenantId !== undefined && { tenantId: options.tenantId }),
  });
  const tokenSource = options.token !== undefined ? 'token' : 'ROLLBAR_GRAPH_TOKEN';
  let checkedToken: string | undefined;

  async function bearer(): Promise<string> {
    const token = await tokens();
    if (token !== checkedToken) {
      assertSendable(token, tokenSource);
      assertTokenTenant(token, options.tenantId);
      checkedToken = token;
    }
    return token;
  }

  function urlFor(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      // A nextLink elsewhere would receive the bearer token: only follow links on Graph's own host.
      if (new URL(path).origin !== origin) {
        throw new GraphError({
          code: 'GRAPH_MALFORMED_RESPONSE',
          message: `Graph returned a link to another host (${safeHost(path)}); it was not followed.`,
        });
      }
      return path;
    }
    return `${baseUrl}/${API_VERSION}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async function request<T>(req: GraphRequest<T>): Promise<T> {
    const token = await bearer();
    const secrets = [token, ...(req.secrets ?? [])];
    const context: GraphErrorContext = {
      method: req.method,
      path: displayPath(req.path),
      secrets,
      ...(req.notFound !== undefined && { notFound: req.notFound }),
    };
    const call = `Microsoft Graph ${context.method} ${context.path}`;
    const request = `${context.method} ${context.path}`;
    const url = urlFor(req.path);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const maxAttempts = policy.maxRetries + 1;
    const idempotent = req.idempotent ?? true;
    const attemptTimeoutMs = req.timeoutMs ?? timeoutMs;
    // Reported in the final error, so that a throttling storm says how long it was waited out.
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const clientRequestId = randomUUID();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), attemptTimeoutMs);
      let status: number;
      let headers: Headers;
      let read: BodyRead;
      try {
        const res = await fetch(url, {
          method: req.method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            'client-request-id': clientRequestId,
            ...(body !== undefined && { 'Content-Type': 'application/json' }),
          },
          ...(body !== undefined && { body }),
          // Never follow: a 307/308 resends the body (the SCIM token) and the bearer token to the Location.
          redirect: 'manual',
          signal: controller.signal,
        });
        status = res.status;
        headers = res.headers;
        if (status >= 300 && status < 400) {
          await res.body?.cancel();
          throw redirectError(call, request, status, headers.get('location'), url, clientRequestId, secrets);
        }
        read = await readCapped(res, maxResponseBytes);
      } catch (e) {
        if (e instanceof GraphError) throw e;
        const timedOut = controller.signal.aborted;
        const what = timedOut
          ? `timed out after ${attemptTimeoutMs} ms`
          : `could not reach ${origin}: ${e instanceof Error ? causeMessage(e) : String(e)}`;
        if (idempotent && attempt < maxAttempts) {
          const wait = retryDelayMs(attempt, undefined, policy);
          log(
            `${call.slice('Microsoft '.length)} ${what}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${maxAttempts})`,
          );
          await sleep(wait);
          waitedMs += wait;
          continue;
        }
        throw new GraphError({
          code: timedOut ? 'GRAPH_TIMEOUT' : 'GRAPH_NETWORK_ERROR',
          request,
          message:
            `${call} ${what} (` +
            (idempotent
              ? `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}`
              : 'not retried: Graph may have acted on it') +
            `, client-request-id ${clientRequestId}). ` +
            (timedOut
              ? 'Graph may be slow: run the step again, or raise ROLLBAR_GRAPH_TIMEOUT_MS.'
              : 'Check the network path (proxy, firewall) to Graph and ROLLBAR_GRAPH_URL.'),
          requestId: clientRequestId,
          secrets,
        });
      } finally {
        clearTimeout(timer);
      }
      const requestId = headers.get('request-id') ?? clientRequestId;
      if (read.tooLarge !== undefined) {
        throw new GraphError({
          code: 'GRAPH_RESPONSE_TOO_LARGE',
          request,
          message:
            `${call} answered HTTP ${status} with a body larger than ${maxResponseBytes} bytes (reading stopped ` +
            `after ${read.tooLarge} bytes, after decompression; not retried, request-id ${requestId}). No Graph ` +
            'answer to these calls is that large: a proxy or a faulty server is answering; check ROLLBAR_GRAPH_URL ' +
            'and the network path.',
          status,
          requestId,
          bytesRead: read.tooLarge,
          secrets,
        });
      }
      const text = read.text;

      if (isRetryableStatus(status) && (idempotent || status === 429) && attempt < maxAttempts) {
        const retryAfter = parseRetryAfter(headers.get('retry-after'));
        const wait = retryDelayMs(attempt, retryAfter, policy);
        const capped =
          retryAfter !== undefined && retryAfter > wait
            ? `; Retry-After asked for ${seconds(retryAfter)}, capped by ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS`
            : '';
        log(
          `Graph ${context.method} ${context.path} answered HTTP ${status}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${maxAttempts}${capped})`,
        );
        await sleep(wait);
        waitedMs += wait;
        continue;
      }
      if (status < 200 || status >= 300) {
        throw errorFromResponse(context, status, headers, text, clientRequestId, attempt, waitedMs);
      }
      let parsed: unknown;
      if (text.trim() !== '') {
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new GraphError({
            code: 'GRAPH_MALFORMED_RESPONSE',
            request,
            message:
              `${call} returned HTTP ${status} with a body that is not JSON ` +
              `(request-id ${requestId}); a proxy between here and Graph may have answered.`,
            status,
            requestId,
            secrets,
          });
        }
      }
      checkShape(req.shape, parsed, call, request, status, requestId, secrets);
      return parsed as T;
    }
  }

  function get<T>(path: string, options: GraphReadOptions<T>): Promise<T> {
    return request<T>({ method: 'GET', path, ...options });
  }

  async function list<T>(path: string, options: GraphReadOptions<T>): Promise<T[]> {
    const out: T[] = [];
    const page = collectionOf(options.shape);
    let next: string | undefined = path;
    for (let n = 0; next !== undefined; n++) {
      if (n === MAX_PAGES) {
        throw new GraphError({
          code: 'GRAPH_MALFORMED_RESPONSE',
          request: `GET ${displayPath(path)}`,
          message: `Microsoft Graph GET ${displayPath(path)} never stopped paging.`,
        });
      }
      const body: { value: T[]; '@odata.nextLink'?: string } = await get(next, { ...options, shape: page });
      out.push(...body.value);
      next = body['@odata.nextLink'];
    }
    return out;
  }

  async function backoff(retry: number): Promise<number> {
    const wait = retryDelayMs(retry, undefined, policy);
    await sleep(wait);
    return wait;
  }

  return { baseUrl, log, maxRetries: policy.maxRetries, replicationWaitMs, backoff, request, get, list };
}

/** A body read up to the cap: its text, or how many bytes were read when the cap was passed. */
type BodyRead =
  { readonly text: string; readonly tooLarge?: undefined } | { readonly text?: undefined; readonly tooLarge: number };

/**
 * Reads a body chunk by chunk (fetch has already decompressed it) and stops as soon as it passes `cap`, so a
 * gzip bomb costs at most the cap plus one chunk of memory. A declared Content-Length over the cap stops at once.
 */
async function readCapped(res: Response, cap: number): Promise<BodyRead> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (!res.body) return { text: '' };
  if (res.headers.get('content-encoding') === null && Number.isFinite(declared) && declared > cap) {
    await res.body.cancel();
    return { tooLarge: 0 };
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = (await reader.read()) as { done: true; value?: undefined } | { done: false; value: Uint8Array };
    if (next.done) break;
    const value = next.value;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel();
      return { tooLarge: total };
    }
    chunks.push(value);
  }
  return { text: Buffer.concat(chunks).toString('utf8') };
}

function redirectError(
  call: string,
  request: string,
  status: number,
  location: string | null,
  from: string,
  requestId: string,
  secrets: readonly string[],
): GraphError {
  const target = location === null ? undefined : safeHost(location, from);
  return new GraphError({
    code: 'GRAPH_REDIRECT_REFUSED',
    request,
    message:
      `${call} answered HTTP ${status}, a redirect to ${target === undefined ? 'no Location' : `host ${target}`}; ` +
      'redirects are never followed, so nothing was sent there. Microsoft Graph does not redirect these calls: ' +
      'check ROLLBAR_GRAPH_URL and any proxy between here and Graph.',
    status,
    requestId,
    secrets,
  });
}

/** Checks a 2xx body against its documented shape; an error body or a mismatch is a GraphError naming the call. */
function checkShape(
  shape: Shape<unknown>,
  body: unknown,
  call: string,
  request: string,
  status: number,
  requestId: string,
  secrets: readonly string[],
): void {
  const problems = shape.check(body);
  if (problems.length === 0) return;
  // A body that does not fit and holds Graph's error object is an error answered with a 2xx: say so.
  const error = graphErrorIn(body);
  const what =
    error !== undefined
      ? `an error body (${error})`
      : `a body that is not the documented ${shape.name}: ${problems.slice(0, 5).join('; ')}` +
        (problems.length > 5 ? ` (and ${problems.length - 5} more)` : '');
  throw new GraphError({
    code: 'GRAPH_MALFORMED_RESPONSE',
    request,
    message:
      `${call} answered HTTP ${status} with ${what} (request-id ${requestId}). The step stops rather than act on ` +
      'it: a proxy, or a change in Graph, may be answering; run it again, and check ROLLBAR_GRAPH_URL if it persists.',
    status,
    requestId,
    secrets,
  });
}

/** `code: message` of a Graph error body, or undefined when the body is not one. */
function graphErrorIn(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const error: unknown = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return [code, message].filter((v) => typeof v === 'string' && v !== '').join(': ') || 'no code';
}

/**
 * Refuses a token that cannot travel in an HTTP header (a line break, a character outside printable ASCII): fetch
 * would reject it as a network failure and the client would retry it. The token itself is never shown.
 */
function assertSendable(token: string, source: string): void {
  if (/^[\x21-\x7e]+$/.test(token)) return;
  const what = /[\r\n]/.test(token)
    ? 'a line break'
    : /\s/.test(token)
      ? 'white space'
      : [...token].some((c) => c.charCodeAt(0) > 0x7e)
        ? 'a character outside ASCII'
        : 'a control character';
  throw new RollbarProvisioningError(
    [
      problem(
        'INVALID_GRAPH_TOKEN',
        source,
        `be a bearer token of printable ASCII characters (it contains ${what})`,
        REDACTED,
        'Copy the access token again without the trailing newline or quotes (for example: az account get-access-token --query accessToken -o tsv), or unset ROLLBAR_GRAPH_TOKEN to sign in with the ARM_* settings.',
      ),
    ],
    'Refusing to call Microsoft Graph',
  );
}

/**
 * A numeric setting: the option, else the environment variable, else the default; clamped to its range. A clamp or
 * an unreadable value is said on the progress sink, so that the value in effect is never a surprise.
 */
function setting(
  key: keyof typeof RETRY_SETTINGS | 'replicationWaitMs',
  option: number | undefined,
  env: NodeJS.ProcessEnv,
  name: string,
  log: (line: string) => void,
): number {
  const range = key === 'replicationWaitMs' ? REPLICATION_WAIT_SETTING : RETRY_SETTINGS[key];
  let value: number = range.default;
  let source = name;
  if (option !== undefined) {
    value = option;
    source = key;
  } else {
    const raw = nonEmpty(env[name]);
    if (raw !== undefined) {
      const n = Number(raw);
      if (Number.isInteger(n)) value = n;
      else log(`${name}=${raw} is not a whole number; using the default, ${range.default}.`);
    }
  }
  if (value < range.min || value > range.max || Number.isNaN(value)) {
    const clamped = Number.isNaN(value) ? range.default : Math.min(range.max, Math.max(range.min, value));
    log(`${source}=${value} is outside ${range.min}..${range.max}; using ${clamped}.`);
    return clamped;
  }
  return value;
}

function safeHost(url: string, base?: string): string {
  try {
    return new URL(url, base).host || '(none)';
  } catch {
    return '(an unreadable Location)';
  }
}

function displayPath(path: string): string {
  if (!/^https?:\/\//i.test(path)) return path;
  const u = new URL(path);
  return u.pathname.replace(/^\/v1\.0/, '');
}

function causeMessage(e: Error): string {
  // fetch reports "fetch failed" and hides the reason (ECONNREFUSED…) in `cause`.
  const cause: unknown = (e as { cause?: unknown }).cause;
  return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
