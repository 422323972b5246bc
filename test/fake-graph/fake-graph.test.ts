/**
 * The fake Graph keeps Graph's documented contract (status codes, bodies, checks), so that the tests that rely
 * on it prove something about the real service's behaviour.
 */
import type { SynchronizationJob } from '@microsoft/microsoft-graph-types';
import { GraphError, NO_CONTENT, SYNCHRONIZATION_JOB } from '../../constructs/graph';
import { fakeClient, useFakeGraph } from './harness';
import { fakeJwt, FAKE_TEMPLATE_ID } from './server';

const ctx = useFakeGraph();

async function raw(path: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${ctx.fake.url}/v1.0${path}`, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

test.each([
  ['its template, verbatim', 'template'],
  ["its template's, with its own ids, versions and discovery times", 'own'],
] as const)('POST jobs answers 201 with a Disabled, NotConfigured job whose schema is %s', async (_name, identity) => {
  const { fake } = ctx;
  fake.behaviour.jobSchemaIdentity = identity;
  const sp = fake.addServicePrincipal();
  const { client } = fakeClient(fake);
  const job = await client.request<SynchronizationJob>({
    method: 'POST',
    path: `/servicePrincipals/${sp}/synchronization/jobs`,
    body: { templateId: FAKE_TEMPLATE_ID },
    shape: SYNCHRONIZATION_JOB,
  });
  expect(job).toMatchObject({
    templateId: FAKE_TEMPLATE_ID,
    schedule: { state: 'Disabled' },
    status: { code: 'NotConfigured' },
  });
  const schema = fake.job(sp, job.id!).schema;
  const template = fake.servicePrincipal(sp).templates[0]!.schema;
  if (identity === 'template') {
    expect(schema).toEqual(template);
    return;
  }
  expect(schema.id).not.toBe(template.id);
  expect(schema.version).not.toBe(template.version);
  for (const [i, directory] of (schema.directories ?? []).entries()) {
    expect(directory.id).not.toBe(template.directories?.[i]?.id);
    expect(directory.discoveryDateTime).not.toBe(template.directories?.[i]?.discoveryDateTime);
  }
  const strip = (s: typeof schema): unknown => ({
    ...s,
    id: undefined,
    version: undefined,
    directories: s.directories?.map((d) => ({ ...d, id: undefined, version: undefined, discoveryDateTime: undefined })),
  });
  expect(strip(schema)).toEqual(strip(template));
});

test.each([
  ['no Authorization header', {}, 401, 'InvalidAuthenticationToken'],
  ['a token of another tenant', { Authorization: `Bearer ${fakeJwt('other')}` }, 401, 'InvalidAuthenticationToken'],
])('%s is a 401 with Graph error body', async (_name, headers, status, code) => {
  const sp = ctx.fake.addServicePrincipal();
  const r = await raw(`/servicePrincipals/${sp}/synchronization/templates`, { headers });
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({
    error: { code, message: expect.any(String), innerError: { 'request-id': expect.any(String) } },
  });
});

test('a JSON body without Content-Type application/json is a 415', async () => {
  const sp = ctx.fake.addServicePrincipal();
  const r = await raw(`/servicePrincipals/${sp}/synchronization/secrets`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ctx.fake.token()}`, 'Content-Type': 'text/plain' },
    body: '{"value":[]}',
  });
  expect(r.status).toBe(415);
});

test.each([
  ['start with a body', 'POST', 'start', { criteria: {} }, 400],
  ['a schema PUT without directories', 'PUT', 'schema', { synchronizationRules: [] }, 400],
  ['an unsupported method', 'PATCH', 'schema', {}, 405],
])('%s is refused', async (_name, method, leaf, body, status) => {
  const { fake } = ctx;
  const sp = fake.addServicePrincipal();
  const jobId = fake.addJob(sp);
  const e = await fakeClient(fake)
    .client.request({
      method: method as 'POST' | 'PUT' | 'PATCH',
      path: `/servicePrincipals/${sp}/synchronization/jobs/${jobId}/${leaf}`,
      body,
      shape: NO_CONTENT,
    })
    .catch((err: unknown) => err);
  expect(e).toBeInstanceOf(GraphError);
  expect((e as GraphError).status).toBe(status);
});

test('only the v1.0 API is served', async () => {
  const sp = ctx.fake.addServicePrincipal();
  const res = await fetch(`${ctx.fake.url}/beta/servicePrincipals/${sp}/synchronization/templates`, {
    headers: { Authorization: `Bearer ${ctx.fake.token()}` },
  });
  expect(res.status).toBe(400);
});

test('a one-shot fault hits once, on its route only', async () => {
  const { fake } = ctx;
  const sp = fake.addServicePrincipal();
  fake.fault({ method: 'GET', path: '/templates', status: 500 });
  const ok = await raw(`/servicePrincipals/${sp}/synchronization/jobs`, {
    headers: { Authorization: `Bearer ${fake.token()}` },
  });
  const hit = await raw(`/servicePrincipals/${sp}/synchronization/templates`, {
    headers: { Authorization: `Bearer ${fake.token()}` },
  });
  const after = await raw(`/servicePrincipals/${sp}/synchronization/templates`, {
    headers: { Authorization: `Bearer ${fake.token()}` },
  });
  expect([ok.status, hit.status, after.status]).toEqual([200, 500, 200]);
});
