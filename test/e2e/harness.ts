/**
 * The end-to-end lane's harness: everything a scenario needs to run the real `terraform` against the stand-in
 * providers and the fake Graph. Scenarios compose these steps (see test/e2e/README.md):
 *
 * - {@link installStandIns}: bundle the stand-ins, write them into a filesystem mirror and a CLI configuration
 *   that installs only from it (`provider_installation { filesystem_mirror { … } }`, via TF_CLI_CONFIG_FILE);
 * - {@link startFake}: the fake Graph on loopback, in this process, with the example's users and groups;
 * - {@link synthStack}: the repository's own synth (`npm run synth:cdktf`) of a configuration into a fresh
 *   directory;
 * - {@link Terraform}: `terraform <args>` in a stack directory with the lane's environment (the Graph URL and
 *   token every Graph step reads, the Rollbar token as TF_VAR_rollbar_secret_token);
 * - {@link writesSince}: the fake's log of Graph writes (every request but GET) since a mark;
 * - {@link exampleStack}: the prologue most scenarios share (the steps above, then `terraform init`).
 */
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { FakeGraph, type RecordedRequest } from '../fake-graph/server';
import { withBehaviour } from './providers/azuread/behaviour';
import { terraformOk } from './retry';
import { schemasFromBindings } from './providers/azuread/schema-from-bindings';

export const REPO = path.resolve(__dirname, '../..');

/** The provider versions the synthesized stack pins (cdk.tf.json `required_providers`). */
export const STAND_INS = {
  azuread: { version: '3.7.0', entry: 'providers/azuread/main.ts' },
  external: { version: '2.3.5', entry: 'providers/external/main.ts' },
} as const;

/** A temporary directory, removed by {@link removeDir} (kept when E2E_KEEP is set, to look at afterwards). */
export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), `rollbar-e2e-${prefix}-`));
}

export function removeDir(dir: string): void {
  if (process.env.E2E_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
}

export interface StandIns {
  /** The filesystem mirror's root. */
  readonly mirror: string;
  /** The CLI configuration to pass as TF_CLI_CONFIG_FILE. */
  readonly cliConfig: string;
}

/**
 * Bundles both stand-ins (esbuild, one file each), writes the azuread schemas generated from the bindings next
 * to its bundle, and lays them out as Terraform's unpacked filesystem-mirror layout
 * `HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET/terraform-provider-TYPE_vVERSION` (Terraform CLI documentation,
 * "Provider Installation", filesystem_mirror), each a small launcher script that runs its bundle with this Node.
 */
export function installStandIns(dir: string): StandIns {
  const mirror = path.join(dir, 'mirror');
  const bundles = path.join(dir, 'bundles');
  mkdirSync(bundles, { recursive: true });
  const target = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
  for (const [name, standIn] of Object.entries(STAND_INS)) {
    const bundle = path.join(bundles, name, 'main.js');
    buildSync({
      entryPoints: [path.join(__dirname, standIn.entry)],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: bundle,
      minify: true,
      logLevel: 'error',
    });
    const exeDir = path.join(mirror, 'registry.terraform.io', 'hashicorp', name, standIn.version, target);
    mkdirSync(exeDir, { recursive: true });
    const exe = path.join(exeDir, `terraform-provider-${name}_v${standIn.version}`);
    writeFileSync(exe, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} "$@"\n`);
    chmodSync(exe, 0o755);
  }
  writeFileSync(path.join(bundles, 'azuread', 'azuread-schema.json'), JSON.stringify(azureadBindingSchemas()));
  const cliConfig = path.join(dir, 'terraform.tfrc');
  writeFileSync(
    cliConfig,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n`,
  );
  return { mirror, cliConfig };
}

/** The azuread schemas as the bindings describe them (the stand-in adds behaviour.ts when it starts). */
export function azureadBindingSchemas(): ReturnType<typeof schemasFromBindings> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return schemasFromBindings((m) => require(`@cdktf/provider-azuread/lib/${m}`) as Record<string, unknown>);
}

