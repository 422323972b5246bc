/**
 * A reader for the part of YAML that configuration files are written in: block maps and sequences, one-line plain
 * and quoted scalars, one-line flow `[...]` and `{...}`, comments. It gives what `readWithYaml` and yaml's
 * `toJS` give (the same data, the same path index, the same repeated keys), about ten times faster, because
 * `yaml` spends most of a large file's load in machinery this subset does not need (its Parser reads
 * `process.env.LOG_TOKENS` once per token). Anything outside the subset (anchors, aliases, tags, block scalars,
 * multi-line scalars, escapes, tabs, a CR that is not part of a CR LF, directives, several documents, a key that
 * spells the token, a line yaml could read otherwise or reject) makes it return `undefined`: the loader then reads
 * the file with `yaml`, which reports every error. So the subset never decides what is valid; it only reads what
 * is plainly valid.
 *
 * Scalars resolve by the YAML 1.2 core schema, as yaml's default: https://yaml.org/spec/1.2.2/#1032-tag-resolution
 * (the same expressions as yaml's `schema/core` tags, in the same order). A differential test holds the reader
 * to yaml's result over every shipped example and generated documents, with LF and with CR LF line ends
 * (test/config/yaml-subset.test.ts, test/config/yaml-subset-differential.test.ts).
 */
import { LineCounter } from 'yaml';
import { isSecretKey } from './secret-key';
import { readWithYaml, scalarText, type PathIndex } from './yaml-document';

/** What the subset reader gives: yaml's `toJS` of the document (a map), and its path index on demand. */
export interface SubsetRead {
  readonly data: Record<string, unknown>;
  /** Whether a map repeats a key (the index names them). */
  readonly repeated: boolean;
  /**
   * The path index, as `readWithYaml` gives it. Read again when asked: a valid file without warnings needs no
   * line and column, and indexing 10,000 assignments costs more than reading them.
   */
  index(): PathIndex;
}

/** Thrown where the text leaves the subset; never escapes this module. One instance: it is thrown often. */
class OutsideSubset extends Error {}
const OUTSIDE = new OutsideSubset('outside the YAML subset');

/**
 * Characters the subset does not read (in the text after {@link lfText}): tabs (yaml's indentation rules for them),
 * CR, other C0 and C1 controls, line and paragraph separators, a BOM inside the text, and surrogates (columns in UTF-16).
 */
// eslint-disable-next-line no-control-regex
const UNSUPPORTED = /[\t\r\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]/;

// YAML 1.2 core schema, https://yaml.org/spec/1.2.2/#1032-tag-resolution
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
/** Any of the number expressions above. */
const NUMBER = new RegExp([INT_OCT, INT, INT_HEX, FLOAT_NAN, FLOAT_EXP, FLOAT].map((r) => `(?:${r.source})`).join('|'));

const SPACE = 0x20;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const COMMA = 0x2c;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
/**
 * The most common line, read by one expression: a key and a value made of letters, digits and `_ . / -` (`@` too
 * in the value), neither starting with `-`. Such a key holds no `: ` and such a value no `: ` or ` #`, so the
 * general path would read them the same; any other line takes it. The key is at most 1000 characters (yaml
 * limits an implicit key to 1024).
 */
