import type { AttributeMapping, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError, type MappingsSpec } from '../../constructs/core';
import { schemaDigest } from '../../constructs/core/mappings/schema-digest';
import { applyMappings, planMappings, readMappings, resetMappings } from '../../constructs/graph';
import { rollbarTemplateSchema } from '../fixtures/rollbar-schema';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';

const ctx = useFakeGraph();

const JOIN = 'Join(" ", [givenName], [surname])';
const PATCH: MappingsSpec = {
  users: {
    attributes: { displayName: { source: JOIN }, title: null },
    scopingFilters: [
      { name: 'Engineering', clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }] },
    ],
  },
  groups: { enabled: false },
};

function setUp(): { sp: string; jobId: string } {
  const sp = ctx.fake.addServicePrincipal();
  return { sp, jobId: ctx.fake.addJob(sp) };
}

function userMapping(schema: SynchronizationSchema, target: string): AttributeMapping | undefined {
  const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
  return users?.attributeMappings?.find((m) => m.targetAttributeName === target);
}

const schemaPuts = (): number => ctx.fake.requestsTo('PUT', /\/schema$/).length;

describe('planMappings and applyMappings', () => {
  test('the first apply writes once; the second writes nothing', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    const args = { servicePrincipalId: sp, jobId, mappings: PATCH };

    const before = await planMappings(client, args);
    const first = await applyMappings(client, args);
    const second = await applyMappings(client, args);
    const after = await planMappings(client, args);

    expect(before.inSync).toBe(false);
    expect(first).toEqual({ changed: true, desiredDigest: before.desiredDigest, warnings: [] });
    expect(second).toEqual({ changed: false, desiredDigest: before.desiredDigest, warnings: [] });
    expect(after).toMatchObject({
      inSync: true,
      desiredDigest: before.desiredDigest,
      liveDigest: before.desiredDigest,
    });
    expect(schemaPuts()).toBe(1);
    expect(fake.job(sp, jobId).schemaWrites).toBe(1);
    const live = fake.job(sp, jobId).schema;
    expect(schemaDigest(live)).toBe(before.desiredDigest);
    expect(userMapping(live, 'displayName')?.source?.expression).toBe(JOIN);
    expect(userMapping(live, 'title')).toBeUndefined();
  });

  test('plan is read-only', async () => {
    const { sp, jobId } = setUp();
    await planMappings(fakeClient(ctx.fake).client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    expect(ctx.fake.requests.every((r) => r.method === 'GET')).toBe(true);
  });

  test('the scoping filter operators are read from the job, only when the patch has scoping filters', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    await planMappings(client, { servicePrincipalId: sp, jobId, mappings: { users: { attributes: {} } } });
    expect(fake.requestsTo('GET', /filterOperators$/)).toHaveLength(0);
    await planMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    expect(fake.requestsTo('GET', /filterOperators$/)).toHaveLength(1);
  });

  test('a portal edit makes plan report out of sync, and the next apply restores the desired schema', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    const args = { servicePrincipalId: sp, jobId, mappings: PATCH };
    const { desiredDigest } = await applyMappings(client, args);

    fake.editSchema(sp, jobId, (schema) => {
      const m = userMapping(schema, 'name.givenName');
      if (m?.source) m.source = { type: 'Attribute', name: 'displayName', expression: '[displayName]', parameters: [] };
    });
    const drift = await planMappings(client, args);
    const restored = await applyMappings(client, args);

    expect(drift.inSync).toBe(false);
    expect(drift.desiredDigest).toBe(desiredDigest);
    expect(restored.changed).toBe(true);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(desiredDigest);
    expect(userMapping(fake.job(sp, jobId).schema, 'name.givenName')?.source?.expression).toBe('[givenName]');
    expect((await planMappings(client, args)).inSync).toBe(true);
  });

  test("removing an override from the patch returns that attribute to Rollbar's default", async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });

    const result = await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: {} });

    const live = fake.job(sp, jobId).schema;
    const template = rollbarTemplateSchema();
    expect(result.changed).toBe(true);
    expect(userMapping(live, 'displayName')).toEqual(userMapping(template, 'displayName'));
    expect(userMapping(live, 'title')).toEqual(userMapping(template, 'title'));
    expect(schemaDigest(live)).toBe(schemaDigest(template));
  });

  test('new expressions are confirmed with Graph parseExpression before the PUT; unchanged ones are not', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);

    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    const parses = fake.requestsTo('POST', /parseExpression$/);
    const order = fake.requests.map((r) => `${r.method} ${r.path.split('/').slice(-1)[0] ?? ''}`);

    // The template's Switch(...) for `active` is in the live schema already: only the new Join is checked.
    expect(parses.map((r) => r.body)).toEqual([{ expression: JOIN }]);
    expect(order.indexOf('POST parseExpression')).toBeLessThan(order.indexOf('PUT schema'));
  });

  test('an expression Graph cannot parse fails, names the attribute, and writes nothing', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    fake.rejectedExpressions.set(JOIN, 'Unknown function in this tenant.');

    const e = await applyMappings(fakeClient(fake).client, { servicePrincipalId: sp, jobId, mappings: PATCH }).catch(
      (err: unknown) => err,
    );

    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['INVALID_EXPRESSION']);
    expect((e as Error).message).toContain('mappings.users.attributes.displayName.source');
    expect((e as Error).message).toContain('Unknown function in this tenant.');
    expect(schemaPuts()).toBe(0);
  });

  test('a patch that does not fit the schema is a RollbarProvisioningError, before any write', async () => {
    const { sp, jobId } = setUp();
    const e = await applyMappings(fakeClient(ctx.fake).client, {
      servicePrincipalId: sp,
      jobId,
      mappings: { users: { attributes: { 'name.givenNme': { source: '[givenName]' } } } },
    }).catch((err: unknown) => err);

    expect((e as RollbarProvisioningError).codes).toEqual(['UNKNOWN_TARGET_ATTRIBUTE']);
    expect((e as Error).message).toContain('name.givenName');
    expect(schemaPuts()).toBe(0);
  });

  test("when the template's schema cannot be read, the live schema is the base and a warning says so", async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    fake.fault({ method: 'GET', path: /\/templates\/[^/]+\/schema$/, status: 403, times: Infinity });
    fake.editSchema(sp, jobId, (schema) => {
      const m = userMapping(schema, 'title');
      if (m) m.defaultValue = 'portal edit';
    });
    const { client, lines } = fakeClient(fake);

    const plan = await planMappings(client, { servicePrincipalId: sp, jobId, mappings: {} });

    expect(plan.inSync).toBe(true);
    expect(plan.warnings).toEqual([
      expect.stringContaining('could not be read (HTTP 403 Authorization_RequestDenied)'),
    ]);
    expect(plan.warnings[0]).toContain("merged into the job's current schema");
    expect(lines).toContainEqual(expect.stringContaining('Warning:'));
  });

  test('an unknown job is a 404 that names the job id', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const e = await planMappings(fakeClient(ctx.fake).client, {
      servicePrincipalId: sp,
      jobId: 'gone',
      mappings: {},
    }).catch((err: unknown) => err);
    expect((e as Error).message).toContain("The synchronization job 'gone' is unknown");
  });
});

