/**
 * What the subset reader's tests share: the documents (shipped examples, edge cases, generated documents and their
 * mutations) and the two comparisons. `expectAgreement`: the subset declines a document (`undefined`, so the loader
 * reads it with yaml) or gives exactly what yaml gives: no yaml error, the same data (values, key order, -0 and
 * NaN), the same path index (key, value and text offsets), the same repeated keys and line starts.
 * `expectSameCheck`: `checkConfigText` gives the same whole result (config, every problem with its message, line
 * and column, every warning) with the subset and with yaml alone.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkConfigText } from '../../constructs/config';
import { checkConfigTextWith } from '../../constructs/config/load';
import { readYamlSubset } from '../../constructs/config/yaml-subset';
import { readWithYaml } from '../../constructs/config/yaml-document';

const ROOT = join(__dirname, '../..');
const GUID = '33333333-3333-4333-8333-333333333333';

/** A seeded generator (mulberry32), so that every run tests the same documents. */
export function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shipped(): Record<string, string> {
  const files: Record<string, string> = { 'rollbar.yaml': readFileSync(join(ROOT, 'rollbar.yaml'), 'utf8') };
  for (const dir of readdirSync(join(ROOT, 'examples'))) {
    for (const file of readdirSync(join(ROOT, 'examples', dir)).filter((f) => f.endsWith('.yaml'))) {
      files[`examples/${dir}/${file}`] = readFileSync(join(ROOT, 'examples', dir, file), 'utf8');
    }
  }
  return files;
}

/** Mistakes and edge cases, each small: the subset must decline or agree. */
export const EDGES: readonly string[] = [
  'a: 1\na: 2\n',
  'assignments:\n  x:\n    role: User\n  x:\n    role: Admin\n    role: User\n',
  'a:\n  b: 1\n c: 2\n',
  'a:\n    b: 1\n  c: 2\n',
  'a: 1\n  b: 2\n',
  'a:\n\tb: 1\n',
  'a: &x 1\nb: *x\n',
  'a: !!str 1\n',
  '---\na: 1\n---\nb: 2\n',
  'a: 1\n...\n',
  '%YAML 1.2\n---\na: 1\n',
  'a: 1\r\nb: 2\r\n',
  'a: |\n  text\n',
  'a: >\n  text\n',
  '? a\n: 1\n',
  'a: "multi\n  line"\n',
  'a: plain\n  continued\n',
  'a: "esc\\"aped"\n',
  "a: 'it''s'\n",
  "'it''s': x\n",
  'a: b: c\n',
  'a: b:\n',
  'a:b\n',
  'key:: x\n',
  'a: x #c\nb: y# not a comment\n',
  'a: # c\n  b: 1\n',
  'a:   \nb:\n',
  'a:\n- x\n- y\nb: 1\n',
  'a:\n  - x\n  -\n  - z\n',
  'a:\n  - - x\n',
  'a:\n  - k: v\n    l: w\n  -   k: v2\n',
  'a:\n  - k: v\n   l: w\n',
  'a: [x, y , "z", \'w\', [1, 2], {k: v}]\n',
  'a: [x, ]\n',
  'a: [x,, y]\n',
  'a: {k: v, k: w}\n',
  'a: { k : v }\n',
  'a: {k:v}\n',
  'a: {"k": v}\n',
  'a: {k: }\n',
  'a: [a: b]\n',
  'a: [urn:x]\n',
  'a: [x\n  , y]\n',
  'a: [x] trailing\n',
  'a: "x" trailing\n',
  'a: "x"# c\n',
  '__proto__: 1\ntoString: 2\nconstructor: {a: 1}\n',
  '<<: {a: 1}\n',
  '1: a\n0x10: b\n1.50: c\ntrue: d\n.inf: e\n-0: f\n',
  'null: a\n',
  '~: a\n',
  '"": a\n',
  'a: null\nb: ~\nc: Null\nd: NULL\ne: nul\n',
  'a: true\nb: True\nc: TRUE\nd: tRUE\ne: yes\nf: no\ng: on\n',
  'a: 0o17\nb: 0o8\nc: 0x1F\nd: 0x1g\ne: +12\nf: -0\ng: 007\nh: 12345678901234567890\n',
  'a: 1e3\nb: .5\nc: 1.\nd: -.inf\ne: .NaN\nf: .nan\ng: +.INF\nh: 1.5e\ni: 1_000\n',
  'a: -x\nb: - x\nc: ?x\nd: :x\ne: x:y\nf: http://x/y\n',
  'a: %x\n',
  'a: @x\n',
  'a: `x\n',
  'a: x\u00a0\n',
  'a: Équipe\nb: 日本\n',
  'a: \u{1F600}\n',
  'secretToken: x\n',
  'a:\n  secret_token: x\n',
  'a: {secret-token: x}\n',
  'a: 1\n# only a comment\n',
  '# only a comment\n',
  '',
  '   \n',
  '- a\n- b\n',
  'plain text\n',
  '[a, b]\n',
  '  a: 1\n  b: 2\n',
  '  a: 1\nb: 2\n',
  'a: 1\n\n\n',
  'a: 1',
  'a:',
  `${'k'.repeat(1100)}: v\n`,
  'a: x\u2028y\n',
  'a: x\u0085y\n',
  '\ufeffa: 1\n',
  'a: [x, {k: [y, z]}, []]\nb: {}\n',
  'roles:\n  - value: User\n  - 7\n',
];

