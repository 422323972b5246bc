/**
 * cty values over the wire: Terraform's type system as the plugin protocol carries it in `DynamicValue.msgpack`.
 * Written from hashicorp/terraform `docs/plugin-protocol/object-wire-format.md` (types as JSON: "string",
 * ["list","string"], ["object",{...}]; values as MessagePack, objects as maps of every attribute, null as nil,
 * an unknown value as a MessagePack extension) and the msgpack spec (https://github.com/msgpack/msgpack).
 * cty writes an unknown value as extension 0 and a refined unknown as extension 12; both read as unknown here.
 */

/** A value that Terraform will know only after apply. */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Value = null | typeof UNKNOWN | string | number | boolean | Value[] | { [key: string]: Value };

/** A cty type, in the protocol's JSON form. */
export type CtyType =
  'string' | 'number' | 'bool' | 'dynamic' | ['list' | 'set' | 'map', CtyType] | ['object', Record<string, CtyType>];

// ---- encoding ----

function head(out: number[], small: number, codes: [number, number, number], n: number, smallMax: number): void {
  if (n <= smallMax) out.push(small | n);
  else if (n < 0x10000) out.push(codes[1], n >> 8, n & 0xff);
  else out.push(codes[2], (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

function encodeString(out: number[], s: string): void {
  const b = Buffer.from(s, 'utf8');
  if (b.length < 32) out.push(0xa0 | b.length);
  else if (b.length < 0x100) out.push(0xd9, b.length);
  else if (b.length < 0x10000) out.push(0xda, b.length >> 8, b.length & 0xff);
  else out.push(0xdb, (b.length >>> 24) & 0xff, (b.length >>> 16) & 0xff, (b.length >>> 8) & 0xff, b.length & 0xff);
  for (const x of b) out.push(x);
}

function encodeNumber(out: number[], n: number): void {
  if (Number.isSafeInteger(n)) {
    if (n >= 0 && n < 128) return void out.push(n);
    if (n < 0 && n >= -32) return void out.push(n & 0xff);
    const b = Buffer.alloc(9);
    b[0] = 0xd3; // int64
    b.writeBigInt64BE(BigInt(n), 1);
    return void out.push(...b);
  }
  const b = Buffer.alloc(9);
  b[0] = 0xcb; // float64
  b.writeDoubleBE(n, 1);
  out.push(...b);
}

function encodeValue(out: number[], v: Value, t: CtyType): void {
  if (v === null) return void out.push(0xc0);
  if (v === UNKNOWN) return void out.push(0xd4, 0, 0);
  if (t === 'dynamic') throw new Error('cty: dynamic values are not supported by the stand-ins');
  if (t === 'string') {
    if (typeof v !== 'string') throw new Error(`cty: a string attribute holds ${JSON.stringify(v)}`);
    return encodeString(out, v);
  }
  if (t === 'bool') return void out.push(v ? 0xc3 : 0xc2);
  if (t === 'number') return encodeNumber(out, Number(v));
  const [kind, inner] = t;
  if (kind === 'list' || kind === 'set') {
    const items = v as Value[];
    head(out, 0x90, [0, 0xdc, 0xdd], items.length, 15);
    for (const item of items) encodeValue(out, item, inner);
    return;
  }
  const obj = v as Record<string, Value>;
  if (kind === 'map') {
    const keys = Object.keys(obj).sort();
    head(out, 0x80, [0, 0xde, 0xdf], keys.length, 15);
    for (const k of keys) {
      encodeString(out, k);
      encodeValue(out, obj[k]!, inner);
    }
    return;
  }
  // An object carries every attribute of its type, in name order, as cty writes it.
  const attrTypes = inner as Record<string, CtyType>;
  const attrs = Object.keys(attrTypes).sort();
  head(out, 0x80, [0, 0xde, 0xdf], attrs.length, 15);
  for (const a of attrs) {
    encodeString(out, a);
    encodeValue(out, obj[a] ?? null, attrTypes[a]!);
  }
}

/** Encodes a value of type `t` (attributes missing from an object are written as null). */
export function toMsgpack(v: Value, t: CtyType): Buffer {
  const out: number[] = [];
  encodeValue(out, v, t);
  return Buffer.from(out);
}

// ---- decoding ----

class Decoder {
  pos = 0;
  constructor(private readonly b: Buffer) {}

  private take(n: number): Buffer {
    if (this.pos + n > this.b.length) throw new Error('msgpack: truncated value');
    const s = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  private str(n: number): string {
    return this.take(n).toString('utf8');
  }

  private array(n: number): Value[] {
    const out: Value[] = [];
    for (let i = 0; i < n; i++) out.push(this.value());
    return out;
  }

  private map(n: number): Record<string, Value> {
    const out: Record<string, Value> = {};
    for (let i = 0; i < n; i++) {
      const k = this.value();
      if (typeof k !== 'string') throw new Error('msgpack: a cty map or object key is not a string');
      out[k] = this.value();
    }
    return out;
  }

  private ext(n: number): typeof UNKNOWN {
    this.take(1 + n); // type byte, then data (refinements, which the stand-ins do not need)
    return UNKNOWN;
  }

  value(): Value {
    const c = this.take(1)[0]!;
    if (c <= 0x7f) return c;
    if (c >= 0xe0) return c - 0x100;
    if ((c & 0xf0) === 0x80) return this.map(c & 0x0f);
    if ((c & 0xf0) === 0x90) return this.array(c & 0x0f);
    if ((c & 0xe0) === 0xa0) return this.str(c & 0x1f);
    const b = (n: number): Buffer => this.take(n);
    switch (c) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return b(b(1).readUInt8()).toString('utf8');
      case 0xc5:
        return b(b(2).readUInt16BE()).toString('utf8');
      case 0xc6:
        return b(b(4).readUInt32BE()).toString('utf8');
      case 0xc7:
        return this.ext(b(1).readUInt8());
      case 0xc8:
        return this.ext(b(2).readUInt16BE());
      case 0xc9:
        return this.ext(b(4).readUInt32BE());
      case 0xca:
        return b(4).readFloatBE();
      case 0xcb:
        return b(8).readDoubleBE();
      case 0xcc:
        return b(1).readUInt8();
      case 0xcd:
        return b(2).readUInt16BE();
      case 0xce:
        return b(4).readUInt32BE();
      case 0xcf:
        return Number(b(8).readBigUInt64BE());
      case 0xd0:
        return b(1).readInt8();
      case 0xd1:
        return b(2).readInt16BE();
      case 0xd2:
        return b(4).readInt32BE();
      case 0xd3:
        return Number(b(8).readBigInt64BE());
      case 0xd4:
        return this.ext(1);
      case 0xd5:
        return this.ext(2);
      case 0xd6:
        return this.ext(4);
      case 0xd7:
        return this.ext(8);
      case 0xd8:
        return this.ext(16);
      case 0xd9:
        return this.str(b(1).readUInt8());
      case 0xda:
        return this.str(b(2).readUInt16BE());
      case 0xdb:
        return this.str(b(4).readUInt32BE());
      case 0xdc:
        return this.array(b(2).readUInt16BE());
      case 0xdd:
        return this.array(b(4).readUInt32BE());
      case 0xde:
        return this.map(b(2).readUInt16BE());
      case 0xdf:
        return this.map(b(4).readUInt32BE());
      default:
        throw new Error(`msgpack: unsupported type byte 0x${c.toString(16)}`);
    }
  }
}

/** Decodes one MessagePack value (cty numbers arrive as ints or floats; big ones as strings, kept as given). */
export function fromMsgpack(buf: Buffer | undefined): Value {
  if (buf === undefined || buf.length === 0) return null;
  return new Decoder(buf).value();
}

/** Whether a value is known all the way down. */
export function isWhollyKnown(v: Value): boolean {
  if (v === UNKNOWN) return false;
  if (v === null || typeof v !== 'object') return true;
  return (Array.isArray(v) ? v : Object.values(v)).every(isWhollyKnown);
}

/** Deep equality of two values (an unknown equals nothing, not even another unknown). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === UNKNOWN || b === UNKNOWN) return false;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameValue((a as Record<string, Value>)[k]!, (b as Record<string, Value>)[k] ?? null));
}
