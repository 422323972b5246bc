/**
 * Scrubbing secret text out of anything shown to people: problem messages, Graph errors, CLI output. One
 * implementation, so that every place removes the same forms.
 *
 * A secret can come back in another form than it was sent: JSON-escaped inside an echoed request body,
 * URL-encoded in a query string, base64 in a Basic authorization header. Problem messages also shorten long
 * values to a prefix and `…`. Every one of these forms is removed.
 */

/** Shorter strings are not tokens, and scrubbing them would mangle ordinary words in messages. */
export const MIN_REDACTED_LENGTH = 6;

const MARK = '<redacted>';

/** The forms in which `secret` may appear in text. */
function encodings(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

/**
 * `text` with every occurrence of each secret replaced: raw, JSON-escaped, URL-encoded, base64 and base64url,
 * and a shortened prefix (`abc…`) of the raw form.
 */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_REDACTED_LENGTH) continue;
    for (const form of encodings(secret)) out = out.split(form).join(MARK);
    for (let n = secret.length - 1; n >= MIN_REDACTED_LENGTH && out.includes('…'); n--) {
      out = out.split(`${secret.slice(0, n)}…`).join(`${MARK}…`);
    }
  }
  return out;
}

/**
 * Shortens text for a message without cutting a secret in two (a cut secret would escape redaction): the text is
 * redacted first, then cut.
 */
export function shortenRedacted(text: string, max: number, secrets: Iterable<string | undefined>): string {
  const redacted = redactText(text, secrets);
  return redacted.length <= max ? redacted : `${redacted.slice(0, max - 1)}…`;
}
