import { redactText, shortenRedacted } from '../core/redact';
/**
 * Failures of a Microsoft Graph call, turned into one readable error. Graph's own code, message and request id
 * are kept (support asks for the request id), a hint is added where the fix is known (permissions for 401/403,
 * the job id for 404), and every secret the call knew of is scrubbed from the text.
 */

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

/**
 * A Microsoft Graph call that failed: an HTTP error, a timeout, a network failure, a malformed response, or no
 * token to call Graph with. The message never contains a secret.
 */
// `instanceof` by brand (see RollbarProvisioningError): the bundled graph module has its own copy of this class.
const ERROR_BRAND = Symbol.for('rollbar-provisioning:GraphError');

export class GraphError extends Error {
  /** True for an error of this class from any copy of this package (a bundle, another install). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[ERROR_BRAND] === true;
  }

  /**
   * Graph's error code (`Authorization_RequestDenied`, `BadRequest`…) when Graph sent one; otherwise one of
   * `RequestTimeout`, `NetworkError`, `MalformedResponse` (not JSON, an error body with a 2xx, or not the documented
   * shape), `ResponseTooLarge`, `RedirectRefused`, `CredentialUnavailable`, `HttpError`.
   */
  readonly code: string;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** Graph's `request-id` (or the `client-request-id` this client sent), for a support ticket. */
  readonly requestId: string | undefined;
  /** Graph's message alone, without the added context and hint. */
  readonly graphMessage: string;
  /** For `ResponseTooLarge`: the bytes read (after decompression) when reading stopped. */
  readonly bytesRead: number | undefined;

  constructor(init: {
    readonly message: string;
    readonly code: string;
    readonly status?: number;
    readonly requestId?: string;
    readonly graphMessage?: string;
    readonly bytesRead?: number;
    readonly secrets?: readonly string[];
  }) {
    const secrets = init.secrets ?? [];
    super(redactText(init.message, secrets));
    this.name = 'GraphError';
    this.code = init.code;
    this.status = init.status;
    this.requestId = init.requestId;
    this.graphMessage = redactText(init.graphMessage ?? init.message, secrets);
    this.bytesRead = init.bytesRead;
    Object.defineProperty(this, ERROR_BRAND, { value: true });
  }
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
  const code = body?.error?.code ?? 'HttpError';
  const graphMessage =
    body?.error?.message ??
    (text.trim() === ''
      ? `HTTP ${status}`
      : `HTTP ${status}: ${shortenRedacted(text.trim(), MAX_BODY_SHOWN, context.secrets ?? [])}`);
  const parts = [`Microsoft Graph ${context.method} ${context.path} failed: ${graphMessage}`];
  parts.push(
    `(HTTP ${status}, code ${code}, request-id ${requestId}` +
      (attempts > 1 ? `, after ${attempts} attempts and ${(waitedMs / 1000).toFixed(1)} s of waiting` : '') +
      ')',
  );
  const hint = hintFor(status, context);
  const message = parts.join(' ') + (hint ? `. ${hint}` : '');
  return new GraphError({ message, code, status, requestId, graphMessage, secrets: context.secrets ?? [] });
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