describe('resetMappings', () => {
  test('restores the defaults with the documented DELETE, and then has nothing to do', async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });

    const first = await resetMappings(client, { servicePrincipalId: sp, jobId });
    const second = await resetMappings(client, { servicePrincipalId: sp, jobId });

    expect(first).toEqual({ changed: true });
    expect(second).toEqual({ changed: false });
    expect(fake.requestsTo('DELETE', /\/schema$/)).toHaveLength(1);
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(schemaDigest(rollbarTemplateSchema()));
  });

  test("resets even when the template's schema cannot be read, and reports whether it changed", async () => {
    const { fake } = ctx;
    const { sp, jobId } = setUp();
    const { client } = fakeClient(fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    fake.fault({ method: 'GET', path: /\/templates\/[^/]+\/schema$/, status: 404, times: Infinity });

    await expect(resetMappings(client, { servicePrincipalId: sp, jobId })).resolves.toEqual({ changed: true });
    await expect(resetMappings(client, { servicePrincipalId: sp, jobId })).resolves.toEqual({ changed: false });
    expect(schemaDigest(fake.job(sp, jobId).schema)).toBe(schemaDigest(rollbarTemplateSchema()));
  });
});

describe('readMappings', () => {
  test('in sync after an apply: the live schema comes back as the patch applied, nothing drifted', async () => {
    const { sp, jobId } = setUp();
    const { client } = fakeClient(ctx.fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    const reads = ctx.fake.requests.length;
    const live = await readMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    expect(live).toEqual({ mappings: PATCH, inSync: true, drift: [], differences: [], warnings: [] });
    // job, schema, template schema, and the filter operators (the scope has filters): read-only.
    expect(ctx.fake.requests.slice(reads).map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'GET']);
  });

  test('a portal edit: the patch that gives the live schema, and the drift in words', async () => {
    const { sp, jobId } = setUp();
    const { client } = fakeClient(ctx.fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    ctx.fake.editSchema(sp, jobId, (schema) => {
      const display = userMapping(schema, 'displayName')!;
      display.source = { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] };
      display.flowBehavior = 'FlowAlways';
    });
    const live = await readMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    expect(live.inSync).toBe(false);
    expect(live.mappings.users?.attributes?.displayName).toEqual({ source: '[mail]' });
    expect(live.differences).toEqual([
      expect.objectContaining({ kind: 'FLOW_BEHAVIOR', path: 'mappings.users.attributes.displayName.flowBehavior' }),
    ]);
    expect(live.drift).toEqual([
      `users.attributes.displayName: live "[mail]", desired ${JSON.stringify(JOIN)}`,
      expect.stringContaining('mappings.users.attributes.displayName.flowBehavior'),
    ]);
    expect(schemaPuts()).toBe(1);
  });
});
