/**
 * The Pulumi component and program under mocks: what is registered, with which options and inputs, and where the
 * token can be found. Every resource is recorded (see ./mocks.ts); each component in this file has its own name,
 * because the runtime's resources are shared by the whole file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import type { RollbarProvisioning as Component, RollbarProvisioningArgs } from '../../constructs/pulumi';
import { roleId, RollbarProvisioningError, type RollbarProvisioningSpec } from '../../constructs/core';
import { loadConfig } from '../../constructs/config';
import { exportConfig } from '../../constructs/core';
import { pulumiImportFile } from '../../constructs/core/imports';
import { PORTAL_ROLES, portalJobSchema, portalSnapshot } from '../fixtures/portal-app';
import { findSecretForms } from '../secret-forms';
import {
  FAKE,
  installMocks,
  isSecretWrapper,
  promiseOf,
  redactSecrets,
  type Recorder,
  type Registration,
} from './mocks';
import { monitorResources, scanSecrets } from './secret-scan';

const TOKEN = 'rollbar-token-under-mocks-3c9d8e7f6a5b';
const CLIENT_SECRET = 'azuread-client-secret-under-mocks-1a2b';
const CLIENT_ID = '0a0b0c0d-1e1f-4a2b-8c3d-4e5f6a7b8c9d';

const TYPES = {
  component: 'rollbar-provisioning:index:RollbarProvisioning',
  application: 'azuread:index/applicationFromTemplate:ApplicationFromTemplate',
  role: 'azuread:index/applicationAppRole:ApplicationAppRole',
  assignment: 'azuread:index/appRoleAssignment:AppRoleAssignment',
  job: 'azuread:index/synchronizationJob:SynchronizationJob',
  syncTemplate: 'pulumi-nodejs:dynamic/rollbar-provisioning:SyncTemplate',
  credentials: 'pulumi-nodejs:dynamic/rollbar-provisioning:Credentials',
  mappings: 'pulumi-nodejs:dynamic/rollbar-provisioning:Mappings',
  provisioningState: 'pulumi-nodejs:dynamic/rollbar-provisioning:ProvisioningState',
  canary: 'pulumi-nodejs:dynamic/rollbar-provisioning:Canary',
} as const;

const USER_1 = '11111111-1111-4111-8111-111111111111';
const GROUP_1 = '33333333-3333-4333-8333-333333333333';

let recorder: Recorder;
let RollbarProvisioning: typeof Component;
let secretConfig: () => pulumi.Output<string>;
let later: typeof pulumi;

beforeAll(async () => {
  recorder = await installMocks(
    {
      'rollbar:secretToken': TOKEN,
      'azuread:tenantId': FAKE.tenantId,
      'azuread:clientId': CLIENT_ID,
      'azuread:clientSecret': CLIENT_SECRET,
    },
    ['rollbar:secretToken', 'azuread:clientSecret'],
  );
  // After the mocks: a module that registers resources must never load before them.
  const p = await import('@pulumi/pulumi');
  later = p;
  ({ RollbarProvisioning } = await import('../../constructs/pulumi'));
  secretConfig = () => new p.Config('rollbar').requireSecret('secretToken');
});

/** The component's own registration and its children's. */
function ofComponent(name: string): Registration[] {
  return recorder.registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
}

/** Declares a component and waits until every child is registered. */
async function declare(
  name: string,
  args: Omit<RollbarProvisioningArgs, 'secretToken'> & { secretToken?: RollbarProvisioningArgs['secretToken'] },
) {
  const component = new RollbarProvisioning(name, { secretToken: secretConfig(), ...args });
  await promiseOf(component.synchronizationJobId);
  await recorder.settle();
  return { component, registrations: ofComponent(name) };
}

const byType = (registrations: Registration[], type: string): Registration[] =>
  registrations.filter((r) => r.type === type);
