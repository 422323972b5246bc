/**
 * The Graph steps against the fake's switches for where real Graph differs from the client's assumptions
 * (the switch table at the top of test/fake-graph/server.ts): replication lag after the service principal is
 * created, a job schema with its own identity, Graph's own expression trees, merge-by-key secrets, parse and
 * connection-test failures of every shape, and the TooManyDeletes quarantine.
 */
import type { AttributeMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import {
  parseExpression,
  resolveSpec,
  RollbarProvisioningError,
  type CredentialSettings,
  type MappingsSpec,
} from '../../constructs/core';
import { treeToMappingSource } from '../../constructs/core/expression/mapping-source';
import {
  applyMappings,
  findSyncTemplate,
  GraphError,
  planMappings,
  saveCredentials,
  setProvisioning,
  tooManyDeletesAction,
} from '../../constructs/graph';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import type { FakeGraph, ReplicationLag } from '../fake-graph/server';

const ctx = useFakeGraph();

function settings(patch: Partial<CredentialSettings> = {}): CredentialSettings {
  return { ...resolveSpec({ secretToken: 'x' }).settings, ...patch };
}

function userMapping(schema: SynchronizationSchema, target: string): AttributeMapping | undefined {
  const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
  return users?.attributeMappings?.find((m) => m.targetAttributeName === target);
}

const schemaPuts = (fake: FakeGraph): number => fake.requestsTo('PUT', /\/schema$/).length;

describe('replication lag right after the service principal is created', () => {
  const lags: [string, ReplicationLag][] = [
    ['an empty template list', { answer: 'emptyTemplates', calls: 3 }],
    ['404 on its paths', { answer: 'notFound', calls: 3 }],
    ['403', { answer: 'forbidden', calls: 3 }],
    ['409', { answer: 'conflict', calls: 3 }],
  ];

  test.each(lags)("with %s for the first calls, each of a first deploy's Graph steps succeeds", async (_n, lag) => {
    const { fake } = ctx;
    const { client, lines } = fakeClient(fake, { replicationWaitMs: 5_000 });
    const sp = fake.addServicePrincipal({ replicationLag: lag });
    expect(await findSyncTemplate(client, { servicePrincipalId: sp })).toEqual({ templateId: expect.any(String) });

    const jobId = fake.addJob(sp);
    const steps: [string, () => Promise<unknown>][] = [
      [
        'credentials',
        () =>
          saveCredentials(client, {
            servicePrincipalId: sp,
            jobId,
            secretToken: fake.validSecretToken,
            settings: settings(),
            test: true,
          }),
      ],
      [
        'mappings',
        () =>
          applyMappings(client, {
            servicePrincipalId: sp,
            jobId,
            mappings: { users: { attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } } } },
          }),
      ],
      ['provisioning', () => setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true })],
    ];
    for (const [, step] of steps) {
      // The lag reaches every step of a first deploy, not only the first one.
      fake.replicationLag(sp, { ...lag, answer: lag.answer === 'emptyTemplates' ? 'notFound' : lag.answer });
      await step();
    }
    expect(fake.servicePrincipal(sp).secrets?.find((s) => s.key === 'SecretToken')?.value).toBe(fake.validSecretToken);
    expect(fake.job(sp, jobId).schemaWrites).toBe(1);
    expect(fake.job(sp, jobId).schedule.state).toBe('Active');
    expect(lines.filter((l) => l.startsWith('Waiting for '))).toHaveLength(4);
    expect(lines.find((l) => l.startsWith('Waiting for '))).toContain('a service principal created moments ago');
  });

  test('a service principal that never shows an empty list: the template step fails within its bound, saying what it waited for', async () => {
    const { fake } = ctx;
    const { client } = fakeClient(fake, { replicationWaitMs: 100 });
    const sp = fake.addServicePrincipal({ replicationLag: { answer: 'emptyTemplates', calls: Infinity } });
    const e = await findSyncTemplate(client, { servicePrincipalId: sp }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['SYNC_TEMPLATE_NOT_FOUND']);
    expect((e as Error).message).toMatch(
      /after waiting \d+\.\d s for the synchronization templates of service principal/,
    );
    expect(fake.requestsTo('GET', /templates$/).length).toBeGreaterThan(1);
  });

  test.each([
    ['404', 'notFound', 404],
    ['403', 'forbidden', 403],
  ] as const)(
    'a service principal that stays %s: the step fails within its bound with Graph error and the wait',
    async (_n, answer, status) => {
      const { fake } = ctx;
      const { client } = fakeClient(fake, { replicationWaitMs: 100 });
      const sp = fake.addServicePrincipal({ replicationLag: { answer, calls: Infinity } });
      const e = await findSyncTemplate(client, { servicePrincipalId: sp }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(GraphError);
      expect((e as GraphError).status).toBe(status);
      expect((e as Error).message).toMatch(/still so after waiting \d+\.\d s for the synchronization templates/);
      expect((e as Error).message).toContain('this is not replication lag');
    },
  );

  test('without a wait (replicationWaitMs 0), a 404 is final at once', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal({ replicationLag: { answer: 'notFound', calls: 1 } });
    const e = await findSyncTemplate(fakeClient(fake).client, { servicePrincipalId: sp }).catch((err: unknown) => err);
    expect((e as GraphError).status).toBe(404);
    expect(fake.requests).toHaveLength(1);
  });
});