const SIMPLE_ENTRY = /(\w[\w./-]{0,999}):(?: +(\w[\w.@/-]*))? *$/my;
/** Characters that cannot start a plain scalar (YAML's c-indicator), `-` aside: `?:,[]{}#&*!|>'"%@` and backtick. */
const INDICATORS = new Set([...'?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/** Reads `text` when it is in the subset; `undefined` when yaml must read it. */
export function readYamlSubset(text: string): SubsetRead | undefined {
  const lf = lfText(text);
  if (lf === undefined || UNSUPPORTED.test(lf)) return undefined;
  try {
    const { data, index } = new Reader(lf, false).document();
    return { data, repeated: index.repeated.length > 0, index: () => indexOf(lf) };
  } catch (e) {
    if (e === OUTSIDE) return undefined;
    throw e;
  }
}

/**
 * The text the subset reads: `text`, or, with CR LF line ends (a file saved on Windows), the same text with LF ones.
 * YAML reads a CR LF as one line break (https://yaml.org/spec/1.2.2/#54-line-break-characters) and the CR is the
 * last character of its line, so the data, lines and columns are the same; the offsets in the index are the LF
 * text's. A CR that does not end a line is left to yaml.
 */
function lfText(text: string): string | undefined {
  if (!text.includes('\r')) return text;
  if (/\r(?!\n)/.test(text)) return undefined;
  return text.replace(/\r\n/g, '\n');
}

/** The same reading with bookkeeping. It takes the same decisions, so it stays in the subset; yaml's is the same. */
function indexOf(text: string): PathIndex {
  try {
    return new Reader(text, true).document().index;
  } catch (e) {
    if (e === OUTSIDE) return readWithYaml(text, () => undefined).index;
    throw e;
  }
}

interface Scalar {
  readonly value: unknown;
  /** As in NodePosition: where the text starts, when each character of it is one character of the file. */
  readonly textStart: number | undefined;
  /** The offset just after the scalar or collection. */
  readonly next: number;
}

class Reader {
  /** Start, end (the newline or the end of text) and indentation of each line that holds more than a comment. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  /** The content line being read. */
  private c = 0;
  private readonly index: PathIndex;

  /**
   * @param indexed whether to index every path; without it, `index` holds only the repeated keys (with paths
   *   that are not joined).
   */
  constructor(
    private readonly text: string,
    private readonly indexed: boolean,
  ) {
    // Line starts are for line and column, which only the index needs.
    const lines = new LineCounter();
    if (indexed) lines.addNewLine(0);
    for (let start = 0; start <= text.length;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      let i = start;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      if (i < end && text.charCodeAt(i) !== HASH) {
        // Document markers and directives start a line at column 1.
        if (i === start && (text.startsWith('---', i) || text.startsWith('...', i))) throw OUTSIDE;
        this.starts.push(start);
        this.ends.push(end);
        this.indents.push(i - start);
      }
      if (end === text.length) break;
      start = end + 1;
      if (indexed) lines.addNewLine(start);
    }
    this.index = { nodes: new Map(), repeated: [], secretKeys: [], lines };
  }

  document(): { data: Record<string, unknown>; index: PathIndex } {
    if (this.starts.length === 0) throw OUTSIDE;
    const col = this.indents[0]!;
    const at = this.starts[0]! + col;
    const data = this.map(col, at, '');
    if (this.c < this.starts.length) throw OUTSIDE;
    this.record('', undefined, at, undefined);
    return { data, index: this.index };
  }

  /** A block map whose keys are at column `col`, the first one at offset `first` on the current line. */
  private map(col: number, first: number, path: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let at = first;
    for (;;) {
      const end = this.ends[this.c]!;
      SIMPLE_ENTRY.lastIndex = at;
      const simple = SIMPLE_ENTRY.exec(this.text);
      const key = simple === null ? this.key(at, end) : undefined;
      if (simple === null && key === undefined) throw OUTSIDE;
      const name = key?.name ?? checkedName(scalarText(resolvePlain(simple![1]!)) ?? '');
      const joined = this.join(path, name);
      const repeated = Object.hasOwn(out, name);
      if (repeated) this.index.repeated.push({ path: joined, offset: at });
      const value = simple?.[2];
      if (value === undefined) {
        assign(
          out,
          name,
          this.value(col, key?.next ?? at + simple![1]!.length + 1, end, joined, repeated ? undefined : at),
        );
      } else {
        // The entry's value ends the line, before its trailing spaces.
        const start = this.trimEnd(at, end) - value.length;
        if (!repeated) this.record(joined, at, start, start);
        assign(out, name, resolvePlain(value));
        this.c++;
      }
      if (this.c >= this.starts.length) return out;
      const indent = this.indents[this.c]!;
      if (indent < col) return out;
      if (indent > col) throw OUTSIDE;
      at = this.starts[this.c]! + col;
    }
  }

  /**
   * The value of the key at column `col` whose `:` ends before `p`; records the pair unless `keyAt` is undefined
   * (a repeated key: yaml's index keeps the first place, and its value's paths are indexed over the first's).
   */
  private value(col: number, p: number, end: number, path: string, keyAt: number | undefined): unknown {
    const q = this.skipSpaces(p, end);
    if (q < end && this.text.charCodeAt(q) !== HASH) {
      const v = this.inline(q, end, path);
      if (keyAt !== undefined) this.record(path, keyAt, q, v.textStart);
      this.c++;
      return v.value;
    }
    this.c++;
    if (this.c < this.starts.length) {
      const indent = this.indents[this.c]!;
      const s = this.starts[this.c]! + indent;
      const dash = this.isDash(s, this.ends[this.c]!);
      if (indent > col || (indent === col && dash)) {
        const v = dash ? this.seq(indent, path) : this.map(indent, s, path);
        if (keyAt !== undefined) this.record(path, keyAt, s, undefined);
        return v;
      }
    }
    // An empty value is null, placed (as yaml places it) after the spaces that follow the `:`.
    if (keyAt !== undefined) this.record(path, keyAt, q, q);
    return null;
  }

  /** A block sequence whose `-` are at column `col`, the first on the current line. */
  private seq(col: number, path: string): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      const end = this.ends[this.c]!;
      const q = this.skipSpaces(this.starts[this.c]! + col + 1, end);
      // An item on the lines below its `-`, or a sequence in a sequence: yaml reads them.
      if (q === end || this.text.charCodeAt(q) === HASH || this.isDash(q, end)) throw OUTSIDE;
      const itemPath = this.join(path, String(out.length));
      if (this.key(q, end) !== undefined) {
        out.push(this.map(q - this.starts[this.c]!, q, itemPath));
        this.record(itemPath, undefined, q, undefined);
      } else {
        const v = this.inline(q, end, itemPath);
        this.record(itemPath, undefined, q, v.textStart);
        out.push(v.value);
        this.c++;
      }
      if (this.c >= this.starts.length) return out;
      const indent = this.indents[this.c]!;
      if (indent < col) return out;
      if (indent > col) throw OUTSIDE;
      if (!this.isDash(this.starts[this.c]! + col, this.ends[this.c]!)) return out;
    }
  }

  /**
   * A block map key at `p` followed by `:` and a space or the line's end: its name (as yaml's toJS names it) and
   * the offset after the `:`; `undefined` when the line does not start with a key.
   */
  private key(p: number, end: number): { name: string; next: number } | undefined {
    const text = this.text;
    const first = text.charCodeAt(p);
    if (first === DQUOTE || first === SQUOTE) {
      const quoted = this.quoted(p, end);
      const r = this.skipSpaces(quoted.next, end);
      if (r >= end || text.charCodeAt(r) !== COLON) return undefined;
      if (r + 1 < end && text.charCodeAt(r + 1) !== SPACE) throw OUTSIDE;
      return { name: checkedName(quoted.value as string), next: r + 1 };
    }
    if (!this.plainStart(p, end)) return undefined;
    // Searches in the rest of the line (native, where a loop over characters is slow until it is compiled).
    const rest = text.slice(p, end);
    const comment = rest.indexOf(' #');
    for (let colon = rest.indexOf(':'); colon >= 0; colon = rest.indexOf(':', colon + 1)) {
      if (comment >= 0 && comment < colon) return undefined;
      if (colon + 1 === rest.length || rest.charCodeAt(colon + 1) === SPACE) {
        // yaml limits an implicit key to 1024 characters.
        if (colon > 1000) throw OUTSIDE;
        return { name: checkedName(scalarText(resolvePlain(trimSpaces(rest, colon))) ?? ''), next: p + colon + 1 };
      }
    }
    return undefined;
  }

  /** A scalar or flow collection that is the rest of the line (a comment aside). */
  private inline(p: number, end: number, path: string): Scalar {
    const text = this.text;
    const first = text.charCodeAt(p);
    let v: Scalar;
    if (first === DQUOTE || first === SQUOTE) v = this.quoted(p, end);
    else if (first === LBRACKET || first === LBRACE) v = this.flow(p, end, path);
    else {
      if (!this.plainStart(p, end)) throw OUTSIDE;
      const rest = text.slice(p, end);
      const comment = rest.indexOf(' #');
      const stop = comment < 0 ? rest.length : comment + 1;
      for (let colon = rest.indexOf(':'); colon >= 0 && colon < stop; colon = rest.indexOf(':', colon + 1)) {
        // `a: b: c` is a nested map on one line, an error in yaml.
        if (colon + 1 === rest.length || rest.charCodeAt(colon + 1) === SPACE) throw OUTSIDE;
      }
      return { value: resolvePlain(trimSpaces(rest, stop)), textStart: p, next: p + stop };
    }
    const r = this.skipSpaces(v.next, end);
    if (r < end && !(text.charCodeAt(r) === HASH && r > v.next)) throw OUTSIDE;
    return v;
  }

  /** A one-line quoted scalar without escapes (a `''` in single quotes aside). */
  private quoted(p: number, end: number): Scalar {
    const text = this.text;
    if (text.charCodeAt(p) === DQUOTE) {
      const close = text.indexOf('"', p + 1);
      if (close < 0 || close >= end) throw OUTSIDE;
      const inner = text.slice(p + 1, close);
      if (inner.includes('\\')) throw OUTSIDE;
      return { value: inner, textStart: p + 1, next: close + 1 };
    }
    let from = p + 1;
    let doubled = false;
    for (;;) {
      const close = text.indexOf("'", from);
      if (close < 0 || close >= end) throw OUTSIDE;
      if (close + 1 < end && text.charCodeAt(close + 1) === SQUOTE) {
        doubled = true;
        from = close + 2;
        continue;
      }
      const inner = text.slice(p + 1, close);
      return doubled
        ? { value: inner.replaceAll("''", "'"), textStart: undefined, next: close + 1 }
        : { value: inner, textStart: p + 1, next: close + 1 };
    }
  }

  /** A flow sequence or map that closes on its line; its items are indexed under `path`. */
  private flow(p: number, end: number, path: string): Scalar {
    const text = this.text;
    const isSeq = text.charCodeAt(p) === LBRACKET;
    const closer = isSeq ? RBRACKET : RBRACE;
    let j = this.skipSpaces(p + 1, end);
    const seqOut: unknown[] = [];
    const mapOut: Record<string, unknown> = {};
    if (j < end && text.charCodeAt(j) === closer)
      return { value: isSeq ? seqOut : mapOut, textStart: undefined, next: j + 1 };
    for (;;) {
      if (isSeq) {
        const itemPath = this.join(path, String(seqOut.length));
        const item = this.flowItem(j, end, itemPath, closer);
        this.record(itemPath, undefined, j, item.textStart);
        seqOut.push(item.value);
        j = item.next;
      } else {
        const keyAt = j;
        let name: string;
        let afterKey: number;
        const first = text.charCodeAt(j);
        if (first === DQUOTE || first === SQUOTE) {
          const quoted = this.quoted(j, end);
          name = quoted.value as string;
          afterKey = quoted.next;
        } else {
          if (!this.plainStart(j, end)) throw OUTSIDE;
          let k = j;
          for (; k < end; k++) {
            const ch = text.charCodeAt(k);
            if (ch === COLON) break;
            if (ch === COMMA || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) throw OUTSIDE;
            if (ch === HASH && text.charCodeAt(k - 1) === SPACE) throw OUTSIDE;
          }
          name = scalarText(resolvePlain(text.slice(j, this.trimEnd(j, k)))) ?? '';
          afterKey = k;
        }
        const colon = this.skipSpaces(afterKey, end);
        if (colon + 1 >= end || text.charCodeAt(colon) !== COLON || text.charCodeAt(colon + 1) !== SPACE) throw OUTSIDE;
        checkedName(name);
        const joined = this.join(path, name);
        const repeated = Object.hasOwn(mapOut, name);
        if (repeated) this.index.repeated.push({ path: joined, offset: keyAt });
        const v = this.skipSpaces(colon + 1, end);
        if (v >= end || text.charCodeAt(v) === COMMA || text.charCodeAt(v) === closer) throw OUTSIDE;
        const item = this.flowItem(v, end, joined, closer);
        if (!repeated) this.record(joined, keyAt, v, item.textStart);
        assign(mapOut, name, item.value);
        j = item.next;
      }
      j = this.skipSpaces(j, end);
      if (j >= end) throw OUTSIDE;
      const ch = text.charCodeAt(j);
      if (ch === closer) return { value: isSeq ? seqOut : mapOut, textStart: undefined, next: j + 1 };
      if (ch !== COMMA) throw OUTSIDE;
      j = this.skipSpaces(j + 1, end);
      // A trailing comma, or a comma with nothing before the next one.
      if (j >= end || text.charCodeAt(j) === closer || text.charCodeAt(j) === COMMA) throw OUTSIDE;
    }
  }

  /** A scalar or nested collection inside a flow collection, up to the `,` or `closer` after it. */
  private flowItem(j: number, end: number, path: string, closer: number): Scalar {
    const text = this.text;
    const first = text.charCodeAt(j);
    if (first === DQUOTE || first === SQUOTE) return this.quoted(j, end);
    if (first === LBRACKET || first === LBRACE) return this.flow(j, end, path);
    if (!this.plainStart(j, end)) throw OUTSIDE;
    for (let k = j; k < end; k++) {
      const ch = text.charCodeAt(k);
      if (ch === COMMA || ch === closer) {
        return { value: resolvePlain(text.slice(j, this.trimEnd(j, k))), textStart: j, next: k };
      }
      // A pair in a sequence, a colon in a plain scalar, a bracket or a comment: yaml reads them.
      if (ch === COLON || ch === LBRACKET || ch === RBRACKET || ch === LBRACE || ch === RBRACE) throw OUTSIDE;
      if (ch === HASH && text.charCodeAt(k - 1) === SPACE) throw OUTSIDE;
    }
    throw OUTSIDE;
  }

  /** Whether a plain scalar may start at `p`: not an indicator, or `-` followed by a non-space. */
  private plainStart(p: number, end: number): boolean {
    const ch = this.text.charCodeAt(p);
    if (ch === DASH) return p + 1 < end && this.text.charCodeAt(p + 1) !== SPACE;
    return !INDICATORS.has(ch);
  }

  /** Whether a block sequence item starts at `s`: `-` followed by a space or the line's end. */
  private isDash(s: number, end: number): boolean {
    return this.text.charCodeAt(s) === DASH && (s + 1 === end || this.text.charCodeAt(s + 1) === SPACE);
  }

  private skipSpaces(p: number, end: number): number {
    while (p < end && this.text.charCodeAt(p) === SPACE) p++;
    return p;
  }

  /** The end of `[p, e)` without its trailing spaces (YAML's white space is space and tab, not Unicode's). */
  private trimEnd(p: number, e: number): number {
    while (e > p && this.text.charCodeAt(e - 1) === SPACE) e--;
    return e;
  }

  /** A child's path, as validateSpec names it (only when indexing: joining 40,000 paths is most of the bookkeeping). */
  private join(path: string, name: string): string {
    if (!this.indexed) return name;
    return path === '' ? name : `${path}.${name}`;
  }

  private record(path: string, key: number | undefined, value: number, textStart: number | undefined): void {
    if (!this.indexed) return;
    const position: { key?: number; value: number; textStart?: number } = { value };
    if (key !== undefined) position.key = key;
    if (textStart !== undefined) position.textStart = textStart;
    this.index.nodes.set(path, position);
  }
}

