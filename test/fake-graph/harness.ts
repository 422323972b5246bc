/**
 * Shared set-up for tests against the fake Graph: a started fake and a client with short retry waits, so the
 * suite stays fast while retries still happen.
 */
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../../constructs/graph';
import { FakeGraph } from './server';

/**
 * A client for the fake, with its token, tenant check, 10 ms retry waits and no replication wait; `lines` collects
 * progress.
 */
export function fakeClient(
  fake: FakeGraph,
  options: GraphClientOptions = {},
): { client: GraphClient; lines: string[] } {
  const lines: string[] = [];
  const client = createGraphClient({
    baseUrl: fake.url,
    token: fake.token(),
    tenantId: fake.tenantId,
    maxRetries: 2,
    maxRetryWaitMs: 10,
    timeoutMs: 2_000,
    // No waiting for replication unless a test turns it on: a 404 is a 404 at once.
    replicationWaitMs: 0,
    env: {},
    log: (line) => lines.push(line),
    ...options,
  });
  return { client, lines };
}

/** Starts a fake before all tests of the file and stops it after them. */
export function useFakeGraph(): { readonly fake: FakeGraph } {
  const holder: { fake?: FakeGraph } = {};
  beforeAll(async () => {
    holder.fake = await FakeGraph.start();
  });
  afterEach(() => {
    holder.fake?.reset();
  });
  afterAll(async () => {
    await holder.fake?.stop();
  });
  return {
    get fake(): FakeGraph {
      if (!holder.fake) throw new Error('the fake Graph is not started');
      return holder.fake;
    },
  };
}
