/**
 * The plan-time read (`planDeployment`, CDKTF's `Plan` data source) against the fake Graph: one listing of the
 * jobs finds the job (Graph's "List synchronization jobs" returns each job with its schedule and status:
 * microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/synchronization-synchronization-list-jobs.md),
 * then the schemas only when the mappings are managed.
 */
import type { SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError, type MappingsSpec } from '../../constructs/core';
import { schemaDigest } from '../../constructs/core/mappings/schema-digest';
import { applyMappings, planDeployment, setProvisioning, type PlanArgs } from '../../constructs/graph';
import { fakeClient, useFakeGraph } from '../fake-graph/harness';
import { FAKE_TEMPLATE_ID } from '../fake-graph/server';

const ctx = useFakeGraph();

const JOIN = 'Join(" ", [givenName], [surname])';
const PATCH: MappingsSpec = { users: { attributes: { displayName: { source: JOIN } } } };

function userAttribute(schema: SynchronizationSchema, target: string) {
  const users = schema.synchronizationRules?.[0]?.objectMappings?.find((m) => m.sourceObjectName === 'User');
  return users?.attributeMappings?.find((m) => m.targetAttributeName === target);
}

/** A service principal whose job is deployed as declared: mappings applied, provisioning on. */
async function deployed(mappings: MappingsSpec = PATCH): Promise<{ sp: string; jobId: string }> {
  const sp = ctx.fake.addServicePrincipal();
  const jobId = ctx.fake.addJob(sp);
  const { client } = fakeClient(ctx.fake);
  await applyMappings(client, { servicePrincipalId: sp, jobId, mappings });
  await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });
  ctx.fake.reset();
  return { sp, jobId };
}

const plan = (a: PlanArgs) => planDeployment(fakeClient(ctx.fake).client, a);

describe('before the job exists (the first deploy)', () => {
  test('returns the sync template id and counts as in sync', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const r = await plan({ servicePrincipalId: `/servicePrincipals/${sp}`, enabled: true, mappings: PATCH });
    expect(r).toMatchObject({
      templateId: FAKE_TEMPLATE_ID,
      jobId: '',
      mappingsInSync: true,
      drift: '',
      jobOk: true,
      jobState: 'none',
      readError: '',
    });
    expect(r.desiredDigest).toMatch(/^[0-9a-f]{64}$/);
  });

  test('its desired digest is the one read once the job exists, so the next plan replaces nothing', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const first = await plan({ servicePrincipalId: sp, enabled: true, mappings: PATCH });
    const jobId = ctx.fake.addJob(sp, { templateId: first.templateId });
    const { client } = fakeClient(ctx.fake);
    await applyMappings(client, { servicePrincipalId: sp, jobId, mappings: PATCH });
    await setProvisioning(client, { servicePrincipalId: sp, jobId, enabled: true });

    const next = await plan({ servicePrincipalId: sp, enabled: true, mappings: PATCH });
    expect(next).toMatchObject({ templateId: '', jobId, mappingsInSync: true, jobOk: true, jobState: 'Active' });
    expect(next.desiredDigest).toBe(first.desiredDigest);
    expect(schemaDigest(ctx.fake.job(sp, jobId).schema)).toBe(first.desiredDigest);
  });

  test('a given syncTemplateId is used without listing the templates', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const r = await plan({ servicePrincipalId: sp, enabled: true, syncTemplateId: FAKE_TEMPLATE_ID });
    expect(r.templateId).toBe(FAKE_TEMPLATE_ID);
    expect(ctx.fake.requestsTo('GET', /\/templates$/)).toHaveLength(0);
  });

  test('several templates and no syncTemplateId fail as the sync-template step does', async () => {
    const sp = ctx.fake.addServicePrincipal({ templates: [{ id: 'a' }, { id: 'b' }] });
    const e: unknown = await plan({ servicePrincipalId: sp, enabled: true }).catch((x: unknown) => x);
    expect((e as RollbarProvisioningError).codes).toEqual(['AMBIGUOUS_SYNC_TEMPLATE']);
  });
});

