/**
 * exportConfig: a portal-made app's read snapshot becomes a configuration that adopts it, with its import ids,
 * the Default Access assignments it leaves out, notes, and the differences the model cannot express.
 */
import { exportConfig, mergeSchema, resolveSpec, validateSpec, type PortalSnapshot } from '../../constructs/core';
import { assignmentKeys, kebabKey } from '../../constructs/core/export';
import {
  PORTAL_APP,
  PORTAL_JOB,
  PORTAL_PRINCIPALS,
  PORTAL_ROLES,
  PORTAL_SP,
  portalJobSchema,
  portalSnapshot,
} from '../fixtures/portal-app';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../fixtures/rollbar-schema';

const withSecrets = (secrets: { key: string; value: string }[]): PortalSnapshot => ({
  ...portalSnapshot(),
  // Graph's typings name the documented keys only; the export must read any key Graph returns.
  secrets: secrets as unknown as PortalSnapshot['secrets'],
});

describe('exportConfig of the portal-made app', () => {
  const result = exportConfig(portalSnapshot());

  test('the configuration adopts the app and passes validateSpec', () => {
    expect(result.config.existingServicePrincipalObjectId).toBe(PORTAL_SP);
    expect(validateSpec({ ...result.config, secretToken: '${var.token}' }, { isUnresolved: () => true })).toEqual([]);
  });

  test("roles keep the portal's random ids, so resolveSpec declares exactly them", () => {
    const resolved = resolveSpec({ ...result.config, secretToken: 't' });
    expect(resolved.roles.map((r) => [r.value, r.id, r.displayName, r.description])).toEqual([
      ['Admin', PORTAL_ROLES[2]!.id, 'Rollbar Admin', 'Rollbar account administrators'],
      ['User', PORTAL_ROLES[1]!.id, 'Rollbar User', 'Rollbar users'],
    ]);
  });

  test('two principals with one display name get keys in object-id order; the group its own', () => {
    expect(result.config.assignments).toEqual({
      'alex-kim': { principalObjectId: PORTAL_PRINCIPALS[1].id, role: 'User' },
      'alex-kim-2': { principalObjectId: PORTAL_PRINCIPALS[0].id, role: 'Admin' },
      engineering: { principalObjectId: PORTAL_PRINCIPALS[2].id, role: 'User' },
    });
  });

  test('the Default Access assignment is left out, listed with a suggested key, and noted', () => {
    expect(Object.values(result.config.assignments ?? {}).map((a) => a.principalObjectId)).not.toContain(
      PORTAL_PRINCIPALS[3].id,
    );
    expect(result.defaultAccess).toEqual([
      expect.objectContaining({
        principalObjectId: PORTAL_PRINCIPALS[3].id,
        principalType: 'User',
        principalDisplayName: 'Dana Ortiz',
        suggestedKey: 'dana-ortiz',
      }),
    ]);
    expect(result.notes.map((n) => n.kind)).toContain('DEFAULT_ACCESS_ASSIGNMENT');
    expect(Object.keys(result.imports.assignments)).toEqual(['alex-kim', 'alex-kim-2', 'engineering']);
  });

  test('settings: notification, threshold, scope and provisioning state as the portal has them', () => {
    expect(result.config).toMatchObject({
      notification: { email: 'identity-ops@example.com', sendOnFailure: true },
      accidentalDeletionThreshold: 250,
      scope: 'assignedOnly',
      provisioningEnabled: true,
    });
  });

  test('masked values are unknown: no tenantUrl, a MASKED_SECRET note, and no "*" anywhere', () => {
    expect(result.config).not.toHaveProperty('tenantUrl');
    expect(result.notes).toContainEqual(expect.objectContaining({ kind: 'MASKED_SECRET', path: 'tenantUrl' }));
    expect(JSON.stringify(result.config)).not.toContain('"*"');
    expect(result.config).not.toHaveProperty('secretToken');
  });

  test('mappings are the patch of the changed mapping and the scoping filter', () => {
    expect(result.config.mappings).toEqual({
      users: {
        attributes: { displayName: { source: 'Join(" ", [givenName], [surname])' } },
        scopingFilters: [
          {
            name: 'Engineering only',
            clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }],
          },
        ],
      },
    });
  });

  test('the inexpressible FlowAlways is the one difference, by its kind and path', () => {
    expect(result.differences.map((d) => [d.kind, d.path])).toEqual([
      ['FLOW_BEHAVIOR', 'mappings.users.attributes.title.flowBehavior'],
    ]);
  });

  test('import ids are the azuread provider ids of the job, the roles and the assignments', () => {
    expect(result.imports.job).toBe(`/servicePrincipals/${PORTAL_SP}/synchronization/jobs/${PORTAL_JOB}`);
    expect(result.imports.roles).toEqual({
      Admin: `/applications/${PORTAL_APP}/appRoles/${PORTAL_ROLES[2]!.id}`,
      User: `/applications/${PORTAL_APP}/appRoles/${PORTAL_ROLES[1]!.id}`,
    });
    expect(result.imports.assignments['alex-kim']).toBe(
      `/servicePrincipals/${PORTAL_SP}/appRoleAssignedTo/assignment1AbCdEfGhIjKlMn`,
    );
  });

  test('Graph listing in another order gives an equal result', () => {
    const s = portalSnapshot();
    const shuffled: PortalSnapshot = {
      ...s,
      appRoles: [...s.appRoles].reverse(),
      assignments: [...s.assignments].reverse(),
      secrets: [...s.secrets].reverse(),
    };
    expect(exportConfig(shuffled)).toEqual(result);
  });
});

