import { problem, REDACTED, type Problem } from '../problems';
import { isText, type RuleContext, type SpecInput } from './context';

/** INVALID_URL for a `tenantUrl` that is not https, and (without showing it) for one that carries credentials. */
export function tenantUrlRule(spec: SpecInput, context: RuleContext): Problem[] {
  const url = spec.tenantUrl;
  if (!isText(url, context)) return [];
  const parsed = parseUrl(url);
  if (parsed !== undefined && (parsed.username !== '' || parsed.password !== '')) {
    // The value may hold a credential, so it is not shown.
    return [
      problem(
        'INVALID_URL',
        'tenantUrl',
        'be an https:// URL without a user name or password',
        REDACTED,
        'Remove the credentials from the URL: the token goes in secretToken.',
      ),
    ];
  }
  if (parsed?.protocol === 'https:') return [];
  return [
    problem(
      'INVALID_URL',
      'tenantUrl',
      'be an https:// URL',
      url,
      "Use Rollbar's SCIM base address, or omit it: the gallery connector knows Rollbar's endpoint.",
    ),
  ];
}

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
