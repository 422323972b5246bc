/**
 * Day two, observe: provision-on-demand, logs, status --wait / --no-exit-code / --test-connection and restart,
 * run in-process through `main` against the fake Graph (issue 22's acceptance).
 */
import { Readable } from 'node:stream';
import { main } from '../../cli/main';
import { useFakeGraph } from '../fake-graph/harness';
import { provisioningEvent } from '../fake-graph/provisioning-logs';
import { fakeEnv, runMain, type RunResult } from './run';

const ctx = useFakeGraph();

const USER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';
const OTHER = '2bc86211-6ada-4803-b73f-8039cf56d8a2';
const GROUP = '8213fd99-d6b6-417b-8e13-af6334856215';
const MEMBERS = ['cbc86211-6ada-4803-b73f-8039cf56d8a2', '2bc86211-6ada-4803-b73f-8039cf56d8a2'];

function setUp(state: 'Active' | 'Paused' = 'Active'): { sp: string; jobId: string } {
  const sp = ctx.fake.addServicePrincipal();
  return { sp, jobId: ctx.fake.addJob(sp, { state }) };
}

/** A run whose stdin is a terminal that types `answer` (or nothing). */
async function runAtTerminal(args: string[], env: Record<string, string>, answer: string): Promise<RunResult> {
  const stdin = Object.assign(Readable.from([answer]), { isTTY: true });
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    stdin,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
    cwd: process.cwd(),
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('provision-on-demand', () => {
  test('a user in scope: finds the rule id itself, prints each step, exits 0', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.onDemand.userPrincipalNames.set(USER, 'alice@contoso.com');

    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER], {
      env: fakeEnv(ctx.fake),
    });

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`User ${USER} (alice@contoso.com): provisioned (Success, Create)`);
    expect(r.stdout).toMatch(/^ {2}Import +Success +Retrieved User 'alice@contoso.com'/m);
    expect(r.stdout).toMatch(/^ {2}Scoping +Success /m);
    expect(r.stdout).toMatch(/^ {2}Matching +Success /m);
    expect(r.stdout).toMatch(/^ {2}Export +Success +User 'alice@contoso.com' was created/m);
    // The rule id came from the job's schema, read first; nobody passed it.
    expect(ctx.fake.requestsTo('GET', /\/jobs\/[^/]+\/schema$/)).toHaveLength(1);
    const [post] = ctx.fake.requestsTo('POST', /\/provisionOnDemand$/);
    expect(post?.path).toContain(`/jobs/${jobId}/provisionOnDemand`);
    expect(post?.body).toEqual({
      parameters: [{ ruleId: 'fixture-rule-id', subjects: [{ objectId: USER, objectTypeName: 'User' }] }],
    });
  });

  test('a user out of scope exits 1 and names what excluded them', async () => {
    const { sp } = setUp();
    ctx.fake.onDemand.outcome(USER, {
      kind: 'notEntitled',
      filters: { "Engineering only department EQUALS 'Engineering'": 'False' },
    });

    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER], {
      env: fakeEnv(ctx.fake),
    });

    expect(r.code).toBe(1);
    expect(r.stdout).toContain('skipped, not in scope (NotEffectivelyEntitled');
    expect(r.stdout).toMatch(/^Excluded by:\n {2}SkipReason NotEffectivelyEntitled\n/m);
    expect(r.stdout).toContain("  Engineering only department EQUALS 'Engineering': False");
    expect(r.stderr).toContain('provision-on-demand: skipped, not in scope');
  });

  test('a user not assigned is reported as such (Assigned: False)', async () => {
    const { sp } = setUp();
    ctx.fake.onDemand.outcome(USER, { kind: 'notEntitled' });
    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER, '--json'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ outcome: 'skipped', ok: false, errorCode: 'NotEffectivelyEntitled' });
    expect(result.scopeReasons).toEqual(
      expect.arrayContaining(['SkipReason NotEffectivelyEntitled', 'Assigned: False']),
    );
  });

  test("a failure exits 1 with Graph's error code and reason", async () => {
    const { sp } = setUp();
    ctx.fake.onDemand.outcome(USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementBadResponse',
      reason: 'Rollbar answered 500.',
    });
    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'failed (Failure: SystemForCrossDomainIdentityManagementBadResponse: Rollbar answered 500.)',
    );
    expect(r.stdout).toMatch(/^ {2}Export +Failure /m);
  });

  test('a user already in sync (RedundantExport) is a success', async () => {
    const { sp } = setUp();
    ctx.fake.onDemand.outcome(USER, { kind: 'inSync' });
    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('already in sync');
  });

  test("a group with members sends links.members and reports Graph's result without inventing steps", async () => {
    const { sp } = setUp();
    const r = await runMain(
      [
        'provision-on-demand',
        '--service-principal-id',
        sp,
        '--group',
        GROUP,
        '--member',
        MEMBERS[0]!,
        '--member',
        MEMBERS[1]!,
        '--json',
      ],
      { env: fakeEnv(ctx.fake) },
    );

    expect(r.code).toBe(0);
    const [post] = ctx.fake.requestsTo('POST', /\/provisionOnDemand$/);
    expect(post?.body).toEqual({
      parameters: [
        {
          ruleId: 'fixture-rule-id',
          subjects: [
            {
              objectId: GROUP,
              objectTypeName: 'Group',
              links: { members: MEMBERS.map((m) => ({ objectId: m, objectTypeName: 'User' })) },
            },
          ],
        },
      ],
    });
    expect(JSON.parse(r.stdout)).toMatchObject({
      result: 'Success',
      stepsReported: false,
      steps: [],
      members: MEMBERS,
    });

    const human = await runMain(['provision-on-demand', '--service-principal-id', sp, '--group', GROUP], {
      env: fakeEnv(ctx.fake),
    });
    expect(human.stdout).toContain(`Group ${GROUP}: provisioned (Success)`);
    expect(human.stdout).toContain('Graph reports no step detail for groups');
  });

  test('more than five members is refused before anything is sent', async () => {
    const { sp } = setUp();
    const members = Array.from({ length: 6 }, (_, i) => `00000000-0000-4000-8000-00000000000${i}`);
    const r = await runMain(
      [
        'provision-on-demand',
        '--service-principal-id',
        sp,
        '--group',
        GROUP,
        ...members.flatMap((m) => ['--member', m]),
      ],
      { env: fakeEnv(ctx.fake) },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('members must hold at most 5 users');
    expect(ctx.fake.requestsTo('POST', /\/provisionOnDemand$/)).toHaveLength(0);
  });

  test("a 429 waits as Graph's Retry-After says, prints the wait, and succeeds", async () => {
    const { sp } = setUp();
    // Graph's limit is 5 per 10 s; a 1-per-500-ms window keeps the test short while the Retry-After is real.
    ctx.fake.onDemand.rateLimit = { requests: 1, windowMs: 500 };
    const env = fakeEnv(ctx.fake, { ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '2000' });
    const first = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', USER], { env });
    const second = await runMain(['provision-on-demand', '--service-principal-id', sp, '--user', OTHER], { env });

    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/provisionOnDemand answered HTTP 429; retrying in 1\.0 s/);
    expect(ctx.fake.requestsTo('POST', /\/provisionOnDemand$/)).toHaveLength(3);
  });

  test.each([
    [['--user', USER, '--group', GROUP], 'give one of --user or --group'],
    [[], 'give one of --user or --group'],
    [['--user', USER, '--member', OTHER], '--member goes with --group'],
    [['--user', USER, '--timeout', 'soon'], '--timeout must be a duration'],
  ])('%p is a usage error', async (extra, message) => {
    const { sp } = setUp();
    const r = await runMain(['provision-on-demand', '--service-principal-id', sp, ...extra], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('logs', () => {
  const USERS = [
    { id: '11111111-0000-4000-8000-000000000001', displayName: 'Alice' },
    { id: '11111111-0000-4000-8000-000000000002', displayName: 'Bob' },
  ];

  function seed(sp: string, jobId: string): void {
    const hoursAgo = (h: number): string =>
      new Date(Date.now() - h * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const conflict = { errorCode: 'SystemForCrossDomainIdentityManagementConflict', reason: 'Rollbar answered 409.' };
    // Added out of order: the newest-first order is the command's job.
    ctx.fake.provisioningLogs.add(
      provisioningEvent({
        id: 'f-3h',
        at: hoursAgo(3),
        servicePrincipalId: sp,
        jobId,
        user: USERS[0]!,
        failure: conflict,
      }),
      provisioningEvent({ id: 's-1h', at: hoursAgo(1), servicePrincipalId: sp, jobId, user: USERS[1]! }),
      provisioningEvent({
        id: 'f-1h',
        at: hoursAgo(1.5),
        servicePrincipalId: sp,
        jobId,
        user: USERS[1]!,
        failure: conflict,
      }),
      provisioningEvent({
        id: 'f-5h',
        at: hoursAgo(5),
        servicePrincipalId: sp,
        jobId,
        user: USERS[1]!,
        failure: conflict,
      }),
      provisioningEvent({
        id: 'f-3d',
        at: hoursAgo(72),
        servicePrincipalId: sp,
        jobId,
        user: USERS[0]!,
        failure: conflict,
      }),
      provisioningEvent({
        id: 'other-sp',
        at: hoursAgo(2),
        servicePrincipalId: '99999999-0000-4000-8000-000000000000',
        jobId,
        user: USERS[0]!,
        failure: conflict,
      }),
    );
    ctx.fake.provisioningLogs.maxPageSize = 2;
  }

  test('--since 1d --failed pages through two pages and prints only failures, newest first', async () => {
    const { sp, jobId } = setUp();
    seed(sp, jobId);

    const r = await runMain(['logs', '--service-principal-id', sp, '--since', '1d', '--failed'], {
      env: fakeEnv(ctx.fake),
    });

    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(
      lines.every((l) =>
        l.includes('  failure  SystemForCrossDomainIdentityManagementConflict: Rollbar answered 409.'),
      ),
    ).toBe(true);
    const times = lines.map((l) => l.split('  ')[0]!);
    expect([...times].sort().reverse()).toEqual(times);
    expect(lines[0]).toContain('  create  Bob (11111111-0000-4000-8000-000000000002) → Bob  failure  ');
    const pages = ctx.fake.requestsTo('GET', /^\/auditLogs\/provisioning$/);
    expect(pages).toHaveLength(2);
  });

  test('sends the documented, case-sensitive $filter', async () => {
    const { sp, jobId } = setUp();
    seed(sp, jobId);
    const user = await runMain(
      ['logs', '--service-principal-id', sp, '--user', USERS[0]!.id, '--since', '2020-01-01T00:00:00Z', '--json'],
      {
        env: fakeEnv(ctx.fake),
      },
    );
    const ids = (JSON.parse(user.stdout) as { entries: { id: string }[] }).entries.map((e) => e.id);
    expect(ids).toEqual(['f-3h', 'f-3d']);
  });

  test('--json is valid JSON with the entries and paging state', async () => {
    const { sp, jobId } = setUp();
    seed(sp, jobId);
    const r = await runMain(['logs', '--service-principal-id', sp, '--since', '1d', '--failed', '--json'], {
      env: fakeEnv(ctx.fake),
    });
    const parsed = JSON.parse(r.stdout) as { entries: { id: string; status: string }[]; truncated: boolean };
    expect(parsed.entries.map((e) => e.id)).toEqual(['f-1h', 'f-3h', 'f-5h']);
    expect(parsed.entries.every((e) => e.status === 'failure')).toBe(true);
    expect(parsed.truncated).toBe(false);
  });

  test('--user with a user principal name is looked up, then filtered by Graph', async () => {
    const { sp, jobId } = setUp();
    seed(sp, jobId);
    ctx.fake.provisioningLogs.addUser({ id: USERS[1]!.id, userPrincipalName: 'bob@contoso.com' });
    const r = await runMain(['logs', '--service-principal-id', sp, '--user', 'bob@contoso.com', '--json'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { entries: { id: string }[] }).entries.map((e) => e.id)).toEqual([
      's-1h',
      'f-1h',
      'f-5h',
    ]);
  });

  test('a 403 names the permissions the logs need', async () => {
    const { sp } = setUp();
    ctx.fake.fault({
      path: '/auditLogs/provisioning',
      status: 403,
      message: 'Insufficient privileges to complete the operation.',
    });
    const r = await runMain(['logs', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AuditLog.Read.All and Directory.Read.All');
    expect(r.stderr).not.toContain('Synchronization.ReadWrite.All');
  });

  test('nothing found says so', async () => {
    const { sp } = setUp();
    const r = await runMain(['logs', '--service-principal-id', sp, '--since', '2h'], { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^No provisioning events since /);
  });
});

describe('status', () => {
  test('--wait exits 0 once the job reaches steady state, with progress from status.progress', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.initialCycle.start(ctx.fake.job(sp, jobId), { totalUnits: 120, reads: 3, end: 'steady' });

    const r = await runMain(['status', '--service-principal-id', sp, '--job-id', jobId, '--wait', '--poll', '10ms'], {
      env: fakeEnv(ctx.fake),
    });

    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Initial cycle: 40 of 120 users (33%)');
    expect(r.stderr).toContain('Initial cycle: 80 of 120 users (66%)');
    expect(r.stdout).toMatch(/^Wait: +steady state reached/m);
  });

  test('--wait exits non-zero when the job quarantines', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.initialCycle.start(ctx.fake.job(sp, jobId), {
      totalUnits: 10,
      reads: 2,
      end: { quarantine: 'EncounteredQuarantineException' },
    });
    const r = await runMain(['status', '--service-principal-id', sp, '--wait', '--poll', '10ms'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Wait: +stopped: the job went into quarantine/m);
    expect(r.stderr).toContain('the job is quarantined (EncounteredQuarantineException)');
  });

  test('--wait exits non-zero when the cycle fails, and on timeout', async () => {
    const failed = setUp();
    ctx.fake.initialCycle.start(ctx.fake.job(failed.sp, failed.jobId), { totalUnits: 10, reads: 1, end: 'failed' });
    const f = await runMain(['status', '--service-principal-id', failed.sp, '--wait', '--poll', '10ms'], {
      env: fakeEnv(ctx.fake),
    });
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('its last cycle failed');

    const slow = setUp();
    ctx.fake.initialCycle.start(ctx.fake.job(slow.sp, slow.jobId), { totalUnits: 10, reads: 1_000_000, end: 'steady' });
    const t = await runMain(
      ['status', '--service-principal-id', slow.sp, '--wait', '--poll', '10ms', '--timeout', '100ms'],
      {
        env: fakeEnv(ctx.fake),
      },
    );
    expect(t.code).toBe(1);
    expect(t.stderr).toContain('no steady state within 100ms');
  });

  test('--wait on a paused job does not wait: nothing is running', async () => {
    const { sp } = setUp('Paused');
    const r = await runMain(['status', '--service-principal-id', sp, '--wait', '--poll', '10ms'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the job is Paused');
  });

  test('plain status on a quarantined job exits non-zero; --no-exit-code opts out', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.quarantine(sp, jobId);
    const plain = await runMain(['status', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    const optOut = await runMain(['status', '--service-principal-id', sp, '--no-exit-code'], {
      env: fakeEnv(ctx.fake),
    });
    const healthy = setUp();
    const ok = await runMain(['status', '--service-principal-id', healthy.sp], { env: fakeEnv(ctx.fake) });

    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('the job is quarantined (EncounteredQuarantineException)');
    expect(optOut.code).toBe(0);
    expect(optOut.stdout).toBe(plain.stdout);
    expect(ok.code).toBe(0);
  });

  test('--test-connection tests the saved credentials (useSavedCredentials) and says whether they pass', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.servicePrincipal(sp).secrets = [{ key: 'SecretToken', value: ctx.fake.validSecretToken }];
    const pass = await runMain(['status', '--service-principal-id', sp, '--test-connection'], {
      env: fakeEnv(ctx.fake),
    });
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/^Test Connection: +passed/m);
    expect(ctx.fake.requestsTo('POST', /\/validateCredentials$/).map((r) => r.body)).toEqual([
      { useSavedCredentials: true },
    ]);

    ctx.fake.servicePrincipal(sp).secrets = [{ key: 'SecretToken', value: 'an-old-token' }];
    const fail = await runMain(
      ['status', '--service-principal-id', sp, '--job-id', jobId, '--test-connection', '--json'],
      {
        env: fakeEnv(ctx.fake),
      },
    );
    expect(fail.code).toBe(1);
    expect(JSON.parse(fail.stdout)).toMatchObject({ testConnection: { ok: false, code: 'BadRequest' } });
    expect(fail.stdout).not.toContain('an-old-token');
  });

  test('without --test-connection nothing is sent to Rollbar', async () => {
    const { sp } = setUp();
    await runMain(['status', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    expect(ctx.fake.requestsTo('POST', /\/validateCredentials$/)).toHaveLength(0);
  });
});

describe('restart', () => {
  test('--scope full without --yes and without a terminal refuses and sends nothing', async () => {
    const { sp } = setUp();
    const r = await runMain(['restart', '--service-principal-id', sp, '--scope', 'full'], { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('CONFIRMATION_REQUIRED');
    expect(r.stderr).toContain('there is no terminal to ask');
    expect(r.stderr).toContain('Pass --yes');
    expect(ctx.fake.requestsTo('POST', /\/restart$/)).toHaveLength(0);
  });

  test('--scope full at a terminal asks; "no" refuses, "yes" restarts', async () => {
    const { sp } = setUp();
    const no = await runAtTerminal(
      ['restart', '--service-principal-id', sp, '--scope', 'full'],
      fakeEnv(ctx.fake),
      'n\n',
    );
    expect(no.stderr).toContain('Restart with full (all of the options)? [y/N]');
    expect(no.code).toBe(1);
    expect(ctx.fake.requestsTo('POST', /\/restart$/)).toHaveLength(0);

    const yes = await runAtTerminal(
      ['restart', '--service-principal-id', sp, '--scope', 'full'],
      fakeEnv(ctx.fake),
      'yes\n',
    );
    expect(yes.code).toBe(0);
    expect(ctx.fake.requestsTo('POST', /\/restart$/).map((r) => r.body)).toEqual([
      { criteria: { resetScope: 'Full' } },
    ]);
  });

  test.each([
    ['full', 'Full'],
    ['force-deletes', 'ForceDeletes'],
    ['quarantine,watermark', 'QuarantineState, Watermark'],
  ])('--scope %s --yes sends the documented body', async (scope, resetScope) => {
    const { sp, jobId } = setUp();
    const r = await runMain(['restart', '--service-principal-id', sp, '--scope', scope, '--yes'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(0);
    const posts = ctx.fake.requestsTo('POST', /\/restart$/);
    expect(posts.map((p) => [p.path, p.body])).toEqual([
      [`/servicePrincipals/${sp}/synchronization/jobs/${jobId}/restart`, { criteria: { resetScope } }],
    ]);
  });

  test('quarantine (the default) needs no confirmation; a TooManyDeletes quarantine points at force-deletes', async () => {
    const { sp, jobId } = setUp();
    ctx.fake.quarantine(sp, jobId, 'TooManyDeletes');
    const r = await runMain(['restart', '--service-principal-id', sp], { env: fakeEnv(ctx.fake) });
    expect(r.code).toBe(0);
    expect(ctx.fake.requestsTo('POST', /\/restart$/).map((p) => p.body)).toEqual([
      { criteria: { resetScope: 'QuarantineState' } },
    ]);
    expect(r.stderr).toContain('restart --scope force-deletes');
  });

  test('an unknown scope is refused with the list', async () => {
    const { sp } = setUp();
    const r = await runMain(['restart', '--service-principal-id', sp, '--scope', 'connector-data-store', '--yes'], {
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('INVALID_RESET_SCOPE');
    expect(r.stderr).toContain('quarantine, watermark, escrows, force-deletes, full');
    expect(ctx.fake.requestsTo('POST', /\/restart$/)).toHaveLength(0);
  });
});