describe('a job schema with its own ids, discovery times and the filter lists Graph returns', () => {
  const PATCH: MappingsSpec = {
    users: {
      attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } },
      scopingFilters: [{ name: 'Eng', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Eng'] }] }],
    },
  };

  test.each(['put', 'job'] as const)(
    'apply writes once, the next plan is in sync, a second apply writes nothing (a PUT keeps the %s ids)',
    async (putIdentity) => {
      const { fake } = ctx;
      fake.behaviour.schemaPutIdentity = putIdentity;
      const sp = fake.addServicePrincipal();
      const jobId = fake.addJob(sp);
      const job = fake.job(sp, jobId);
      const template = fake.servicePrincipal(sp).templates[0]!.schema;
      expect(job.schema.id).not.toBe(template.id);
      const { client } = fakeClient(fake);
      const args = { servicePrincipalId: sp, jobId, mappings: PATCH };

      expect(await planMappings(client, args)).toMatchObject({ inSync: false });
      expect(await applyMappings(client, args)).toMatchObject({ changed: true });
      const put = fake.requestsTo('PUT', /\/schema$/)[0]?.body as SynchronizationSchema;
      // The PUT names the job's own schema, not the template's.
      const jobIds = { id: job.schema.id, directories: job.schema.directories?.map((d) => d.id) };
      expect({ id: put.id, directories: put.directories?.map((d) => d.id) }).toEqual(jobIds);

      // Graph stores the filter with all three lists; the patch wrote them too.
      const scope = fake.job(sp, jobId).schema.synchronizationRules?.[0]?.objectMappings?.[0]?.scope;
      expect(scope).toMatchObject({ inputFilterGroups: [], categoryFilterGroups: [] });

      expect(await planMappings(client, args)).toMatchObject({ inSync: true });
      expect(await applyMappings(client, args)).toMatchObject({ changed: false });
      expect(schemaPuts(fake)).toBe(1);
      expect(job.schemaWrites).toBe(0 + fake.job(sp, jobId).schemaWrites);
      expect(fake.job(sp, jobId).schemaWrites).toBe(1);
    },
  );

  test('a scoping filter Graph returns with empty lists the patch did not send is in sync', async () => {
    const { fake } = ctx;
    fake.behaviour.filterLists = 'asPut';
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const { client } = fakeClient(fake);
    const args = { servicePrincipalId: sp, jobId, mappings: PATCH };
    await applyMappings(client, args);
    fake.editSchema(sp, jobId, (schema) => {
      const users = schema.synchronizationRules![0]!.objectMappings![0]!;
      // As Graph may answer: only `groups` was sent, all three come back; and a null defaultValue goes missing.
      users.scope = { groups: users.scope!.groups!, inputFilterGroups: [], categoryFilterGroups: [] };
      for (const m of users.attributeMappings ?? []) if (m.defaultValue === null) delete m.defaultValue;
    });
    expect(await planMappings(client, args)).toMatchObject({ inSync: true });
  });
});

