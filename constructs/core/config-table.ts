/**
 * README's configuration table, derived from {@link SPEC_DESCRIPTION}: one row per key of `rollbar.yaml` (the
 * children of a map such as `notification`), its type, the portal step it replaces, and its default. A test keeps
 * README's copy equal to this function's output (`npm run generate` rewrites it).
 */
import { SPEC_DESCRIPTION, type KeyDescription, type ValueShape } from './description';

/** The markers around the generated table in README.md. */
export const CONFIG_TABLE_MARKERS = {
  start: '<!-- configuration table: generated from constructs/core/description.ts by npm run generate -->',
  end: '<!-- end of configuration table -->',
} as const;

function typeText(shape: ValueShape): string {
  switch (shape.kind) {
    case 'string':
      return 'text';
    case 'number':
      return shape.integer === true ? 'whole number' : 'number';
    case 'boolean':
      return '`true` / `false`';
    case 'enum':
      return shape.values.map((v) => `\`${v}\``).join(' / ');
    case 'object':
      return 'map';
    case 'record':
      return `map of ${shape.keyName}`;
    case 'list':
      return 'list';
    case 'secret':
      return 'secret';
  }
}

interface Row {
  readonly key: string;
  readonly type: string;
  readonly portal: string;
  readonly default: string;
}

function rows(): Row[] {
  const out: Row[] = [];
  const keys = SPEC_DESCRIPTION.shape.kind === 'object' ? SPEC_DESCRIPTION.shape.keys : {};
  const add = (key: string, d: KeyDescription): void => {
    const deprecated = d.deprecated === undefined ? '' : ' (deprecated, ignored)';
    out.push({
      key: `\`${key}\``,
      type: typeText(d.shape),
      portal: `${d.portal ?? d.doc.replace(/\.$/, '')}${deprecated}`,
      default: d.default ?? (d.required === true ? 'required' : 'none'),
    });
  };
  for (const [key, d] of Object.entries(keys)) {
    if (d.notInFile === true) continue;
    if (d.tableChildren === true && d.shape.kind === 'object') {
      for (const [child, c] of Object.entries(d.shape.keys)) add(`${key}.${child}`, c);
    } else {
      add(key, d);
    }
  }
  return out;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** The table as Markdown, aligned as Prettier aligns it. */
export function configurationTable(): string {
  const header: Row = { key: 'key', type: 'type', portal: 'portal step', default: 'default' };
  const all = [header, ...rows()].map((r) => [r.key, r.type, r.portal, r.default].map(cell));
  const widths = [0, 1, 2, 3].map((i) => Math.max(3, ...all.map((r) => [...r[i]!].length)));
  const line = (r: readonly string[]): string =>
    `| ${r.map((c, i) => c + ' '.repeat(widths[i]! - [...c].length)).join(' | ')} |`;
  const [head, ...body] = all;
  return [line(head!), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...body.map(line)].join('\n');
}

/** README's text with the generated table between the markers (the markers must be there). */
export function withConfigurationTable(readme: string): string {
  const start = readme.indexOf(CONFIG_TABLE_MARKERS.start);
  const end = readme.indexOf(CONFIG_TABLE_MARKERS.end);
  if (start < 0 || end < start) return readme;
  return `${readme.slice(0, start + CONFIG_TABLE_MARKERS.start.length)}\n\n${configurationTable()}\n\n${readme.slice(end)}`;
}
