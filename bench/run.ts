/**
 * `npm run bench`: the constructs against hand-written provider code, at 1, 1,000 and 10,000 assignments.
 *
 * Each run of each case is its own process (`bench/cases/*`), transpiled once up front with esbuild into
 * `bench/out/js/` (file by file, like a `tsc` build; node_modules load as in a user's program): a case then
 * starts like a compiled program, and ts-node's per-file transpiling, which would charge the construct for its
 * many source files rather than for its work, is not measured. The CLI bundle that the CDKTF construct copies into
 * its output is built once up front too; each construct process still checks its cached bundle against the
 * sources (a hash), as every `cdktf synth` in a checkout does, and that is measured.
 *
 * Options: --reps=7  --pulumi-10k-reps=5  --sizes=1,1000,10000  --only=cdktf,pulumi,core  --budget=570 (seconds)
 *          --no-pulumi-10k  --out=bench/results.json  --no-write (print the table only)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { cliBundlePath } from '../constructs/bundle/cli';
import { graphModulePath } from '../constructs/bundle/graph';
import { UsageError } from '../constructs/core/problems';
import type { CoreReport } from './child';
import { measure, hasGnuTime, type Sample } from './measure';
import { markdown, seconds, type Results, type CaseSummary, type Target } from './report';
import { ratio, relativeSpread, spread, type Spread } from './stats';

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench', 'out');
const RESULTS = path.join(ROOT, 'bench', 'results.json');
/** Below this much memory, Pulumi at 10,000 assignments (about 1.4 GB peak each, two cases) is skipped. */
const PULUMI_10K_MEMORY = 4 * 1024 ** 3;

type Engine = 'cdktf' | 'pulumi';
type Kind = 'construct' | 'raw';

interface CaseDef {
  readonly id: string;
  readonly engine: Engine;
  /** `reference`: an informative variant of the raw baseline, in no ratio or target. */
  readonly kind: Kind | 'reference';
  readonly label: string;
  /** The case file, when another case's with other settings. */
  readonly script?: string;
  readonly env?: Readonly<Record<string, string>>;
}

const CASES: readonly CaseDef[] = [
  { id: 'cdktf-construct', engine: 'cdktf', kind: 'construct', label: 'CDKTF RollbarProvisioning, app.synth()' },
  { id: 'cdktf-raw', engine: 'cdktf', kind: 'raw', label: 'CDKTF raw provider classes, for_each, app.synth()' },
  {
    id: 'cdktf-raw-tokens',
    engine: 'cdktf',
    kind: 'reference',
    label: 'CDKTF raw, role references as cdktf tokens (role.roleId), the idiomatic spelling',
    script: 'cdktf-raw',
    env: { BENCH_ROLE_REFS: 'tokens' },
  },
  {
    id: 'pulumi-component',
    engine: 'pulumi',
    kind: 'construct',
    label: 'Pulumi RollbarProvisioning under mocks, in a stack root',
  },
  { id: 'pulumi-raw', engine: 'pulumi', kind: 'raw', label: 'Pulumi raw registrations under mocks, in a stack root' },
];

interface Options {
  readonly reps: number;
  readonly pulumi10kReps: number;
  readonly sizes: readonly number[];
  readonly only: ReadonlySet<string>;
  readonly budgetMs: number;
  readonly pulumi10k: boolean;
  /** Where the JSON goes; undefined with --no-write. */
  readonly out?: string;
}

const HELP = `Usage: npm run bench [-- options]

Compares each engine's RollbarProvisioning with raw provider code declaring the same resources, at 1, 1,000 and
10,000 assignments, each run in its own process; prints a Markdown table with ratios and the verdict of each target,
and writes bench/results.json. About 5 minutes on 2 cores.

Options:
  --reps=N              runs per case and size (default 7)
  --pulumi-10k-reps=N   runs of Pulumi at 10,000 assignments (default 5)
  --sizes=1,1000,10000  the numbers of assignments
  --only=cdktf,pulumi,core
                        which engines (core: mergeSchema and the expression parser, in process)
  --budget=SECONDS      skip runs that would go past this (default 570)
  --no-pulumi-10k       skip Pulumi at 10,000 assignments (about 1.4 GB per process)
  --out=FILE            where to write the JSON (default bench/results.json)
  --no-write            print the table only
  --help                this text
`;

