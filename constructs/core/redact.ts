/**
 * Scrubbing secret text out of anything shown to people: problem messages, Graph errors, CLI output. One
 * implementation, so that every place removes the same forms.
 *
 * A secret can come back in another form than it was sent: JSON-escaped inside an echoed request body,
 * URL-encoded in a query string or a form, hex in a debug dump, base64 in a Basic authorization header (where it
 * follows `user:`, so its bytes start at any alignment of the base64 groups). A service may also echo it cut short
 * (`abc…`, `abc...`, or simply truncated where a body limit falls) or in pieces (wrapped over two lines). Every one
 * of these forms is removed: each encoding whole, and any run of at least {@link MIN_FRAGMENT_LENGTH} characters
 * of the raw token or of one of its encodings.
 */

/** Shorter strings are not tokens, and scrubbing them would mangle ordinary words in messages. */
export const MIN_REDACTED_LENGTH = 6;

/**
 * The shortest piece of a secret (or of one of its encodings) that is removed on its own: long enough that
 * ordinary text does not contain one by chance (twelve characters of a random token are 48 bits or more; a
 * shorter window would also catch words a token may share with the CLI's own text, such as `rollbar-`), short
 * enough that a token cut in two, or truncated, leaves little behind.
 */
export const MIN_FRAGMENT_LENGTH = 12;

const MARK = '<redacted>';

/** Base64 text of `bytes` in whole groups only: the characters that depend on these bytes alone. */
function wholeGroups(bytes: Buffer, encoding: 'base64' | 'base64url'): string {
  return bytes.subarray(0, bytes.length - (bytes.length % 3)).toString(encoding);
}

/** The forms in which `secret` may appear in text, longest first. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const percent = encodeURIComponent(secret);
  const hex = bytes.toString('hex');
  const forms = [
    secret,
    JSON.stringify(secret).slice(1, -1),
    percent,
    percent.replace(/%[0-9A-F]{2}/g, (p) => p.toLowerCase()),
    new URLSearchParams({ v: secret }).toString().slice(2),
    hex,
    hex.toUpperCase(),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
  ];
  // Inside longer base64 (`user:token` in a Basic header), the token starts 0, 1 or 2 bytes into a group: skipping
  // as many of its bytes realigns it, and the whole groups that follow are the same whatever came before.
  for (let skip = 0; skip < 3; skip++) {
    const rest = bytes.subarray(skip);
    forms.push(wholeGroups(rest, 'base64'), wholeGroups(rest, 'base64url'));
  }
  return [...new Set(forms)].filter((f) => f.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.length - a.length);
}

/**
 * The spans of `text` (start, end) covered by a run of at least `min` characters of one of `forms`: a piece of
 * it, at any offset, however the rest was cut away. Every `min`-character window of the forms is looked up once
 * per position of the text; the windows of a longer run overlap, so their spans merge into the whole run.
 */
function fragmentSpans(text: string, forms: readonly string[], min: number): [number, number][] {
  const windows = new Set<string>();
  for (const form of forms) {
    for (let i = 0; i + min <= form.length; i++) windows.add(form.slice(i, i + min));
  }
  const spans: [number, number][] = [];
  for (let at = 0; at + min <= text.length; at++) {
    if (windows.has(text.slice(at, at + min))) spans.push([at, at + min]);
  }
  return spans;
}

/** `text` with every span replaced by one mark (overlapping and adjacent spans merge). */
function replaceSpans(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  let open: [number, number] | undefined;
  for (const span of spans) {
    if (open !== undefined && span[0] <= open[1]) {
      open[1] = Math.max(open[1], span[1]);
      continue;
    }
    if (open !== undefined) {
      out += text.slice(last, open[0]) + MARK;
      last = open[1];
    }
    open = [span[0], span[1]];
  }
  if (open !== undefined) out += text.slice(last, open[0]) + MARK;
  return out + text.slice(open === undefined ? last : open[1]);
}

/**
 * `text` with every occurrence of each secret replaced: raw, JSON-escaped, URL-encoded (upper- or lower-case
 * escapes, or form encoding), hex (either case), base64 and base64url at any alignment, and any piece of at least
 * {@link MIN_FRAGMENT_LENGTH} characters of those forms (a prefix before `…`, a truncated tail, one half of a
 * split token). A secret shorter than that is removed whole, and only whole.
 */
export function redactText(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < MIN_REDACTED_LENGTH) continue;
    const forms = encodings(secret);
    for (const form of forms) out = out.split(form).join(MARK);
    // A shortened prefix of a short secret, marked as cut (`abc…`, `abc...`).
    for (let n = Math.min(secret.length, MIN_FRAGMENT_LENGTH) - 1; n >= MIN_REDACTED_LENGTH; n--) {
      for (const ellipsis of ['…', '...']) out = out.split(`${secret.slice(0, n)}${ellipsis}`).join(MARK + ellipsis);
    }
    out = replaceSpans(out, fragmentSpans(out, forms, MIN_FRAGMENT_LENGTH));
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
