/**
 * A fake Microsoft Graph for tests: an HTTP server on 127.0.0.1 (random port) with in-memory service
 * principals, sync templates, jobs, secrets and schemas. It implements only the v1.0 synchronization endpoints
 * this project calls, with the status codes and bodies Graph documents (reference §3, §4.1):
 *
 * | Method and path (below /v1.0/servicePrincipals/{id}/synchronization) | Answer |
 * |---|---|
 * | GET templates | 200 `{value}` (templates without their schema) |
 * | GET templates/{templateId}/schema | 200 schema |
 * | GET jobs, POST jobs `{templateId}` | 200 `{value}`, 201 job (created Disabled, schema from its template) |
 * | GET, DELETE jobs/{jobId} | 200 job (without schema), 204 |
 * | POST jobs/{jobId}/validateCredentials `{credentials, useSavedCredentials}` | 204, or 400 for a bad token |
 * | POST jobs/{jobId}/start, pause (no body), restart `{criteria}` | 204 |
 * | GET, PUT, DELETE jobs/{jobId}/schema | 200 schema, 204 (replace), 204 (reset to the template) |
 * | GET jobs/{jobId}/schema/filterOperators | 200 `{value}` |
 * | POST jobs/{jobId}/schema/parseExpression `{expression}` | 200 parseExpressionResponse |
 * | GET, PUT secrets `{value}` | 200 `{value}` with sensitive values as `*` (`maskedSecretKeys`, by default `SecretToken`: hashicorp/terraform-provider-azuread internal/services/synchronization/synchronization.go, "API returns * indicating sensitive data"; which keys Graph masks is not documented), 204 |
 * | POST jobs/{jobId}/provisionOnDemand `{parameters}` | 200 stringKeyStringValuePair, 429 past 5 per 10 s (on-demand.ts) |
 *
 * Also `GET /v1.0/auditLogs/provisioning` and `GET /v1.0/users/{id}` (provisioning-logs.ts), and scripted initial
 * cycles that advance on each job read (initial-cycle.ts).
 *
 * Every request needs `Authorization: Bearer <JWT>` whose `tid` is the fake's tenant (401 otherwise); JSON
 * bodies need `Content-Type: application/json`. Errors use Graph's body
 * `{"error":{"code","message","innerError":{"request-id","date","client-request-id"}}}`.
 *
 * Test controls: {@link FakeGraph.fault} (429 with Retry-After, 5xx instead of or after the effect, delays past
 * a timeout, malformed JSON, a 200 whose body is replaced; N times or persistent, per route), {@link FakeGraph.editSchema} (a portal edit),
 * {@link FakeGraph.quarantine}, `validSecretToken` (the token Rollbar accepts), and the request log
 * {@link FakeGraph.requests}.
 * The Graph error messages are modelled on Graph's, not copied from it.
 *
 * ## Switches: where real Graph differs from what the client assumes
 *
 * Set per test with {@link FakeGraph.behaviour} (see graph-behaviour.ts; `reset()` restores the defaults, marked *)
 * and {@link FakeGraph.replicationLag}. "Unknown" means no source settles it: both variants are tested.
 *
 * | Switch | Variants | Source |
 * |---|---|---|
 * | `replicationLag(sp, {answer, calls})` | the first `calls` synchronization calls of a new service principal answer 404 (`notFound`), an empty template list (`emptyTemplates`), 403 (`forbidden`) or 409 (`conflict`); none* | hashicorp/terraform-provider-azuread: internal/services/synchronization/synchronization.go (`synchronizationRetryFunc` retries 409 and 403 on every synchronization call) and synchronization_job_resource.go (waits for the new job to appear); 404 and the empty list: unknown, both tested |
 * | `jobSchemaIdentity` | `own`*: a job's schema has its own `id`, `version`, directory `id`s and `discoveryDateTime`; `template`: a copy of the template's | microsoftgraph/microsoft-graph-docs-contrib: api-reference/v1.0/resources/synchronization-synchronizationschema.md (schema `id`, `version` "updated automatically with every schema change"), synchronization-directorydefinition.md (directory `id`, `version`, `discoveryDateTime`); whether a job's ids differ from its template's: unknown, both tested |
 * | `schemaPutIdentity` | `put`*: a PUT stores the ids it carried; `job`: the job keeps its own | unknown, both tested |
 * | `filterLists` | `graph`*: a stored `scope` has `groups`, `inputFilterGroups` and `categoryFilterGroups`, missing ones `[]`; `asPut` | microsoftgraph/microsoft-graph-docs-contrib: api-reference/beta/resources/synchronization_scopingFilter.md (the example filter with `"inputFilterGroups": []` and `"categoryFilterGroups": []`) |
 * | `parseTree` | `graph`*: parseExpression parses with the fake's own parser and keys parameters by Graph's function schema (`SingleAppRoleAssignment`: `source`; `Switch`: `source`, `defaultValue`, `switchValue`…); `shallow`: a bare function node | api-reference/v1.0/api/synchronization-synchronizationschema-parseexpression.md (response shape, `Find`/`Replacement` keys, empty arguments left out), synchronization-synchronizationschema-functions.md (parameter names), resources/synchronization-objectmapping.md (`SingleAppRoleAssignment` stored with key `source`) |
 * | `parseFailureStatus` | `200`*: `parsingSucceeded: false`; `400`: a Graph error | the parseExpression page documents only 200; how a parse failure is answered: unknown, both tested |
 * | `secrets` | `replace`*: a PUT stores exactly what was sent; `mergeByKey`: keys sent are updated, others kept, an empty value removes its key | MS-Entra docs/identity/app-provisioning/skip-out-of-scope-deletions.md (GET, add the key, PUT the whole list) suggests replace; the azuread provider's delete (synchronization_secret_resource.go: empty values, then waits for the keys to vanish) suggests merge: unknown, both tested |
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  FilterOperatorSchema,
  ParseExpressionResponse,
  SynchronizationJob,
  SynchronizationQuarantine,
  SynchronizationSchema,
  SynchronizationScheduleState,
  SynchronizationSecretKeyStringValuePair,
  SynchronizationStatusCode,
  SynchronizationTemplate,
} from '@microsoft/microsoft-graph-types';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../fixtures/rollbar-schema';
import { FakeDirectory } from './directory';
import { FakeInitialCycle } from './initial-cycle';
import { FakeOnDemand } from './on-demand';
import { FakeProvisioningLogs } from './provisioning-logs';
import {
  DEFAULT_BEHAVIOUR,
  FakeParseError,
  graphParsedExpression,
  jobSchemaFrom,
  savedSecrets,
  storedSchema,
  type GraphBehaviour,
  type ReplicationLag,
} from './graph-behaviour';

export { DEFAULT_BEHAVIOUR, type GraphBehaviour, type ReplicationLag } from './graph-behaviour';

/** The fake's sync template id. Rollbar's real one is not published; this one is obviously fake. */
export const FAKE_TEMPLATE_ID = 'fake-rollbar-template';
/** The fake's tenant. */
export const FAKE_TENANT_ID = '11111111-2222-4333-8444-555555555555';
/** The Rollbar token the fake accepts unless told otherwise. */
export const FAKE_VALID_SECRET_TOKEN = 'rollbar-scim-token-0123456789abcdef';

