/**
 * The canary step (constructs/graph/canary.ts) against the fake Graph: a failure stops with Graph's steps and
 * leaves the job as it was (disabled stays disabled, running stays running: no pause); replication lag right after
 * the assignment is retried within its bound; a real skip fails with the reason.
 */
import { randomUUID } from 'node:crypto';
import { RollbarProvisioningError } from '../../constructs/core';
import { canaryLagWait, runCanary, type CanaryArgs } from '../../constructs/graph';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import type { FakeGraph } from '../fake-graph/server';

const ctx = useFakeGraph();
const USER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';

/** A Rollbar service principal with a job in `state`, known to the directory part too (for its assignments). */
function deployed(
  fake: FakeGraph,
  state?: 'Disabled' | 'Active' | 'Paused',
): { sp: string; jobId: string; args: CanaryArgs } {
  const sp = fake.addServicePrincipal();
  const jobId = fake.addJob(sp, state === undefined || state === 'Disabled' ? {} : { state });
  fake.directory.servicePrincipals.set(sp, {
    id: sp,
    appId: randomUUID(),
    applicationId: randomUUID(),
    displayName: 'Rollbar',
  });
  return {
    sp,
    jobId,
    args: { servicePrincipalId: `/servicePrincipals/${sp}`, jobId, principalObjectId: USER, enabled: true },
  };
}

/** The canary user's direct assignment to the app, made `ageMs` ago. */
function assign(fake: FakeGraph, sp: string, ageMs: number): void {
  const id = randomUUID();
  fake.directory.assignments.set(id, {
    id,
    appRoleId: randomUUID(),
    principalId: USER,
    principalDisplayName: 'Canary',
    principalType: 'User',
    resourceId: sp,
    resourceDisplayName: 'Rollbar',
    createdDateTime: new Date(Date.now() - ageMs).toISOString(),
  });
}

