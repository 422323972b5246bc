/**
 * Failures of a Microsoft Graph call, turned into one readable error of the package's one family
 * ({@link RollbarProvisioningError}, codes `GRAPH_*`). Graph's own code, message and request id are kept as data
 * (support asks for the request id), a hint is added where the fix is known (permissions for 401/403, the job id
 * for 404), and every secret the call knew of is scrubbed from the text.
 */
import { RollbarProvisioningError } from '../core/problems';
import { redactText, shortenRedacted } from '../core/redact';

/** Graph's error body: `{"error":{"code","message","innerError":{"request-id","date"}}}`. */
export interface GraphErrorBody {
  readonly error?: {
    readonly code?: string;
    readonly message?: string;
    readonly innerError?: {
      readonly 'request-id'?: string;
      readonly 'client-request-id'?: string;
      readonly date?: string;
    };
  };
}

/** What the caller knows about a failed request, to make the message precise. */
export interface GraphErrorContext {
  /** `GET`, `POST`… */
  readonly method: string;
  /** Path below the API version, such as `/servicePrincipals/{id}/synchronization/jobs`. */
  readonly path: string;
  /** Said instead of Graph's message on 404 (for example: the job id is unknown). */
  readonly notFound?: string;
  /** Values that must not appear in the message (tokens). */
  readonly secrets?: readonly string[];
}

/** The permissions the Graph steps need, named in every 401/403 message. */
export const REQUIRED_PERMISSIONS_HINT =
  'The identity running this step needs the Microsoft Graph permissions Synchronization.ReadWrite.All and ' +
  'Application.ReadWrite.All (application permissions with admin consent; Application.ReadWrite.OwnedBy is enough ' +
  'for an app it owns), or, signed in as a user, one of the roles Application Administrator, Cloud Application ' +
  'Administrator, Hybrid Identity Administrator or Global Administrator.';

// Each is in PROBLEM_CODES: the problem the GraphError constructor builds would not type-check otherwise.
/**
 * What went wrong with a Graph call, as a {@link RollbarProvisioningError} code: `GRAPH_HTTP_ERROR` (a non-success
 * response; Graph's own code, if any, is {@link GraphError.graphCode}), `GRAPH_TIMEOUT`, `GRAPH_NETWORK_ERROR`,
 * `GRAPH_MALFORMED_RESPONSE` (not JSON, an error body with a 2xx, or not the documented shape),
 * `GRAPH_RESPONSE_TOO_LARGE`, `GRAPH_REDIRECT_REFUSED`, or `GRAPH_CREDENTIAL_UNAVAILABLE` (no token to call Graph with).
 */
export type GraphErrorCode =
  | 'GRAPH_HTTP_ERROR'
  | 'GRAPH_TIMEOUT'
  | 'GRAPH_NETWORK_ERROR'
  | 'GRAPH_MALFORMED_RESPONSE'
  | 'GRAPH_RESPONSE_TOO_LARGE'
  | 'GRAPH_REDIRECT_REFUSED'
  | 'GRAPH_CREDENTIAL_UNAVAILABLE';

// `instanceof` by brand (see RollbarProvisioningError): the bundled graph module has its own copy of this class.
const ERROR_BRAND = Symbol.for('rollbar-provisioning:GraphError');

// What withMessage needs and no one may read: the secrets themselves, kept off the object (a logged or serialized
// error shows its fields).
const KEPT = new WeakMap<GraphError, { readonly request: string | undefined; readonly secrets: readonly string[] }>();

/**
 * A Microsoft Graph call that failed: an HTTP error, a timeout, a network failure, a malformed response, or no
 * token to call Graph with. A {@link RollbarProvisioningError} with one problem, whose path is the call
 * (`<METHOD> <path>`, or `Microsoft Graph` when no request was made). No field contains a secret.
 */
export class GraphError extends RollbarProvisioningError {
  /** True for an error of this class from any copy of this package (a bundle, another install). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }

  /** What went wrong, as this package names it; Graph's own code is {@link GraphError.graphCode}. */
  readonly code: GraphErrorCode;
  /** Graph's `error.code` (`Authorization_RequestDenied`, `BadRequest`…) when the response body had one. */
  readonly graphCode: string | undefined;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Graph's `request-id` (or the `client-request-id` this client sent), for a support ticket. */
  readonly requestId: string | undefined;
  /** Graph's message alone, without the added context and hint. */
  readonly graphMessage: string;
  /** For `GRAPH_RESPONSE_TOO_LARGE`: the bytes read (after decompression) when reading stopped. */
  readonly bytesRead: number | undefined;

