import { randomUUID } from 'node:crypto';
import type { SynchronizationScheduleState } from '@microsoft/microsoft-graph-types';
import { renderSecrets, resolveSpec, RollbarProvisioningError, type CredentialSettings } from '../../constructs/core';
import {
  findSyncTemplate,
  getJobStatus,
  GraphError,
  readProvisioning,
  saveCredentials,
  setProvisioning,
} from '../../constructs/graph';
import { servicePrincipalObjectId } from '../../constructs/graph/ids';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import { FAKE_TEMPLATE_ID } from '../fake-graph/server';

const ctx = useFakeGraph();

const settings = (extra: Record<string, unknown> = {}): CredentialSettings =>
  resolveSpec({ secretToken: '', notification: { email: 'ops@example.com' }, ...extra }).settings;

describe('findSyncTemplate', () => {
  test.each([
    ['the default one among several', [{ id: 'other' }, { id: 'rollbar', default: true }], 'rollbar'],
    ['the only one, even when not marked default', [{ id: 'only', default: false }], 'only'],
  ])('picks %s', async (_name, templates, expected) => {
    const sp = ctx.fake.addServicePrincipal({ templates });
    await expect(findSyncTemplate(fakeClient(ctx.fake).client, { servicePrincipalId: sp })).resolves.toEqual({
      templateId: expected,
    });
  });

  test.each([
    ['no template', [], 'SYNC_TEMPLATE_NOT_FOUND', 'lists no synchronization template'],
    ['several without a default', [{ id: 'a' }, { id: 'b' }], 'AMBIGUOUS_SYNC_TEMPLATE', 'one of: a, b'],
    [
      'several marked default',
      [
        { id: 'a', default: true },
        { id: 'b', default: true },
      ],
      'AMBIGUOUS_SYNC_TEMPLATE',
      'one of: a, b',
    ],
  ])('with %s, fails and says to set syncTemplateId', async (_name, templates, code, text) => {
    const sp = ctx.fake.addServicePrincipal({ templates });
    const e = await findSyncTemplate(fakeClient(ctx.fake).client, { servicePrincipalId: sp }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual([code]);
    expect((e as Error).message).toContain('syncTemplateId must be set');
    expect((e as Error).message).toContain(text);
  });

  test('accepts the /servicePrincipals/{oid} form', async () => {
    const sp = ctx.fake.addServicePrincipal();
    await expect(
      findSyncTemplate(fakeClient(ctx.fake).client, { servicePrincipalId: `/servicePrincipals/${sp}` }),
    ).resolves.toEqual({ templateId: FAKE_TEMPLATE_ID });
  });

  test('an unknown service principal is a 404 that names servicePrincipalId', async () => {
    const e = await findSyncTemplate(fakeClient(ctx.fake).client, {
      servicePrincipalId: '00000000-0000-4000-8000-000000000000',
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GraphError);
    expect((e as GraphError).status).toBe(404);
    expect((e as Error).message).toContain('check servicePrincipalId');
  });

  test.each(['', 'not-a-guid', '/applications/00000000-0000-4000-8000-000000000000'])(
    'rejects the service principal id %p before calling Graph',
    (id) => {
      expect(() => servicePrincipalObjectId(id)).toThrow(/INVALID_OBJECT_ID/);
    },
  );
});

describe('saveCredentials', () => {
  test('validates the token and tenant URL, then saves the complete set in one PUT', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const s = settings({ tenantUrl: 'https://rollbar.example.com/scim' });

    const result = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: fake.validSecretToken,
      settings: s,
      test: true,
    });

    const expected = renderSecrets({ secretToken: fake.validSecretToken, settings: s });
    expect(result).toEqual({ validated: true, saved: expected.length });
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(/.*\/synchronization/, '')}`)).toEqual([
      `POST /jobs/${jobId}/validateCredentials`,
      'PUT /secrets',
    ]);
    expect(fake.requests[0]?.body).toEqual({
      useSavedCredentials: false,
      credentials: [
        { key: 'SecretToken', value: fake.validSecretToken },
        { key: 'BaseAddress', value: 'https://rollbar.example.com/scim' },
      ],
    });
    expect(fake.requests[1]?.body).toEqual({ value: expected });
    expect(fake.servicePrincipal(sp).secrets).toEqual(expected);
    expect(fake.servicePrincipal(sp).secretWrites).toBe(1);
  });

  test("a bad token fails with Graph's message and saves nothing", async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const badToken = 'wrong-rollbar-token-xyz';

    const e = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: badToken,
      settings: settings(),
      test: true,
    }).catch((err: unknown) => err);

    expect(e).toBeInstanceOf(GraphError);
    expect((e as GraphError).status).toBe(400);
    expect((e as Error).message).toMatch(/^Test Connection failed, nothing was saved\. Microsoft Graph POST/);
    expect((e as Error).message).toContain('An error occurred while testing the connection');
    expect((e as Error).message).toContain('Check the Rollbar SCIM token');
    expect((e as Error).message).not.toContain(badToken);
    expect(fake.requestsTo('PUT', /secrets$/)).toHaveLength(0);
    expect(fake.servicePrincipal(sp).secrets).toBeUndefined();
  });

  test('test: false skips validateCredentials and still saves the complete set', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);

    const result = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: 'any-token-value',
      settings: settings({ scope: 'all', skipOutOfScopeDeletions: true }),
      test: false,
    });

    expect(result).toEqual({ validated: false, saved: 4 });
    expect(fake.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    expect(fake.servicePrincipal(sp).secrets?.map((s) => s.key)).toEqual([
      'SecretToken',
      'SyncNotificationSettings',
      'SyncAll',
      'SkipOutOfScopeDeletions',
    ]);
  });

  test('a secret echoed by Graph in an error is redacted', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const token = 'echoed-secret-token-123';
    fake.fault({ method: 'PUT', path: /secrets$/, status: 400, message: `Invalid value '${token}' for SecretToken` });

    const e = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: token,
      settings: settings(),
      test: false,
    }).catch((err: unknown) => err);

    expect((e as Error).message).toContain("Invalid value '<redacted>' for SecretToken");
    expect((e as Error).message).not.toContain(token);
  });

  test('an unknown job is a 404 that names the job id, and nothing is saved', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const e = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId: 'missing-job',
      secretToken: fake.validSecretToken,
      settings: settings(),
      test: true,
    }).catch((err: unknown) => err);
    expect((e as Error).message).toContain("The synchronization job 'missing-job' is unknown");
    expect(fake.servicePrincipal(sp).secrets).toBeUndefined();
  });
});

describe('setProvisioning', () => {
  type Row = [string, SynchronizationScheduleState, boolean, boolean, 'start' | 'restart' | 'pause' | 'none', string];
  const rows: Row[] = [
    ['starts a disabled job', 'Disabled', false, true, 'start', 'Active'],
    ['starts a paused job', 'Paused', false, true, 'start', 'Active'],
    ['leaves an active job alone (never start it)', 'Active', false, true, 'none', 'Active'],
    ['restarts a quarantined job', 'Active', true, true, 'restart', 'Active'],
    ['pauses an active job when off', 'Active', false, false, 'pause', 'Paused'],
    ['pauses a quarantined job when off', 'Active', true, false, 'pause', 'Paused'],
    ['leaves a paused job paused when off', 'Paused', false, false, 'none', 'Paused'],
    ['leaves a disabled job disabled when off', 'Disabled', false, false, 'none', 'Disabled'],
  ];

  test.each(rows)('%s', async (_name, state, quarantined, enabled, action, after) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state });
    if (quarantined) fake.quarantine(sp, jobId);

    const result = await setProvisioning(fakeClient(fake).client, { servicePrincipalId: sp, jobId, enabled });

    expect(result).toEqual({ action, state: after });
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => r.path.split('/').pop())).toEqual(action === 'none' ? [] : [action]);
    if (action === 'restart') expect(posts[0]?.body).toEqual({ criteria: { resetScope: 'QuarantineState' } });
    if (action === 'start' || action === 'pause') expect(posts[0]?.body).toBeUndefined();
    const job = fake.job(sp, jobId);
    expect(job.startsWhileActive).toBe(0);
    expect(job.schedule.state).toBe(after);
    if (enabled) expect(job.status.quarantine).toBeUndefined();
  });

  test('running it twice never starts the job a second time', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const { client } = fakeClient(fake);

    await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });
    const second = await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });

    expect(second.action).toBe('none');
    expect(fake.requestsTo('POST', /\/start$/)).toHaveLength(1);
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });
});

describe('readProvisioning', () => {
  type Row = [string, SynchronizationScheduleState, string | undefined, boolean, string, boolean, number];
  const rows: Row[] = [
    ['an active job, declared on: nothing to do', 'Active', undefined, true, 'none', true, 0],
    ['a paused job, declared on: start', 'Paused', undefined, true, 'start', false, 1],
    ['a disabled job, declared on: start', 'Disabled', undefined, true, 'start', false, 1],
    ['an active job, declared off: pause', 'Active', undefined, false, 'pause', true, 1],
    ['a quarantined job, declared on: restart', 'Active', 'EncounteredQuarantineException', true, 'restart', true, 1],
    ['TooManyDeletes, declared on: reported, nothing to do', 'Active', 'TooManyDeletes', true, 'none', true, 1],
  ];

  test.each(rows)('%s', async (_name, state, reason, enabled, action, live, lines) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state });
    if (reason !== undefined) fake.quarantine(sp, jobId, reason as 'TooManyDeletes');

    const result = await readProvisioning(fakeClient(fake).client, { servicePrincipalId: sp, jobId, enabled });

    expect(result).toMatchObject({ action, enabled: live, state });
    expect(result.quarantineReason).toBe(reason);
    expect(result.drift).toHaveLength(lines);
    expect(fake.requests.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('job ids', () => {
  test('the azuread resource id of the job is accepted', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const s = await getJobStatus(fakeClient(fake).client, {
      servicePrincipalId: `/servicePrincipals/${sp}`,
      jobId: `/servicePrincipals/${sp}/synchronization/jobs/${jobId}`,
    });
    expect(s.jobId).toBe(jobId);
  });

  test.each([
    [
      'a job of another service principal',
      (job: string) => `/servicePrincipals/${randomUUID()}/synchronization/jobs/${job}`,
    ],
    ['a path that is not a job', () => 'jobs/../secrets'],
    ['an empty id', () => ''],
  ])('%s is INVALID_JOB_ID, before any call', async (_name, id) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const e = await setProvisioning(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId: id(jobId),
      enabled: true,
    }).catch((err: unknown) => err);
    expect((e as RollbarProvisioningError).codes).toEqual(['INVALID_JOB_ID']);
    expect(fake.requests).toHaveLength(0);
  });
});

describe('getJobStatus', () => {
  test('reports state, status code, last cycle, counts', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });

    const s = await getJobStatus(fakeClient(fake).client, { servicePrincipalId: sp, jobId });

    expect(s).toMatchObject({
      jobId,
      templateId: FAKE_TEMPLATE_ID,
      state: 'Active',
      interval: 'PT40M',
      statusCode: 'Active',
      lastExecution: { state: 'Succeeded', timeBegan: '2024-05-01T09:00:00Z', countExported: 3, countEscrowed: 0 },
      lastSuccessfulExecution: { timeEnded: '2024-05-01T09:02:00Z' },
      synchronizedEntryCountByType: { User: 10, Group: 2 },
    });
    expect(s.quarantine).toBeUndefined();
  });

  test('reports the quarantine reason, start and next attempt', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.quarantine(sp, jobId, 'TooManyDeletes');

    const s = await getJobStatus(fakeClient(fake).client, { servicePrincipalId: sp, jobId });

    expect(s.statusCode).toBe('Quarantine');
    expect(s.quarantine).toMatchObject({
      reason: 'TooManyDeletes',
      currentBegan: '2024-05-01T10:00:00Z',
      nextAttempt: '2024-05-01T22:00:00Z',
      seriesCount: 2,
    });
  });

  test('without a job id, reads the only job', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const s = await getJobStatus(fakeClient(fake).client, { servicePrincipalId: sp });
    expect(s).toMatchObject({ jobId, state: 'Disabled', statusCode: 'NotConfigured' });
  });

  test.each([
    [0, 'has no provisioning job'],
    [2, 'has 2 provisioning jobs'],
  ])('without a job id and %i jobs, fails with SYNC_JOB_NOT_FOUND', async (count, text) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    for (let i = 0; i < count; i++) fake.addJob(sp);
    const e = await getJobStatus(fakeClient(fake).client, { servicePrincipalId: sp }).catch((err: unknown) => err);
    expect((e as RollbarProvisioningError).codes).toEqual(['SYNC_JOB_NOT_FOUND']);
    expect((e as Error).message).toContain(text);
  });
});
