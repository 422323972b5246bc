/**
 * A self-signed X.509 certificate for go-plugin's automatic mutual TLS, built as DER by hand (Node's crypto
 * signs but has no certificate builder). It mirrors what go-plugin's own `generateCert` makes
 * (hashicorp/go-plugin `mtls.go`): subject O=HashiCorp CN=localhost, DNS name `localhost` (the client
 * verifies the server as ServerName "localhost" against this very certificate, `client.go` loadServerCert),
 * a CA certificate usable for server and client auth, an ECDSA key (P-256 here; go-plugin uses P-521).
 * DER per ITU-T X.690; certificate fields per RFC 5280.
 */
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), len(body.length), body]);
};
const seq = (...c: Buffer[]): Buffer => tlv(0x30, ...c);
const set = (...c: Buffer[]): Buffer => tlv(0x31, ...c);
const octets = (...c: Buffer[]): Buffer => tlv(0x04, ...c);
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const bitString = (unused: number, bytes: Buffer): Buffer => tlv(0x03, Buffer.from([unused]), bytes);

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [parts[0]! * 40 + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(d: Date): Buffer {
  const p = (n: number): string => String(n).padStart(2, '0');
  const s =
    p(d.getUTCFullYear() % 100) +
    p(d.getUTCMonth() + 1) +
    p(d.getUTCDate()) +
    p(d.getUTCHours()) +
    p(d.getUTCMinutes()) +
    p(d.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(s, 'ascii'));
}

const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

export interface GeneratedCert {
  /** The certificate, DER (what the handshake line carries, base64 without padding). */
  readonly der: Buffer;
  readonly certPem: string;
  readonly keyPem: string;
}

/** A fresh key and a self-signed certificate for `localhost`, valid from a minute ago for a day. */
export function selfSignedLocalhostCert(now = new Date()): GeneratedCert {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const name = seq(
    set(seq(oid('2.5.4.10'), utf8('HashiCorp'))), // O
    set(seq(oid('2.5.4.3'), utf8('localhost'))), // CN
  );
  const serial = randomBytes(16);
  // DER wants a minimal INTEGER: positive (top bit clear) and no leading zero byte.
  serial[0] = (serial[0]! & 0x7f) | 0x40;
  const ecdsaWithSha256 = seq(oid('1.2.840.10045.4.3.2'));
  const tbs = seq(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // version v3
    tlv(0x02, serial),
    ecdsaWithSha256,
    name,
    seq(utcTime(new Date(now.getTime() - 60_000)), utcTime(new Date(now.getTime() + 24 * 3600_000))),
    name,
    spki,
    tlv(
      0xa3,
      seq(
        extension('2.5.29.19', true, seq(bool(true))), // basicConstraints: CA
        // keyUsage: digitalSignature, keyEncipherment, keyCertSign (bits 0, 2, 5; two unused bits)
        extension('2.5.29.15', true, bitString(2, Buffer.from([0xa4]))),
        extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))), // server, client auth
        extension('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost', 'ascii')))), // SAN dNSName
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey); // DER-encoded ECDSA signature
  const der = seq(tbs, ecdsaWithSha256, bitString(0, signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return {
    der,
    certPem: `-----BEGIN CERTIFICATE-----\n${b64.trimEnd()}\n-----END CERTIFICATE-----\n`,
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