  constructor(init: {
    /** The whole message: what failed, what Graph said, and the fix. */
    readonly message: string;
    readonly code: GraphErrorCode;
    /** Graph's own `error.code`, when the response body had one. */
    readonly graphCode?: string;
    /** `<METHOD> <path>` of the failed call, when a request was made: the problem's path. */
    readonly request?: string;
    readonly status?: number;
    readonly requestId?: string;
    /** Graph's message alone (default: the message). */
    readonly graphMessage?: string;
    readonly bytesRead?: number;
    /** Values scrubbed from every field (tokens), and from the message given to {@link GraphError.withMessage}. */
    readonly secrets?: readonly string[];
  }) {
    const secrets = init.secrets ?? [];
    const scrub = (text: string): string => redactText(text, secrets);
    const message = scrub(init.message);
    const path = init.request === undefined ? 'Microsoft Graph' : scrub(init.request);
    super([{ code: init.code, path, message }], undefined, { message });
    this.name = 'GraphError';
    this.code = init.code;
    this.graphCode = init.graphCode === undefined ? undefined : scrub(init.graphCode);
    this.status = init.status;
    this.requestId = init.requestId === undefined ? undefined : scrub(init.requestId);
    this.graphMessage = scrub(init.graphMessage ?? init.message);
    this.bytesRead = init.bytesRead;
    KEPT.set(this, { request: init.request === undefined ? undefined : path, secrets });
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }

  /**
   * The same failure told another way (a step that knows what the call was for): the same code, Graph's code,
   * status, request id, Graph's message and problem path, and the new message scrubbed of the same secrets.
   */
  withMessage(message: string): GraphError {
    const kept = KEPT.get(this) ?? { request: undefined, secrets: [] };
    return new GraphError({
      message,
      code: this.code,
      graphMessage: this.graphMessage,
      secrets: kept.secrets,
      ...(kept.request !== undefined && { request: kept.request }),
      ...(this.graphCode !== undefined && { graphCode: this.graphCode }),
      ...(this.status !== undefined && { status: this.status }),
      ...(this.requestId !== undefined && { requestId: this.requestId }),
      ...(this.bytesRead !== undefined && { bytesRead: this.bytesRead }),
    });
  }
}

/** What a message shows as the code of `e`: Graph's own code when Graph sent one, else this package's. */
export function shownCode(e: GraphError): string {
  return e.graphCode ?? e.code;
}

const MAX_BODY_SHOWN = 200;

/** Builds the error for a non-success HTTP response. `text` is the raw body. */
export function errorFromResponse(
  context: GraphErrorContext,
  status: number,
  headers: Headers,
  text: string,
  clientRequestId: string,
  attempts: number,
  waitedMs = 0,
): GraphError {
  const body = parseErrorBody(text);
  const inner = body?.error?.innerError;
  const requestId =
    headers.get('request-id') ?? inner?.['request-id'] ?? headers.get('client-request-id') ?? clientRequestId;
  const graphCode = body?.error?.code;
  const graphMessage =
    body?.error?.message ??
    (text.trim() === ''
      ? `HTTP ${status}`
      : `HTTP ${status}: ${shortenRedacted(text.trim(), MAX_BODY_SHOWN, context.secrets ?? [])}`);
  const parts = [`Microsoft Graph ${context.method} ${context.path} failed: ${graphMessage}`];
  parts.push(
    `(HTTP ${status}${graphCode === undefined ? '' : `, code ${graphCode}`}, request-id ${requestId}` +
      (attempts > 1 ? `, after ${attempts} attempts and ${(waitedMs / 1000).toFixed(1)} s of waiting` : '') +
      ')',
  );
  const hint = hintFor(status, context);
  const message = parts.join(' ') + (hint ? `. ${hint}` : '');
  return new GraphError({
    message,
    code: 'GRAPH_HTTP_ERROR',
    ...(graphCode !== undefined && { graphCode }),
    request: `${context.method} ${context.path}`,
    status,
    requestId,
    graphMessage,
    secrets: context.secrets ?? [],
  });
}

function hintFor(status: number, context: GraphErrorContext): string | undefined {
  if (status === 401) {
    return `Graph did not accept the access token (expired, wrong audience, or another cloud). ${REQUIRED_PERMISSIONS_HINT}`;
  }
  if (status === 403) return `Graph denied the call. ${REQUIRED_PERMISSIONS_HINT}`;
  if (status === 404 && context.notFound) return context.notFound;
  if (status === 429) {
    return (
      'Graph is throttling requests and still was after the retries: run the step again later, or wait longer with ' +
      'ROLLBAR_GRAPH_MAX_RETRIES and ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS.'
    );
  }
  if (status === 501 || status === 505)
    return 'The server does not support this request; a retry cannot change that (not retried).';
  if (status >= 500) return 'Graph is throttling or unavailable: run the step again later.';
  return undefined;
}

function parseErrorBody(text: string): GraphErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const error: unknown = (parsed as { error?: unknown }).error;
    if (typeof error !== 'object' || error === null) return undefined;
    const e = error as Record<string, unknown>;
    const inner =
      typeof e.innerError === 'object' && e.innerError !== null ? (e.innerError as Record<string, unknown>) : {};
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    return {
      error: {
        code: str(e.code),
        message: str(e.message),
        innerError: {
          'request-id': str(inner['request-id']),
          'client-request-id': str(inner['client-request-id']),
          date: str(inner.date),
        },
      },
    };
  } catch {
    return undefined;
  }
}
