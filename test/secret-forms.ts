/**
 * Every form in which a token would be revealed, for tests that scan files and output for it: as it is,
 * JSON-escaped, URL-encoded, hex in either case, base64 and base64url (also inside a longer base64 text such as a
 * Basic authorization header of `user:token`, where its bytes start at any of three alignments: only the
 * characters that depend on its bytes alone are searched for), and its SHA-256 (hex in either case, base64, as
 * Terraform's sha256() and base64sha256() would write it).
 */
import { createHash } from 'node:crypto';

/** The forms of `secret`, by name. */
export function secretForms(secret: string): Record<string, string> {
  const bytes = Buffer.from(secret, 'utf8');
  const hex = bytes.toString('hex');
  const digest = createHash('sha256').update(bytes).digest();
  const out: Record<string, string> = {
    raw: secret,
    'JSON-escaped': JSON.stringify(secret).slice(1, -1),
    'URL-encoded': encodeURIComponent(secret),
    'hex (lower case)': hex,
    'hex (upper case)': hex.toUpperCase(),
    'SHA-256 (hex, lower case)': digest.toString('hex'),
    'SHA-256 (hex, upper case)': digest.toString('hex').toUpperCase(),
    'SHA-256 (base64)': digest.toString('base64'),
  };
  return { ...out, ...base64Forms(bytes) };
}

/**
 * `bytes` in base64 and base64url at each of the three alignments it can have inside a longer base64 text: only
 * the characters that depend on its bytes alone.
 */
export function base64Forms(bytes: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const end = Math.floor(encoded.length / 3) * 4;
    const start = shift === 0 ? 0 : 4;
    out[`base64 (shift ${shift})`] = encoded.toString('base64').slice(start, end);
    out[`base64url (shift ${shift})`] = encoded.toString('base64url').slice(start, end);
  }
  return out;
}

/** The forms of any of `secrets` found in `text`, as `where: secret #i form`. */
export function findSecretForms(where: string, text: string, secrets: readonly string[]): string[] {
  return secrets.flatMap((secret, i) =>
    Object.entries(secretForms(secret))
      .filter(([, needle]) => text.includes(needle))
      .map(([form]) => `${where}: secret #${i} ${form}`),
  );
}
