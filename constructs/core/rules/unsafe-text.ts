import { problem, REDACTED, type Problem } from '../problems';
import { escapeUnsafe, firstUnsafeCharacter } from '../unsafe-text';
import { isRecord, isText, type RuleContext, type SpecInput } from './context';

/**
 * UNSAFE_CHARACTER for every text that Entra stores and shows (the app's name, role names and descriptions, the
 * notification address, the tenant URL, every key and text of the mappings) that holds a control character, NUL
 * or a bidirectional override: Entra would keep it, the admin center would show a name that is not what it
 * seems, and every terminal that prints it would obey it. Fields with a strict pattern of their own (role
 * values, ids, assignment keys) are left to it.
 */
export function unsafeTextRule(spec: SpecInput, context: RuleContext): Problem[] {
  const out: Problem[] = [];
  const check = (path: string, text: unknown, secret = false): void => {
    if (!isText(text, context)) return;
    const at = firstUnsafeCharacter(text);
    if (at < 0) return;
    const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
    out.push(
      problem(
        'UNSAFE_CHARACTER',
        // A key of the mappings may be the unsafe text itself.
        escapeUnsafe(path),
        'be text without control characters or bidirectional overrides',
        secret ? REDACTED : text,
        `Remove the character U+${code} at position ${at + 1}: Entra would store it, and terminals that print it would obey it.`,
      ),
    );
  };
  check('displayName', spec.displayName);
  // The URL may carry a credential (INVALID_URL says so), so it is not shown.
  check('tenantUrl', spec.tenantUrl, true);
  if (isRecord(spec.notification)) check('notification.email', spec.notification.email);
  const ssoEmails = isRecord(spec.sso) ? spec.sso.certificateNotificationEmails : undefined;
  if (Array.isArray(ssoEmails)) {
    (ssoEmails as unknown[]).forEach((email, i) => check(`sso.certificateNotificationEmails.${i}`, email));
  }
  if (Array.isArray(spec.roles)) {
    (spec.roles as unknown[]).forEach((role, i) => {
      if (!isRecord(role)) return;
      check(`roles.${i}.displayName`, role.displayName);
      check(`roles.${i}.description`, role.description);
    });
  }
  const walk = (node: unknown, path: string): void => {
    if (typeof node === 'string') check(path, node);
    else if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${path}.${i}`));
    else if (isRecord(node)) {
      for (const [key, v] of Object.entries(node)) {
        check(`${path}.${key}`, key);
        walk(v, `${path}.${key}`);
      }
    }
  };
  walk(spec.mappings, 'mappings');
  return out;
}
