/**
 * The CLI as Terraform runs it: a separate `node` process on the bundled CLI, the external data source's JSON
 * on stdin, or local-exec's ROLLBAR_INPUT with no stdin. (The repository's bin launcher is run by the corpus test.)
 */
import { useFakeGraph } from '../fake-graph/harness';
import { FAKE_TEMPLATE_ID } from '../fake-graph/server';
import { fakeEnv, useBundle, type RunResult } from './run';

const ctx = useFakeGraph();
const cli = useBundle();

/** Terraform's external data source accepts exactly one JSON object whose values are all strings. */
function externalOutput(r: RunResult): Record<string, string> {
  const parsed: unknown = JSON.parse(r.stdout);
  expect(typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)).toBe(true);
  for (const v of Object.values(parsed as Record<string, unknown>)) expect(typeof v).toBe('string');
  return parsed as Record<string, string>;
}

const noStack = (text: string): void => expect(text).not.toMatch(/^\s+at /m);

describe('graph sync-template as an external data source', () => {
  test('prints {"templateId": …}', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const r = await cli.run(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: `/servicePrincipals/${sp}`, tenantId: ctx.fake.tenantId }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(0);
    expect(externalOutput(r)).toEqual({ templateId: FAKE_TEMPLATE_ID });
  });

  test.each([
    ['no template', []],
    ['several templates', [{ id: 'a' }, { id: 'b' }]],
  ])('with %s, exits 1 and says to set syncTemplateId', async (_name, templates) => {
    const sp = ctx.fake.addServicePrincipal({ templates });
    const r = await cli.run(['graph', 'sync-template'], {
      input: JSON.stringify({ servicePrincipalId: sp }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('syncTemplateId must be set');
    noStack(r.stderr);
  });
});

describe('graph plan as the Plan data source runs it (query on stdin, strings out)', () => {
  test('a paused job with a drifted mapping: every field a string, both drifts named, nothing written', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Paused' });
    // The external data source passes only strings: the mappings come as a JSON string, enabled as "true".
    const query = {
      servicePrincipalId: `/servicePrincipals/${sp}`,
      tenantId: fake.tenantId,
      enabled: 'true',
      mappings: JSON.stringify({ users: { attributes: { displayName: { source: '[mail]' } } } }),
    };
    const r = await cli.run(['graph', 'plan'], { input: JSON.stringify(query), env: fakeEnv(fake) });

    expect(r.code).toBe(0);
    const out = externalOutput(r);
    expect(out).toMatchObject({
      templateId: '',
      jobId,
      mappingsInSync: 'false',
      jobOk: 'false',
      jobState: 'Paused',
      readError: '',
    });
    expect(out.drift).toMatch(/^users displayName: \S.* → \[mail\]$/);
    expect(out.jobDrift).toContain('the next apply starts it');
    expect(fake.requests.every((q) => q.method === 'GET')).toBe(true);
  });

  test('an unknown input field exits 1 naming it, before any Graph call', async () => {
    const r = await cli.run(['graph', 'plan'], {
      input: JSON.stringify({ servicePrincipalId: ctx.fake.addServicePrincipal(), enabled: 'true', jobId: 'x' }),
      env: fakeEnv(ctx.fake),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('jobId must be a field of this command');
    expect(ctx.fake.requests).toHaveLength(0);
    noStack(r.stderr);
  });
});

describe('graph save-credentials as local-exec runs it (ROLLBAR_INPUT, no stdin)', () => {
  test('a good token is validated, then the complete set is saved in one PUT; the token is never printed', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const input = {
      servicePrincipalId: sp,
      jobId,
      tenantId: fake.tenantId,
      settings: JSON.stringify({ notification: { email: 'ops@example.com' }, accidentalDeletionThreshold: 50 }),
      test: 'true',
    };

    const r = await cli.run(['graph', 'save-credentials'], {
      env: fakeEnv(fake, { ROLLBAR_INPUT: JSON.stringify(input), ROLLBAR_SECRET_TOKEN: fake.validSecretToken }),
    });

    expect(r.code).toBe(0);
    expect(externalOutput(r)).toEqual({ validated: 'true', saved: '4' });
    expect(fake.requests.map((q) => q.method + ' ' + (q.path.split('/').pop() ?? ''))).toEqual([
      'POST validateCredentials',
      // The saved keys, to clear a tenant URL the configuration no longer sets (graph/credentials.ts).
      'GET secrets',
      'PUT secrets',
    ]);
    expect(fake.servicePrincipal(sp).secrets).toEqual([
      { key: 'SecretToken', value: fake.validSecretToken },
      {
        key: 'SyncNotificationSettings',
        value:
          '{"Enabled":true,"Recipients":"ops@example.com","DeleteThresholdEnabled":true,"DeleteThresholdValue":50}',
      },
      { key: 'SyncAll', value: 'false' },
      { key: 'SkipOutOfScopeDeletions', value: 'False' },
    ]);
    expect(r.stderr).toContain('Testing the connection');
    expect(r.stdout + r.stderr).not.toContain(fake.validSecretToken);
  });

  test("a bad token exits 1 with Graph's message, saves nothing, and is never printed", async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const badToken = 'bad-rollbar-token-4f2a9c';

    const r = await cli.run(['graph', 'save-credentials'], {
      env: fakeEnv(fake, {
        ROLLBAR_INPUT: JSON.stringify({ servicePrincipalId: sp, jobId }),
        ROLLBAR_SECRET_TOKEN: badToken,
      }),
    });

    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('An error occurred while testing the connection');
    expect(r.stderr).toContain('HTTP 400');
    expect(r.stdout + r.stderr).not.toContain(badToken);
    expect(fake.requestsTo('PUT', /secrets$/)).toHaveLength(0);
    expect(fake.servicePrincipal(sp).secrets).toBeUndefined();
    noStack(r.stderr);
  });
});

describe('graph set-provisioning', () => {
  test.each([
    ['an active job is never started', 'Active' as const, false, true, { state: 'Active', action: 'none' }, []],
    [
      'a quarantined job is restarted with QuarantineState',
      'Active' as const,
      true,
      true,
      { state: 'Active', action: 'restart' },
      ['restart'],
    ],
    [
      'an active job is paused when disabled',
      'Active' as const,
      false,
      false,
      { state: 'Paused', action: 'pause' },
      ['pause'],
    ],
  ])('%s', async (_name, state, quarantined, enabled, output, posts) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state });
    if (quarantined) fake.quarantine(sp, jobId);

    const r = await cli.run(['graph', 'set-provisioning'], {
      input: JSON.stringify({ servicePrincipalId: sp, jobId, enabled: String(enabled) }),
      env: fakeEnv(fake),
    });

    expect(r.code).toBe(0);
    expect(externalOutput(r)).toEqual(output);
    const sent = fake.requests.filter((q) => q.method === 'POST');
    expect(sent.map((q) => q.path.split('/').pop())).toEqual(posts);
    if (quarantined) expect(sent[0]?.body).toEqual({ criteria: { resetScope: 'QuarantineState' } });
    expect(fake.job(sp, jobId).startsWhileActive).toBe(0);
  });
});

