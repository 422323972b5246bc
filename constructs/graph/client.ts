import { randomUUID } from 'node:crypto';
import { createTokenSource, type TokenSource } from './auth';
import { errorFromResponse, GraphError, type GraphErrorContext } from './errors';
import { isRetryableStatus, parseRetryAfter, retryDelayMs, sleep, type RetryPolicy } from './retry';
import { assertTokenTenant } from './tenant';

/** How to reach Microsoft Graph. Every field falls back to an environment variable, then to a default. */
export interface GraphClientOptions {
  /**
   * Graph root URL, without the API version.
   * @default - env ROLLBAR_GRAPH_URL, else 'https://graph.microsoft.com'
   */
  readonly baseUrl?: string;
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
   * Retries after the first attempt, on 429, 5xx, timeouts and network errors (a request marked not idempotent
   * only on 429). Also bounds how often `setProvisioning` re-reads the job after an action failed.
   * @default - env ROLLBAR_GRAPH_MAX_RETRIES, else 4
   */
  readonly maxRetries?: number;
  /**
   * Cap of one wait between attempts, `Retry-After` included; the total wait is at most maxRetries times this.
   * @default - env ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS, else 30000
   */
  readonly maxRetryWaitMs?: number;
  /**
   * Timeout of one attempt, response body included.
   * @default - env ROLLBAR_GRAPH_TIMEOUT_MS, else 60000
   */
  readonly timeoutMs?: number;
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
export interface GraphRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the version (`/servicePrincipals/...`), or an absolute `@odata.nextLink` on the same host. */
  readonly path: string;
  /** JSON body. Never logged, never put in an error. */
  readonly body?: unknown;
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
}

/** A thin Graph client: JSON in and out, retries, timeouts, tenant check, readable errors. */
export interface GraphClient {
  /** Graph root URL, without the version. */
  readonly baseUrl: string;
  /** Progress sink. */
  readonly log: (line: string) => void;
  /** Retries after the first attempt; an operation that re-reads and decides again keeps the same bound. */
  readonly maxRetries: number;
  /** Waits as the client does before retry number `retry` (1-based, no Retry-After); resolves to the wait in ms. */
  backoff(retry: number): Promise<number>;
  /** Sends a request; resolves to the parsed JSON body, or undefined for an empty one (204). */
  request<T>(request: GraphRequest): Promise<T | undefined>;
  /** GET that must return a body. */
  get<T>(path: string, options?: { readonly notFound?: string }): Promise<T>;
  /** GET of a collection, following `@odata.nextLink`. */
  list<T>(path: string, options?: { readonly notFound?: string }): Promise<T[]>;
}

const API_VERSION = 'v1.0';
const DEFAULT_BASE_URL = 'https://graph.microsoft.com';
const DEFAULTS = { maxRetries: 4, maxRetryWaitMs: 30_000, timeoutMs: 60_000, baseDelayMs: 1_000 } as const;
// A collection that never ends is a server bug; stop rather than loop.
const MAX_PAGES = 100;

