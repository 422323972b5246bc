/**
 * The main job, `npm run synth`: validate the configuration, synthesize the CDKTF stack, list what the Pulumi
 * program declares (offline, under mocks), and print one table of both. Needs no credentials, no network, no
 * terraform and no Pulumi CLI. A repository script: the published package's CLI does not carry it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveSpec } from '../constructs/core/defaults';
import { formatProblem, RollbarProvisioningError, UsageError } from '../constructs/core/problems';
import { checkConfigFile, configPath, type RollbarConfig } from '../constructs/config';
import { flowDiagramMarkdown } from './flow-diagram';
import { renderSummary, summarize, type SynthesizedStack } from './summary';

const HELP = `Usage: npm run synth [-- --config FILE] [-- --out DIR] [-- --only cdktf|pulumi] [-- --strict]

Validates a Rollbar provisioning configuration and shows what both engines would create from it, without
credentials or network:
  1. validate the configuration (every problem at once, with path, code and fix; exit 1 if any; warnings are
     printed, and fail the job with --strict)
  2. synthesize the CDKTF stack "rollbar"           -> DIR/stacks/rollbar/cdk.tf.json
  3. list the Pulumi program's declared resources    -> DIR/pulumi-resources.json
     (offline, under mocks: what the program declares, not a deployment)
  4. print one table of every piece, and draw the flow -> DIR/provisioning-flow.md (Mermaid)

Options:
  --config FILE   the configuration (default: ROLLBAR_CONFIG, else rollbar.yaml)
  --out DIR       the output directory (default: cdktf.out)
  --only ENGINE   cdktf: skip the Pulumi listing (step 3); pulumi: skip the CDKTF stack (step 2). The
                  listing is the slow step for a large configuration (minutes at 10,000 assignments).
  --strict        treat warnings of the configuration as failures
  --help          this text
`;

/** The Pulumi component's name in the program (stacks/pulumi/index.ts). */
const PULUMI_COMPONENT = 'rollbar';
/** Stands in for the token in the offline Pulumi run; the listing shows every secret as '<secret>' anyway. */
const OFFLINE_TOKEN = 'offline-listing-placeholder';

/** The engines the job can show, in the order it runs them. */
const ENGINES = ['cdktf', 'pulumi'] as const;
type Engine = (typeof ENGINES)[number];

interface Options {
  readonly config: string;
  readonly out: string;
  readonly strict: boolean;
  readonly engines: readonly Engine[];
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  let config = configPath();
  let out = path.resolve('cdktf.out');
  let strict = false;
  let engines: readonly Engine[] = ENGINES;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--config') config = path.resolve(value());
    else if (arg === '--out') out = path.resolve(value());
    else if (arg === '--strict') strict = true;
    else if (arg === '--only') {
      const engine = value();
      if (!(ENGINES as readonly string[]).includes(engine)) {
        throw new UsageError(`--only must be one of ${ENGINES.join(', ')}, got '${engine}'`);
      }
      engines = [engine as Engine];
    } else throw new UsageError(`unknown argument '${arg}'`);
  }
  return { config, out, strict, engines };
}