const SCALARS = [
  'User',
  'Admin',
  GUID,
  '11111111-1111-4111-8111-111111111111',
  'identity-ops@example.com',
  'Coalesce([mail], [userPrincipalName])',
  '[givenName]',
  'null',
  '~',
  '',
  'true',
  'False',
  'yes',
  '0',
  '-0',
  '+12',
  '0o17',
  '0x1F',
  '0x1g',
  '1e3',
  '.5',
  '1.',
  '-.inf',
  '.NaN',
  '12345678901234567890',
  'a b',
  'a#b',
  'a #b',
  'x: y',
  'x:y',
  'http://x',
  '-x',
  '- x',
  '?x',
  ':x',
  "it's",
  'say "hi"',
  '[a]',
  '{a}',
  'a,b',
  'Équipe',
  'emails[type eq "work"].value',
  '%x',
  '@x',
  '&a',
  '*a',
  '!x',
  '|',
  '>',
  ' padded ',
  'trailing ',
  'assignedOnly',
  'all',
  '500',
  'EQUALS',
  'onCreateOnly',
  'a\\b',
  'tab\there',
];
const KEYS = [
  'displayName',
  'roles',
  'value',
  'principalObjectId',
  'role',
  'a',
  'a b',
  '__proto__',
  'toString',
  '<<',
  '1',
  '0x10',
  'true',
  'null',
  'secretToken',
  'secret_token',
  'emails[type eq "work"].value',
  'scope',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  'k:',
  'a#b',
  'k\u212Aey',
  'assignments',
  'mappings',
  'users',
  'attributes',
  'source',
  'apply',
  'notification',
  'email',
  'x',
  'y',
];

/** A random document of maps, lists and scalars, written in the styles people use. */
export function generate(next: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  // Mostly the values a configuration holds, sometimes one that yaml reads in its own way.
  const scalar = (flow: boolean): string => {
    const s = next() < 0.85 ? pick(SCALARS.slice(0, 8)) : pick(SCALARS);
    const style = next();
    if (style < 0.15) return JSON.stringify(s);
    if (style < 0.25) return `'${s.replace(/'/g, "''")}'`;
    return flow ? s.replace(/[,[\]{}]/g, '') || 'x' : s;
  };
  const key = (): string => {
    const k = next() < 0.85 ? pick(KEYS.slice(-12)) : pick(KEYS);
    return next() < 0.1 ? JSON.stringify(k) : next() < 0.05 ? `'${k}'` : k;
  };
  const flowValue = (depth: number): string => {
    const r = next();
    if (depth > 1 || r < 0.6) return scalar(true);
    const n = Math.floor(next() * 3);
    if (r < 0.8) return `[${Array.from({ length: n }, () => flowValue(depth + 1)).join(pick([', ', ',', ' , ']))}]`;
    return `{${pick(['', ' '])}${Array.from({ length: n }, () => `${key()}: ${flowValue(depth + 1)}`).join(', ')}${pick(['', ' '])}}`;
  };
  const comment = (): string => (next() < 0.1 ? `${pick([' ', '  '])}# ${pick(SCALARS)}` : '');
  const lines: string[] = [];
  const block = (indent: number, depth: number, asItemOf?: number): void => {
    const n = 1 + Math.floor(next() * (depth === 0 ? 5 : 3));
    const isSeq = depth > 0 && next() < 0.35;
    const step = pick([2, 2, 4]);
    for (let i = 0; i < n; i++) {
      if (next() < 0.08) lines.push(pick(['', '# a comment', `${' '.repeat(indent)}# indented`, '   ']));
      const pad = ' '.repeat(indent);
      if (isSeq) {
        const r = next();
        if (r < 0.4 && depth < 4) {
          // A compact map in the item: its first key on the dash's line.
          const before = lines.length;
          block(indent + 2, depth + 1, indent);
          const first = lines[before];
          if (first !== undefined) lines[before] = `${pad}- ${first.slice(indent + 2)}`;
        } else {
          lines.push(`${pad}- ${r < 0.8 ? scalar(false) : flowValue(0)}${comment()}`);
        }
        continue;
      }
      const k = key();
      const r = next();
      if (r < 0.45 && depth < 4) {
        lines.push(`${pad}${k}:${comment()}`);
        block(next() < 0.2 ? indent : indent + step, depth + 1);
      } else if (r < 0.55) {
        lines.push(`${pad}${k}:${pick(['', ' ', '   '])}${comment()}`);
      } else {
        lines.push(`${pad}${k}:${pick([' ', '  '])}${r < 0.85 ? scalar(false) : flowValue(0)}${comment()}`);
      }
    }
    void asItemOf;
  };
  block(0, 0);
  return `${lines.join('\n')}${next() < 0.9 ? '\n' : ''}`;
}

