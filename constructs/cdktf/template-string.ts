import { Fn, Token } from 'cdktf';

/**
 * How plain values become Terraform strings. Every string in `cdk.tf.json` is a Terraform template, so a user's
 * text (a display name, a mapping expression) must have `${` and `%{` escaped, or Terraform would evaluate it;
 * engine tokens are left alone, since they are meant to be evaluated.
 */
export function literal(text: string): string {
  return Token.isUnresolved(text) ? text : text.replace(/([$%])\{/g, '$1$1{');
}

const MARK = '\u0000rollbar-token:';

/**
 * A value as a JSON string that Terraform completes: literal parts escaped and kept as written (keys sorted),
 * each engine token replaced by `jsonencode(<token>)`, so that a resolved value with quotes or backslashes
 * still yields valid JSON. (cdktf's own `Fn.jsonencode` of an object does not escape quotes inside literals,
 * and mapping expressions are full of them.)
 */
export function jsonTemplate(value: unknown): string {
  const tokens: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string') {
      if (!Token.isUnresolved(v)) return literal(v);
      tokens.push(v);
      return `${MARK}${tokens.length - 1}`;
    }
    return sortKeys(v);
  });
  if (tokens.length === 0) return text;
  const marked = new RegExp(`"${JSON.stringify(MARK).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  return text.replace(marked, (_match, i: string) => Fn.jsonencode(tokens[Number(i)]));
}

function sortKeys(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [literal(k), v]));
}