describe("new expressions are written as Graph's own parsedExpression tree", () => {
  const SINGLE = 'SingleAppRoleAssignment([appRoleAssignments])';
  const SWITCH = 'Switch([country], "en", "DE", "de", "FR", "fr")';

  test("SingleAppRoleAssignment and Switch are PUT with the tree the fake's parseExpression returned, byte for byte", async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const { client } = fakeClient(fake);
    const mappings: MappingsSpec = {
      users: { attributes: { title: { source: SINGLE }, preferredLanguage: { source: SWITCH } } },
    };
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings });

    const parsed = fake.parsedExpressions;
    expect(parsed.map((t) => t.name)).toEqual(['SingleAppRoleAssignment', 'Switch']);
    const put = fake.requestsTo('PUT', /\/schema$/)[0]?.body as SynchronizationSchema;
    expect(JSON.stringify(userMapping(put, 'title')?.source)).toBe(JSON.stringify(parsed[0]));
    expect(JSON.stringify(userMapping(put, 'preferredLanguage')?.source)).toBe(JSON.stringify(parsed[1]));

    // Graph's keys are not ours: a hand-built tree would have been wrong.
    const keys = (tree: unknown): string[] => (tree as { parameters: { key: string }[] }).parameters.map((p) => p.key);
    for (const [i, text] of [SINGLE, SWITCH].entries()) {
      const parsedOffline = parseExpression(text);
      if (!parsedOffline.ok) throw new Error('offline parse failed');
      expect(keys(parsed[i])).not.toEqual(keys(treeToMappingSource(parsedOffline.tree, text, true)));
    }
    expect(keys(parsed[0])).toEqual(['source']);
    expect(keys(parsed[1])).toEqual([
      'source',
      'defaultValue',
      'switchValue',
      'switchValue',
      'switchValue',
      'switchValue',
    ]);

    // Compared by canonical expression: the next plan is in sync and nothing is parsed again.
    fake.reset();
    expect(await planMappings(client, { servicePrincipalId: sp, jobId, mappings })).toMatchObject({ inSync: true });
    expect(await applyMappings(client, { servicePrincipalId: sp, jobId, mappings })).toMatchObject({ changed: false });
    expect(fake.requestsTo('POST', /parseExpression$/)).toHaveLength(0);
  });

  test('an expression the live schema holds keeps the live tree when another change is written', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    const { client } = fakeClient(fake);
    const first: MappingsSpec = { users: { attributes: { title: { source: SINGLE } } } };
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: first });
    const graphTree = structuredClone(userMapping(fake.job(sp, jobId).schema, 'title')?.source);
    fake.reset();
    const second: MappingsSpec = {
      users: { attributes: { ...first.users!.attributes, displayName: { source: '[mail]' } } },
    };
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: second });
    expect(fake.requestsTo('POST', /parseExpression$/)).toHaveLength(0);
    const put = fake.requestsTo('PUT', /\/schema$/)[0]?.body as SynchronizationSchema;
    expect(userMapping(put, 'title')?.source).toEqual(graphTree);
  });

  test.each([200, 400] as const)(
    'an expression Graph rejects (answered with HTTP %s) is an INVALID_EXPRESSION problem; nothing is written',
    async (status) => {
      const { fake } = ctx;
      fake.behaviour.parseFailureStatus = status;
      const sp = fake.addServicePrincipal();
      const jobId = fake.addJob(sp);
      fake.rejectedExpressions.set(SWITCH, 'Unknown token in this tenant.');
      const e = await applyMappings(fakeClient(fake).client, {
        servicePrincipalId: sp,
        jobId,
        mappings: { users: { attributes: { preferredLanguage: { source: SWITCH }, title: { source: SINGLE } } } },
      }).catch((err: unknown) => err);
      expect(e).toBeInstanceOf(RollbarProvisioningError);
      expect((e as RollbarProvisioningError).codes).toEqual(['INVALID_EXPRESSION']);
      expect((e as Error).message).toContain('mappings.users.attributes.preferredLanguage.source');
      expect((e as Error).message).toContain('Unknown token in this tenant.');
      expect(schemaPuts(fake)).toBe(0);
    },
  );
});

describe('settings that are off are sent as off', () => {
  test.each(['mergeByKey', 'replace'] as const)(
    'skipOutOfScopeDeletions true then false, and a removed tenantUrl, leave the setting off (secrets saved by %s)',
    async (semantics) => {
      const { fake } = ctx;
      fake.behaviour.secrets = semantics;
      const sp = fake.addServicePrincipal();
      const jobId = fake.addJob(sp);
      const { client } = fakeClient(fake);
      const save = (s: CredentialSettings): Promise<unknown> =>
        saveCredentials(client, {
          servicePrincipalId: sp,
          jobId,
          secretToken: fake.validSecretToken,
          settings: s,
          test: false,
        });
      const saved = (key: string): string | null | undefined =>
        fake.servicePrincipal(sp).secrets?.find((s) => s.key === key)?.value;

      await save(settings({ skipOutOfScopeDeletions: true, tenantUrl: 'https://scim.example.com/v2' }));
      expect(saved('SkipOutOfScopeDeletions')).toBe('True');
      expect(saved('BaseAddress')).toBe('https://scim.example.com/v2');

      await save(settings({ skipOutOfScopeDeletions: false }));
      expect(saved('SkipOutOfScopeDeletions')).toBe('False');
      // Merged by key, the empty value removes it; replaced, the set has it empty at most: no tenant URL either way.
      expect(saved('BaseAddress') ?? '').toBe('');
    },
  );

  test('no BaseAddress is sent to a service principal that never had one', async () => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: fake.validSecretToken,
      settings: settings(),
      test: false,
    });
    const put = fake.requestsTo('PUT', /secrets$/)[0]?.body as { value: { key: string }[] };
    expect(put.value.map((s) => s.key)).not.toContain('BaseAddress');
  });
});