describe('graph provision-on-demand (the canary) as local-exec runs it', () => {
  const USER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';

  test('a provisioned canary prints its outcome as strings; nothing but the on-demand request is sent', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const r = await cli.run(['graph', 'provision-on-demand'], {
      env: fakeEnv(fake, {
        ROLLBAR_INPUT: JSON.stringify({
          servicePrincipalId: `/servicePrincipals/${sp}`,
          jobId,
          principalObjectId: USER,
          enabled: 'true',
        }),
      }),
    });
    expect(r.code).toBe(0);
    expect(externalOutput(r)).toEqual({ outcome: 'provisioned', attempts: '1', jobState: 'Disabled' });
    expect(fake.requests.filter((q) => q.method !== 'GET').map((q) => q.path.split('/').pop())).toEqual([
      'provisionOnDemand',
    ]);
  });

  test("a failed canary exits 1 with Graph's steps on stderr and leaves the job disabled", async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    fake.onDemand.outcome(USER, {
      kind: 'failure',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      reason: 'Rollbar rejected the user.',
    });
    const r = await cli.run(['graph', 'provision-on-demand'], {
      env: fakeEnv(fake, {
        ROLLBAR_INPUT: JSON.stringify({ servicePrincipalId: sp, jobId, principalObjectId: USER, enabled: 'true' }),
      }),
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[CANARY_FAILED]');
    expect(r.stderr).toMatch(/^ {2}Export +Failure +Failed to create User/m);
    expect(r.stderr).toContain('Provisioning stays off');
    expect(fake.job(sp, jobId).schedule.state).toBe('Disabled');
    noStack(r.stderr);
  });
});

describe('status', () => {
  test('prints a readable summary: state, last cycle, quarantine (and exits 1: the job is quarantined)', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    fake.quarantine(sp, jobId);

    const r = await cli.run(['status', '--service-principal-id', sp], { env: fakeEnv(fake) });

    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the job is quarantined (EncounteredQuarantineException)');
    expect(r.stdout).toMatch(/^State: +Active \(status Quarantine\), every 40 min$/m);
    expect(r.stdout).toMatch(/^Last cycle: +Succeeded; 2024-05-01T09:00:00Z to 2024-05-01T09:02:00Z/m);
    expect(r.stdout).toMatch(
      /^Quarantine: +EncounteredQuarantineException, since 2024-05-01T10:00:00Z, next attempt 2024-05-01T22:00:00Z/m,
    );
    expect(r.stdout).toMatch(/^Synchronized: +User 10, Group 2$/m);
  });
});