describe('exportConfig: the edges', () => {
  test('a job without changes exports an empty patch and no difference', () => {
    const r = exportConfig({ ...portalSnapshot(), jobSchema: rollbarTemplateSchema() });
    expect(r.config.mappings).toEqual({});
    expect(r.differences).toEqual([]);
  });

  test('the merge of the exported patch gives the job back, FlowAlways aside', () => {
    const r = exportConfig(portalSnapshot());
    const merged = mergeSchema(rollbarTemplateSchema(), r.config.mappings ?? {}, {
      filterOperators: rollbarFilterOperators(),
    });
    expect(merged.problems).toEqual([]);
    const title = (s: typeof merged.schema) =>
      s.synchronizationRules?.[0]?.objectMappings
        ?.find((m) => m.sourceObjectName === 'User')
        ?.attributeMappings?.find((m) => m.targetAttributeName === 'displayName');
    expect(title(merged.schema)?.source?.expression).toBe(title(portalJobSchema())?.source?.expression);
  });

  test('without the template schema, mappings are left out (the schema stays unmanaged) with a note', () => {
    const { templateSchema: _t, ...rest } = portalSnapshot();
    const r = exportConfig(rest);
    expect(r.config).not.toHaveProperty('mappings');
    expect(r.notes.map((n) => n.kind)).toContain('NO_TEMPLATE_SCHEMA');
  });

  test('a paused job exports provisioningEnabled false', () => {
    const s = portalSnapshot();
    expect(exportConfig({ ...s, job: { ...s.job, scheduleState: 'Paused' } }).config.provisioningEnabled).toBe(false);
  });

  test.each([
    ['all', 'true', 'all'],
    ['assigned only', 'False', 'assignedOnly'],
  ])('SyncAll for %s', (_name, value, scope) => {
    expect(exportConfig(withSecrets([{ key: 'SyncAll', value }])).config.scope).toBe(scope);
  });

  test('the guard off is threshold 0; several recipients keep the first and are a difference', () => {
    const r = exportConfig(
      withSecrets([
        {
          key: 'SyncNotificationSettings',
          value: JSON.stringify({
            Enabled: false,
            Recipients: 'a@example.com;b@example.com',
            DeleteThresholdEnabled: false,
          }),
        },
      ]),
    );
    expect(r.config.accidentalDeletionThreshold).toBe(0);
    expect(r.config.notification).toEqual({ email: 'a@example.com', sendOnFailure: false });
    expect(r.differences.map((d) => d.kind)).toContain('NOTIFICATION_RECIPIENTS');
  });

  test('a masked notification leaves notification and threshold out, noted', () => {
    const r = exportConfig(withSecrets([{ key: 'SyncNotificationSettings', value: '*' }]));
    expect(r.config).not.toHaveProperty('notification');
    expect(r.config).not.toHaveProperty('accidentalDeletionThreshold');
    expect(r.notes).toContainEqual(expect.objectContaining({ kind: 'MASKED_SECRET', path: 'notification' }));
  });

  test('SkipOutOfScopeDeletions True is exported; an unknown saved key is a difference', () => {
    const r = exportConfig(
      withSecrets([
        { key: 'SkipOutOfScopeDeletions', value: 'True' },
        { key: 'SomethingElse', value: 'x' },
      ]),
    );
    expect(r.config.skipOutOfScopeDeletions).toBe(true);
    expect(r.differences).toContainEqual(expect.objectContaining({ kind: 'SETTING', path: 'secrets.SomethingElse' }));
  });

  test('a service principal assignment is skipped with a note; a role the model cannot declare is a difference', () => {
    const s = portalSnapshot();
    const r = exportConfig({
      ...s,
      appRoles: [
        ...s.appRoles,
        {
          id: 'e5e5e5e5-1111-4222-8333-444455556666',
          allowedMemberTypes: ['Application'],
          value: 'Robot',
          isEnabled: true,
        },
      ],
      assignments: [
        ...s.assignments,
        {
          id: 'spAssignment',
          appRoleId: PORTAL_ROLES[1]!.id,
          principalId: 'e1e1e1e1-0000-4000-8000-000000000001',
          principalType: 'ServicePrincipal',
          principalDisplayName: 'ci-bot',
        },
        {
          id: 'robotAssignment',
          appRoleId: 'e5e5e5e5-1111-4222-8333-444455556666',
          principalId: 'e2e2e2e2-0000-4000-8000-000000000002',
          principalType: 'User',
          principalDisplayName: 'Robo',
        },
      ],
    });
    expect(r.notes.map((n) => n.kind)).toContain('SERVICE_PRINCIPAL_ASSIGNMENT');
    expect(r.differences.map((d) => [d.kind, d.path])).toEqual(
      expect.arrayContaining([
        ['ROLE', 'roles[Robot]'],
        ['ASSIGNMENT', 'assignments.robo'],
      ]),
    );
    expect(r.config.roles?.map((x) => x.value)).toEqual(['Admin', 'User']);
  });

  test('an assignment of the zero GUID is Default Access too', () => {
    const s = portalSnapshot();
    const r = exportConfig({
      ...s,
      assignments: [
        {
          id: 'zero',
          appRoleId: '00000000-0000-0000-0000-000000000000',
          principalId: 'e3e3e3e3-0000-4000-8000-000000000003',
          principalType: 'Group',
          principalDisplayName: 'Ops',
        },
      ],
    });
    expect(r.defaultAccess.map((d) => d.suggestedKey)).toEqual(['ops']);
    expect(r.config.assignments).toEqual({});
  });
});

