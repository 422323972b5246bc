/** The offline warnings (constructs/core/warnings.ts): CANARY_NOT_ASSIGNED; and the canary's validation as a whole. */
import { specWarnings, validateSpec, type RollbarProvisioningSpec } from '../../constructs/core';

const CANARY = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const OTHER = '9bb0f679-a883-4a6f-8260-35b491b8b8c8';
const base = { notification: { email: 'ops@example.com' } };
const codes = (spec: RollbarProvisioningSpec<unknown>): string[] =>
  specWarnings(spec)
    .filter((w) => w.code === 'CANARY_NOT_ASSIGNED')
    .map((w) => `${w.code} ${w.path}`);

describe('CANARY_NOT_ASSIGNED', () => {
  test.each<[string, Partial<RollbarProvisioningSpec<unknown>>, string[]]>([
    ['no assignments at all', {}, ['CANARY_NOT_ASSIGNED canary.principalObjectId']],
    [
      'assignments that do not name the canary',
      { assignments: { team: { principalObjectId: OTHER, role: 'User' } } },
      ['CANARY_NOT_ASSIGNED canary.principalObjectId'],
    ],
    [
      'the canary assigned directly (object ids compared without case)',
      { assignments: { canary: { principalObjectId: CANARY.toUpperCase(), role: 'User' } } },
      [],
    ],
    ["scope 'all' (every user is in scope)", { scope: 'all' }, []],
    [
      'an assignment whose object id is an engine value (it may be the canary)',
      { assignments: { team: { principalObjectId: { output: true }, role: 'User' } } },
      [],
    ],
  ])('%s', (_name, extra, expected) => {
    expect(
      codes({ ...base, ...extra, canary: { principalObjectId: CANARY } } as RollbarProvisioningSpec<unknown>),
    ).toEqual(expected);
  });

  test('says the user may still be in an assigned group, and how to fix it', () => {
    const [w] = specWarnings({ ...base, canary: { principalObjectId: CANARY } } as RollbarProvisioningSpec<unknown>);
    expect(w?.message).toBe(
      `canary.principalObjectId is not among the assignments while scope is 'assignedOnly', got '${CANARY}'. ` +
        'Only assigned users are provisioned: assign the canary user (or make sure it is a direct member of an ' +
        'assigned group), or the canary is skipped as not entitled and the deploy stops.',
    );
  });

  test('no canary, no warning', () => {
    expect(codes(base as RollbarProvisioningSpec<unknown>)).toEqual([]);
  });
});

describe('canary validation', () => {
  test.each([
    [{ principalObjectId: 'alice@contoso.com' }, ['INVALID_OBJECT_ID canary.principalObjectId']],
    [{}, ['INVALID_OBJECT_ID canary.principalObjectId']],
    [{ principalObjectId: CANARY, group: true }, ['INVALID_CONFIG canary.group']],
    [{ principalObjectId: CANARY }, []],
  ])('canary %j', (canary, expected) => {
    const problems = validateSpec({ ...base, canary } as RollbarProvisioningSpec<unknown>, {
      requireSecretToken: false,
    });
    expect(problems.map((p) => `${p.code} ${p.path}`)).toEqual(expected);
  });
});
