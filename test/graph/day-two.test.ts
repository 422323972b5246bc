/** The day-two Graph functions: provision on demand, provisioning logs, restart scopes, job status and waiting. */
import {
  GraphError,
  jobProblems,
  listProvisioningLogs,
  provisionOnDemand,
  waitForSteadyState,
} from '../../constructs/graph';
import { parseOnDemandAnswer } from '../../constructs/graph/on-demand';
import { provisioningLogsFilter } from '../../constructs/graph/provisioning-logs';
import { reachedSteadyState, summarizeJob } from '../../constructs/graph/status';
import { parseRestartScopes } from '../../constructs/graph/restart';
import { RollbarProvisioningError } from '../../constructs/core';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';

const ctx = useFakeGraph();
const USER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';

describe('parseOnDemandAnswer', () => {
  // The shape of Graph's documented answers (synchronization-synchronizationjob-provisionondemand.md, examples 1 and 3).
  test('a skip because source and target already match is "inSync", with every step', () => {
    const r = parseOnDemandAnswer({
      key: JSON.stringify({
        result: 'Skipped',
        details: {
          errorCode: 'RedundantExport',
          errorMessage: 'The state of the user in both the source and target systems already match.',
        },
      }),
      value: JSON.stringify({
        action: 'Other',
        provisioningSteps: [
          {
            name: 'EntryImport',
            type: 'Import',
            status: 'Success',
            description: 'Retrieved User',
            details: { objectId: USER },
          },
          {
            name: 'EntrySynchronizationScoping',
            type: 'Scoping',
            status: 'Success',
            description: 'in scope',
            details: { IsActive: 'True' },
          },
          {
            name: 'EntrySynchronizationSkip',
            type: 'Export',
            status: 'Skipped',
            description: 'already match',
            details: { SkipReason: 'RedundantExport' },
          },
        ],
        reportableIdentifier: 'BillBob@contoso.com',
        statusInfo: { status: 'Skipped', errorCode: null, reason: null },
      }),
    });
    expect(r).toMatchObject({ result: 'Skipped', outcome: 'inSync', ok: true, stepsReported: true, scopeReasons: [] });
    expect(r.steps.map((s) => `${s.type}:${s.status}`)).toEqual([
      'Import:Success',
      'Scoping:Success',
      'Export:Skipped',
    ]);
    expect(r.reportableIdentifier).toBe('BillBob@contoso.com');
  });

  test('a group answer with value "{}" has a result and no steps', () => {
    const r = parseOnDemandAnswer({ key: '{"result":"Success","details":{}}', value: '{}' });
    expect(r).toMatchObject({ result: 'Success', outcome: 'provisioned', ok: true, stepsReported: false, steps: [] });
  });

  test.each([[undefined], [{ value: '{}' }], [{ key: 'not json' }], [{ key: '{"details":{}}' }], [{ key: '[]' }]])(
    'an unreadable answer %p is a GRAPH_MALFORMED_RESPONSE',
    (answer) => {
      expect(() => parseOnDemandAnswer(answer)).toThrow(expect.objectContaining({ code: 'GRAPH_MALFORMED_RESPONSE' }));
    },
  );
});

