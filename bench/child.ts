/**
 * What every case process shares: its arguments, and the one JSON line it prints for the harness. A case runs in
 * its own process so that module loading, the heap and the peak RSS are its own, as in a real `cdktf synth` or
 * `pulumi preview`.
 */
import { performance } from 'node:perf_hooks';

/** Arguments of a case process: `node <case>.cjs <n> <outdir>`. */
export interface CaseArgs {
  readonly n: number;
  readonly outdir: string;
}

/** What a case reports about its own work (the harness adds wall time and peak RSS from outside). */
export interface CaseReport {
  /** Resources (CDKTF: blocks and for_each instances; Pulumi: registrations) the case declared. */
  readonly resources: number;
  /** Bytes of output (CDKTF: cdk.tf.json), 0 when there is none. */
  readonly outputBytes?: number;
  /** Named in-process phases in milliseconds, such as `construct` and `synth`. */
  readonly phases: Readonly<Record<string, number>>;
  /** The core micro-benchmarks' batches (the `core` case only). */
  readonly core?: CoreReport;
}

/** In-process timings of the pure core, one number per batch. */
export interface CoreReport {
  /** Milliseconds per `mergeSchema` that changes the schema. */
  readonly mergeMs: readonly number[];
  /** Milliseconds per `mergeSchema` of an already merged schema (`changed: false`, the re-deploy path). */
  readonly mergeNoopMs: readonly number[];
  /** Milliseconds to parse all the expressions once. */
  readonly parse10kMs: readonly number[];
  readonly mappings: number;
  readonly expressions: number;
  /** The configuration loader on a file of `assignments` assignments: its first call, then warm calls. */
  readonly loader: readonly {
    readonly assignments: number;
    /** The file's line ends: LF, or CR LF as a file saved on Windows has them. */
    readonly lineEnds: 'LF' | 'CR LF';
    readonly bytes: number;
    readonly coldMs: number;
    readonly coldCpuMs: number;
    readonly msPerLoad: readonly number[];
    readonly cpuMsPerLoad: readonly number[];
  }[];
  /** yaml's `parseDocument` with its own duplicate-key check, as the loader called it before (quadratic). */
  readonly loaderBefore: { readonly assignments: number; readonly parseMs: number; readonly parseCpuMs: number };
}

/** The line a case prints, prefixed so that other output (a library's warning) cannot be mistaken for it. */
export const REPORT_PREFIX = 'BENCH-REPORT ';

export function caseArgs(): CaseArgs {
  const [n, outdir] = process.argv.slice(2);
  const parsed = Number(n);
  if (!Number.isInteger(parsed) || parsed < 0 || outdir === undefined) {
    throw new Error(`usage: node <case> <assignments> <outdir>, got ${process.argv.slice(2).join(' ')}`);
  }
  return { n: parsed, outdir };
}

/** Milliseconds since the process started (module loading included). */
export function sinceStart(): number {
  return performance.now();
}

/** Runs a case and prints its report; exits explicitly, as Pulumi's runtime may keep handles open. */
export function runCase(body: (args: CaseArgs) => CaseReport | Promise<CaseReport>): void {
  const loaded = sinceStart();
  Promise.resolve()
    .then(() => body(caseArgs()))
    .then((report) => {
      const line = {
        ...report,
        phases: { load: round(loaded), ...report.phases, total: round(sinceStart()) },
        maxRssKb: process.resourceUsage().maxRSS,
      };
      process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(line)}\n`);
      process.exit(0);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    });
}

/** Times one synchronous step. */
export function timed<T>(step: () => T): { value: T; ms: number } {
  const start = sinceStart();
  const value = step();
  return { value, ms: round(sinceStart() - start) };
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