/** The schemas the azuread stand-in serves. */
export function azureadServedSchemas(): ReturnType<typeof withBehaviour> {
  return withBehaviour(azureadBindingSchemas());
}

/** The user and group object ids the example rollbar.yaml assigns (placeholders that the fake makes real). */
export const EXAMPLE_PRINCIPALS = [
  { id: '11111111-1111-4111-8111-111111111111', type: 'Group', displayName: 'Platform team' },
  { id: '22222222-2222-4222-8222-222222222222', type: 'User', displayName: 'Jane Doe' },
] as const;

/** Starts the fake Graph with the example's principals. Stop it with `fake.stop()`. */
export async function startFake(): Promise<FakeGraph> {
  const fake = await FakeGraph.start();
  for (const p of EXAMPLE_PRINCIPALS) fake.directory.addPrincipal(p.id, p.type, p.displayName);
  return fake;
}

/** The example configuration (the repository's rollbar.yaml), with lines appended (such as `protect: false`). */
export function exampleConfig(dir: string, extra = ''): string {
  const file = path.join(dir, 'rollbar.yaml');
  writeFileSync(file, readFileSync(path.join(REPO, 'rollbar.yaml'), 'utf8') + (extra === '' ? '' : `\n${extra}\n`));
  return file;
}

/** Output of a finished command. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, as a person at a terminal sees them. */
  readonly output: string;
  readonly seconds: number;
}

/** Runs a command without blocking this process (the fake Graph answers from it meanwhile). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      output += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      output += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/**
 * Synthesizes a configuration with the repository's own synth (`npm run synth:cdktf`, what `cdktf synth`
 * runs) into `outDir`, and returns the stack directory where terraform runs. `extraEnv` overrides the
 * environment of the synth (ROLLBAR_STATE_KEY, SYNTH_HCL_OUTPUT).
 */
export async function synthStack(config: string, outDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  // The configuration is outside the repository, so its state needs a name (stacks/cdktf/state-backend.ts).
  const env = {
    ...process.env,
    ROLLBAR_CONFIG: config,
    CDKTF_OUTDIR: outDir,
    CHECKPOINT_DISABLE: '1',
    ROLLBAR_STATE_KEY: 'rollbar',
    ...extraEnv,
  };
  const result = await run('npm', ['run', '--silent', 'synth:cdktf'], { cwd: REPO, env });
  if (result.code !== 0) throw new Error(`synth failed (${String(result.code)}):\n${result.output}`);
  return path.join(outDir, 'stacks', 'rollbar');
}

/** Copies a synthesized stack's configuration over another stack directory (its state and .terraform stay). */
export function replaceStackConfig(fromStackDir: string, toStackDir: string): void {
  copyFileSync(path.join(fromStackDir, 'cdk.tf.json'), path.join(toStackDir, 'cdk.tf.json'));
}

/** Environment keys of the machine that must not leak into a lane run (real credentials, other settings). */
const DROPPED_ENV = /^(TF_|ARM_|ROLLBAR_|AZURE_|CDKTF_)/;

/** terraform in one stack directory, with the lane's environment. */
export class Terraform {
  /** The Rollbar token, as TF_VAR_rollbar_secret_token. */
  secretToken: string;

  constructor(
    readonly stackDir: string,
    private readonly standIns: StandIns,
    private readonly fake: FakeGraph,
    options: { secretToken?: string } = {},
  ) {
    this.secretToken = options.secretToken ?? fake.validSecretToken;
  }