describe('provisionOnDemand', () => {
  test('has its own timeout, and a timed-out request is not sent again', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.fault({ path: /\/provisionOnDemand$/, delayMs: 3_000, times: 5 });
    const { client } = fakeClient(fake, { timeoutMs: 5_000 });

    const error = await provisionOnDemand(client, {
      servicePrincipalId: sp,
      jobId,
      subject: { user: USER },
      timeoutMs: 500,
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GraphError);
    expect((error as GraphError).code).toBe('GRAPH_TIMEOUT');
    expect((error as GraphError).message).toContain('did not answer within 0.5 s');
    expect((error as GraphError).message).toContain('rollbar-provisioning logs');
    expect(fake.requestsTo('POST', /\/provisionOnDemand$/)).toHaveLength(1);
  });

  test('a given rule id is used as is (no schema read); several rules for users need one', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    const { client } = fakeClient(fake);
    await provisionOnDemand(client, {
      servicePrincipalId: sp,
      jobId,
      subject: { user: USER },
      ruleId: 'fixture-rule-id',
    });
    expect(fake.requestsTo('GET', /\/schema$/)).toHaveLength(0);

    fake.editSchema(sp, jobId, (schema) => {
      schema.synchronizationRules!.push({ ...structuredClone(schema.synchronizationRules![0]!), id: 'second-rule' });
    });
    const error = await provisionOnDemand(client, { servicePrincipalId: sp, jobId, subject: { user: USER } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RollbarProvisioningError);
    expect((error as RollbarProvisioningError).message).toContain('AMBIGUOUS_SYNC_RULE');
    expect((error as RollbarProvisioningError).message).toContain('fixture-rule-id, second-rule');
  });

  test('a subject that is not an object id is refused before anything is sent', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.addJob(sp, { state: 'Active' });
    const { client } = fakeClient(fake);
    await expect(
      provisionOnDemand(client, { servicePrincipalId: sp, subject: { user: 'alice@contoso.com' } }),
    ).rejects.toThrow(/INVALID_OBJECT_ID/);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('provisioningLogsFilter', () => {
  test('builds the documented, case-sensitive filter', () => {
    expect(
      provisioningLogsFilter({
        servicePrincipalId: '/servicePrincipals/C8C95753-F628-48E1-9FAB-76C2D4CF624C',
        jobId: 'rollbar.abc',
        since: new Date('2024-05-01T10:00:00.123Z'),
        failedOnly: true,
        user: USER.toUpperCase(),
      }),
    ).toBe(
      "servicePrincipal/id eq 'c8c95753-f628-48e1-9fab-76c2d4cf624c' and jobId eq 'rollbar.abc' and " +
        "activityDateTime gt 2024-05-01T10:00:00Z and provisioningStatusInfo/status eq 'failure' and " +
        `sourceIdentity/id eq '${USER}'`,
    );
  });
});

describe('parseRestartScopes', () => {
  test('maps the CLI names to Graph values and refuses the undocumented or discouraged ones', () => {
    expect(parseRestartScopes('force-deletes').map((s) => s.graph)).toEqual(['ForceDeletes']);
    expect(parseRestartScopes('full').map((s) => [s.graph, s.destructive])).toEqual([['Full', true]]);
    expect(parseRestartScopes('quarantine').map((s) => [s.graph, s.destructive])).toEqual([['QuarantineState', false]]);
    expect(() => parseRestartScopes('none')).toThrow(/INVALID_RESET_SCOPE/);
    expect(() => parseRestartScopes('Full')).toThrow(/INVALID_RESET_SCOPE/);
  });
});

describe('job status as Graph sends it', () => {
  // Graph's documented job (synchronization-synchronizationjob-get.md): paused, an empty quarantine object and the
  // zero time for a steady state never reached.
  const documented = {
    id: 'BoxOutDelta.1',
    templateId: 'BoxOutDelta',
    schedule: { expiration: null, interval: 'P10675199DT2H48M5.4775807S', state: 'Disabled' as const },
    status: {
      countSuccessiveCompleteFailures: 0,
      escrowsPruned: false,
      synchronizedEntryCountByType: [],
      code: 'Paused' as const,
      lastExecution: null,
      progress: [],
      steadyStateFirstAchievedTime: '0001-01-01T00:00:00Z',
      steadyStateLastAchievedTime: '0001-01-01T00:00:00Z',
      quarantine: { currentBegan: '', nextAttempt: '', reason: '' as never, seriesBegan: '', seriesCount: 2 },
    },
  };

  test('an empty quarantine object and the zero time mean "not quarantined" and "never steady"', () => {
    const s = summarizeJob(documented);
    expect(s.quarantine).toBeUndefined();
    expect(reachedSteadyState(s)).toBe(false);
    expect(jobProblems(s)).toEqual([]);
  });

  test('waitForSteadyState gives up at the timeout without sleeping for real', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.initialCycle.start(fake.job(sp, jobId), { totalUnits: 10, reads: 1_000, end: 'steady' });
    let clock = 0;
    const lines: string[] = [];
    const { client } = fakeClient(fake);
    const r = await waitForSteadyState(client, {
      servicePrincipalId: sp,
      jobId,
      timeoutMs: 60_000,
      pollMs: 30_000,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
      onProgress: (l) => lines.push(l),
    });
    expect(r.outcome).toBe('timeout');
    expect(r.reads).toBe(3);
    expect(lines[0]).toBe('Initial cycle: 0 of 10 users (0%)…');
  });
});

describe('answers are checked against their documented shapes', () => {
  test('a provisionOnDemand 200 without its key is a GRAPH_MALFORMED_RESPONSE naming stringKeyStringValuePair', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.fault({ path: /\/provisionOnDemand$/, replaceBody: () => ({ value: '{}' }) });
    const { client } = fakeClient(fake);
    const error = await provisionOnDemand(client, { servicePrincipalId: sp, jobId, subject: { user: USER } }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'GRAPH_MALFORMED_RESPONSE' });
    expect((error as GraphError).message).toContain('stringKeyStringValuePair');
    expect((error as GraphError).message).toContain('key is missing');
  });

  test('a provisioning log page whose entry has no activityDateTime is a GRAPH_MALFORMED_RESPONSE', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    fake.fault({ path: '/auditLogs/provisioning', replaceBody: () => ({ value: [{ id: 'x' }] }) });
    const { client } = fakeClient(fake);
    const error = await listProvisioningLogs(client, { servicePrincipalId: sp }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH_MALFORMED_RESPONSE' });
    expect((error as GraphError).message).toContain('value[0].activityDateTime is missing');
  });

  test('a job whose progress is not a list of counts is a GRAPH_MALFORMED_RESPONSE, not a wait on nothing', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.fault({
      method: 'GET',
      path: new RegExp(`/jobs/${jobId.replace(/\./g, '\\.')}$`),
      replaceBody: (real) => ({
        ...(real as object),
        status: { code: 'NotRun', progress: [{ completedUnits: 'many' }] },
      }),
    });
    const { client } = fakeClient(fake);
    const error = await waitForSteadyState(client, {
      servicePrincipalId: sp,
      jobId,
      timeoutMs: 1_000,
      pollMs: 10,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GRAPH_MALFORMED_RESPONSE' });
    expect((error as GraphError).message).toContain('status.progress[0]');
  });
});