/** A fake JWT (`header.payload.sig`, payload `{"tid": …}`); Graph's signature check is not modelled. */
export function fakeJwt(tenantId: string | undefined, extra: Record<string, unknown> = {}): string {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...(tenantId !== undefined && { tid: tenantId }), ...extra })}.fake-signature`;
}

/** A template as the fake stores it: with its schema. */
export interface FakeTemplate extends SynchronizationTemplate {
  id: string;
  schema: SynchronizationSchema;
}

/** A job as the fake stores it. */
export interface FakeJob {
  id: string;
  templateId: string;
  schedule: { state: SynchronizationScheduleState; interval: string };
  status: NonNullable<SynchronizationJob['status']> & { code: SynchronizationStatusCode };
  schema: SynchronizationSchema;
  /** Number of schema PUTs and DELETEs (each starts an initial cycle in Graph). */
  schemaWrites: number;
  /** `start` calls received while the job was already active (Graph warns against them). */
  startsWhileActive: number;
}

/** A service principal as the fake stores it. */
export interface FakeServicePrincipal {
  id: string;
  templates: FakeTemplate[];
  jobs: Map<string, FakeJob>;
  secrets: SynchronizationSecretKeyStringValuePair[] | undefined;
  /** Number of secret PUTs. */
  secretWrites: number;
  /** Keys whose values GET secrets answers as `*`. @default ['SecretToken'] */
  maskedSecretKeys?: string[];
  /** The tenant it lives in: a token of another tenant does not see it. @default the fake's tenant */
  tenantId?: string;
  /** Replication after creation: how many more synchronization calls answer as if it did not exist yet. */
  lag?: { answer: ReplicationLag['answer']; left: number };
}

/** A fault, applied to matching requests before the normal handling. */
export interface Fault {
  /** @default - any method */
  method?: string;
  /** Matched against the path below /v1.0 (a string matches a suffix). @default - any path */
  path?: string | RegExp;
  /** How many requests it hits. @default 1 */
  times?: number;
  /** Answer with this HTTP status and a Graph error body. */
  status?: number;
  /** With `status`: the Retry-After header value. */
  retryAfter?: string;
  /** With `status`: Graph's error code. @default - a code that fits the status */
  code?: string;
  /** With `status`: Graph's error message. */
  message?: string;
  /** Wait this long before answering (past the client's timeout, to test it). */
  delayMs?: number;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /**
   * With `status`: the request takes effect first, then the fault is the answer (a gateway failing after Graph
   * acted); otherwise the fault answers instead of Graph, which does nothing.
   * @default false
   */
  afterEffect?: boolean;
  /**
   * The request takes effect, then its answer is replaced by HTTP 200 with `replaceBody(real)` as JSON (`real` is
   * the body Graph would have sent, undefined for a 204): a proxy, a captive portal or a changed API answering.
   * Graph never does this; the client must refuse it (tests of `constructs/graph/shapes.ts`).
   */
  replaceBody?: (real: unknown) => unknown;
}

/** One request, as received. */
export interface RecordedRequest {
  method: string;
  /** Path below /v1.0, without the query. */
  path: string;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** The raw Authorization header. */
  authorization: string | undefined;
}

/** The fake Graph. Start it with {@link FakeGraph.start}, stop it in afterAll/afterEach. */
export class FakeGraph {
  /** Root URL, to use as ROLLBAR_GRAPH_URL. */
  readonly url: string;
  /** The tenant whose tokens are accepted. */
  readonly tenantId: string;
  /** Every tenant whose tokens are accepted: the fake's, and `otherTenantIds` (several tenants on one Graph). */
  private readonly tenants: ReadonlySet<string>;
  /** The Rollbar token that validateCredentials accepts. */
  validSecretToken: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  /** Expressions that parseExpression rejects, with Graph's reason. */
  readonly rejectedExpressions = new Map<string, string>();
  /** provisionOnDemand: outcomes per subject and the rate limit (on-demand.ts). */
  readonly onDemand = new FakeOnDemand();
  /** GET /auditLogs/provisioning and GET /users/{id} (provisioning-logs.ts). */
  readonly provisioningLogs = new FakeProvisioningLogs();
  /** Scripted initial cycles: progress, then steady state or quarantine (initial-cycle.ts). */
  readonly initialCycle = new FakeInitialCycle();
  /** The switches (table at the top of this file); `reset()` restores {@link DEFAULT_BEHAVIOUR}. */
  behaviour: GraphBehaviour = { ...DEFAULT_BEHAVIOUR };
  /** Every `parsedExpression` parseExpression answered, in order: what a PUT must carry verbatim. */
  readonly parsedExpressions: NonNullable<ParseExpressionResponse['parsedExpression']>[] = [];
  private readonly sps = new Map<string, FakeServicePrincipal>();
  /** Applications, service principals and assignments (directory.ts); its service principals sync here. */
  readonly directory = new FakeDirectory({
    addServicePrincipal: (id) => void this.addServicePrincipal({ id }),
    removeServicePrincipal: (id) => void this.sps.delete(id.toLowerCase()),
  });
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    options: { tenantId: string; validSecretToken: string; otherTenantIds: readonly string[] },
  ) {
    const port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${port}`;
    this.tenantId = options.tenantId;
    this.tenants = new Set([options.tenantId, ...options.otherTenantIds].map((t) => t.toLowerCase()));
    this.validSecretToken = options.validSecretToken;
  }

  /** Starts a fake on a random loopback port. */
  static async start(
    options: { tenantId?: string; validSecretToken?: string; otherTenantIds?: readonly string[] } = {},
  ): Promise<FakeGraph> {
    const holder: { fake?: FakeGraph } = {};
    const server = createServer((req, res) => {
      // A bug in the fake must fail the test loudly, not hang it.
      holder.fake?.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`fake Graph bug: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.fake = new FakeGraph(server, {
      tenantId: options.tenantId ?? FAKE_TENANT_ID,
      validSecretToken: options.validSecretToken ?? FAKE_VALID_SECRET_TOKEN,
      otherTenantIds: options.otherTenantIds ?? [],
    });
    return holder.fake;
  }

  /** Stops the server, dropping open connections and pending delays. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A token of the fake's tenant (or of `tenantId`). */
  token(tenantId: string | undefined = this.tenantId): string {
    return fakeJwt(tenantId);
  }

  /**
   * Adds a service principal with the given templates (by default one Rollbar-like template marked default,
   * with the test fixture's schema). Returns its object id.
   */
  addServicePrincipal(
    options: {
      id?: string;
      templates?: Partial<FakeTemplate>[];
      replicationLag?: ReplicationLag;
      /** @default the fake's tenant */
      tenantId?: string;
    } = {},
  ): string {
    const id = options.id ?? randomUUID();
    const templates = (options.templates ?? [{ id: FAKE_TEMPLATE_ID, default: true }]).map((t, i): FakeTemplate => ({
      applicationId: 'fake-application-id',
      default: false,
      description: 'fake template',
      discoverable: true,
      factoryTag: 'CustomSCIM',
      metadata: [],
      ...t,
      id: t.id ?? `fake-template-${i + 1}`,
      schema: t.schema ?? rollbarTemplateSchema(),
    }));
    this.sps.set(id.toLowerCase(), {
      id,
      templates,
      jobs: new Map(),
      secrets: undefined,
      secretWrites: 0,
      ...(options.tenantId !== undefined && { tenantId: options.tenantId }),
    });
    if (options.replicationLag) this.replicationLag(id, options.replicationLag);
    return id;
  }

  /**
   * Makes the next `lag.calls` synchronization calls of the service principal answer as Graph does while a new
   * service principal replicates (see the switch table).
   */
  replicationLag(servicePrincipalId: string, lag: ReplicationLag): void {
    this.servicePrincipal(servicePrincipalId).lag = { answer: lag.answer, left: lag.calls };
  }

  /** Adds a job in the given state (Disabled and NotConfigured by default, as Graph creates it). Returns its id. */
  addJob(
    servicePrincipalId: string,
    options: {
      id?: string;
      templateId?: string;
      state?: SynchronizationScheduleState;
      statusCode?: SynchronizationStatusCode;
    } = {},
  ): string {
    const sp = this.servicePrincipal(servicePrincipalId);
    const templateId = options.templateId ?? sp.templates[0]?.id ?? FAKE_TEMPLATE_ID;
    const job = this.newJob(sp, templateId, options.id);
    if (options.state) this.setState(job, options.state);
    if (options.statusCode) job.status.code = options.statusCode;
    return job.id;
  }

  /** The stored service principal, for assertions. */
  servicePrincipal(id: string): FakeServicePrincipal {
    const sp = this.sps.get(id.toLowerCase());
    if (!sp) throw new Error(`fake Graph: no service principal ${id}`);
    return sp;
  }

  /** Ids of the service principals that have synchronization data (for assertions). */
  servicePrincipalIds(): string[] {
    return [...this.sps.values()].map((sp) => sp.id);
  }

  /** The stored job, for assertions and direct edits. */
  job(servicePrincipalId: string, jobId: string): FakeJob {
    const job = this.servicePrincipal(servicePrincipalId).jobs.get(jobId);
    if (!job) throw new Error(`fake Graph: no job ${jobId}`);
    return job;
  }

  /** Simulates an edit in the admin center: changes the job's live schema without going through the API. */
  editSchema(servicePrincipalId: string, jobId: string, edit: (schema: SynchronizationSchema) => void): void {
    const job = this.job(servicePrincipalId, jobId);
    edit(job.schema);
    job.schema.version = `portal-${randomUUID()}`;
  }

  /** Puts a job in quarantine, as Graph does after repeated failures (bad credentials by default). */
  quarantine(
    servicePrincipalId: string,
    jobId: string,
    reason: NonNullable<SynchronizationQuarantine['reason']> = 'EncounteredQuarantineException',
    error: { code: string; message: string } = {
      code: 'SystemForCrossDomainIdentityManagementCredentialValidationUnavailable',
      message: 'fake: the token was rejected',
    },
  ): void {
    const job = this.job(servicePrincipalId, jobId);
    job.schedule.state = 'Active';
    job.status.code = 'Quarantine';
    job.status.quarantine = {
      reason,
      currentBegan: '2024-05-01T10:00:00Z',
      seriesBegan: '2024-05-01T10:00:00Z',
      nextAttempt: '2024-05-01T22:00:00Z',
      seriesCount: 2,
      error,
    };
  }

  /** Adds a fault (see {@link Fault}). */
  fault(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Drops faults not yet used up and forgets the request log (between tests). */
  reset(): void {
    this.faults.length = 0;
    this.requests.length = 0;
    this.rejectedExpressions.clear();
    this.onDemand.reset();
    this.provisioningLogs.reset();
    this.parsedExpressions.length = 0;
    this.behaviour = { ...DEFAULT_BEHAVIOUR };
  }

  /** Requests matching a method and a path pattern. */
  requestsTo(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  private newJob(sp: FakeServicePrincipal, templateId: string, id?: string): FakeJob {
    const template = sp.templates.find((t) => t.id === templateId);
    const job: FakeJob = {
      id: id ?? `${templateId}.${randomUUID().replace(/-/g, '')}.${randomUUID()}`,
      templateId,
      schedule: { state: 'Disabled', interval: 'P10675199DT2H48M5.4775807S' },
      status: {
        code: 'NotConfigured',
        countSuccessiveCompleteFailures: 0,
        escrowsPruned: false,
        synchronizedEntryCountByType: [],
      },
      schema: jobSchemaFrom(template?.schema ?? rollbarTemplateSchema(), this.behaviour),
      schemaWrites: 0,
      startsWhileActive: 0,
    };
    sp.jobs.set(job.id, job);
    return job;
  }

  private setState(job: FakeJob, state: SynchronizationScheduleState): void {
    job.schedule.state = state;
    job.schedule.interval = state === 'Active' ? 'PT40M' : job.schedule.interval;
    job.status.code = state === 'Active' ? 'Active' : state === 'Paused' ? 'Paused' : 'NotConfigured';
    if (state === 'Active') {
      job.status.lastExecution = {
        activityIdentifier: randomUUID(),
        state: 'Succeeded',
        timeBegan: '2024-05-01T09:00:00Z',
        timeEnded: '2024-05-01T09:02:00Z',
        countEntitled: 12,
        countExported: 3,
        countImported: 12,
        countEscrowed: 0,
      };
      job.status.lastSuccessfulExecution = job.status.lastExecution;
      job.status.synchronizedEntryCountByType = [
        { key: 'User', value: 10 },
        { key: 'Group', value: 2 },
      ];
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const clientRequestId = header(req, 'client-request-id');
    res.setHeader('request-id', requestId);
    if (clientRequestId) res.setHeader('client-request-id', clientRequestId);
    // Set by an `afterEffect` or `replaceBody` fault: the next answer is replaced by the fault's.
    let answerInstead: ((body: unknown) => void) | undefined;
    const send = (status: number, body?: unknown, extraHeaders: Record<string, string> = {}): void => {
      if (res.destroyed) return;
      if (answerInstead !== undefined) {
        const answer = answerInstead;
        answerInstead = undefined;
        return answer(body);
      }
      for (const [k, v] of Object.entries(extraHeaders)) res.setHeader(k, v);
      if (body === undefined) {
        res.writeHead(status).end();
      } else {
        res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
      }
    };
    const fail = (status: number, code: string, message: string, extraHeaders: Record<string, string> = {}): void =>
      send(
        status,
        {
          error: {
            code,
            message,
            innerError: {
              date: new Date().toISOString().slice(0, 19),
              'request-id': requestId,
              ...(clientRequestId && { 'client-request-id': clientRequestId }),
            },
          },
        },
        extraHeaders,
      );

    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const versioned = /^\/v1\.0(\/.*)$/.exec(url.pathname);
    const path = versioned?.[1] ?? url.pathname;
    let body: unknown;
    let badJson = false;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    this.requests.push({ method, path, body, authorization: header(req, 'authorization') });

    const fault = this.takeFault(method, path);
    if (fault?.delayMs !== undefined) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, fault.delayMs);
        this.timers.add(t);
      });
    }
    if (fault?.status !== undefined) {
      const status = fault.status;
      const answer = (): void =>
        fail(status, fault.code ?? defaultCode(status), fault.message ?? `fake fault: HTTP ${status}`, {
          ...(fault.retryAfter !== undefined && { 'Retry-After': fault.retryAfter }),
        });
      if (!fault.afterEffect) return answer();
      answerInstead = answer;
    }
    if (fault?.replaceBody !== undefined) {
      const replace = fault.replaceBody;
      answerInstead = (real) => {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(replace(real)) ?? '');
      };
    }
    if (fault?.malformed) {
      if (!res.destroyed) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"value": [ <html>');
      return;
    }

    if (!versioned) return fail(400, 'BadRequest', `Invalid version: the fake serves v1.0 only, got ${url.pathname}`);
    const auth = header(req, 'authorization');
    const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length) : undefined;
    if (!bearer) return fail(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    const tid = tenantOf(bearer);
    if (tid === undefined) return fail(401, 'InvalidAuthenticationToken', 'IDX14100: JWT is not well formed.');
    if (!this.tenants.has(tid.toLowerCase())) {
      return fail(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.');
    }
    if (raw !== '' && !(header(req, 'content-type') ?? '').startsWith('application/json')) {
      return fail(415, 'UnsupportedMediaType', 'The request body must be application/json.');
    }
    if (badJson) return fail(400, 'BadRequest', 'Unable to read JSON request payload.');

    if (this.provisioningLogs.handles(path))
      return this.provisioningLogs.handle(method, path, url, this.url, send, fail);
    const m = /^\/servicePrincipals\/([^/]+)\/synchronization\/(.*)$/.exec(path);
    const directory = m ? undefined : this.directory.handle(method, path, url.searchParams, body);
    if (directory)
      return 'error' in directory
        ? fail(directory.status, directory.error.code, directory.error.message)
        : send(directory.status, directory.body);
    if (!m) return fail(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`);
    const found = this.sps.get(decodeURIComponent(m[1]!).toLowerCase());
    // A service principal of another tenant does not exist for this token.
    const sp = found && (found.tenantId ?? this.tenantId).toLowerCase() === tid.toLowerCase() ? found : undefined;
    if (!sp) {
      return fail(
        404,
        'Request_ResourceNotFound',
        `Resource '${decodeURIComponent(m[1]!)}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const rest = (m[2] ?? '').split('/').map(decodeURIComponent);
    if (sp.lag !== undefined && sp.lag.left > 0) {
      sp.lag.left--;
      const { answer } = sp.lag;
      if (answer === 'emptyTemplates' && rest.length === 1 && rest[0] === 'templates' && method === 'GET') {
        return send(200, { value: [] });
      }
      if (answer === 'forbidden') {
        return fail(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      }
      if (answer === 'conflict') {
        return fail(409, 'Conflict', 'The service principal is not ready for synchronization yet (fake replication).');
      }
      return fail(
        404,
        'Request_ResourceNotFound',
        `Resource '${sp.id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    }
    const route = `${method} ${rest.map((s, i) => (i === 1 && (rest[0] === 'jobs' || rest[0] === 'templates') ? '{id}' : s)).join('/')}`;
    const notAllowed = (): void =>
      fail(405, 'BadRequest', `No HTTP resource was found that matches the request URI for ${method}.`);

    if (rest[0] === 'secrets') {
      if (method === 'GET') {
        const masked = new Set(sp.maskedSecretKeys ?? ['SecretToken']);
        return send(200, {
          value: (sp.secrets ?? []).map((x) => (masked.has(x.key ?? '') ? { key: x.key, value: '*' } : x)),
        });
      }
      if (method !== 'PUT') return notAllowed();
      const value = (body as { value?: unknown } | undefined)?.value;
      if (!Array.isArray(value) || !value.every(isKeyValue)) {
        return fail(400, 'BadRequest', 'The request body must be {"value":[{"key":…,"value":…}]}.');
      }
      const notification = value.find((v) => v.key === 'SyncNotificationSettings');
      if (notification && notification.value === '') {
        return fail(
          400,
          'BadRequest',
          'SyncNotificationSettings must be a JSON object; an empty value is not accepted.',
        );
      }
      sp.secrets = savedSecrets(sp.secrets, value as SynchronizationSecretKeyStringValuePair[], this.behaviour);
      sp.secretWrites++;
      return send(204);
    }

    if (rest[0] === 'templates') {
      if (rest.length === 1)
        return method === 'GET' ? send(200, { value: sp.templates.map(withoutSchema) }) : notAllowed();
      const template = sp.templates.find((t) => t.id === rest[1]);
      if (!template) return fail(404, 'ResourceNotFound', `The template '${rest[1]}' was not found.`);
      if (rest[2] === 'schema' && rest.length === 3 && method === 'GET') return send(200, template.schema);
      return notAllowed();
    }

    if (rest[0] !== 'jobs') return fail(400, 'BadRequest', `Resource not found for the segment '${rest[0] ?? ''}'.`);
    if (rest.length === 1) {
      if (method === 'GET') return send(200, { value: [...sp.jobs.values()].map(publicJob) });
      if (method !== 'POST') return notAllowed();
      const templateId = (body as { templateId?: unknown } | undefined)?.templateId;
      if (typeof templateId !== 'string' || !sp.templates.some((t) => t.id === templateId)) {
        return fail(
          400,
          'BadRequest',
          `The templateId '${String(templateId)}' does not match a template of this service principal.`,
        );
      }
      return send(201, publicJob(this.newJob(sp, templateId)));
    }
    const job = sp.jobs.get(rest[1]!);
    if (!job) return fail(404, 'ResourceNotFound', `Job with id '${rest[1]}' not found.`);

    switch (route) {
      case 'GET jobs/{id}':
        this.initialCycle.onRead(job);
        return send(200, publicJob(job));
      case 'DELETE jobs/{id}':
        sp.jobs.delete(job.id);
        return send(204);
      case 'POST jobs/{id}/validateCredentials': {
        const b = body as { credentials?: unknown; useSavedCredentials?: unknown } | undefined;
        const credentials = b?.useSavedCredentials === true ? (sp.secrets ?? []) : b?.credentials;
        if (!Array.isArray(credentials) || !credentials.every(isKeyValue)) {
          return fail(400, 'BadRequest', 'credentials must be a list of {key, value}.');
        }
        const token = credentials.find((c) => c.key === 'SecretToken')?.value;
        if (token !== this.validSecretToken) {
          return fail(
            400,
            'BadRequest',
            'An error occurred while testing the connection: the SCIM endpoint answered 401 Unauthorized. Check the Secret Token (fake Graph).',
          );
        }
        return send(204);
      }
      case 'POST jobs/{id}/start':
        if (raw !== '') return fail(400, 'BadRequest', 'start takes no request body.');
        if (job.schedule.state === 'Active' && job.status.code !== 'Quarantine') job.startsWhileActive++;
        this.setState(job, 'Active');
        delete job.status.quarantine;
        return send(204);
      case 'POST jobs/{id}/pause':
        if (raw !== '') return fail(400, 'BadRequest', 'pause takes no request body.');
        this.setState(job, 'Paused');
        return send(204);
      case 'POST jobs/{id}/restart': {
        const scope = (body as { criteria?: { resetScope?: unknown } } | undefined)?.criteria?.resetScope;
        if (scope !== undefined && typeof scope !== 'string')
          return fail(400, 'BadRequest', 'resetScope must be a string.');
        const scopes = typeof scope === 'string' ? scope.split(',').map((s) => s.trim()) : [];
        if (
          scopes.length === 0 ||
          scopes.includes('') ||
          scopes.includes('QuarantineState') ||
          scopes.includes('Full')
        ) {
          delete job.status.quarantine;
          job.status.code = 'Active';
        }
        return send(204);
      }
      case 'GET jobs/{id}/schema':
        return send(200, job.schema);
      case 'POST jobs/{id}/provisionOnDemand':
        return this.onDemand.handle(job, body, send, fail);
      case 'PUT jobs/{id}/schema': {
        const schema = body as SynchronizationSchema | undefined;
        if (!schema || !Array.isArray(schema.synchronizationRules) || !Array.isArray(schema.directories)) {
          return fail(
            400,
            'BadRequest',
            'The schema must include directories and synchronizationRules (PUT replaces the whole schema).',
          );
        }
        job.schema = storedSchema(schema, job.schema, this.behaviour);
        job.schemaWrites++;
        return send(204);
      }
      case 'DELETE jobs/{id}/schema': {
        const template = sp.templates.find((t) => t.id === job.templateId);
        job.schema = jobSchemaFrom(template?.schema ?? rollbarTemplateSchema(), this.behaviour);
        job.schemaWrites++;
        return send(204);
      }
      case 'GET jobs/{id}/schema/filterOperators':
        return send(200, { value: filterOperators() });
      case 'POST jobs/{id}/schema/parseExpression': {
        const expression = (body as { expression?: unknown } | undefined)?.expression;
        if (typeof expression !== 'string') return fail(400, 'BadRequest', 'expression is required.');
        const parsed = this.parse(expression);
        if (parsed.parsingSucceeded !== true && this.behaviour.parseFailureStatus === 400) {
          return fail(400, 'BadRequest', parsed.error?.message ?? 'The expression could not be parsed.');
        }
        if (parsed.parsedExpression) this.parsedExpressions.push(structuredClone(parsed.parsedExpression));
        return send(200, parsed);
      }
      default:
        return notAllowed();
    }
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? path.endsWith(f.path) : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.left--;
    if (f.left <= 0) this.faults.splice(i, 1);
    return f;
  }

  private parse(expression: string): ParseExpressionResponse {
    const reason = this.rejectedExpressions.get(expression) ?? unbalanced(expression);
    if (reason !== undefined) {
      return {
        parsingSucceeded: false,
        evaluationSucceeded: false,
        error: { code: 'InvalidExpression', message: reason },
      };
    }
    if (this.behaviour.parseTree === 'graph') {
      try {
        return {
          parsingSucceeded: true,
          evaluationSucceeded: false,
          evaluationResult: [],
          parsedExpression: graphParsedExpression(expression),
        };
      } catch (e) {
        if (!(e instanceof FakeParseError)) throw e;
        return {
          parsingSucceeded: false,
          evaluationSucceeded: false,
          error: { code: 'InvalidExpression', message: e.message },
        };
      }
    }
    const call = /^([A-Za-z]+)\(/.exec(expression);
    return {
      parsingSucceeded: true,
      evaluationSucceeded: false,
      evaluationResult: [],
      parsedExpression: call
        ? { type: 'Function', name: call[1], expression, parameters: [] }
        : { type: 'Attribute', name: expression.replace(/^\[|\]$/g, ''), expression, parameters: [] },
    };
  }
}

function filterOperators(): FilterOperatorSchema[] {
  return rollbarFilterOperators();
}

function withoutSchema(t: FakeTemplate): SynchronizationTemplate {
  const { schema: _schema, ...rest } = t;
  return rest;
}

function publicJob(job: FakeJob): SynchronizationJob {
  return {
    id: job.id,
    templateId: job.templateId,
    schedule: structuredClone(job.schedule),
    status: structuredClone(job.status),
    synchronizationJobSettings: [{ name: 'QuarantineTooManyDeletesThreshold', value: '500' }],
  };
}

function isKeyValue(v: unknown): v is { key: string; value: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { key?: unknown }).key === 'string' &&
    typeof (v as { value?: unknown }).value === 'string'
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function tenantOf(jwt: string): string | undefined {
  const payload = jwt.split('.')[1];
  if (!payload) return undefined;
  try {
    const tid: unknown = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { tid?: unknown }).tid;
    return typeof tid === 'string' ? tid : undefined;
  } catch {
    return undefined;
  }
}

function defaultCode(status: number): string {
  if (status === 401) return 'InvalidAuthenticationToken';
  if (status === 403) return 'Authorization_RequestDenied';
  if (status === 404) return 'ResourceNotFound';
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalServerError';
  return 'BadRequest';
}

/** The fake parser's only check: balanced brackets, parentheses and quotes. */
function unbalanced(expression: string): string | undefined {
  let depth = 0;
  let inQuote = false;
  let inAttr = false;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (inQuote) {
      if (c === '\\') i++;
      else if (c === '"') inQuote = false;
    } else if (c === '"') inQuote = true;
    else if (c === '[') inAttr = true;
    else if (c === ']') inAttr = false;
    else if (!inAttr && c === '(') depth++;
    else if (!inAttr && c === ')') depth--;
    if (depth < 0) return `Unexpected ')' at position ${i + 1}.`;
  }
  if (inQuote) return 'Unterminated string constant.';
  if (inAttr) return "Missing ']'.";
  if (depth !== 0) return "Missing ')'.";
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