const writes = (fake: FakeGraph): string[] =>
  fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path.replace(/^.*\/jobs\/[^/]+/, '…')}`);

async function failure(p: Promise<unknown>): Promise<RollbarProvisioningError> {
  const e: unknown = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RollbarProvisioningError);
  return e as RollbarProvisioningError;
}

describe('runCanary', () => {
  test('a success on a disabled job: one on-demand request, and the job is neither started nor paused', async () => {
    const { fake } = ctx;
    const { sp, jobId, args } = deployed(fake);
    const { client } = fakeClient(fake);
    const r = await runCanary(client, args);
    expect(r).toMatchObject({ outcome: 'provisioned', attempts: 1, jobState: 'Disabled' });
    expect(writes(fake)).toEqual(['POST …/provisionOnDemand']);
    expect(fake.job(sp, jobId).schedule.state).toBe('Disabled');
  });

  test("a failure on a disabled job fails with CANARY_FAILED and Graph's steps, and provisioning stays off", async () => {
    const { fake } = ctx;
    const { sp, jobId, args } = deployed(fake);
    fake.onDemand.outcome(USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      reason: 'Rollbar rejected the user.',
    });
    const { client } = fakeClient(fake);
    const e = await failure(runCanary(client, args));
    expect(e.codes).toEqual(['CANARY_FAILED']);
    expect(e.message).toContain('Provisioning stays off: the job is Disabled and was not started.');
    expect(e.message).toContain('SystemForCrossDomainIdentityManagementServiceIncompatible');
    // Graph's steps, as provision-on-demand prints them.
    expect(e.message).toMatch(/^ {2}Import +Success +Retrieved User/m);
    expect(e.message).toMatch(/^ {2}Export +Failure +Failed to create User/m);
    expect(writes(fake)).toEqual(['POST …/provisionOnDemand']);
    expect(fake.job(sp, jobId).schedule.state).toBe('Disabled');
  });

  test('a failure on a running job fails, says the job was left running, and sends no pause', async () => {
    const { fake } = ctx;
    const { sp, jobId, args } = deployed(fake, 'Active');
    fake.onDemand.outcome(USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementBadRequest',
      reason: 'Bad request.',
    });
    const { client } = fakeClient(fake);
    const e = await failure(runCanary(client, args));
    expect(e.codes).toEqual(['CANARY_FAILED']);
    expect(e.message).toContain('The job is running (Active) and was left running: the canary never pauses it.');
    expect(fake.requestsTo('POST', /\/pause$/)).toEqual([]);
    expect(writes(fake)).toEqual(['POST …/provisionOnDemand']);
    expect(fake.job(sp, jobId).schedule.state).toBe('Active');
  });

  test('"skipped, not entitled" twice right after the assignment, then provisioned: passes after 3 attempts', async () => {
    const { fake } = ctx;
    const { sp, args } = deployed(fake);
    assign(fake, sp, 1_000);
    fake.onDemand.sequence(USER, [{ kind: 'notEntitled' }, { kind: 'notEntitled' }], { kind: 'success' });
    const { client, lines } = fakeClient(fake);
    const r = await runCanary(client, { ...args, lagWaitMs: 60_000 });
    expect(r).toMatchObject({ outcome: 'provisioned', attempts: 3 });
    expect(fake.onDemand.answered.get(USER)).toBe(3);
    expect(lines.join('\n')).toContain('its assignment is new');
  });

  test('a user that stays "not entitled" fails at its bound with CANARY_NOT_ENTITLED and the reason', async () => {
    const { fake } = ctx;
    const { args } = deployed(fake);
    // No assignment visible: maybe still replicating, so it is retried until the bound.
    fake.onDemand.outcome(USER, { kind: 'notEntitled' });
    fake.onDemand.rateLimit = { requests: 1_000, windowMs: 10_000 };
    const { client } = fakeClient(fake);
    // A bound well above one attempt's time on a busy machine (at 150 ms, one attempt under load took all of it).
    const e = await failure(runCanary(client, { ...args, lagWaitMs: 1_000 }));
    expect(e.codes).toEqual(['CANARY_NOT_ENTITLED']);
    expect(e.message).toMatch(/Still so after \d+\.\d s and \d+ attempts \(ROLLBAR_CANARY_LAG_WAIT_MS allows 1\.0 s/);
    expect(e.message).toContain('SkipReason NotEffectivelyEntitled');
    expect(e.message).toContain('Provisioning stays off');
    expect(fake.onDemand.answered.get(USER)).toBeGreaterThan(1);
  });

  test('an old assignment is no replication lag: the skip fails at once, after one attempt', async () => {
    const { fake } = ctx;
    const { sp, args } = deployed(fake);
    assign(fake, sp, 3_600_000);
    fake.onDemand.outcome(USER, { kind: 'notEntitled' });
    const { client } = fakeClient(fake);
    const e = await failure(runCanary(client, { ...args, lagWaitMs: 60_000 }));
    expect(e.codes).toEqual(['CANARY_NOT_ENTITLED']);
    expect(e.message).toContain('longer ago than the replication lag allowance (60 s), so this is not replication lag');
    expect(fake.onDemand.answered.get(USER)).toBe(1);
  });

  test('a skip by a scoping filter (the user is assigned) is not retried', async () => {
    const { fake } = ctx;
    const { args } = deployed(fake);
    fake.onDemand.outcome(USER, {
      kind: 'notEntitled',
      filters: { 'Only engineers department EQUALS Engineering': 'False' },
    });
    const { client } = fakeClient(fake);
    const e = await failure(runCanary(client, { ...args, lagWaitMs: 60_000 }));
    expect(e.codes).toEqual(['CANARY_NOT_ENTITLED']);
    expect(e.message).toContain('Graph sees the user as assigned, so this is not replication lag.');
    expect(e.message).toContain('Only engineers department EQUALS Engineering: False');
    expect(fake.onDemand.answered.get(USER)).toBe(1);
  });

  test('an already provisioned user (RedundantExport) passes as inSync', async () => {
    const { fake } = ctx;
    const { args } = deployed(fake, 'Paused');
    fake.onDemand.outcome(USER, { kind: 'inSync' });
    const { client } = fakeClient(fake);
    await expect(runCanary(client, args)).resolves.toMatchObject({ outcome: 'inSync', jobState: 'Paused' });
  });

  test('with provisioning declared off it calls nothing', async () => {
    const { fake } = ctx;
    const { args } = deployed(fake);
    const { client } = fakeClient(fake);
    await expect(runCanary(client, { ...args, enabled: false })).resolves.toEqual({
      outcome: 'off',
      attempts: 0,
      jobState: '',
    });
    expect(fake.requests).toEqual([]);
  });
});

describe('canaryLagWait', () => {
  test.each([
    [undefined, 300_000, false],
    ['0', 0, false],
    ['90000', 90_000, false],
    ['99999999', 1_800_000, true],
    ['soon', 300_000, true],
  ])('ROLLBAR_CANARY_LAG_WAIT_MS=%p is %p ms', (raw, ms, said) => {
    const lines: string[] = [];
    expect(canaryLagWait(raw === undefined ? {} : { ROLLBAR_CANARY_LAG_WAIT_MS: raw }, (l) => lines.push(l))).toBe(ms);
    expect(lines.length > 0).toBe(said);
  });
});
