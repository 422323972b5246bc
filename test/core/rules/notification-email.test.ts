import { notificationEmailRule } from '../../../constructs/core/rules/notification-email';
import { codesAndPaths, context, type Row, UNRESOLVED, withUnresolved } from './table';

const rows: Row[] = [
  ['no notification', {}, []],
  ['an address', { notification: { email: 'identity-ops@example.com' } }, []],
  ['a plus address', { notification: { email: 'ops+rollbar@mail.example.co.uk' } }, []],
  ['no @', { notification: { email: 'nobody' } }, [['INVALID_EMAIL', 'notification.email']]],
  ['no dot in the domain', { notification: { email: 'ops@localhost' } }, [['INVALID_EMAIL', 'notification.email']]],
  ['a space', { notification: { email: 'ops team@example.com' } }, [['INVALID_EMAIL', 'notification.email']]],
  [
    'two addresses',
    { notification: { email: 'a@example.com, b@example.com' } },
    [['INVALID_EMAIL', 'notification.email']],
  ],
  ['a notification that is not a map (the shape check says so)', { notification: 'ops@example.com' }, []],
];

describe('notificationEmailRule', () => {
  test.each(rows)('%s', (_name, spec, expected) => {
    expect(codesAndPaths(notificationEmailRule(spec, context()))).toEqual(expected);
  });

  test('skips an unresolved value', () => {
    expect(notificationEmailRule({ notification: { email: UNRESOLVED } }, withUnresolved())).toEqual([]);
  });
});
