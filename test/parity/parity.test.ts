/**
 * Engine parity: the CDKTF synthesis and the Pulumi registrations (under mocks) of one spec, mapped to the neutral
 * model of ./neutral.ts, are the same pieces with the same inputs and order; a bad spec fails in both with the
 * same problems.
 */
import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { RollbarProvisioning as CdktfRollbarProvisioning } from '../../constructs/cdktf';
import { RollbarProvisioningError, type RollbarProvisioningSpec } from '../../constructs/core';
import type { RollbarProvisioning as PulumiRollbarProvisioning } from '../../constructs/pulumi';
import { loadConfig } from '../../constructs/config';
import { installMocks, promiseOf, type Recorder } from '../pulumi/mocks';
import { fromCdktf, fromPulumi, type Piece, type TerraformJson } from './neutral';

type Spec = Omit<RollbarProvisioningSpec, 'secretToken'>;

const TOKEN = 'rollbar-parity-token-4e8f2a6c0b1d';

const SCENARIOS: [string, () => Spec][] = [
  ['the rollbar.yaml scenario', () => loadConfig('rollbar.yaml')],
  [
    '3 roles, 5 assignments of users and groups, a notification e-mail and scope all',
    () => ({
      displayName: 'Rollbar (production)',
      notification: { email: 'identity-ops@example.com', sendOnFailure: false },
      scope: 'all',
      accidentalDeletionThreshold: 50,
      roles: [
        { value: 'Admin', displayName: 'Administrator', description: 'Rollbar account administrators' },
        { value: 'User' },
        { value: 'Observer', displayName: 'Observer' },
      ],
      assignments: {
        'jane-doe': { principalObjectId: '11111111-1111-4111-8111-111111111111', principalType: 'User', role: 'Admin' },
        'john-roe': { principalObjectId: '22222222-2222-4222-8222-222222222222', principalType: 'User', role: 'User' },
        'platform-team': {
          principalObjectId: '33333333-3333-4333-8333-333333333333',
          principalType: 'Group',
          role: 'User',
        },
        'support-team': {
          principalObjectId: '44444444-4444-4444-8444-444444444444',
          principalType: 'Group',
          role: 'Observer',
        },
        'sre-oncall': {
          principalObjectId: '55555555-5555-4555-8555-555555555555',
          principalType: 'Group',
          role: 'Admin',
        },
      },
    }),
  ],
  [
    'SAML SSO with two signing certificates (a rotation half done) and expiry e-mails',
    () => ({
      roles: [{ value: 'User' }],
      assignments: {
        'jane-doe': { principalObjectId: '11111111-1111-4111-8111-111111111111', principalType: 'User', role: 'User' },
      },
      sso: {
        accountName: 'acme-prod',
        certificateNotificationEmails: ['identity-ops@example.com', 'sre@example.com'],
        signingCertificates: { '2026': {}, '2028': { endDate: '2028-06-01T00:00:00Z' } },
        activeCertificate: '2026',
      },
    }),
  ],
  [
    'an adopted app with a pinned sync template, mappings, and provisioning off',
    () => ({
      existingServicePrincipalObjectId: '66666666-6666-4666-8666-666666666666',
      syncTemplateId: 'rollbar-pinned',
      provisioningEnabled: false,
      testConnection: false,
      skipOutOfScopeDeletions: true,
      tenantUrl: 'https://rollbar.example.com/scim/v2',
      roles: [{ value: 'User' }],
      assignments: {
        'jane-doe': { principalObjectId: '11111111-1111-4111-8111-111111111111', principalType: 'User', role: 'User' },
      },
      canary: { principalObjectId: '11111111-1111-4111-8111-111111111111' },
      mappings: {
        users: {
          attributes: { 'name.givenName': { source: '[givenName]', apply: 'onCreateOnly' }, 'name.familyName': null },
          scopingFilters: [
            {
              name: 'Engineering',
              clauses: [{ attribute: 'department', operator: 'EQUALS', values: ['Engineering'] }],
            },
          ],
        },
        groups: { enabled: false },
      },
    }),
  ],
];

let recorder: Recorder;
let RollbarProvisioning: typeof PulumiRollbarProvisioning;
let secret: (value: string) => unknown;

beforeAll(async () => {
  recorder = await installMocks();
  const pulumi = await import('@pulumi/pulumi');
  ({ RollbarProvisioning } = await import('../../constructs/pulumi'));
  secret = (value) => pulumi.secret(value);
});

/** The CDKTF side: the construct `Rollbar` in a stack whose token is a sensitive variable. */
function cdktf(spec: Spec): Piece[] {
  const stack = new TerraformStack(Testing.app(), 'parity');
  const token = new TerraformVariable(stack, 'rollbar_secret_token', { type: 'string', sensitive: true });
  new CdktfRollbarProvisioning(stack, 'Rollbar', { ...spec, secretToken: token.stringValue });
  return fromCdktf(JSON.parse(Testing.synth(stack)) as TerraformJson);
}