describe('a deployed job', () => {
  test('in sync: read-only, one listing and the two schemas', async () => {
    const { sp, jobId } = await deployed();
    const r = await plan({ servicePrincipalId: sp, enabled: true, mappings: PATCH });
    expect(r).toMatchObject({ templateId: '', jobId, mappingsInSync: true, drift: '', jobOk: true, jobDrift: '' });
    expect(ctx.fake.requests.map((q) => `${q.method} ${q.path.split('/synchronization/')[1] ?? ''}`)).toEqual([
      'GET jobs',
      `GET jobs/${jobId}/schema`,
      `GET templates/${FAKE_TEMPLATE_ID}/schema`,
    ]);
  });

  test('without managed mappings, only the jobs are listed', async () => {
    const { sp } = await deployed();
    const r = await plan({ servicePrincipalId: sp, enabled: true });
    expect(r).toMatchObject({ mappingsInSync: true, desiredDigest: '', jobOk: true });
    expect(ctx.fake.requests).toHaveLength(1);
  });

  test('a portal mapping edit is drift named by target attribute, live → desired', async () => {
    const { sp, jobId } = await deployed();
    ctx.fake.editSchema(sp, jobId, (schema) => {
      const displayName = userAttribute(schema, 'displayName');
      displayName!.source = { type: 'Attribute', name: 'mail', expression: '[mail]', parameters: [] };
    });
    const r = await plan({ servicePrincipalId: sp, enabled: true, mappings: PATCH });
    expect(r.mappingsInSync).toBe(false);
    expect(r.drift).toBe(`users displayName: [mail] → ${JOIN}`);
    expect(r.jobOk).toBe(true);
  });

  test('a removed attribute and a changed setting are named too', async () => {
    const { sp, jobId } = await deployed();
    ctx.fake.editSchema(sp, jobId, (schema) => {
      const users = schema.synchronizationRules![0]!.objectMappings!.find((m) => m.sourceObjectName === 'User')!;
      users.attributeMappings = users.attributeMappings!.filter((m) => m.targetAttributeName !== 'title');
      userAttribute(schema, 'displayName')!.matchingPriority = 3;
    });
    const r = await plan({ servicePrincipalId: sp, enabled: true, mappings: PATCH });
    expect(r.drift).toContain('users displayName: matchingPriority 3 → 0');
    expect(r.drift).toMatch(/users title: \(none\) → \S/);
  });

  test('the summary is capped, saying how many more differ', async () => {
    const { sp, jobId } = await deployed({});
    ctx.fake.editSchema(sp, jobId, (schema) => {
      const users = schema.synchronizationRules![0]!.objectMappings!.find((m) => m.sourceObjectName === 'User')!;
      for (const m of users.attributeMappings!.slice(0, 7)) {
        m.source = { type: 'Constant', name: 'x', expression: '"x"', parameters: [] };
      }
    });
    const r = await plan({ servicePrincipalId: sp, enabled: true, mappings: {} });
    expect(r.drift.split('; ')).toHaveLength(6);
    expect(r.drift).toMatch(/; and 2 more$/);
  });

  test.each([
    [
      'paused in the portal',
      'Paused',
      true,
      'the job is Paused but provisioningEnabled is true: the next apply starts it',
    ],
    [
      'never started',
      'Disabled',
      true,
      'the job is Disabled but provisioningEnabled is true: the next apply starts it',
    ],
    [
      'running while declared off',
      'Active',
      false,
      'the job is Active but provisioningEnabled is false: the next apply pauses it',
    ],
  ] as const)('a job %s is job-state drift', async (_name, state, enabled, drift) => {
    const sp = ctx.fake.addServicePrincipal();
    const jobId = ctx.fake.addJob(sp, { state });
    const r = await plan({ servicePrincipalId: sp, enabled });
    expect(r).toMatchObject({ jobId, jobOk: false, jobState: state, jobDrift: drift, mappingsInSync: true });
  });

  test('a quarantined job is job-state drift that the next apply restarts', async () => {
    const { sp, jobId } = await deployed();
    ctx.fake.quarantine(sp, jobId);
    const r = await plan({ servicePrincipalId: sp, enabled: true });
    expect(r.jobOk).toBe(false);
    expect(r.jobState).toBe('Active, quarantined (EncounteredQuarantineException)');
    expect(r.jobDrift).toContain('restarts it');
    expect(r.deletions).toBe('');
  });

  test('a TooManyDeletes quarantine is reported, not drift: a deploy does not lift it', async () => {
    const { sp, jobId } = await deployed();
    ctx.fake.quarantine(sp, jobId, 'TooManyDeletes');
    const r = await plan({ servicePrincipalId: sp, enabled: true });
    expect(r).toMatchObject({ jobOk: true, jobDrift: '', jobState: 'Active, quarantined (TooManyDeletes)' });
    expect(r.deletions).toContain('restart --scope force-deletes');
  });

  test('several jobs are an error naming them, with nothing written', async () => {
    const sp = ctx.fake.addServicePrincipal();
    const a = ctx.fake.addJob(sp);
    const b = ctx.fake.addJob(sp);
    const e: unknown = await plan({ servicePrincipalId: sp, enabled: true }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect((e as RollbarProvisioningError).codes).toEqual(['SEVERAL_SYNC_JOBS']);
    expect((e as Error).message).toContain(a);
    expect((e as Error).message).toContain(b);
    expect(ctx.fake.requests.every((q) => q.method === 'GET')).toBe(true);
  });

  test('a Graph failure is not fatal: it is reported in readError and the answer assumes no drift', async () => {
    const { sp } = await deployed();
    ctx.fake.fault({ path: /\/jobs$/, status: 403, times: 10, message: 'Insufficient privileges' });
    const { client, lines } = fakeClient(ctx.fake);
    const r = await planDeployment(client, { servicePrincipalId: sp, enabled: true, mappings: PATCH });
    expect(r).toMatchObject({ mappingsInSync: true, jobOk: true, templateId: '' });
    expect(r.readError).toContain('Insufficient privileges');
    expect(lines.join('\n')).toContain('no drift is reported');
  });

  test('a mappings patch that does not fit the schema still fails the read', async () => {
    const { sp } = await deployed();
    const bad: MappingsSpec = { users: { attributes: { noSuchAttribute: { source: '[mail]' } } } };
    const e: unknown = await plan({ servicePrincipalId: sp, enabled: true, mappings: bad }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
  });
});
