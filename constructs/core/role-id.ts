import { createHash } from 'node:crypto';

/**
 * Namespace for role ids. Fixed forever: changing it would change every role id this library has ever
 * created, which replaces every role and assignment in every tenant.
 */
export const ROLE_ID_NAMESPACE = '6f0d8a52-3c1e-4b7a-9d25-8e41b7c0f3a9';

/**
 * The id of the app role with this value: a UUID v5 (RFC 9562) of the value in {@link ROLE_ID_NAMESPACE}.
 * Deterministic, so the same configuration always declares the same role ids, in every process and engine.
 */
export function roleId(value: string): string {
  return uuidV5(value, ROLE_ID_NAMESPACE);
}

/** RFC 9562 name-based UUID, version 5 (SHA-1). */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new TypeError(`namespace must be a UUID, got '${namespace}'`);
  const hash = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
