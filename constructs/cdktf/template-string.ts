import { Fn, Token } from 'cdktf';

/**
 * How plain values become Terraform strings. Every string in `cdk.tf.json` is a Terraform template, so a user's
 * text (a display name, a mapping expression) must have `${` and `%{` escaped, or Terraform would evaluate it;
 * engine tokens are left alone, since they are meant to be evaluated.
 *
 * The same strings must also survive `cdktf synth --hcl`, whose renderer puts a string between quotes as it is
 * when it holds `${`, and otherwise escapes its quotes but not its backslashes: a quote or a backslash outside an
 * interpolation would come out as broken or different HCL. So text holding one is written as an interpolation of
 * an HCL string literal, `${"…"}`, which Terraform evaluates to the same text from JSON and from HCL.
 */
export function literal(text: string): string {
  return Token.isUnresolved(text) ? text : hclSafe(escapeTemplate(text));
}

/** `${` and `%{` as Terraform's template escapes, so that Terraform reads the text back verbatim. */
function escapeTemplate(text: string): string {
  return text.replace(/([$%])\{/g, '$1$1{');
}

// Characters that cdktf's HCL renderer cannot carry outside an interpolation.
const UNSAFE = /["\\\n\r\t]/;

/**
 * Template text (escapes already applied, no engine token) as a template that means the same in JSON and HCL:
 * unchanged when it has no quote, backslash or line break, else `${"…"}` with those escaped for a quoted HCL
 * string (where `$${` and `%%{` stay the escapes they are).
 */
function hclSafe(templateText: string): string {
  if (!UNSAFE.test(templateText)) return templateText;
  const quoted = templateText.replace(/[\\"\n\r\t]/g, (c) => ESCAPES[c] ?? c);
  return `\${"${quoted}"}`;
}

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const MARK = '\u0000rollbar-token:';

/**
 * A value as a JSON string that Terraform completes: literal parts escaped and kept as written (keys sorted),
 * each engine token replaced by `jsonencode(<token>)`, so that a resolved value with quotes or backslashes
 * still yields valid JSON. (cdktf's own `Fn.jsonencode` of an object does not escape quotes inside literals,
 * and mapping expressions are full of them.) The literal parts are {@link literal}-safe for the HCL output too.
 */
export function jsonTemplate(value: unknown): string {
  const tokens: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') {
      if (!Token.isUnresolved(v)) return escapeTemplate(v);
      tokens.push(v);
      return `${MARK}${tokens.length - 1}`;
    }
    return sortKeys(v);
  });
  if (tokens.length === 0) return hclSafe(text);
  const marked = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  const parts: string[] = [];
  let last = 0;
  for (const match of text.matchAll(marked)) {
    parts.push(hclSafe(text.slice(last, match.index)), Fn.jsonencode(tokens[Number(match[1])]));
    last = match.index + match[0].length;
  }
  parts.push(hclSafe(text.slice(last)));
  return parts.join('');
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [escapeTemplate(k), v]));
}