const one = (registrations: Registration[], type: string): Registration => {
  const found = byType(registrations, type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** The registrations without the serialized providers, secrets redacted: what a snapshot shows. */
function readable(registrations: Registration[]) {
  return registrations.map((r) => {
    const { __provider, ...inputs } = r.inputs;
    return {
      type: r.type,
      name: r.name,
      parent: r.parent.split('::').pop(),
      dependsOn: r.dependencies.map((d) => d.split('::').pop()).sort(),
      ...(r.protect && { protect: true }),
      ...(r.ignoreChanges.length > 0 && { ignoreChanges: r.ignoreChanges }),
      ...(r.additionalSecretOutputs.length > 0 && { additionalSecretOutputs: r.additionalSecretOutputs }),
      ...(__provider !== undefined && { provider: 'serialized' }),
      inputs: redactSecrets(inputs),
    };
  });
}

describe('the program (stacks/pulumi/index.ts) on rollbar.yaml', () => {
  let program: Record<string, pulumi.Output<unknown> | undefined>;
  let spec: Omit<RollbarProvisioningSpec, 'secretToken'>;
  let registrations: Registration[];

  beforeAll(async () => {
    spec = loadConfig('rollbar.yaml');
    program = await import('../../stacks/pulumi');
    await promiseOf(program.synchronizationJobId!);
    await recorder.settle();
    registrations = ofComponent('rollbar');
  });

  test('registers every piece of the procedure, each parented to the component', () => {
    const component = one(registrations, TYPES.component);
    expect(component.name).toBe('rollbar');
    const children = registrations.filter((r) => r !== component);
    expect(children.map((r) => r.parent)).toEqual(children.map(() => component.urn));

    const application = one(registrations, TYPES.application);
    expect(application.inputs).toEqual({
      displayName: spec.displayName ?? 'Rollbar',
      templateId: FAKE.galleryTemplateId,
    });
    expect(application.protect).toBe(true);

    const roles = byType(registrations, TYPES.role);
    expect(roles.map((r) => [r.name, r.inputs.roleId]).sort()).toEqual(
      (spec.roles ?? []).map((r) => [`rollbar-role-${r.value}`, roleId(r.value)]).sort(),
    );

    const assignments = byType(registrations, TYPES.assignment);
    expect(assignments.map((a) => a.name).sort()).toEqual(
      Object.keys(spec.assignments ?? {})
        .map((k) => `rollbar-assignment-${k}`)
        .sort(),
    );
    for (const [key, a] of Object.entries(spec.assignments ?? {})) {
      const registered = assignments.find((r) => r.name === `rollbar-assignment-${key}`)!;
      const role = roles.find((r) => r.name === `rollbar-role-${a.role}`)!;
      expect(registered.inputs).toEqual({
        appRoleId: roleId(a.role),
        principalObjectId: a.principalObjectId,
        resourceObjectId: FAKE.servicePrincipalObjectId,
      });
      expect(registered.dependencies).toContain(role.urn);
    }

    const job = one(registrations, TYPES.job);
    expect(job.inputs).toEqual({
      servicePrincipalId: `/servicePrincipals/${FAKE.servicePrincipalObjectId}`,
      templateId: FAKE.syncTemplateId,
      enabled: false,
    });
    expect(job.ignoreChanges).toEqual(['enabled', 'templateId']);
    expect(job.dependencies).toContain(one(registrations, TYPES.syncTemplate).urn);

    one(registrations, TYPES.credentials);
    one(registrations, TYPES.provisioningState);
    expect(byType(registrations, TYPES.mappings)).toHaveLength(spec.mappings === undefined ? 0 : 1);
  });

  test('exports the component outputs', async () => {
    expect(await promiseOf(program.servicePrincipalId!)).toBe(`/servicePrincipals/${FAKE.servicePrincipalObjectId}`);
    expect(await promiseOf(program.servicePrincipalObjectId!)).toBe(FAKE.servicePrincipalObjectId);
    expect(await promiseOf(program.applicationObjectId!)).toBe(FAKE.applicationObjectId);
    expect(await promiseOf(program.synchronizationJobId!)).toBe(FAKE.jobId);
    expect(await promiseOf(program.appRoleIds!)).toEqual(
      Object.fromEntries((spec.roles ?? []).map((r) => [r.value, roleId(r.value)])),
    );
  });

  test('the Graph steps sign in like the azuread provider: its plain settings as they are, the others as a secret', () => {
    for (const step of [TYPES.syncTemplate, TYPES.credentials, TYPES.provisioningState]) {
      const { inputs } = one(registrations, step);
      expect(inputs.tenantId).toBe(FAKE.tenantId);
      expect(inputs.graphAuth).toEqual({ ARM_TENANT_ID: FAKE.tenantId });
      expect(isSecretWrapper(inputs.graphAuthSecrets)).toBe(true);
      expect((inputs.graphAuthSecrets as { value: unknown }).value).toEqual({
        ARM_CLIENT_ID: CLIENT_ID,
        ARM_CLIENT_SECRET: CLIENT_SECRET,
      });
    }
  });
});

describe('the component', () => {
  test('declares every piece of a groups-and-roles scenario (snapshot, sorted by name)', async () => {
    const { registrations } = await declare('snap', {
      notification: { email: 'identity-ops@example.com' },
      roles: [{ value: 'User' }, { value: 'Admin', description: 'Rollbar administrators' }],
      assignments: {
        'jane-doe': { principalObjectId: USER_1, principalType: 'User', role: 'Admin' },
        'platform-team': { principalObjectId: GROUP_1, principalType: 'Group', role: 'User' },
      },
      mappings: { groups: { enabled: false } },
    });
    expect(readable(registrations).sort((a, b) => a.name.localeCompare(b.name))).toMatchSnapshot();
  });

  test('mappings run after the credentials and before the provisioning state, with the patch readable in their inputs', async () => {
    const mappings = {
      users: {
        attributes: {
          'name.givenName': { source: '[givenName]', apply: 'onCreateOnly' as const },
          'name.familyName': null,
        },
        scopingFilters: [
          {
            name: 'Engineering',
            clauses: [{ attribute: 'department', operator: 'EQUALS' as const, values: ['Engineering'] }],
          },
        ],
      },
    };
    const { registrations } = await declare('mapped', { mappings });
    const credentials = one(registrations, TYPES.credentials);
    const step = one(registrations, TYPES.mappings);
    const state = one(registrations, TYPES.provisioningState);
    expect(step.name).toBe('mapped-mappings');
    expect(step.inputs.mappings).toEqual(mappings);
    expect(isSecretWrapper(step.inputs.mappings)).toBe(false);
    expect(step.dependencies).toContain(credentials.urn);
    expect(state.dependencies).toEqual(expect.arrayContaining([credentials.urn, step.urn]));
    expect(state.inputs.after).toEqual({ credentials: 'credentials-revision-1', mappings: 'mappings-revision-1' });
    const order = registrations.map((r) => r.type);
    expect(order.indexOf(TYPES.credentials)).toBeLessThan(order.indexOf(TYPES.mappings));
    expect(order.indexOf(TYPES.mappings)).toBeLessThan(order.indexOf(TYPES.provisioningState));
  });

  test('without mappings the schema is not managed', async () => {
    const { registrations } = await declare('unmapped', {});
    expect(byType(registrations, TYPES.mappings)).toEqual([]);
    expect(one(registrations, TYPES.provisioningState).inputs.after).toEqual({ credentials: 'credentials-revision-1' });
  });

  test('a canary runs after the assignments, credentials and mappings, and before the provisioning state', async () => {
    const { registrations } = await declare('canaried', {
      assignments: { 'jane-doe': { principalObjectId: USER_1, role: 'User' } },
      mappings: {},
      canary: { principalObjectId: USER_1 },
    });
    const credentials = one(registrations, TYPES.credentials);
    const mappings = one(registrations, TYPES.mappings);
    const assignment = one(registrations, TYPES.assignment);
    const canary = one(registrations, TYPES.canary);
    const state = one(registrations, TYPES.provisioningState);
    expect(canary.name).toBe('canaried-canary');
    expect(canary.parent).toBe(ofComponent('canaried').find((r) => r.type === TYPES.component)?.urn);
    expect(canary.inputs).toMatchObject({
      principalObjectId: USER_1,
      enabled: true,
      after: { credentials: 'credentials-revision-1', mappings: 'mappings-revision-1' },
    });
    expect(canary.dependencies).toEqual(expect.arrayContaining([assignment.urn, credentials.urn, mappings.urn]));
    expect(state.dependencies).toContain(canary.urn);
  });

  test('without a canary nothing is added', async () => {
    const { registrations } = await declare('uncanaried', {});
    expect(byType(registrations, TYPES.canary)).toEqual([]);
  });

  test('child names do not change when roles and assignments are reordered', async () => {
    const roles = [{ value: 'User' }, { value: 'Admin' }, { value: 'Observer' }];
    const assignments = Object.entries({
      'jane-doe': { principalObjectId: USER_1, principalType: 'User' as const, role: 'Admin' },
      'platform-team': { principalObjectId: GROUP_1, principalType: 'Group' as const, role: 'User' },
      'support-team': {
        principalObjectId: '44444444-4444-4444-8444-444444444444',
        principalType: 'Group' as const,
        role: 'Observer',
      },
    });
    const forward = await declare('order-a', { roles, assignments: Object.fromEntries(assignments) });
    const backward = await declare('order-b', {
      roles: [...roles].reverse(),
      assignments: Object.fromEntries([...assignments].reverse()),
    });
    const shape = (registrations: Registration[], name: string) =>
      new Map(
        registrations.map((r) => {
          const { __provider, ...inputs } = r.inputs;
          return [r.name.replace(name, '<c>'), JSON.stringify(redactSecrets(inputs))];
        }),
      );
    expect(shape(backward.registrations, 'order-b')).toEqual(shape(forward.registrations, 'order-a'));
    expect([...shape(forward.registrations, 'order-a').keys()]).toEqual(
      expect.arrayContaining(['<c>-role-Observer', '<c>-assignment-support-team']),
    );
  });

  describe("Pulumi's debug stacks while assignments are declared", () => {
    const ASSIGNMENTS = {
      'jane-doe': { principalObjectId: USER_1, principalType: 'User' as const, role: 'User' },
      'platform-team': { principalObjectId: GROUP_1, principalType: 'Group' as const, role: 'User' },
    };

    /** Declares a component and returns every value V8's stack-trace limit was set to meanwhile. */
    async function limitsWhileDeclaring(name: string): Promise<{ sets: number[]; after: number }> {
      const original = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')!;
      let value = original.value as number;
      const sets: number[] = [];
      Object.defineProperty(Error, 'stackTraceLimit', {
        configurable: true,
        enumerable: true,
        get: () => value,
        set: (v: number) => {
          value = v;
          sets.push(v);
        },
      });
      try {
        const { registrations } = await declare(name, { assignments: ASSIGNMENTS });
        expect(byType(registrations, TYPES.assignment)).toHaveLength(2);
      } finally {
        Object.defineProperty(Error, 'stackTraceLimit', { ...original, value });
      }
      return { sets, after: value };
    }

    test('are bounded to 8 frames for the assignments, and the limit is put back', async () => {
      const before = Error.stackTraceLimit;
      const { sets, after } = await limitsWhileDeclaring('bounded');
      // Pulumi lifts the limit to record each resource's source position, then restores the one it found: for
      // both assignments, that is ours; then ours is put back.
      const bounded = sets.indexOf(8);
      const restored = sets.indexOf(before, bounded);
      expect(sets.slice(bounded, restored)).toEqual([8, Infinity, 8, Infinity, 8]);
      expect(sets.filter((v) => v !== 8 && v !== Infinity).every((v) => v === before)).toBe(true);
      expect(sets.at(-1)).toBe(before);
      expect(after).toBe(before);
    });

    test('are left as they are when PULUMI_DEBUG_PROMISE_LEAKS is set', async () => {
      process.env.PULUMI_DEBUG_PROMISE_LEAKS = '1';
      try {
        const { sets } = await limitsWhileDeclaring('leak-debugging');
        expect(sets).not.toContain(8);
      } finally {
        delete process.env.PULUMI_DEBUG_PROMISE_LEAKS;
      }
    });
  });

  test('a given sync template id replaces the SyncTemplate step', async () => {
    const { registrations } = await declare('pinned', { syncTemplateId: 'rollbar-pinned' });
    expect(byType(registrations, TYPES.syncTemplate)).toEqual([]);
    expect(one(registrations, TYPES.job).inputs.templateId).toBe('rollbar-pinned');
  });

  test('an existing service principal is adopted: no app is instantiated, roles go on its application', async () => {
    const existing = '55555555-5555-4555-8555-555555555555';
    recorder.invocations.length = 0;
    const { component, registrations } = await declare('adopted', {
      existingServicePrincipalObjectId: existing,
      assignments: { 'jane-doe': { principalObjectId: USER_1, principalType: 'User', role: 'User' } },
    });
    expect(byType(registrations, TYPES.application)).toEqual([]);
    expect(recorder.invocations.map((i) => i.token)).toEqual(
      expect.arrayContaining([
        'azuread:index/getServicePrincipal:getServicePrincipal',
        'azuread:index/getApplication:getApplication',
      ]),
    );
    expect(recorder.invocations.find((i) => i.token.endsWith('getApplication'))!.inputs).toEqual({
      clientId: FAKE.clientId,
    });
    expect(one(registrations, TYPES.role).inputs.applicationId).toBe(
      `/applications/${FAKE.existingApplicationObjectId}`,
    );
    expect(one(registrations, TYPES.assignment).inputs.resourceObjectId).toBe(existing);
    expect(one(registrations, TYPES.job).inputs.servicePrincipalId).toBe(`/servicePrincipals/${existing}`);
    expect(await promiseOf(component.servicePrincipalObjectId)).toBe(existing);
  });

  test('an exported portal app: the pulumi import file names exactly the job, roles and assignments declared', async () => {
    // Issue 24, acceptance 4 in part: what `export --imports pulumi` writes attaches to what the component
    // declares from the exported file (type, name, parent), so `pulumi import --file` leaves none of them to
    // create, and the portal's role ids are kept. The Mappings diff of the same app is in
    // serialized-providers.test.ts; `pulumi import` itself needs the Pulumi CLI, which is not here.
    const exported = exportConfig({
      ...portalSnapshot(),
      jobSchema: portalJobSchema(undefined, { inexpressible: false }),
    });
    expect(exported.differences).toEqual([]);
    const { component, registrations } = await declare('exported', exported.config);
    const urn = await promiseOf(component.urn);
    const file = pulumiImportFile(exported.imports, 'exported', urn);
    expect(file.nameTable).toEqual({ exported: urn });
    const adoptable = [TYPES.job, TYPES.role, TYPES.assignment];
    const declared = registrations
      .filter((r) => (adoptable as readonly string[]).includes(r.type))
      .map((r) => ({ type: r.type, name: r.name, parent: r.parent }));
    const imported = file.resources.map((r) => ({ type: r.type, name: r.name, parent: file.nameTable[r.parent] }));
    const order = (xs: { name: string }[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
    expect(order(declared)).toEqual(order(imported));
    expect(byType(registrations, TYPES.application)).toEqual([]);
    expect(new Set(byType(registrations, TYPES.role).map((r) => r.inputs.roleId))).toEqual(
      new Set(PORTAL_ROLES.filter((r) => r.value !== null).map((r) => r.id)),
    );
  });

  test('protect: false leaves the application unprotected', async () => {
    const { registrations } = await declare('unprotected', {
      protect: false,
      applicationTemplateId: FAKE.galleryTemplateId,
    });
    expect(one(registrations, TYPES.application).protect).toBe(false);
  });

  test('an invalid spec throws one RollbarProvisioningError with every problem, before anything is registered', () => {
    let error: unknown;
    try {
      new RollbarProvisioning('invalid', {
        secretToken: secretConfig(),
        scope: 'everyone' as 'all',
        roles: [{ value: 'User' }],
        assignments: {
          PlatformTeam: { principalObjectId: 'not-a-guid', principalType: 'Group', role: 'msiam_access' },
        },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RollbarProvisioningError);
    expect((error as RollbarProvisioningError).codes.sort()).toEqual(
      ['DEFAULT_ACCESS_ROLE', 'INVALID_ASSIGNMENT_KEY', 'INVALID_OBJECT_ID', 'INVALID_SCOPE'].sort(),
    );
    expect(ofComponent('invalid')).toEqual([]);
  });

  test.each([
    ['an Output', 'late-output', () => later.output(USER_1)],
    ['a promise', 'late-promise', () => Promise.resolve(USER_1)],
  ])('%s where a value is checked is skipped by validation and passed through', async (_what, name, late) => {
    const { registrations } = await declare(name, {
      assignments: { 'jane-doe': { principalObjectId: late(), principalType: 'User', role: 'User' } },
    });
    expect(one(registrations, TYPES.assignment).inputs.principalObjectId).toBe(USER_1);
  });
});

describe('secrets', () => {
  let registrations: Registration[];

  beforeAll(async () => {
    // A plain string on purpose: the component must make it secret itself.
    ({ registrations } = await declare('plain-token', {
      secretToken: TOKEN,
      tenantUrl: 'https://rollbar.example.com/scim/v2',
      mappings: { users: { attributes: { 'name.givenName': { source: '[givenName]' } } } },
    }));
  });

  test('the token is a secret wherever it appears in registered inputs, and reaches only Credentials', () => {
    const all = recorder.registrations;
    // Last in the file: every component declared above is scanned too.
    expect(all.length).toBeGreaterThan(80);
    const inputs = all.map((r) => scanSecrets(r.name, r.inputs, [TOKEN, CLIENT_SECRET]));
    expect(inputs.flatMap((s) => [...s.leaks, ...s.hashes])).toEqual([]);
    // The sign-in secret travels in graphAuthSecrets, an object Pulumi marks secret as a whole.
    const inSecret = inputs.flatMap((s) => s.inSecret);
    expect(inSecret.filter((l) => !/\.graphAuthSecrets\.ARM_CLIENT_SECRET: secret #1 /.test(l))).toEqual([]);
    const credentials = one(registrations, TYPES.credentials);
    expect(isSecretWrapper(credentials.inputs.secretToken)).toBe(true);
    expect((credentials.inputs.secretToken as { value: unknown }).value).toBe(TOKEN);
    expect(credentials.additionalSecretOutputs).toContain('tokenHash');
    const holders = all.filter((r) => JSON.stringify(r.inputs).includes(TOKEN)).map((r) => r.type);
    expect(new Set(holders)).toEqual(new Set([TYPES.credentials]));
  });

  test('the token is in no output, no serialized provider and no snapshot, its SHA-256 only as a secret', async () => {
    const credentials = byType(recorder.registrations, TYPES.credentials);
    const outputs = (await monitorResources()).map((r) => scanSecrets(r.urn, r.state, [TOKEN, CLIENT_SECRET]));
    const states = recorder.registrations.map((r) => scanSecrets(r.name, r.state, [TOKEN, CLIENT_SECRET]));
    for (const scans of [outputs, states]) {
      expect(scans.flatMap((s) => [...s.leaks, ...s.inSecret, ...s.wrapped])).toEqual([]);
      // Every Credentials keeps the hash of the token in tokenHash, as a secret; nothing else holds it.
      expect(scans.flatMap((s) => s.hashes)).toHaveLength(credentials.length);
      expect(scans.flatMap((s) => s.hashes).filter((h) => !h.endsWith('.tokenHash (secret #0)'))).toEqual([]);
    }
    expect(states.flatMap((s) => s.hashes).sort()).toEqual(
      credentials.map((r) => `${r.name}.tokenHash (secret #0)`).sort(),
    );
    const providers = recorder.registrations
      .map((r) => r.inputs.__provider)
      .filter((p): p is string => typeof p === 'string');
    expect(providers.length).toBeGreaterThan(5);
    const snapshot = JSON.stringify(readable(recorder.registrations));
    const snapshotFile = readFileSync(join(__dirname, '__snapshots__', 'rollbar-provisioning.test.ts.snap'), 'utf8');
    const texts: [string, string][] = [
      ['snapshot', snapshot],
      ['snapshot file', snapshotFile],
      ...providers.map((p, i): [string, string] => [`provider #${i}`, p]),
    ];
    expect(texts.flatMap(([where, text]) => findSecretForms(where, text, [TOKEN, CLIENT_SECRET]))).toEqual([]);
  });
});
