/** The benchmark's results (what bench/results.json holds) and their Markdown rendering. */
import type { Spread } from './stats';

export interface CaseSummary {
  readonly case: string;
  readonly engine: 'cdktf' | 'pulumi';
  readonly kind: 'construct' | 'raw' | 'reference';
  readonly label: string;
  readonly n: number;
  readonly wallMs?: Spread;
  readonly maxRssMb?: Spread;
  readonly cpuMs?: Spread;
  /** Median of each in-process phase (load, construct, synth or resolve, total). */
  readonly phasesMs: Readonly<Record<string, number>>;
  readonly resources?: number;
  readonly outputBytes?: number;
  readonly samples: readonly {
    wallMs: number;
    maxRssKb: number;
    cpuMs?: number;
    phases: Readonly<Record<string, number>>;
  }[];
  readonly notes: readonly string[];
}

export interface Comparison {
  readonly engine: 'cdktf' | 'pulumi';
  readonly n: number;
  readonly wallRatio?: number;
  readonly rssRatio?: number;
  readonly cpuRatio?: number;
}

export interface Growth {
  readonly case: string;
  readonly wall?: number;
  readonly rss?: number;
  readonly cpu?: number;
}

export interface Target {
  readonly name: string;
  readonly measured?: number;
  /** The same quantity in CPU time (user + system), which a busy machine disturbs far less than wall time. */
  readonly measuredCpu?: number;
  readonly limit: number;
  readonly unit: string;
  readonly verdict: 'PASS' | 'FAIL' | 'not measured';
}

export interface Results {
  readonly schema: 1;
  readonly date: string;
  readonly durationS: number;
  readonly machine: {
    readonly platform: string;
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGb: number;
    readonly loadAverageStart: readonly number[];
    readonly loadAverageEnd: readonly number[];
  };
  readonly node: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly git?: { readonly commit: string; readonly dirty: boolean };
  readonly method: Readonly<Record<string, unknown>>;
  readonly cliBundle: { readonly bytes: number; readonly prepMs: number };
  readonly cases: readonly CaseSummary[];
  readonly comparisons: readonly Comparison[];
  readonly growth: readonly Growth[];
  readonly core?: {
    readonly mergeSchema: { readonly mappings: number; readonly msPerMerge?: Spread; readonly msPerNoopMerge?: Spread };
    readonly parseExpression: { readonly expressions: number; readonly msPerBatch?: Spread };
    /** The configuration loader (absent in results from before it was measured). */
    readonly loadConfig?: readonly {
      readonly assignments: number;
      /** Absent in results from before CR LF files were measured: LF. */
      readonly lineEnds?: 'LF' | 'CR LF';
      readonly bytes: number;
      readonly coldMs: number;
      readonly coldCpuMs?: number;
      readonly msPerLoad?: Spread;
      readonly cpuMsPerLoad?: Spread;
    }[];
    readonly loaderBefore?: { readonly assignments: number; readonly parseMs: number; readonly parseCpuMs: number };
  };
  readonly targets: readonly Target[];
  readonly notes: readonly string[];
}

const ENGINE = { cdktf: 'CDKTF', pulumi: 'Pulumi' } as const;

/** Milliseconds as seconds with two decimals. */
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const count = (n: number): string => n.toLocaleString('en-US');
const times = (r: number | undefined): string => (r === undefined ? '–' : r.toFixed(2));

function wall(s: Spread | undefined): string {
  return s === undefined ? 'skipped' : `${seconds(s.median)} s (${seconds(s.min)}–${seconds(s.max)})`;
}

function rss(s: Spread | undefined): string {
  return s === undefined ? 'skipped' : `${Math.round(s.median)} MB (${Math.round(s.min)}–${Math.round(s.max)})`;
}