describe('assignment keys', () => {
  test.each([
    ['José Álvarez', 'jose-alvarez'],
    ['Straße Team', 'strasse-team'],
    ['  Platform / SRE  ', 'platform-sre'],
    ['DevOps', 'dev-ops'],
    ['田中 太郎', ''],
    ['a'.repeat(70), 'a'.repeat(60)],
  ])('kebabKey(%j) is %j', (name, key) => {
    expect(kebabKey(name)).toBe(key);
  });

  test('a name that yields nothing, or none, falls back to the type and the object id', () => {
    const { keys, fromObjectId } = assignmentKeys([
      {
        id: '1',
        principalId: 'ABCDEF12-0000-4000-8000-000000000001',
        principalType: 'User',
        principalDisplayName: '田中 太郎',
      },
      { id: '2', principalId: '12345678-0000-4000-8000-000000000002', principalType: 'Group' },
    ]);
    expect([...keys.entries()]).toEqual([
      ['2', 'group-12345678'],
      ['1', 'user-abcdef12'],
    ]);
    expect([...fromObjectId].sort()).toEqual(['1', '2']);
  });

  test('keys do not depend on the order Graph lists assignments in, nor collide with a name ending in -2', () => {
    const list = [
      {
        id: 'x',
        principalId: 'b0000000-0000-4000-8000-000000000002',
        principalType: 'User' as const,
        principalDisplayName: 'Sam',
      },
      {
        id: 'y',
        principalId: 'a0000000-0000-4000-8000-000000000001',
        principalType: 'User' as const,
        principalDisplayName: 'Sam',
      },
      {
        id: 'z',
        principalId: '90000000-0000-4000-8000-000000000000',
        principalType: 'User' as const,
        principalDisplayName: 'Sam 2',
      },
    ];
    const forward = assignmentKeys(list).keys;
    const backward = assignmentKeys([...list].reverse()).keys;
    expect(Object.fromEntries(forward)).toEqual(Object.fromEntries(backward));
    expect(Object.fromEntries(forward)).toEqual({ z: 'sam-2', y: 'sam', x: 'sam-3' });
  });
});
