/**
 * A small scripted HTTP server on loopback for hostile answers the fake Graph does not model (redirects, bodies
 * that never end, gzip bombs): each test sets `answer`, and every request is recorded. It is not Graph; tests use
 * it where the point is what the client does with an answer Graph would never send.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request, as received. */
export interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

export class HostileServer {
  readonly requests: HostileRequest[] = [];
  /** Bytes written to responses (on the wire, before any compression the answer did itself). */
  bytesWritten = 0;
  /** Answers each request; the default is 204. */
  answer: (req: HostileRequest, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(204).end();
  };

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<HostileServer> {
    const holder: { s?: HostileServer } = {};
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const s = holder.s!;
        const recorded: HostileRequest = {
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://x').pathname,
          body: Buffer.concat(chunks).toString('utf8'),
          authorization: req.headers.authorization,
        };
        s.requests.push(recorded);
        const write = res.write.bind(res) as (chunk: Buffer | string, cb?: () => void) => boolean;
        res.write = ((chunk: Buffer | string, ...rest: unknown[]) => {
          s.bytesWritten += Buffer.byteLength(chunk);
          return write(chunk, ...(rest as [() => void]));
        }) as typeof res.write;
        s.answer(recorded, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.s = new HostileServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return holder.s;
  }

  reset(): void {
    this.requests.length = 0;
    this.bytesWritten = 0;
    this.answer = (_req, res) => {
      res.writeHead(204).end();
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Starts a server before the file's tests, resets it after each, stops it after all. */
export function useHostileServer(): { readonly server: HostileServer } {
  const holder: { s?: HostileServer } = {};
  beforeAll(async () => {
    holder.s = await HostileServer.start();
  });
  afterEach(() => holder.s?.reset());
  afterAll(async () => {
    await holder.s?.stop();
  });
  return {
    get server(): HostileServer {
      if (!holder.s) throw new Error('hostile server not started');
      return holder.s;
    },
  };
}
