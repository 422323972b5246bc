/**
 * What the loader needs of a parsed `rollbar.yaml`, read with the `yaml` library: the document (its errors and
 * data) and, for every path, where its key and value are, so that each problem gets a line and column. The
 * faster reader in `yaml-subset.ts` gives the same {@link PathIndex} for the files it can read.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document } from 'yaml';
import { isSecretKey } from './secret-key';

/** Where a path's key and value start in the file (offsets). */
export interface NodePosition {
  readonly key?: number;
  readonly value?: number;
  /**
   * Where the first character of a scalar's text is, when each character of the text is one character of
   * the file (one line, no escapes), so that a column inside an expression maps to a column in the file.
   */
  readonly textStart?: number;
}

/** A key at its path, by the offset of its first character. */
export interface KeyAt {
  readonly path: string;
  readonly offset: number;
}

/** Every path of a document with its position, and the keys the loader reports. */
export interface PathIndex {
  /** Paths joined with `.`, as validateSpec names them; the root map is `''`. */
  readonly nodes: Map<string, NodePosition>;
  /** Keys written twice in one map, in document order (the first one is the one indexed). */
  readonly repeated: KeyAt[];
  /** Keys that spell the token's key (`secretToken` and its variants), in document order. */
  readonly secretKeys: KeyAt[];
  /** Line starts of the file, for line and column. */
  readonly lines: LineCounter;
}

/**
 * Parses with `yaml` and indexes every path. The text of each secret key's value goes to `onSecretText`, so that
 * no message can echo it.
 */
export function readWithYaml(text: string, onSecretText: (text: string) => void): { doc: Document; index: PathIndex } {
  const lines = new LineCounter();
  // uniqueKeys is off: yaml compares each key with every earlier key of its map (quadratic: 10,000 assignments
  // took seconds). The walk below finds repeated keys with a set per map instead.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const index: PathIndex = { nodes: new Map(), repeated: [], secretKeys: [], lines };
  walk(text, index, doc.contents, [], onSecretText);
  return { doc, index };
}

function walk(
  text: string,
  index: PathIndex,
  node: unknown,
  path: readonly string[],
  onSecretText: (text: string) => void,
): void {
  if (path.length === 0) record(text, index, '', undefined, node);
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key: unknown = pair.key;
      const name = isScalar(key) ? scalarText(key.value) : undefined;
      if (name === undefined) continue;
      const p = [...path, name];
      const joined = p.join('.');
      if (seen.has(name)) {
        // The last one wins in the data (as YAML's toJS keeps it); the index keeps the first place.
        index.repeated.push({ path: joined, offset: rangeOf(key)?.[0] ?? 0 });
      } else {
        seen.add(name);
        record(text, index, joined, key, pair.value);
      }
      if (isSecretKey(name)) {
        index.secretKeys.push({ path: joined, offset: rangeOf(key)?.[0] ?? 0 });
        collectText(pair.value, onSecretText);
        continue;
      }
      walk(text, index, pair.value, p, onSecretText);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const p = [...path, String(i)];
      record(text, index, p.join('.'), undefined, item);
      walk(text, index, item, p, onSecretText);
    });
  }
}

function record(text: string, index: PathIndex, path: string, key: unknown, value: unknown): void {
  const k = rangeOf(key)?.[0];
  const range = rangeOf(value);
  const v = range?.[0];
  let textStart: number | undefined;
  if (isScalar(value) && range !== undefined) {
    const raw = text.slice(range[0], range[1]);
    if (!raw.includes('\n')) {
      if (value.type === Scalar.PLAIN) textStart = range[0];
      else if (value.type === Scalar.QUOTE_DOUBLE && !raw.includes('\\')) textStart = range[0] + 1;
      else if (value.type === Scalar.QUOTE_SINGLE && !raw.slice(1, -1).includes("''")) textStart = range[0] + 1;
    }
  }
  index.nodes.set(path, {
    ...(k !== undefined && { key: k }),
    ...(v !== undefined && { value: v }),
    ...(textStart !== undefined && { textStart }),
  });
}

function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && range.length === 3 ? (range as [number, number, number]) : undefined;
}

function collectText(node: unknown, onSecretText: (text: string) => void): void {
  if (isScalar(node)) {
    onSecretText(scalarText(node.value) ?? '');
    if (typeof node.source === 'string') onSecretText(node.source);
  } else if (isMap(node)) {
    for (const pair of node.items) collectText(pair.value, onSecretText);
  } else if (isSeq(node)) {
    for (const item of node.items) collectText(item, onSecretText);
  }
}

/** A scalar as YAML's toJS names a key: `null` becomes the empty string. */
export function scalarText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '';
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint'
  ) {
    return String(value);
  }
  return undefined;
}
