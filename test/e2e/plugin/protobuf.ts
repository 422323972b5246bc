/**
 * A small Protocol Buffers codec (proto3 wire format) for the few messages the stand-in providers exchange
 * with Terraform. Messages are described by {@link MessageType} tables written from the published .proto
 * files (see tfplugin6.ts), so no code generator or runtime reflection library is needed.
 *
 * Wire format: https://protobuf.dev/programming-guides/encoding/ (varint 0, fixed64 1, length-delimited 2,
 * fixed32 5). Fields with a proto3 default value are not written, except fields marked `presence` (members of
 * a oneof), which are written whenever they are set.
 */

export type Scalar = 'string' | 'bytes' | 'bool' | 'int64' | 'enum';

export interface Field {
  readonly no: number;
  readonly name: string;
  readonly type: Scalar | 'message' | 'map';
  readonly repeated?: boolean;
  /** For `message`, and for the value of a `map`. */
  readonly message?: () => MessageType;
  /** For a `map` whose values are scalars (`map<string, string>`). */
  readonly mapValue?: Scalar;
  /** Written even when it holds the default value (a oneof member). */
  readonly presence?: boolean;
}

export interface MessageType {
  readonly name: string;
  readonly fields: readonly Field[];
}

/** A decoded message: field names to values (repeated fields are arrays, maps are records). */
export type Message = { [name: string]: unknown };

class Writer {
  private readonly chunks: Buffer[] = [];

  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v !== 0n);
    this.chunks.push(Buffer.from(bytes));
  }

  tag(no: number, wire: number): void {
    this.varint((no << 3) | wire);
  }

  bytes(b: Buffer): void {
    this.varint(b.length);
    this.chunks.push(b);
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function isDefault(type: Scalar, v: unknown): boolean {
  if (type === 'string') return v === '';
  if (type === 'bytes') return (v as Buffer).length === 0;
  if (type === 'bool') return v === false;
  return v === 0 || v === 0n;
}

function writeScalar(w: Writer, no: number, type: Scalar, v: unknown): void {
  switch (type) {
    case 'string':
      w.tag(no, 2);
      w.bytes(Buffer.from(v as string, 'utf8'));
      return;
    case 'bytes':
      w.tag(no, 2);
      w.bytes(Buffer.from(v as Uint8Array));
      return;
    case 'bool':
      w.tag(no, 0);
      w.varint(v ? 1 : 0);
      return;
    case 'int64':
    case 'enum':
      w.tag(no, 0);
      w.varint(v as number | bigint);
      return;
  }
}

/** Encodes a message; unknown keys of `value` are ignored, undefined and null fields are left out. */
export function encode(type: MessageType, value: Message): Buffer {
  const w = new Writer();
  for (const f of type.fields) {
    const v = value[f.name];
    if (v === undefined || v === null) continue;
    if (f.type === 'map') {
      for (const [key, item] of Object.entries(v as Record<string, unknown>)) {
        const entry = new Writer();
        writeScalar(entry, 1, 'string', key);
        if (f.mapValue !== undefined) writeScalar(entry, 2, f.mapValue, item);
        else {
          entry.tag(2, 2);
          entry.bytes(encode(f.message!(), item as Message));
        }
        w.tag(f.no, 2);
        w.bytes(entry.finish());
      }
      continue;
    }
    const items = f.repeated ? (v as unknown[]) : [v];
    for (const item of items) {
      if (f.type === 'message') {
        w.tag(f.no, 2);
        w.bytes(encode(f.message!(), item as Message));
      } else if (f.repeated || f.presence || !isDefault(f.type, item)) {
        writeScalar(w, f.no, f.type, item);
      }
    }
  }
  return w.finish();
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('protobuf: truncated varint');
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const len = Number(this.varint());
    if (this.pos + len > this.buf.length) throw new Error('protobuf: truncated field');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }

  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.bytes();
    else if (wire === 5) this.pos += 4;
    else throw new Error(`protobuf: unsupported wire type ${wire}`);
  }
}

function readScalar(r: Reader, type: Scalar): unknown {
  switch (type) {
    case 'string':
      return r.bytes().toString('utf8');
    case 'bytes':
      return Buffer.from(r.bytes());
    case 'bool':
      return r.varint() !== 0n;
    case 'int64':
      return Number(BigInt.asIntN(64, r.varint()));
    case 'enum':
      return Number(r.varint());
  }
}

/** Decodes a message; fields it does not describe are skipped, as proto3 requires. */
export function decode(type: MessageType, buf: Buffer): Message {
  const r = new Reader(buf);
  const out: Message = {};
  const byNo = new Map(type.fields.map((f) => [f.no, f]));
  for (const f of type.fields) {
    if (f.type === 'map') out[f.name] = {};
    else if (f.repeated) out[f.name] = [];
  }
  while (!r.done) {
    const tag = Number(r.varint());
    const no = tag >>> 3;
    const wire = tag & 7;
    const f = byNo.get(no);
    if (f === undefined) {
      r.skip(wire);
      continue;
    }
    if (f.type === 'map') {
      const entry = new Reader(r.bytes());
      let key = '';
      let value: unknown;
      while (!entry.done) {
        const t = Number(entry.varint());
        if (t >>> 3 === 1) key = entry.bytes().toString('utf8');
        else if (t >>> 3 === 2)
          value = f.mapValue !== undefined ? readScalar(entry, f.mapValue) : decode(f.message!(), entry.bytes());
        else entry.skip(t & 7);
      }
      (out[f.name] as Record<string, unknown>)[key] = value;
      continue;
    }
    let value: unknown;
    if (f.type === 'message') value = decode(f.message!(), r.bytes());
    else if (wire === 2 && f.repeated && f.type !== 'string' && f.type !== 'bytes') {
      // A packed repeated scalar.
      const packed = new Reader(r.bytes());
      while (!packed.done) (out[f.name] as unknown[]).push(readScalar(packed, f.type));
      continue;
    } else value = readScalar(r, f.type);
    if (f.repeated) (out[f.name] as unknown[]).push(value);
    else out[f.name] = value;
  }
  return out;
}
