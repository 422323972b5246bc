/**
 * The gallery app's built-in role, "Default Access" (`msiam_access`). This project does not assign it: the
 * Rollbar tutorial asks for an application-specific role, and a named role keeps assignments reviewable.
 */
export const DEFAULT_ACCESS_FORMS = ['msiam_access', 'Default Access', '00000000-0000-0000-0000-000000000000'] as const;

const normalized = new Set(DEFAULT_ACCESS_FORMS.map(normalize));

// Case, braces and separators are what people vary when they copy the role from the portal, a manifest or
// Graph (`msiam-access`, `default_access`, `{00000000-…}`, the zero GUID without dashes): all still mean it.
function normalize(role: string): string {
  return role
    .trim()
    .toLowerCase()
    .replace(/^\{(.*)\}$/, '$1')
    .replace(/[\s_-]+/g, '');
}

/**
 * True when the role names Default Access in any form: `msiam_access`, `Default Access`, the zero GUID
 * (ignoring case, braces, spaces, dashes and underscores).
 */
export function isDefaultAccess(role: string): boolean {
  return normalized.has(normalize(role));
}