/** The Pulumi side: the component under mocks, every registration and invoke recorded. */
async function pulumi(name: string, spec: Spec): Promise<Piece[]> {
  recorder.clear();
  const component = new RollbarProvisioning(name, { ...spec, secretToken: secret(TOKEN) as string });
  await promiseOf(component.synchronizationJobId);
  await recorder.settle();
  return fromPulumi(name, recorder.registrations, recorder.invocations, TOKEN);
}

describe.each(SCENARIOS.map(([title, spec], i) => ({ title, spec, name: `parity-${i}` })))(
  '$title',
  ({ spec, name }) => {
    test('both engines declare the same pieces, inputs and order', async () => {
      const expected = cdktf(spec());
      const actual = await pulumi(name, spec());
      expect(actual).toEqual(expected);

      const kinds = new Set(expected.map((p) => p.kind));
      expect([...kinds]).toEqual(expect.arrayContaining(['role', 'job', 'credentials', 'provisioningState']));
      const state = expected.find((p) => p.kind === 'provisioningState')!;
      expect(state.after).toEqual(expect.arrayContaining(['credentials', 'job']));
      expect(expected.find((p) => p.kind === 'credentials')!.inputs.token).toBe('${secretToken}');
      const canary = expected.find((p) => p.kind === 'canary');
      if (canary !== undefined) {
        expect(canary.after).toEqual(expect.arrayContaining(['assignment:*', 'credentials', 'job']));
        expect(state.after).toContain('canary');
      }
    });
  },
);

test('the scenarios cover both ways in, user and group assignments and the optional steps', async () => {
  const all = (await Promise.all(SCENARIOS.map(([, spec]) => Promise.resolve(cdktf(spec()))))).flat();
  const kinds = new Set(all.map((p) => p.kind));
  for (const kind of [
    'template',
    'application',
    'existingServicePrincipal',
    'existingApplication',
    'syncTemplate',
    'mappings',
    'canary',
    'ssoIdentifierUri',
    'ssoRedirectUris',
    'ssoCertificate',
    'ssoSettings',
  ]) {
    expect(kinds).toContain(kind);
  }
  expect(all.filter((p) => p.kind === 'assignment').length).toBeGreaterThanOrEqual(8);
});

test('the same bad spec fails in both engines with the same problems', () => {
  const bad = {
    displayName: '',
    scope: 'everyone',
    accidentalDeletionThreshold: -1,
    notification: { email: 'not-an-email' },
    roles: [{ value: 'User' }, { value: 'User' }, { value: 'msiam_access' }],
    assignments: {
      PlatformTeam: { principalObjectId: 'not-a-guid', principalType: 'Team', role: 'Default Access' },
      'jane-doe': { principalObjectId: '11111111-1111-4111-8111-111111111111', principalType: 'User', role: 'Owner' },
    },
    mappings: { users: { attributes: { 'name.givenName': { source: 'Trimm([givenName])' } } } },
    sso: {
      accountName: 'https://rollbar.com/acme/',
      certificateNotificationEmails: ['ops'],
      activeCertificate: 'next',
    },
  } as unknown as Spec;
  const failure = (build: () => unknown): RollbarProvisioningError => {
    try {
      build();
    } catch (e) {
      if (e instanceof RollbarProvisioningError) return e;
      throw e;
    }
    throw new Error('no error thrown');
  };
  const inCdktf = failure(() => cdktf(bad));
  const inPulumi = failure(
    () => new RollbarProvisioning('parity-bad', { ...bad, secretToken: secret(TOKEN) as string }),
  );
  const problems = (e: RollbarProvisioningError) => e.problems.map((p) => `${p.code} ${p.path}`).sort();
  expect(problems(inPulumi)).toEqual(problems(inCdktf));
  expect(new Set(inCdktf.codes)).toEqual(
    new Set([
      'INVALID_DISPLAY_NAME',
      'INVALID_SCOPE',
      'INVALID_THRESHOLD',
      'INVALID_EMAIL',
      'DUPLICATE_ROLE',
      'DEFAULT_ACCESS_ROLE',
      'INVALID_ASSIGNMENT_KEY',
      'INVALID_OBJECT_ID',
      'INVALID_PRINCIPAL_TYPE',
      'UNKNOWN_ROLE',
      'UNKNOWN_FUNCTION',
      'INVALID_ACCOUNT_NAME',
      'UNKNOWN_SIGNING_CERTIFICATE',
    ]),
  );
  expect(recorder.registrations.filter((r) => r.name.startsWith('parity-bad'))).toEqual([]);
});
