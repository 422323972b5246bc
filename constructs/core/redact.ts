/**
 * Scrubbing secret text out of messages. Problem messages show the offending value (shortened to a prefix
 * and `…`), so a secret typed into the wrong field would be echoed, whole or cut short: both are removed.
 */

/** Shorter strings are not tokens, and scrubbing them would mangle ordinary words in messages. */
export const MIN_REDACTED_LENGTH = 6;

const MARK = '<redacted>';

/** `text` with every occurrence of each secret, and of each secret's shortened prefix (`abc…`), replaced. */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < MIN_REDACTED_LENGTH) continue;
    out = out.split(secret).join(MARK);
    for (let n = secret.length - 1; n >= MIN_REDACTED_LENGTH && out.includes('…'); n--) {
      out = out.split(`${secret.slice(0, n)}…`).join(`${MARK}…`);
    }
  }
  return out;
}