function ms(s: Spread | undefined, digits = 1): string {
  return s === undefined ? '–' : `${s.median.toFixed(digits)} ms (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** The results as Markdown: the comparison table first, then growth, phases, core, targets and notes. */
export function markdown(r: Results): string {
  const lines: string[] = [];
  const find = (id: string, n: number) => r.cases.find((c) => c.case === id && c.n === n);
  const reps = (c: { wallMs?: Spread } | undefined): number => c?.wallMs?.samples ?? 0;

  lines.push(
    `## Benchmark: constructs vs raw provider code`,
    '',
    `${r.date.slice(0, 10)} · node ${r.node} · ${r.machine.cpus} × ${r.machine.cpuModel} · ${r.machine.memoryGb} GB · ` +
      `load average ${r.machine.loadAverageStart.join(', ')} at start, ${r.machine.loadAverageEnd.join(', ')} at end · ` +
      `cdktf ${r.versions.cdktf}, @pulumi/pulumi ${r.versions['@pulumi/pulumi']}`,
    '',
    'Each cell: median (min–max) over separate processes; wall time of the whole process (node start to exit), ' +
      'peak RSS from `/usr/bin/time -v`. Ratio = construct median / raw median; the CPU ratio (user + system time) ' +
      'is the same comparison as a busy machine disturbs it least.',
    '',
    '| engine | assignments | runs | construct wall | raw wall | wall ratio | construct peak RSS | raw peak RSS | RSS ratio | CPU ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const c of r.comparisons) {
    const construct = find(`${c.engine}-${c.engine === 'cdktf' ? 'construct' : 'component'}`, c.n);
    const raw = find(`${c.engine}-raw`, c.n);
    lines.push(
      `| ${ENGINE[c.engine]} | ${count(c.n)} | ${reps(construct)}+${reps(raw)} | ${wall(construct?.wallMs)} | ${wall(raw?.wallMs)} | ` +
        `**${times(c.wallRatio)}** | ${rss(construct?.maxRssMb)} | ${rss(raw?.maxRssMb)} | **${times(c.rssRatio)}** | ` +
        `${times(c.cpuRatio)} |`,
    );
  }

  const references = r.cases.filter((c) => c.kind === 'reference' && c.wallMs !== undefined);
  if (references.length > 0) {
    lines.push(
      '',
      '### Reference: the raw baseline spelled idiomatically',
      '',
      "The raw baseline writes each for_each entry's role reference as plain `${…role_id}` text, as the construct " +
        'does, so that the ratios above measure the abstraction alone. Spelled with cdktf tokens (`role.roleId`), ' +
        'as most hand-written code would, cdktf resolves one token per entry:',
      '',
      '| case | assignments | wall | peak RSS | construct / this (wall) | construct / this (CPU) |',
      '|---|---:|---:|---:|---:|---:|',
    );
    for (const c of references) {
      const construct = find(`${c.engine}-construct`, c.n);
      const ratioOf = (a: Spread | undefined, b: Spread | undefined): string =>
        a === undefined || b === undefined || b.median === 0 ? '–' : (a.median / b.median).toFixed(2);
      lines.push(
        `| ${c.case} | ${count(c.n)} | ${wall(c.wallMs)} | ${rss(c.maxRssMb)} | ${ratioOf(construct?.wallMs, c.wallMs)} | ` +
          `${ratioOf(construct?.cpuMs, c.cpuMs)} |`,
      );
    }
  }

  if (r.growth.length > 0) {
    lines.push(
      '',
      '### Growth from 1,000 to 10,000 assignments (median at 10,000 / median at 1,000)',
      '',
      '| case | wall | peak RSS | CPU time |',
      '|---|---:|---:|---:|',
    );
    for (const g of r.growth) lines.push(`| ${g.case} | ×${times(g.wall)} | ×${times(g.rss)} | ×${times(g.cpu)} |`);
  }

  lines.push(
    '',
    '### Where the time goes (in-process medians, ms)',
    '',
    '`load`: from process start to the case running (node, modules); `construct`: declaring; `synth`: `app.synth()`; ' +
      '`resolve`: until every registration is answered.',
    '',
    '| case | assignments | load | construct | synth / resolve | total in process | CPU time | resources | cdk.tf.json |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const c of r.cases) {
    if (c.wallMs === undefined) continue;
    const p = c.phasesMs;
    lines.push(
      `| ${c.case} | ${count(c.n)} | ${Math.round(p.load ?? 0)} | ${Math.round(p.construct ?? 0)} | ` +
        `${Math.round(p.synth ?? p.resolve ?? 0)} | ${Math.round(p.total ?? 0)} | ${c.cpuMs ? Math.round(c.cpuMs.median) : '–'} | ` +
        `${c.resources === undefined ? '–' : count(c.resources)} | ${c.outputBytes === undefined ? '–' : `${Math.round(c.outputBytes / 1024)} KiB`} |`,
    );
  }

  if (r.core) {
    const merge = r.core.mergeSchema;
    const parse = r.core.parseExpression;
    const perSecond = (s: Spread | undefined, items: number): string =>
      s === undefined || s.median === 0 ? '–' : `${count(Math.round((items * 1000) / s.median))}/s`;
    lines.push(
      '',
      '### Core, in process',
      '',
      '| benchmark | median (min–max) | throughput |',
      '|---|---:|---:|',
      `| \`mergeSchema\`, ${merge.mappings} mappings, patch of every added mapping + a scoping filter | ${ms(merge.msPerMerge)} | ${perSecond(merge.msPerMerge, 1)} merges |`,
      `| \`mergeSchema\` of the merged schema again (\`changed: false\`, a re-deploy) | ${ms(merge.msPerNoopMerge)} | ${perSecond(merge.msPerNoopMerge, 1)} merges |`,
      `| \`parseExpression\` × ${count(parse.expressions)} | ${ms(parse.msPerBatch)} | ${perSecond(parse.msPerBatch, parse.expressions)} expressions |`,
      ...(r.core.loadConfig ?? []).map(
        (l) =>
          `| \`checkConfigText\`, rollbar.yaml with ${count(l.assignments)} assignments${l.lineEnds === 'CR LF' ? ', CR LF line ends' : ''} (first call ${l.coldMs} ms, CPU ${l.coldCpuMs ?? '–'} ms; warm CPU ${ms(l.cpuMsPerLoad)}) | ${ms(l.msPerLoad)} | ${perSecond(l.msPerLoad, l.assignments)} assignments |`,
      ),
      ...(r.core.loaderBefore === undefined
        ? []
        : [
            `| before: yaml \`parseDocument\` with \`uniqueKeys: true\`, ${count(r.core.loaderBefore.assignments)} assignments (parse only, CPU ${r.core.loaderBefore.parseCpuMs} ms) | ${r.core.loaderBefore.parseMs} ms | – |`,
          ]),
    );
  }

  if (r.targets.length > 0) {
    lines.push(
      '',
      '### Targets',
      '',
      'Verdicts on wall time and peak RSS, as the targets are stated; the CPU-time column is the same measure in ' +
        'CPU time, for reading a run on a busy machine.',
      '',
      '| target | measured | limit | verdict | in CPU time |',
      '|---|---:|---:|---|---:|',
    );
    const withUnit = (v: number | undefined, unit: string): string =>
      v === undefined ? '–' : `${v}${unit === 's' ? ' s' : ''}`;
    for (const t of r.targets) {
      lines.push(
        `| ${t.name} | ${withUnit(t.measured, t.unit)} | ${withUnit(t.limit, t.unit)} | ${t.verdict} | ` +
          `${withUnit(t.measuredCpu, t.unit)} |`,
      );
    }
  }

  const notes = [...r.notes, ...r.cases.flatMap((c) => c.notes.map((n) => `${c.case} N=${count(c.n)}: ${n}`))];
  if (notes.length > 0) lines.push('', '### Notes', '', ...notes.map((n) => `- ${n}`));
  lines.push('');
  return lines.join('\n');
}