/**
 * A key's name, when the subset can index it: not empty (a path would collide with its parent's), not `<<`
 * (a merge key in other YAML schemas), not the token's key (the loader reads those with yaml, to redact them).
 */
function checkedName(name: string): string {
  if (name === '' || name === '<<' || isSecretKey(name)) throw OUTSIDE;
  return name;
}

/** `text` up to `end`, without the spaces before `end` (YAML's white space is space and tab, not Unicode's). */
function trimSpaces(text: string, end: number): string {
  let e = end;
  while (e > 0 && text.charCodeAt(e - 1) === SPACE) e--;
  return e === text.length ? text : text.slice(0, e);
}

/** As yaml's toJS sets a key: an inherited name (`__proto__`, `toString`) becomes an own property. */
function assign(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key in map) Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

/** A plain scalar's value by the YAML 1.2 core schema, tried in yaml's order. */
function resolvePlain(s: string): unknown {
  if (s.length === 0) return null;
  const first = s.charCodeAt(0);
  const lower = first | 0x20;
  // Only n, t and f start a null or a boolean among the letters, and no number starts with a letter.
  if (lower >= 0x61 && lower <= 0x7a) {
    if (lower === 0x6e) return NULL.test(s) ? null : s;
    if (lower === 0x74 || lower === 0x66) return BOOL.test(s) ? lower === 0x74 : s;
    return s;
  }
  if (NULL.test(s)) return null;
  // One test rules out every number (an object id starts with a digit and is text).
  if (!NUMBER.test(s)) return s;
  if (INT_OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_NAN.test(s)) {
    if (s.slice(-3).toLowerCase() === 'nan') return NaN;
    return first === DASH ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return parseFloat(s);
}
