/**
 * One table of what both engines declare, piece by piece: the CDKTF address in `cdk.tf.json` and the Pulumi
 * name of the same piece. Pieces are recognised by the names that core's naming module gives them, so the table
 * follows any change there.
 */
import { constructIds, pulumiNames } from '../constructs/core/naming';
import type { Invocation, Registration } from './pulumi/offline-mocks';

/** The pieces, in the order Microsoft's procedure runs them. */
export const PIECES = [
  { kind: 'clientConfig', label: 'Tenant (client config)' },
  { kind: 'template', label: 'Gallery template look-up' },
  { kind: 'application', label: 'Enterprise application' },
  { kind: 'existingServicePrincipal', label: 'Adopted service principal' },
  { kind: 'existingApplication', label: 'Adopted application' },
  { kind: 'role', label: 'App roles' },
  { kind: 'assignments', label: 'Assignments' },
  { kind: 'plan', label: 'Plan-time read (sync template, drift)' },
  { kind: 'job', label: 'Provisioning job (created disabled)' },
  { kind: 'credentials', label: 'Credentials (test, then save)' },
  { kind: 'mappings', label: 'Attribute mappings and scoping' },
  { kind: 'provisioningState', label: 'Provisioning On/Off' },
] as const;

/** A piece's kind. */
export type PieceKind = (typeof PIECES)[number]['kind'];

/** One row of the table. */
export interface SummaryRow {
  readonly kind: PieceKind;
  readonly label: string;
  /** Terraform addresses (an assignment's with its `for_each` key). */
  readonly cdktf: readonly string[];
  /** Pulumi resource names, or the invoke for a look-up. */
  readonly pulumi: readonly string[];
}

type Blocks = Record<string, Record<string, Record<string, unknown>>>;

/** A synthesized stack, as much of it as the summary reads. */
export interface SynthesizedStack {
  readonly resource?: Blocks;
  readonly data?: Blocks;
}

const INVOKES: Partial<Record<PieceKind, string>> = {
  clientConfig: 'azuread:index/getClientConfig:getClientConfig',
  template: 'azuread:index/getApplicationTemplate:getApplicationTemplate',
  existingServicePrincipal: 'azuread:index/getServicePrincipal:getServicePrincipal',
  existingApplication: 'azuread:index/getApplication:getApplication',
};

function constructKind(id: string): PieceKind | undefined {
  if (id.startsWith(constructIds.role(''))) return 'role';
  const match = Object.entries(constructIds).find(([, value]) => value === id);
  return match === undefined ? undefined : (PIECES.find((p) => p.kind === match[0])?.kind ?? undefined);
}

function pulumiKind(name: string, component: string): PieceKind | undefined {
  const names = pulumiNames(component);
  if (name.startsWith(names.role(''))) return 'role';
  if (name.startsWith(names.assignment(''))) return 'assignments';
  const match = Object.entries(names).find(([, value]) => value === name);
  // Pulumi's sync template look-up is its part of what CDKTF's one plan-time read does.
  const kind = match?.[0] === 'syncTemplate' ? 'plan' : match?.[0];
  return kind === undefined ? undefined : PIECES.find((p) => p.kind === kind)?.kind;
}

/** The CDKTF addresses of each piece, read from the construct path cdktf records on every block. */
function cdktfAddresses(stack: SynthesizedStack): Map<PieceKind, string[]> {
  const out = new Map<PieceKind, string[]>();
  const visit = (blocks: Blocks | undefined, prefix: string): void => {
    for (const [type, byName] of Object.entries(blocks ?? {})) {
      for (const [name, block] of Object.entries(byName)) {
        const meta = (block['//'] as { metadata?: { path?: string } } | undefined)?.metadata;
        const kind = constructKind(meta?.path?.split('/').pop() ?? '');
        if (kind === undefined) continue;
        const address = `${prefix}${type}.${name}`;
        const forEach = block.for_each;
        const addresses =
          typeof forEach === 'object' && forEach !== null
            ? Object.keys(forEach).map((key) => `${address}["${key}"]`)
            : [address];
        out.set(kind, [...(out.get(kind) ?? []), ...addresses]);
      }
    }
  };
  visit(stack.resource, '');
  visit(stack.data, 'data.');
  return out;
}

/** The table: one row for each piece that either engine declares. */
export function summarize(
  stack: SynthesizedStack,
  registrations: readonly Registration[],
  invocations: readonly Invocation[],
  component: string,
): SummaryRow[] {
  const cdktf = cdktfAddresses(stack);
  const pulumi = new Map<PieceKind, string[]>();
  for (const r of registrations) {
    const kind = r.custom ? pulumiKind(r.name, component) : undefined;
    if (kind !== undefined) pulumi.set(kind, [...(pulumi.get(kind) ?? []), r.name]);
  }
  for (const [kind, token] of Object.entries(INVOKES) as [PieceKind, string][]) {
    if (invocations.some((i) => i.token === token)) pulumi.set(kind, [`${token.split(':').pop()}()`]);
  }
  // Pulumi has no separate drift read: its dynamic resources' diffs read the live job.
  if (cdktf.has('plan') && !pulumi.has('plan')) pulumi.set('plan', ["(the steps' diffs)"]);
  return PIECES.filter((p) => cdktf.has(p.kind) || pulumi.has(p.kind)).map((p) => ({
    kind: p.kind,
    label: p.label,
    cdktf: cdktf.get(p.kind) ?? [],
    pulumi: pulumi.get(p.kind) ?? [],
  }));
}

/** Several names in one cell: the first, and how many more. */
function cell(names: readonly string[]): string {
  if (names.length === 0) return '-';
  return names.length === 1 ? names[0]! : `${names[0]!} (+${names.length - 1} more)`;
}

/**
 * The table as aligned plain text, for a terminal.
 * @param engines the engines that ran (`npm run synth -- --only …` runs one): a column each
 */
export function renderSummary(
  rows: readonly SummaryRow[],
  engines: readonly ('cdktf' | 'pulumi')[] = ['cdktf', 'pulumi'],
): string {
  const both = engines.includes('cdktf') && engines.includes('pulumi');
  const count = (r: SummaryRow): string => {
    if (!both) return String((engines.includes('cdktf') ? r.cdktf : r.pulumi).length);
    return r.cdktf.length === r.pulumi.length ? String(r.cdktf.length) : `${r.cdktf.length} / ${r.pulumi.length}`;
  };
  const table = [
    [
      'Piece',
      ...(engines.includes('cdktf') ? ['CDKTF address'] : []),
      ...(engines.includes('pulumi') ? ['Pulumi name'] : []),
      'Count',
    ],
    ...rows
      .filter((r) => engines.some((engine) => r[engine].length > 0))
      .map((r) => [
        r.label,
        ...(engines.includes('cdktf') ? [cell(r.cdktf)] : []),
        ...(engines.includes('pulumi') ? [cell(r.pulumi)] : []),
        count(r),
      ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const line = (row: string[]): string =>
    row
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}