const MUTATION_CHARS = [
  ' ',
  '  ',
  '-',
  ':',
  '#',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ',',
  '\n',
  '\t',
  '&',
  '*',
  '!',
  '|',
  '>',
  '?',
  '%',
  'x',
  '0',
  '.',
  '\\',
  '\r',
];

/** The document with one random edit: a character inserted, deleted or replaced, or a line re-indented. */
export function mutate(text: string, next: () => number): string {
  if (text.length === 0) return 'a: 1\n';
  const at = Math.floor(next() * text.length);
  const ch = MUTATION_CHARS[Math.floor(next() * MUTATION_CHARS.length)]!;
  const r = next();
  if (r < 0.35) return text.slice(0, at) + ch + text.slice(at);
  if (r < 0.6) return text.slice(0, at) + text.slice(at + 1);
  if (r < 0.85) return text.slice(0, at) + ch + text.slice(at + 1);
  const lineStart = text.lastIndexOf('\n', at) + 1;
  return next() < 0.5
    ? text.slice(0, lineStart) + ' ' + text.slice(lineStart)
    : text.slice(0, lineStart) + text.slice(lineStart).replace(/^ /, '');
}

/**
 * A value as nested lists: key order, -0, NaN and the prototype are compared, and an own key named `constructor`
 * (which toStrictEqual takes for the type) is data like any other.
 */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return ['list', value.map(canonical)];
  if (typeof value === 'object' && value !== null) {
    const plain = Object.getPrototypeOf(value) === Object.prototype;
    return ['map', plain, Object.keys(value).map((k) => [k, canonical((value as Record<string, unknown>)[k])])];
  }
  if (typeof value === 'number') return ['number', Object.is(value, -0) ? '-0' : String(value)];
  return [typeof value, value];
}

export interface Outcome {
  readonly read: boolean;
}

/** The subset's reading of `text` equals yaml's, or the subset declines. */
export function expectAgreement(text: string): Outcome {
  const plain = text.replace(/^\uFEFF/, '');
  const fast = readYamlSubset(plain);
  if (fast === undefined) return { read: false };
  const full = readWithYaml(plain, () => undefined);
  const context = JSON.stringify(text);
  expect({ context, errors: full.doc.errors.map((e) => e.message) }).toEqual({ context, errors: [] });
  expect(full.index.secretKeys).toEqual([]);
  const data: unknown = full.doc.toJS({ maxAliasCount: 100 });
  expect({ context, data: canonical(fast.data) }).toEqual({ context, data: canonical(data) });
  // The index of a CR LF text has the offsets of its LF form (lines and columns are the same: expectSameCheck).
  const indexed = plain.includes('\r') ? readWithYaml(plain.replace(/\r\n/g, '\n'), () => undefined) : full;
  expect(indexed.index.repeated.length).toBe(full.index.repeated.length);
  const index = fast.index();
  expect({ context, nodes: index.nodes }).toEqual({ context, nodes: indexed.index.nodes });
  expect(index.repeated).toEqual(indexed.index.repeated);
  expect(fast.repeated).toBe(full.index.repeated.length > 0);
  expect(index.lines.lineStarts).toEqual(indexed.index.lines.lineStarts);
  return { read: true };
}

/** `text` with CR LF line ends, as a file saved on Windows has them. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** checkConfigText with the subset, and with yaml alone. */
export function expectSameCheck(text: string): void {
  const withSubset = checkConfigText(text);
  const stepAside = jest.fn(() => undefined);
  const withYaml = checkConfigTextWith(text, stepAside);
  expect(stepAside).toHaveBeenCalled();
  expect({ text, check: canonical(withSubset) }).toEqual({ text, check: canonical(withYaml) });
}

export const LOADER_INPUTS = [
  `assignments:\n  platform-team:\n    principalObjectId: ${GUID}\n    principalType: 5\n    role: User\n`,
  'provisioningEnabled: yes\n',
  'accidentalDeletionThreshold: lots\n',
  'roles:\n  value: User\n',
  'notification:\nscope: all\n',
  `assignments:\n  Platform_Team:\n    principalObjectId: ${GUID}\n    role: Default Access\n`,
  'mappings:\n  users:\n    attributes:\n      emails[type eq "work"].value:\n        source: Coalesce([mail], [userPrincipalNme)\n',
  "mappings:\n  users:\n    attributes:\n      name.givenName:\n        source: 'Lower([givenName])'\n",
  'mappings:\n  users:\n    attributes:\n      name.givenName: { source: "Join(, [a])", apply: sometimes }\n',
  'displayName: Rollbar\nsope: all\n',
  'scope: all\naccidentalDeletionThreshold: 0\n',
  `assignments:\n  a:\n    principalObjectId: ${GUID}\n    role: User\n  a:\n    principalObjectId: nope\n    role: User\n`,
];
