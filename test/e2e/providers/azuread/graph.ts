/**
 * The azuread stand-in's Microsoft Graph client: v1.0 requests to the fake Graph named by ROLLBAR_GRAPH_URL, with
 * the bearer token in ROLLBAR_GRAPH_TOKEN (the real provider signs in from its configuration or ARM_*; the
 * stand-in takes the token the lane gives every Graph step). Errors read like the provider's: what it was doing,
 * the status, and Graph's own code and message.
 */
import { ProviderError } from '../../plugin/provider';

export interface GraphResponse {
  readonly status: number;
  readonly body: unknown;
}

export class Graph {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<GraphResponse> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/v1.0${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  }

  /** A request that must succeed; `doing` says what for, as the provider's errors do. */
  async expect(doing: string, method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await this.request(method, path, body);
    if (res.status >= 200 && res.status < 300) return res.body;
    throw graphError(doing, res);
  }
}

export function graphError(doing: string, res: GraphResponse): ProviderError {
  const err = (res.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new ProviderError(
    doing,
    `unexpected status ${res.status} with OData error: ${err?.code ?? 'unknown'}: ${err?.message ?? 'no message'}`,
  );
}
