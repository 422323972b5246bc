/**
 * The error family's root: RollbarProvisioningError builds its message from the problems unless one sentence is
 * given, and UsageError is the command line's kind of it.
 */
import { problem, RollbarProvisioningError, UsageError } from '../../constructs/core/problems';

describe('RollbarProvisioningError', () => {
  const problems = [problem('INVALID_EMAIL', 'notifications.email', 'be an email address', 'x', 'Write a@b.c.')];

  test('without a message, lists its problems under the summary', () => {
    const e = new RollbarProvisioningError(problems);
    expect(e.message).toBe(
      "Invalid Rollbar provisioning configuration (1 problem):\n  - [INVALID_EMAIL] notifications.email must be an email address, got 'x'. Write a@b.c.",
    );
    expect(new RollbarProvisioningError(problems, 'Cannot deploy').message).toMatch(/^Cannot deploy:\n {2}- /);
  });

  test('with a message, says that sentence and keeps the problems as data', () => {
    const e = new RollbarProvisioningError(problems, undefined, { message: 'One sentence says it.' });
    expect(e.message).toBe('One sentence says it.');
    expect(e.codes).toEqual(['INVALID_EMAIL']);
  });
});

describe('UsageError', () => {
  test('is a RollbarProvisioningError with one INVALID_ARGUMENT problem and the plain sentence as message', () => {
    const e = new UsageError('--max needs a value');

    expect(e).toBeInstanceOf(UsageError);
    expect(e).toBeInstanceOf(RollbarProvisioningError);
    expect(e.name).toBe('UsageError');
    expect(e.message).toBe('--max needs a value');
    expect(e.problems).toEqual([{ code: 'INVALID_ARGUMENT', path: '(command line)', message: '--max needs a value' }]);
  });

  test('is told apart from the other errors of the family (its parent checks by brand)', () => {
    expect(new RollbarProvisioningError([])).not.toBeInstanceOf(UsageError);
    expect(new Error('plain')).not.toBeInstanceOf(UsageError);
  });
});
