import { Token, Tokenization } from 'cdktf';

/**
 * Whether a value is still to be resolved by Terraform (it is checked there, not here): `Token.isUnresolved`, with
 * the shortcut cdktf's encoding allows. cdktf writes a token into a string or a map key between the markers
 * `${TfToken[`, `#{TfToken[` or `&{TfToken[` and `]}` (cdktf `lib/tokens/private/encoding.js`), so a string, or
 * a map none of whose keys holds `TfToken[`, is a token only if it is an IResolvable itself. Validation asks this
 * of every value of the spec, and cdktf's own test builds a pattern object per string and per map key.
 */
const TOKEN_MARKER = 'TfToken[';
export function isUnresolved(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(TOKEN_MARKER) && Token.isUnresolved(value);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.keys(value).some((k) => k.includes(TOKEN_MARKER))
      ? Token.isUnresolved(value)
      : Tokenization.isResolvable(value);
  }
  return Token.isUnresolved(value);
}