/** Creates a client. Nothing is sent and no token is fetched until the first request. */
export function createGraphClient(options: GraphClientOptions = {}): GraphClient {
  const env = options.env ?? process.env;
  const baseUrl = (options.baseUrl ?? nonEmpty(env.ROLLBAR_GRAPH_URL) ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const log = options.log ?? (() => undefined);
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? intFromEnv(env, 'ROLLBAR_GRAPH_MAX_RETRIES') ?? DEFAULTS.maxRetries,
    maxRetryWaitMs:
      options.maxRetryWaitMs ?? intFromEnv(env, 'ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS') ?? DEFAULTS.maxRetryWaitMs,
    baseDelayMs: DEFAULTS.baseDelayMs,
  };
  const timeoutMs = options.timeoutMs ?? intFromEnv(env, 'ROLLBAR_GRAPH_TIMEOUT_MS') ?? DEFAULTS.timeoutMs;
  const tokens: TokenSource = createTokenSource({
    baseUrl,
    env,
    ...(options.token !== undefined && { token: options.token }),
    ...(options.tenantId !== undefined && { tenantId: options.tenantId }),
  });
  let checkedToken: string | undefined;

  async function bearer(): Promise<string> {
    const token = await tokens();
    if (token !== checkedToken) {
      assertTokenTenant(token, options.tenantId);
      checkedToken = token;
    }
    return token;
  }

  function urlFor(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      // A nextLink elsewhere would receive the bearer token: only follow links on Graph's own host.
      if (new URL(path).origin !== origin) {
        throw new GraphError({ code: 'MalformedResponse', message: `Graph returned a link to another host: ${path}` });
      }
      return path;
    }
    return `${baseUrl}/${API_VERSION}${path.startsWith('/') ? path : `/${path}`}`;
  }

  async function request<T>(req: GraphRequest): Promise<T | undefined> {
    const token = await bearer();
    const secrets = [token, ...(req.secrets ?? [])];
    const context: GraphErrorContext = {
      method: req.method,
      path: displayPath(req.path),
      secrets,
      ...(req.notFound !== undefined && { notFound: req.notFound }),
    };
    const url = urlFor(req.path);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const maxAttempts = policy.maxRetries + 1;
    const idempotent = req.idempotent ?? true;
    // Reported in the final error, so that a throttling storm says how long it was waited out.
    let waitedMs = 0;
    for (let attempt = 1; ; attempt++) {
      const clientRequestId = randomUUID();
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let status: number;
      let headers: Headers;
      let text: string;
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
          signal: controller.signal,
        });
        status = res.status;
        headers = res.headers;
        text = await res.text();
      } catch (e) {
        const timedOut = controller.signal.aborted;
        const what = timedOut
          ? `timed out after ${timeoutMs} ms`
          : `could not reach ${origin}: ${e instanceof Error ? causeMessage(e) : String(e)}`;
        if (idempotent && attempt < maxAttempts) {
          const wait = retryDelayMs(attempt, undefined, policy);
          log(
            `Graph ${context.method} ${context.path} ${what}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${maxAttempts})`,
          );
          await sleep(wait);
          waitedMs += wait;
          continue;
        }
        throw new GraphError({
          code: timedOut ? 'RequestTimeout' : 'NetworkError',
          message:
            `Microsoft Graph ${context.method} ${context.path} ${what} (` +
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

      if (isRetryableStatus(status) && (idempotent || status === 429) && attempt < maxAttempts) {
        const wait = retryDelayMs(attempt, parseRetryAfter(headers.get('retry-after')), policy);
        log(
          `Graph ${context.method} ${context.path} answered HTTP ${status}; retrying in ${seconds(wait)} (attempt ${attempt + 1} of ${maxAttempts})`,
        );
        await sleep(wait);
        waitedMs += wait;
        continue;
      }
      if (status < 200 || status >= 300) {
        throw errorFromResponse(context, status, headers, text, clientRequestId, attempt, waitedMs);
      }
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new GraphError({
          code: 'MalformedResponse',
          message:
            `Microsoft Graph ${context.method} ${context.path} returned HTTP ${status} with a body that is not JSON ` +
            `(request-id ${headers.get('request-id') ?? clientRequestId}); a proxy between here and Graph may have answered.`,
          status,
          requestId: headers.get('request-id') ?? clientRequestId,
          secrets,
        });
      }
    }
  }

  async function get<T>(path: string, options: { readonly notFound?: string } = {}): Promise<T> {
    const body = await request<T>({ method: 'GET', path, ...options });
    if (body === undefined) {
      throw new GraphError({
        code: 'MalformedResponse',
        message: `Microsoft Graph GET ${displayPath(path)} returned no body.`,
      });
    }
    return body;
  }

  async function list<T>(path: string, options: { readonly notFound?: string } = {}): Promise<T[]> {
    const out: T[] = [];
    let next: string | undefined = path;
    for (let page = 0; next !== undefined; page++) {
      if (page === MAX_PAGES) {
        throw new GraphError({
          code: 'MalformedResponse',
          message: `Microsoft Graph GET ${displayPath(path)} never stopped paging.`,
        });
      }
      const body: { value?: unknown; '@odata.nextLink'?: unknown } = await get(next, options);
      if (!Array.isArray(body.value)) {
        throw new GraphError({
          code: 'MalformedResponse',
          message: `Microsoft Graph GET ${displayPath(path)} returned no value list.`,
        });
      }
      out.push(...(body.value as T[]));
      next = typeof body['@odata.nextLink'] === 'string' ? body['@odata.nextLink'] : undefined;
    }
    return out;
  }

  async function backoff(retry: number): Promise<number> {
    const wait = retryDelayMs(retry, undefined, policy);
    await sleep(wait);
    return wait;
  }

  return { baseUrl, log, maxRetries: policy.maxRetries, backoff, request, get, list };
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

function intFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