describe('Test Connection failures of any status', () => {
  test.each([
    ['400 (token rejected)', { status: 400 }],
    ['403 that outlived the replication wait', { status: 403 }],
    ['404', { status: 404 }],
    ['500 after the retries', { status: 500, times: Infinity }],
  ])('%s: the Test Connection message, nothing saved', async (_n, fault) => {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp);
    fake.fault({ method: 'POST', path: /validateCredentials$/, ...fault });
    const e = await saveCredentials(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      secretToken: fake.validSecretToken,
      settings: settings(),
      test: true,
    }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(GraphError);
    expect((e as Error).message).toMatch(/^Test Connection failed, nothing was saved\./);
    expect((e as Error).message).toContain('testConnection: false');
    expect((e as GraphError).status).toBe(fault.status);
    expect(fake.requestsTo('PUT', /secrets$/)).toHaveLength(0);
  });
});

describe('a job quarantined for too many deletions', () => {
  function quarantined(reason: 'TooManyDeletes' | 'EncounteredQuarantineException'): { sp: string; jobId: string } {
    const { fake } = ctx;
    const sp = fake.addServicePrincipal();
    const jobId = fake.addJob(sp, { state: 'Active' });
    // The quarantine's error text for TooManyDeletes is not documented; the fake's names a count, as a portal
    // message would, to show that the step passes Graph's words on.
    fake.quarantine(
      sp,
      jobId,
      reason,
      reason === 'TooManyDeletes'
        ? { code: 'TooManyDeletes', message: 'fake: 612 deletions exceed the threshold (500)' }
        : undefined,
    );
    return { sp, jobId };
  }

  test('is not restarted: the step stops with the reason, the threshold, Graph message and both ways out', async () => {
    const { fake } = ctx;
    const { sp, jobId } = quarantined('TooManyDeletes');
    const e = await setProvisioning(fakeClient(fake).client, { servicePrincipalId: sp, jobId, enabled: true }).catch(
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['TOO_MANY_DELETES']);
    const message = (e as Error).message;
    expect(message).toContain('TooManyDeletes');
    expect(message).toContain('deletion threshold 500');
    expect(message).toContain('Graph says: fake: 612 deletions exceed the threshold (500)');
    expect(message).toContain('Allow deletes');
    expect(message).toContain('rollbar-provisioning restart --scope force-deletes');
    expect(message).toContain('accidentalDeletionThreshold');
    expect(message).toContain('ROLLBAR_TOO_MANY_DELETES');
    expect(fake.requestsTo('POST', /restart$/)).toHaveLength(0);
    expect(fake.job(sp, jobId).status.code).toBe('Quarantine');
  });

  test.each([
    ['restart', 'QuarantineState'],
    ['force-deletes', 'ForceDeletes, QuarantineState'],
  ] as const)('ROLLBAR_TOO_MANY_DELETES=%s restarts it with resetScope %s', async (value, resetScope) => {
    const { fake } = ctx;
    const { sp, jobId } = quarantined('TooManyDeletes');
    const action = tooManyDeletesAction({ ROLLBAR_TOO_MANY_DELETES: value });
    const r = await setProvisioning(fakeClient(fake).client, {
      servicePrincipalId: sp,
      jobId,
      enabled: true,
      tooManyDeletes: action,
    });
    expect(r).toEqual({ state: 'Active', action: 'restart' });
    expect(fake.requestsTo('POST', /restart$/).map((q) => q.body)).toEqual([{ criteria: { resetScope } }]);
  });

  test('another quarantine reason is restarted as before', async () => {
    const { fake } = ctx;
    const { sp, jobId } = quarantined('EncounteredQuarantineException');
    const r = await setProvisioning(fakeClient(fake).client, { servicePrincipalId: sp, jobId, enabled: true });
    expect(r).toEqual({ state: 'Active', action: 'restart' });
    expect(fake.requestsTo('POST', /restart$/).map((q) => q.body)).toEqual([
      { criteria: { resetScope: 'QuarantineState' } },
    ]);
  });

  test('an unknown ROLLBAR_TOO_MANY_DELETES value is refused', () => {
    expect(() => tooManyDeletesAction({ ROLLBAR_TOO_MANY_DELETES: 'yes' })).toThrow(
      /ROLLBAR_TOO_MANY_DELETES must be stop, restart or force-deletes, got 'yes'/,
    );
  });
});