function progress(step: number, steps: number, text: string): () => void {
  const started = Date.now();
  process.stdout.write(`[${step}/${steps}] ${text}\n`);
  return () => process.stdout.write(`      done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}

async function synthesizeCdktf(config: RollbarConfig, file: string, out: string): Promise<SynthesizedStack> {
  // Loaded on use: a broken configuration never pays for cdktf.
  const { App } = await import('cdktf');
  const { RollbarStack, STACK_ID } = await import('./cdktf/rollbar-stack');
  const { stateBackendFromEnv } = await import('./cdktf/state-backend');
  const app = new App({ outdir: out });
  const stackDir = path.join(out, 'stacks', STACK_ID);
  const backend = stateBackendFromEnv(process.env, stackDir, process.cwd(), file);
  new RollbarStack(app, STACK_ID, { config, backend });
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as SynthesizedStack;
}

async function listPulumi(configFile: string) {
  const { installMocks, redactSecrets } = await import('./pulumi/offline-mocks');
  const recorder = await installMocks(
    { 'rollbar:secretToken': OFFLINE_TOKEN, 'rollbar:configFile': configFile },
    ['rollbar:secretToken'],
    'offline',
  );
  await import('./pulumi/index');
  await recorder.settle();
  const resources = recorder.registrations.map((r) => {
    // The serialized provider code is an implementation detail, and large.
    const { __provider: _provider, ...inputs } = r.inputs;
    return {
      type: r.type,
      name: r.name,
      parent: r.parent.split('::').pop() ?? '',
      dependsOn: r.dependencies.map((d) => d.split('::').pop()),
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      inputs: redactSecrets(inputs),
    };
  });
  return { recorder, resources };
}

async function main(argv: readonly string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const shown = path.relative(process.cwd(), options.config) || options.config;
  const outShown = path.relative(process.cwd(), options.out) || options.out;
  const cdktf = options.engines.includes('cdktf');
  const pulumi = options.engines.includes('pulumi');
  const steps = 2 + options.engines.length;
  let step = 0;
  const next = (text: string): (() => void) => progress(++step, steps, text);

  let done = next(`Validating ${shown}`);
  const check = checkConfigFile(options.config);
  if (check.config === undefined) {
    const n = check.problems.length;
    process.stderr.write(`\n${shown} has ${n} problem${n === 1 ? '' : 's'}:\n`);
    for (const p of check.problems) process.stderr.write(`  ${formatProblem(p, shown)}\n`);
    process.stderr.write(`\nNothing was synthesized. Fix the problems above, then run npm run synth again.\n`);
    return 1;
  }
  const config: RollbarConfig = check.config;
  const w = check.warnings.length;
  if (w > 0) {
    const counted = `${w} warning${w === 1 ? '' : 's'}`;
    process.stdout.write(`      ${shown} is valid, with ${counted}:\n`);
    for (const warning of check.warnings) process.stdout.write(`      ${formatProblem(warning, shown, 'warning')}\n`);
    if (options.strict) {
      process.stderr.write(`\nNothing was synthesized: --strict fails on the ${counted} above.\n`);
      return 1;
    }
  } else {
    process.stdout.write(`      ${shown} is valid.\n`);
  }
  done();

  let stack: SynthesizedStack | undefined;
  if (cdktf) {
    done = next(`Synthesizing the CDKTF stack into ${outShown}/stacks/rollbar`);
    stack = await synthesizeCdktf(config, options.config, options.out);
    done();
  }

  let listed: Awaited<ReturnType<typeof listPulumi>> | undefined;
  const listing = path.join(options.out, 'pulumi-resources.json');
  if (pulumi) {
    done = next('Listing the resources the Pulumi program declares (offline, under mocks: not a deployment)');
    listed = await listPulumi(options.config);
    const note =
      'Resources the Pulumi program declares, recorded offline under mocks by npm run synth: not a deployment. ' +
      'Ids that Azure assigns at deploy time are mock placeholders; secrets show as <secret>.';
    fs.mkdirSync(options.out, { recursive: true });
    fs.writeFileSync(listing, `${JSON.stringify({ note, source: shown, resources: listed.resources }, null, 2)}\n`);
    done();
  }

  done = next(`Summarizing ${cdktf && pulumi ? 'both engines' : 'the engine'} and drawing the provisioning flow`);
  const rows = summarize(
    stack ?? {},
    listed?.recorder.registrations ?? [],
    listed?.recorder.invocations ?? [],
    PULUMI_COMPONENT,
  );
  const diagram = path.join(options.out, 'provisioning-flow.md');
  fs.mkdirSync(options.out, { recursive: true });
  fs.writeFileSync(diagram, flowDiagramMarkdown(resolveSpec({ ...config, secretToken: '' }), shown));
  done();

  process.stdout.write(`\n${renderSummary(rows, options.engines)}\n\n`);
  process.stdout.write(
    [
      ...(cdktf
        ? [
            `Terraform JSON:   ${outShown}/stacks/rollbar/cdk.tf.json   (cdktf deploy; token from TF_VAR_rollbar_secret_token)`,
          ]
        : []),
      ...(pulumi
        ? [
            `Pulumi listing:   ${path.relative(process.cwd(), listing)}   (declared resources, offline; pulumi up deploys)`,
          ]
        : []),
      `Flow diagram:     ${path.relative(process.cwd(), diagram)}`,
      '',
    ].join('\n'),
  );
  return 0;
}

/**
 * Runs the job with `argv` (the arguments after `npm run synth --`) and returns its exit code: 0 done, 1 a problem
 * in the configuration (every one printed), 2 a usage error. Anything else is a bug and is thrown.
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`npm run synth: ${e.message}\n\n${HELP}`);
      return 2;
    }
    if (e instanceof RollbarProvisioningError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) {
  void run(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