  env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !DROPPED_ENV.test(k)));
    return {
      ...base,
      TF_CLI_CONFIG_FILE: this.standIns.cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      ROLLBAR_GRAPH_URL: this.fake.url,
      ROLLBAR_GRAPH_TOKEN: this.fake.token(),
      ROLLBAR_GRAPH_MAX_RETRY_WAIT_MS: '50',
      TF_VAR_rollbar_secret_token: this.secretToken,
      ...extra,
    };
  }

  /**
   * `terraform <args> -no-color`, in the stack directory. With E2E_TF_LOG_DIR set, each run writes Terraform's
   * trace log (with the stand-ins' stderr) to a numbered file there, named after the scenario file: jest loads
   * this module afresh for each file (in parallel workers, and one after another in a worker), so each file
   * counts from 1, and a name without the file would let one file's log overwrite another's.
   */
  run(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const [command, ...rest] = args;
    const logDir = process.env.E2E_TF_LOG_DIR;
    const log =
      logDir === undefined
        ? {}
        : {
            TF_LOG: 'trace',
            TF_LOG_PATH: path.join(
              logDir,
              `${path.basename(expect.getState().testPath ?? 'lane', '.test.ts')}-${String(++Terraform.runs).padStart(3, '0')}-${command!}.log`,
            ),
          };
    return run('terraform', [command!, ...rest, '-no-color'], {
      cwd: this.stackDir,
      env: this.env({ ...log, ...extraEnv }),
    });
  }

  private static runs = 0;

  /** Runs and expects exit code 0; otherwise throws with the whole output. */
  async ok(args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const result = await this.run(args, extraEnv);
    if (result.code !== 0) {
      throw new Error(`terraform ${args.join(' ')} exited ${String(result.code)}:\n${result.output}`);
    }
    return result;
  }
}

/** A mark in the fake's request log. */
export function mark(fake: FakeGraph): number {
  return fake.requests.length;
}

/** The Graph writes (every method but GET) since a mark, as `METHOD path`. */
export function writesSince(fake: FakeGraph, since: number): string[] {
  return fake.requests
    .slice(since)
    .filter(isWrite)
    .map((r) => `${r.method} ${r.path}`);
}

function isWrite(r: RecordedRequest): boolean {
  return r.method !== 'GET';
}

/** Prints a step's duration to the lane's log (the budget is reported, not asserted). */
export function report(step: string, result: { seconds: number }): void {
  process.stdout.write(`[e2e] ${step}: ${result.seconds.toFixed(1)} s\n`);
}

/** The example stack of {@link exampleStack}, ready for its first plan or apply. */
export interface ExampleStack {
  /** The scenario's temporary directory (stand-ins, synth output, state). */
  readonly dir: string;
  readonly standIns: StandIns;
  readonly fake: FakeGraph;
  readonly tf: Terraform;
  /** What `terraform init` printed (scenarios that scan every line terraform printed include it). */
  readonly init: RunResult;
  /** Stops the fake Graph and removes the directory (for `afterAll`). */
  stop(): Promise<void>;
}

/**
 * The prologue the scenarios share: a temporary directory, the stand-ins installed, the fake Graph started with
 * the example's principals, the example rollbar.yaml (with `extraConfig` lines appended) synthesized, and
 * `terraform init` run in the stack directory (retried once if a stand-in did not start, retry.ts). Nothing is
 * deployed yet. `secretToken` is the Rollbar token terraform gets (default: the one the fake accepts).
 */
export async function exampleStack(
  name: string,
  options: { extraConfig?: string; secretToken?: string } = {},
): Promise<ExampleStack> {
  const dir = tempDir(name);
  let started: FakeGraph | undefined;
  try {
    const standIns = installStandIns(dir);
    const fake = (started = await startFake());
    const synthFrom = Date.now();
    const stackDir = await synthStack(exampleConfig(dir, options.extraConfig), path.join(dir, 'cdktf.out'));
    report('synth', { seconds: (Date.now() - synthFrom) / 1000 });
    const tf = new Terraform(stackDir, standIns, fake, { secretToken: options.secretToken });
    const init = await terraformOk(tf, ['init']);
    report('init', init);
    return {
      dir,
      standIns,
      fake,
      tf,
      init,
      stop: async () => {
        await fake.stop();
        removeDir(dir);
      },
    };
  } catch (e) {
    // A failed prologue leaves no server listening (jest would wait for it) and no directory behind.
    await started?.stop();
    removeDir(dir);
    throw e;
  }
}