const VALUED = ['reps', 'pulumi-10k-reps', 'sizes', 'only', 'budget', 'out'];
const FLAGS = ['--no-pulumi-10k', '--no-write'];

function options(argv: readonly string[]): Options {
  const unknown = argv.filter((a) => !FLAGS.includes(a) && !VALUED.some((name) => a.startsWith(`--${name}=`)));
  if (unknown.length > 0)
    throw new UsageError(`unknown argument${unknown.length > 1 ? 's' : ''}: ${unknown.join(' ')}`);
  const get = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const int = (name: string, fallback: number): number => {
    const value = Number(get(name) ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer`);
    return value;
  };
  return {
    reps: int('reps', 7),
    pulumi10kReps: int('pulumi-10k-reps', 5),
    sizes: (get('sizes') ?? '1,1000,10000').split(',').map(Number),
    only: new Set((get('only') ?? 'cdktf,pulumi,core').split(',')),
    budgetMs: int('budget', 570) * 1000,
    pulumi10k: !argv.includes('--no-pulumi-10k'),
    ...(!argv.includes('--no-write') && { out: path.resolve(get('out') ?? RESULTS) }),
  };
}

/**
 * Transpiles the cases and every project file they import, one file each (no bundling: a bundle would change
 * `require.main`, `__dirname` and what Pulumi's closure serializer sees), into `bench/out/js/`, mirroring the
 * repository like a `tsc` build would.
 */
function compileCases(): void {
  const sources = ['bench', 'constructs', path.join('test', 'fixtures')].flatMap((dir) =>
    tsFiles(path.join(ROOT, dir)),
  );
  esbuild.buildSync({
    entryPoints: sources,
    outdir: path.join(OUT, 'js'),
    outbase: ROOT,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'out' ? [] : tsFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

function caseScript(id: string): string {
  return path.join(OUT, 'js', 'bench', 'cases', `${id}.js`);
}

function version(pkg: string): string {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

function gitCommit(): { commit: string; dirty: boolean } | undefined {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'constructs', 'bench'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return undefined;
  }
}

/** The CLI bundle cache's manifest, whose change during a run means a construct process rebuilt the bundle. */
function cliCacheStamp(): string {
  try {
    const manifest = path.join(ROOT, 'node_modules', '.cache', 'rollbar-provisioning', 'cli', 'manifest.json');
    return String(fs.statSync(manifest).mtimeMs);
  } catch {
    return 'none';
  }
}

interface Run {
  readonly def: CaseDef;
  readonly n: number;
  readonly samples: Sample[];
  readonly notes: string[];
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return;
  }
  const opts = options(argv);
  const started = Date.now();
  const deadline = started + opts.budgetMs;
  const notes: string[] = [];
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  const loadStart = os.loadavg();

  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(path.join(OUT, 'cli'), { recursive: true });
  let t = Date.now();
  compileCases();
  log(`bench: cases compiled in ${Date.now() - t} ms`);

  // The CLI bundle, built (or found in the cache) once, before anything is timed.
  t = Date.now();
  const cliBundle = cliBundlePath();
  const cliCopy = path.join(OUT, 'cli', path.basename(cliBundle));
  fs.copyFileSync(cliBundle, cliCopy);
  const cliPrepMs = Date.now() - t;
  const cliBytes = fs.statSync(cliCopy).size;
  log(`bench: CLI bundle ready in ${cliPrepMs} ms (${Math.round(cliBytes / 1024)} KiB), before timing`);
  notes.push(
    `The CLI bundle (${Math.round(cliBytes / 1024)} KiB) was built or found in its cache once, up front (${cliPrepMs} ms), ` +
      'and is not rebuilt per run. Each construct process still checks its cached bundle against the CLI sources ' +
      '(a SHA-256 over them), as every synth in a checkout does: that check is measured. The raw baseline copies the ' +
      'same file with a TerraformAsset from a known path.',
  );
  // The graph module that the Pulumi dynamic resources name, likewise built once (dist/graph.cjs): the compiled
  // cases find it through the package's `exports`, as an installed package's program does, instead of bundling
  // it again in every process as a program run from this checkout's sources does (about 0.1 s each).
  t = Date.now();
  const graphModule = graphModulePath();
  notes.push(
    `The graph module of the Pulumi dynamic resources (${graphModule === undefined ? 'not found' : path.relative(ROOT, graphModule)}) ` +
      `was built once, up front (${Date.now() - t} ms); both Pulumi cases load it as an installed package would.`,
  );
  const env = { ...process.env, BENCH_CLI_BUNDLE: cliCopy };

  const enabled = CASES.filter((c) => opts.only.has(c.engine));
  const runs = new Map<string, Run>();
  const runOf = (def: CaseDef, n: number): Run => {
    const key = `${def.id}@${n}`;
    let run = runs.get(key);
    if (run === undefined) {
      run = { def, n, samples: [], notes: [] };
      runs.set(key, run);
    }
    return run;
  };

  const measureOnce = async (def: CaseDef, n: number): Promise<{ sample: Sample; rebuiltCli: boolean }> => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `rollbar-bench-${def.id}-`));
    const before = cliCacheStamp();
    try {
      const timeout = Math.max(30_000, Math.min(240_000, deadline - Date.now()));
      const sample = await measure(caseScript(def.script ?? def.id), n, outdir, { ...env, ...def.env }, timeout);
      return { sample, rebuiltCli: def.id === 'cdktf-construct' && cliCacheStamp() !== before };
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  };
  // A construct process rebuilds the CLI bundle when its sources changed since the last build (someone edited
  // them during the run): that sample measured bundling, so it is run again once the cache is fresh.
  const once = async (def: CaseDef, n: number): Promise<Sample> => {
    let result = await measureOnce(def, n);
    for (let retry = 0; result.rebuiltCli && retry < 2; retry++) {
      runOf(def, n).notes.push('a run rebuilt the CLI bundle (its sources changed during the run) and was run again');
      result = await measureOnce(def, n);
    }
    if (result.rebuiltCli) runOf(def, n).notes.push('a recorded run includes a CLI bundle rebuild');
    return result.sample;
  };

  // Warm-up, not recorded: the file cache, and the CLI bundle cache check.
  for (const def of enabled) await measureOnce(def, 1);

  for (const n of opts.sizes) {
    for (const engine of ['cdktf', 'pulumi'] as const) {
      const pair = enabled.filter((c) => c.engine === engine);
      if (pair.length === 0) continue;
      const heavy = engine === 'pulumi' && n >= 10_000;
      if (heavy && !opts.pulumi10k) {
        for (const def of pair) runOf(def, n).notes.push('skipped (--no-pulumi-10k)');
        continue;
      }
      // Pulumi holds every registration in memory: about 1.4 GB at 10,000 under mocks on this project's machine.
      if (heavy && os.totalmem() < PULUMI_10K_MEMORY) {
        for (const def of pair) {
          runOf(def, n).notes.push(
            `skipped: ${Math.round(os.totalmem() / 1024 ** 3)} GB of memory, fewer than the ${PULUMI_10K_MEMORY / 1024 ** 3} GB this case needs`,
          );
        }
        continue;
      }
      const reps = heavy ? opts.pulumi10kReps : opts.reps;
      for (let rep = 0; rep < reps; rep++) {
        // Alternate which case goes first, so that a drift in the machine's load hits both alike.
        const order = rep % 2 === 0 ? pair : [...pair].reverse();
        for (const def of order) {
          const run = runOf(def, n);
          const previous = run.samples.length > 0 ? Math.max(...run.samples.map((s) => s.wallMs)) : undefined;
          const smaller = opts.sizes.filter((s) => s < n).pop();
          const guess = previous ?? (smaller ? estimate(runs.get(`${def.id}@${smaller}`), n / smaller) : undefined);
          if (guess !== undefined && Date.now() + guess * 1.5 > deadline) {
            run.notes.push(`${reps - run.samples.length} of ${reps} runs skipped: the time budget would be exceeded`);
            break;
          }
          try {
            const sample = await once(def, n);
            run.samples.push(sample);
            log(
              `bench: ${def.id} N=${n} run ${rep + 1}/${reps}: ${(sample.wallMs / 1000).toFixed(2)} s, ` +
                `${Math.round(sample.maxRssKb / 1024)} MB, ${sample.report.resources} resources`,
            );
          } catch (e) {
            run.notes.push(`a run failed: ${(e as Error).message.split('\n')[0]}`);
            log(`bench: ${def.id} N=${n}: ${(e as Error).message}`);
          }
        }
      }
    }
  }

  let core: CoreReport | undefined;
  if (opts.only.has('core')) {
    core = (await measureOnce({ id: 'core', engine: 'cdktf', kind: 'raw', label: 'core' }, 0)).sample.report.core;
  }

  // The load before the first run: once the runs start, they are the load (about one and a half of two CPUs).
  const before = loadStart[0] ?? 0;
  if (before > os.cpus().length / 2) {
    notes.push(
      `The machine was busy before the run (1-minute load average ${before.toFixed(1)} on ${os.cpus().length} CPUs): ` +
        'wall times are noisy and slower than on a quiet machine; peak RSS and CPU time are steadier. Ratios compare ' +
        'runs interleaved under the same load.',
    );
  }
  const results = summarize(opts, [...runs.values()], core, {
    started,
    loadStart,
    notes,
    cli: { bytes: cliBytes, prepMs: cliPrepMs },
  });
  process.stdout.write(markdown(results));
  if (opts.out !== undefined) {
    fs.writeFileSync(opts.out, await prettyJson(results));
    log(`bench: wrote ${path.relative(process.cwd(), opts.out)}`);
  }
  log(`bench: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** JSON as the repository's Prettier writes it, so that the committed file passes `prettier --check`. */
async function prettyJson(value: unknown): Promise<string> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    // The repository's settings, wherever the file is written.
    const config = (await prettier.resolveConfig(RESULTS)) ?? {};
    return await prettier.format(text, { ...config, parser: 'json' });
  } catch {
    return text;
  }
}

/** Above this spread of one case's wall times (max / min - 1), its cell's ratio is reported as noisy. */
const NOISY_SPREAD = 0.2;

/** A run's expected wall time at `factor` times its size, assuming linear growth. */
function estimate(smaller: Run | undefined, factor: number): number | undefined {
  const wall = spread(smaller?.samples.map((s) => s.wallMs) ?? []);
  return wall === undefined ? undefined : wall.median * Math.min(factor, 12);
}

function summarize(
  opts: Options,
  runs: readonly Run[],
  core: CoreReport | undefined,
  context: { started: number; loadStart: number[]; notes: string[]; cli: { bytes: number; prepMs: number } },
): Results {
  const cases: CaseSummary[] = runs.map((run) => {
    const phaseNames = [...new Set(run.samples.flatMap((s) => Object.keys(s.report.phases)))];
    return {
      case: run.def.id,
      engine: run.def.engine,
      kind: run.def.kind,
      label: run.def.label,
      n: run.n,
      wallMs: spread(run.samples.map((s) => s.wallMs)),
      maxRssMb: spread(run.samples.map((s) => Math.round(s.maxRssKb / 102.4) / 10)),
      cpuMs: spread(run.samples.flatMap((s) => (s.cpuMs === undefined ? [] : [s.cpuMs]))),
      phasesMs: Object.fromEntries(
        phaseNames.map((p) => [p, spread(run.samples.map((s) => s.report.phases[p] ?? 0))?.median ?? 0]),
      ),
      resources: run.samples[0]?.report.resources,
      outputBytes: run.samples[0]?.report.outputBytes,
      samples: run.samples.map((s) => ({
        wallMs: s.wallMs,
        maxRssKb: s.maxRssKb,
        ...(s.cpuMs !== undefined && { cpuMs: s.cpuMs }),
        phases: s.report.phases,
      })),
      notes: [...new Set(run.notes)],
    };
  });
  const find = (id: string, n: number): CaseSummary | undefined => cases.find((c) => c.case === id && c.n === n);

  const comparisons = (['cdktf', 'pulumi'] as const).flatMap((engine) =>
    opts.sizes.flatMap((n) => {
      const construct = find(`${engine}-${engine === 'cdktf' ? 'construct' : 'component'}`, n);
      const raw = find(`${engine}-raw`, n);
      if (construct === undefined || raw === undefined) return [];
      // The component registers itself too: one registration more than the raw program, nothing else.
      const expected = (raw.resources ?? 0) + (engine === 'pulumi' ? 1 : 0);
      if (construct.resources !== expected) {
        context.notes.push(
          `${engine} N=${n}: the construct declared ${construct.resources} resources and the raw baseline ` +
            `${raw.resources}: they no longer declare the same pieces, and the ratio compares different work`,
        );
      }
      // A machine that changes speed mid-run (a VM's neighbours) splits a case's runs into a fast and a slow group;
      // when it does, a median can fall in a different group for each case, and a ratio near its limit says little.
      const widest = Math.max(relativeSpread(construct.wallMs), relativeSpread(raw.wallMs));
      if (widest > NOISY_SPREAD) {
        const range = (s: Spread | undefined) => (s === undefined ? '–' : `${seconds(s.min)}–${seconds(s.max)} s`);
        context.notes.push(
          `${engine === 'cdktf' ? 'CDKTF' : 'Pulumi'} at N=${n.toLocaleString('en-US')}: the runs of one case differ ` +
            `by up to ${Math.round(widest * 100)}% (construct ${range(construct.wallMs)}, raw ${range(raw.wallMs)}): ` +
            'the machine changed speed during the run, so a wall-time ratio near its limit is within noise; ' +
            `rerun that cell alone (--only=${engine} --sizes=${n}) to check it.`,
        );
      }
      return [
        {
          engine,
          n,
          wallRatio: ratio(construct.wallMs, raw.wallMs),
          rssRatio: ratio(construct.maxRssMb, raw.maxRssMb),
          cpuRatio: ratio(construct.cpuMs, raw.cpuMs),
        },
      ];
    }),
  );
  const growth = cases
    .filter((c) => c.n === 10_000)
    .map((c) => {
      const small = find(c.case, 1_000);
      return {
        case: c.case,
        wall: ratio(c.wallMs, small?.wallMs),
        rss: ratio(c.maxRssMb, small?.maxRssMb),
        cpu: ratio(c.cpuMs, small?.cpuMs),
      };
    })
    .filter((g) => g.wall !== undefined);

  const targets: Target[] = [];
  const at = (engine: string, n: number) => comparisons.find((c) => c.engine === engine && c.n === n);
  for (const n of opts.sizes) {
    const c = at('cdktf', n);
    if (c === undefined) continue;
    const size = n.toLocaleString('en-US');
    targets.push(limit(`CDKTF construct/raw wall time at N=${size}`, c.wallRatio, 1.2, '×', c.cpuRatio));
    targets.push(limit(`CDKTF construct/raw peak RSS at N=${size}`, c.rssRatio, 1.2));
  }
  const cdktf10k = find('cdktf-construct', 10_000);
  if (cdktf10k?.wallMs !== undefined) {
    targets.push(
      limit(
        'CDKTF construct synthesizes 10,000 assignments in under 2 s wall (median)',
        cdktf10k.wallMs.median / 1000,
        2,
        's',
        cdktf10k.cpuMs && cdktf10k.cpuMs.median / 1000,
      ),
    );
  }
  const pulumi1k = at('pulumi', 1_000);
  if (pulumi1k !== undefined) {
    targets.push(limit('Pulumi component/raw wall time at N=1,000', pulumi1k.wallRatio, 1.2, '×', pulumi1k.cpuRatio));
    targets.push(limit('Pulumi component/raw peak RSS at N=1,000', pulumi1k.rssRatio, 1.2));
  }
  const load10k = core?.loader.find((l) => l.assignments === 10_000 && l.lineEnds === 'LF');
  if (load10k !== undefined) {
    // The first call, as `validate` and each stack pay it (the warm batches are in the core table).
    targets.push(
      limit(
        'The loader checks a rollbar.yaml of 10,000 assignments in under 1 s',
        load10k.coldMs / 1000,
        1,
        's',
        load10k.coldCpuMs / 1000,
      ),
    );
  }
  const componentGrowth = growth.find((g) => g.case === 'pulumi-component');
  const rawGrowth = growth.find((g) => g.case === 'pulumi-raw');
  if (componentGrowth && rawGrowth) {
    // "No worse than raw's" as a ratio of the two growths: at most 1.
    const relative = (a: number | undefined, b: number | undefined) =>
      a === undefined || b === undefined || b === 0 ? undefined : a / b;
    targets.push(
      limit(
        `Pulumi component wall growth 1k→10k (×${times(componentGrowth.wall)}) / raw's (×${times(rawGrowth.wall)})`,
        relative(componentGrowth.wall, rawGrowth.wall),
        1,
        '×',
        relative(componentGrowth.cpu, rawGrowth.cpu),
      ),
    );
    targets.push(
      limit(
        `Pulumi component peak RSS growth 1k→10k (×${times(componentGrowth.rss)}) / raw's (×${times(rawGrowth.rss)})`,
        relative(componentGrowth.rss, rawGrowth.rss),
        1,
      ),
    );
  }

  return {
    schema: 1,
    date: new Date(context.started).toISOString(),
    durationS: Math.round((Date.now() - context.started) / 1000),
    machine: {
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      loadAverageStart: context.loadStart.map((l) => Math.round(l * 100) / 100),
      loadAverageEnd: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    node: process.version,
    versions: Object.fromEntries(
      ['cdktf', '@cdktf/provider-azuread', '@pulumi/pulumi', '@pulumi/azuread', 'esbuild', 'constructs'].map((p) => [
        p,
        version(p),
      ]),
    ),
    git: gitCommit(),
    method: {
      reps: opts.reps,
      pulumi10kReps: opts.pulumi10kReps,
      sizes: opts.sizes,
      wall: 'harness clock around each process, spawn to exit',
      peakRss: hasGnuTime()
        ? '/usr/bin/time -v, Maximum resident set size'
        : 'process.resourceUsage().maxRSS in the case',
      runner: 'node bench/out/js/bench/cases/<case>.js <N> <outdir> (each source transpiled by esbuild, not bundled)',
    },
    cliBundle: context.cli,
    cases,
    comparisons,
    growth,
    core: core && {
      mergeSchema: {
        mappings: core.mappings,
        msPerMerge: spread(core.mergeMs),
        msPerNoopMerge: spread(core.mergeNoopMs),
      },
      parseExpression: { expressions: core.expressions, msPerBatch: spread(core.parse10kMs) },
      loadConfig: core.loader.map((l) => ({
        assignments: l.assignments,
        lineEnds: l.lineEnds,
        bytes: l.bytes,
        coldMs: l.coldMs,
        coldCpuMs: l.coldCpuMs,
        msPerLoad: spread(l.msPerLoad),
        cpuMsPerLoad: spread(l.cpuMsPerLoad),
      })),
      loaderBefore: core.loaderBefore,
    },
    targets,
    notes: context.notes,
  };
}

/** A target met when `value` ≤ `max`. */
function limit(name: string, value: number | undefined, max: number, unit = '×', cpu?: number): Target {
  const round2 = (v: number): number => Math.round(v * 100) / 100;
  const measuredCpu = cpu === undefined ? {} : { measuredCpu: round2(cpu) };
  if (value === undefined) return { name, limit: max, unit, verdict: 'not measured', ...measuredCpu };
  return { name, measured: round2(value), limit: max, unit, verdict: value <= max ? 'PASS' : 'FAIL', ...measuredCpu };
}

function times(r: number | undefined): string {
  return r === undefined ? '–' : r.toFixed(2);
}

main().catch((e: unknown) => {
  if (e instanceof UsageError) {
    process.stderr.write(`npm run bench: ${e.message}\n\n${HELP}`);
    process.exit(2);
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
