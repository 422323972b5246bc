import { problem, type Problem } from '../problems';
import { isRecord, isText, type RuleContext, type SpecInput } from './context';

// Deliberately simple: one @, no spaces, a dot in the domain. Entra checks deliverability, not us.
const EMAIL = /^[^\s@"<>,;]+@[^\s@"<>,;]+\.[^\s@"<>,;.]+$/;

/** INVALID_EMAIL for a `notification.email` that is not an e-mail address. */
export function notificationEmailRule(spec: SpecInput, context: RuleContext): Problem[] {
  const email = isRecord(spec.notification) ? spec.notification.email : undefined;
  if (!isText(email, context) || EMAIL.test(email)) return [];
  return [
    problem(
      'INVALID_EMAIL',
      'notification.email',
      'be an e-mail address',
      email,
      'Use a monitored mailbox such as identity-ops@example.com, or omit notification.',
    ),
  ];
}
