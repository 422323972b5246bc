/** Any spelling of the token's key: `secretToken`, `SecretToken` (Graph's name), `secret_token`, `secret-token`. */
export function isSecretKey(key: string): boolean {
  // A quick no for most keys (loading 10,000 assignments asks 40,000 times): the lower-case form must hold a k,
  // and only k, K and the Kelvin sign (U+212A) lower-case to one.
  if (!K.test(key)) return false;
  return key.toLowerCase().replace(/[\s_-]+/g, '') === 'secrettoken';
}

const K = /[kK\u212A]/;
