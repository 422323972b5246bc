/**
 * The package as a platform team installs it, not as this repository runs it. It is built and packed with
 * `npm pack` from a copy of the sources that holds no test file and no earlier build, then installed from the
 * tarball into temporary projects that hold only the peers their engine needs, at the versions of this
 * repository's lock file (`--prefer-offline`: the npm cache that `npm ci` filled serves them). Each project
 * compiles its program against the package's declarations (skipLibCheck off, the `node` module resolution of
 * cdktf's and Pulumi's project templates) and runs it with a PATH that holds `node` and nothing else.
 *
 * `npm run test:consumer`: a CI step of its own, not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FAKE_TEMPLATE_ID, FakeGraph } from '../fake-graph/server';
import {
  CDKTF_APP,
  CONFIG_CHECK,
  CONFIG_MISTAKES_YAML,
  CORE_CHECK,
  SCHEMA_CHECK,
  DEFAULT_ACCESS_YAML,
  PULUMI_PROGRAM,
  pulumiMocksHarness,
  type PulumiMockIds,
} from './programs';

interface Manifest {
  readonly main: string;
  readonly types: string;
  readonly bin: Record<string, string>;
  readonly exports: Record<string, string | Record<string, string>>;
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
}
interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}
interface Registration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = path.join(__dirname, '..', '..');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Manifest;
const LOCKED = (
  JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  }
).packages;
// Build tools of this repository, run on the consumer's files: the compiler, and a stand-in for Pulumi's provider
// host. What they load comes from the consumer project.
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PROVIDER_HOST = path.join(ROOT, 'test', 'pulumi', 'provider-host.cjs');
// Neither built output nor tests go into the copy that is packed: the package must build from its sources alone.
const NOT_COPIED = new Set(['.git', 'node_modules', 'lib', 'dist', 'cdktf.out', 'coverage', 'docs', 'test', 'bench']);

const TOKEN = 'rollbar-consumer-token-6d0c2b9e4f1a7385';
const IDS: PulumiMockIds = {
  tenantId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  servicePrincipalObjectId: '5e4d3c2b-1a09-4f8e-9d7c-6b5a49382716',
  jobId: `${FAKE_TEMPLATE_ID}.0123456789abcdef0123456789abcdef.0f0e0d0c-0b0a-4908-8706-050403020100`,
};
/** The marker Pulumi puts on a secret value in the inputs a resource is registered with. */
const SECRET_SIG = '4dabf18193072939515e22adb298388d';

let work: string;
let nodeOnly: string;
let tarball: string;
let packed: string[];
let dryRun: string[];
let fake: FakeGraph;

/** `name@version` as this repository's lock file pins it. */
function pinned(name: string): string {
  const version = LOCKED[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`${name} is not in package-lock.json`);
  return `${name}@${version}`;
}

/** This process's environment for npm, without what `npm run` set for this repository's own package. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(key),
    ),
  );
}

/** An environment with `node` alone on PATH: no terraform, no pulumi, no npm. */
function nodeOnlyEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: nodeOnly, HOME: path.join(work, 'home'), CHECKPOINT_DISABLE: '1', ...extra };
}

function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? npmEnv() });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a command that must succeed; its stdout. */
async function ok(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string },
): Promise<string> {
  const r = await run(command, args, options);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.code}:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** A new project that installs the tarball and `packages`, as `npm install` does in a user's repository. */
async function project(name: string, packages: readonly string[]): Promise<string> {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '0.0.0', private: true }));
  await ok('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, ...packages], { cwd: dir });
  return dir;
}

/** Every package installed in the project, nested copies included, by name. */
function installed(dir: string): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, unknown>;
  };
  return Object.keys(lock.packages)
    .filter((key) => key.includes('node_modules/'))
    .map((key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
}

/** The engine packages among `names`. */
const engines = (names: readonly string[]): string[] =>
  names.filter((n) => n === 'cdktf' || n === 'constructs' || n.startsWith('@cdktf/') || n.startsWith('@pulumi/'));

/**
 * Compiles `files` of the project with the settings of cdktf's and Pulumi's project templates, changed by
 * `options`, from the configuration file `name`.
 */
async function compile(
  dir: string,
  name: string,
  files: readonly string[],
  options: Record<string, unknown> = {},
): Promise<void> {
  const compilerOptions = {
    strict: true,
    target: 'es2020',
    module: 'commonjs',
    moduleResolution: 'node',
    // A consumer's compiler reads the package's declarations, with everything they import.
    skipLibCheck: false,
    types: [],
    ...options,
  };
  fs.writeFileSync(path.join(dir, name), JSON.stringify({ compilerOptions, files }));
  await ok(process.execPath, [TSC, '-p', name], { cwd: dir });
}

/** The file names of a pack (or dry run), sorted. */
function packFiles(stdout: string): { filename: string; files: string[] } {
  const [result] = JSON.parse(stdout) as PackResult[];
  return { filename: result!.filename, files: result!.files.map((f) => f.path).sort() };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(tmpdir(), 'rollbar-consumer-'));
  nodeOnly = path.join(work, 'bin');
  fs.mkdirSync(nodeOnly);
  fs.mkdirSync(path.join(work, 'home'));
  fs.symlinkSync(process.execPath, path.join(nodeOnly, 'node'));

  const source = path.join(work, 'source');
  fs.mkdirSync(source);
  for (const entry of fs.readdirSync(ROOT)) {
    if (!NOT_COPIED.has(entry)) fs.cpSync(path.join(ROOT, entry), path.join(source, entry), { recursive: true });
  }
  // The build tools only (tsc, esbuild, ts-node); the package's own files come from the copy.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  // What `npm pack` runs first; run on its own so that its output does not mix with the pack's JSON.
  await ok('npm', ['run', 'prepack'], { cwd: source });
  const pack = packFiles(
    await ok('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: source }),
  );
  tarball = path.join(work, pack.filename);
  packed = pack.files;
  dryRun = packFiles(await ok('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: source })).files;

  fake = await FakeGraph.start({ tenantId: IDS.tenantId });
  fake.addServicePrincipal({ id: IDS.servicePrincipalObjectId });
}, 300_000);

afterAll(async () => {
  await fake?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('lists only the compiled library, its types, the CLI, the schema, the examples, README, LICENSE and CHANGELOG', () => {
    const allowed = [
      /^lib\/(constructs\/(core|config|cdktf|pulumi|graph|bundle)|cli)\/[\w/.-]+\.(js|d\.ts)$/,
      // The JSON Schema of rollbar.yaml, and the examples the loader's messages point to.
      /^rollbar\.(schema\.json|yaml)$/,
      /^examples\/[\w-]+\/[\w-]+\.yaml$/,
      /^dist\/(rollbar-provisioning|graph)\.cjs$/,
      /^bin\/rollbar-provisioning$/,
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md)$/,
    ];
    expect(packed.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
    expect(dryRun).toEqual(packed);
  });

  it('contains every file that main, types, bin and exports name', () => {
    const targets = (value: string | Record<string, string>): string[] =>
      typeof value === 'string' ? [value] : Object.values(value);
    const named = [MANIFEST.main, MANIFEST.types, ...Object.values(MANIFEST.bin)]
      .concat(Object.values(MANIFEST.exports).flatMap(targets))
      // The serialized Pulumi providers require this one through the wildcard export.
      .map((file) => file.replace(/^\.\//, '').replace('*', 'graph-session'));
    expect(named.filter((file) => !packed.includes(file))).toEqual([]);
    expect(packed).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'CHANGELOG.md', 'lib/cli/main.js']));
  });

  it('requires only its own files, its dependencies and its optional peers; core requires no package', () => {
    const declared = new Set([...Object.keys(MANIFEST.dependencies), ...Object.keys(MANIFEST.peerDependencies)]);
    const builtin = new Set(builtinModules);
    const wrong: string[] = [];
    for (const file of packed.filter((f) => /\.c?js$/.test(f))) {
      const text = fs.readFileSync(path.join(work, 'source', file), 'utf8');
      const inCore = file.startsWith('lib/constructs/core/');
      for (const [, specifier] of text.matchAll(/\b(?:require|import)\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = specifier!;
        if (spec.startsWith('.')) {
          const target = path.posix.join(path.posix.dirname(file), spec);
          const found = [target, `${target}.js`, `${target}/index.js`].find((f) => packed.includes(f));
          if (found === undefined || (inCore && !found.startsWith('lib/constructs/core/')))
            wrong.push(`${file}: ${spec}`);
        } else if (!(spec.startsWith('node:') || builtin.has(spec))) {
          const name = spec
            .split('/')
            .slice(0, spec.startsWith('@') ? 2 : 1)
            .join('/');
          if (inCore || !declared.has(name)) wrong.push(`${file}: ${spec}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('a project that installs rollbar-provisioning alone', () => {
  let dir: string;

  beforeAll(async () => {
    // The Node.js typings, as every TypeScript project on Node has: the Graph client's options name NodeJS.ProcessEnv.
    // ajv and yaml: the consumer's own JSON Schema validator and YAML parser, for the schema test below.
    dir = await project('core-consumer', [pinned('@types/node'), pinned('ajv'), pinned('yaml')]);
    fs.writeFileSync(path.join(dir, 'check.ts'), CORE_CHECK);
    fs.writeFileSync(path.join(dir, 'config-check.ts'), CONFIG_CHECK);
    await compile(dir, 'tsconfig.json', ['check.ts', 'config-check.ts'], { types: ['node'] });
  }, 300_000);

  it('validates a spec with rollbar-provisioning/core, and loads rollbar-provisioning/graph', async () => {
    const result = JSON.parse(await ok('node', ['check.js'], { cwd: dir, env: nodeOnlyEnv() })) as {
      valid: unknown[];
      defaultAccess: { code: string; path: string; message: string }[];
      graph: boolean;
    };
    expect(result.valid).toEqual([]);
    expect(result.defaultAccess).toEqual([
      expect.objectContaining({ code: 'DEFAULT_ACCESS_ROLE', path: 'assignments.engineers.role' }),
    ]);
    expect(result.graph).toBe(true);
  });

  it('type-checks against the declarations through exports too (node16 module resolution)', async () => {
    const node16 = { types: ['node'], module: 'node16', moduleResolution: 'node16', noEmit: true };
    await compile(dir, 'tsconfig.node16.json', ['check.ts', 'config-check.ts'], node16);
  });

  it('loads a file with rollbar-provisioning/config: every problem with its line and column', async () => {
    fs.writeFileSync(path.join(dir, 'rollbar.yaml'), CONFIG_MISTAKES_YAML);
    const result = JSON.parse(
      await ok('node', ['config-check.js', 'rollbar.yaml'], { cwd: dir, env: nodeOnlyEnv() }),
    ) as {
      problems: { code: string; path: string; line?: number; column?: number }[];
      thrown: string[];
    };
    expect(result.problems).toEqual([
      { code: 'INVALID_CONFIG', path: 'scop', line: 1, column: 1 },
      { code: 'INVALID_THRESHOLD', path: 'accidentalDeletionThreshold', line: 2, column: 30 },
      { code: 'DEFAULT_ACCESS_ROLE', path: 'assignments.engineers.role', line: 8, column: 11 },
    ]);
    expect(result.thrown).toEqual(result.problems.map((p) => p.code));
  });

  it('ships rollbar.schema.json: a JSON Schema validator accepts every shipped example and rejects a misspelt key', async () => {
    const result = JSON.parse(await ok('node', ['-e', SCHEMA_CHECK], { cwd: dir, env: nodeOnlyEnv() })) as {
      examples: Record<string, boolean>;
      misspelt: { valid: boolean; errors: { keyword: string; params: Record<string, unknown> }[] };
    };
    expect(Object.keys(result.examples).sort()).toEqual([
      'examples/groups-and-mappings/rollbar.yaml',
      'examples/minimal/rollbar.yaml',
      'examples/two-tenants/contoso.yaml',
      'examples/two-tenants/fabrikam.yaml',
      'rollbar.yaml',
    ]);
    expect(Object.values(result.examples).every((valid) => valid)).toBe(true);
    expect(result.misspelt.valid).toBe(false);
    expect(result.misspelt.errors).toContainEqual(
      expect.objectContaining({
        keyword: 'additionalProperties',
        params: { additionalProperty: 'provisioningEnable' },
      }),
    );
  });

  it('runs the rollbar-provisioning command: validate reports every problem with its line, then passes', async () => {
    const cli = path.join(dir, 'node_modules', '.bin', 'rollbar-provisioning');
    fs.writeFileSync(path.join(dir, 'rollbar.yaml'), DEFAULT_ACCESS_YAML);
    const wrong = await run(cli, ['validate', 'rollbar.yaml'], { cwd: dir, env: nodeOnlyEnv() });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).toContain('rollbar.yaml:6');
    expect(wrong.stdout + wrong.stderr).toContain('DEFAULT_ACCESS_ROLE');

    fs.writeFileSync(path.join(dir, 'rollbar.yaml'), DEFAULT_ACCESS_YAML.replace('msiam_access', 'User'));
    const fixed = await run(cli, ['validate', 'rollbar.yaml'], { cwd: dir, env: nodeOnlyEnv() });
    expect(fixed).toMatchObject({ code: 0 });
  });

  it('installs no engine package', () => {
    expect(installed(dir)).toContain('rollbar-provisioning');
    expect(engines(installed(dir))).toEqual([]);
  });
});

describe('a CDKTF project (cdktf, constructs, @cdktf/provider-azuread)', () => {
  let dir: string;
  let stackDir: string;
  let synth: Run;

  beforeAll(async () => {
    dir = await project('cdktf-consumer', [pinned('cdktf'), pinned('constructs'), pinned('@cdktf/provider-azuread')]);
    fs.writeFileSync(path.join(dir, 'main.ts'), CDKTF_APP);
    await compile(dir, 'tsconfig.json', ['main.ts']);
    synth = await run('node', ['main.js'], { cwd: dir, env: nodeOnlyEnv() });
    stackDir = path.join(dir, 'cdktf.out', 'stacks', 'rollbar');
  }, 300_000);

  it('synthesizes with no terraform on PATH', () => {
    expect(fs.readdirSync(nodeOnly)).toEqual(['node']);
    expect(synth).toMatchObject({ code: 0, stderr: '' });
    expect(fs.existsSync(path.join(stackDir, 'cdk.tf.json'))).toBe(true);
  });

  it('runs the CLI from its own output (a Terraform asset), never through a path of this machine', () => {
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      terraform?: Record<string, unknown>;
    };
    // The app names no backend, so cdktf adds its default local one with an absolute path: that is the app's
    // choice (the stack of this repository sets a relative one), not the construct's.
    const { backend: _backend, ...terraform } = tf.terraform ?? {};
    const config = { ...tf, terraform };
    const strings = (value: unknown): string[] =>
      typeof value === 'string'
        ? [value]
        : typeof value === 'object' && value !== null
          ? Object.values(value).flatMap(strings)
          : [];
    // The external data source's program and the local-exec commands.
    const runs = strings(config).filter((s) => s.includes('rollbar-provisioning.cjs'));
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const command of runs) {
      expect(command).toMatch(
        /^(node ")?\$\{path\.module\}\/assets\/[\w/]+\/rollbar-provisioning\.cjs(" graph [a-z-]+)?$/,
      );
    }
    const text = JSON.stringify(config);
    expect(text).not.toContain(ROOT);
    expect(text).not.toContain(work);
    expect(text).not.toContain('node_modules');

    const asset = /assets\/[\w/]+\/rollbar-provisioning\.cjs/.exec(runs[0]!)![0];
    const installedCli = path.join(dir, 'node_modules', 'rollbar-provisioning', 'dist', 'rollbar-provisioning.cjs');
    expect(fs.readFileSync(path.join(stackDir, asset)).equals(fs.readFileSync(installedCli))).toBe(true);
  });

  it('the CLI in the output runs on its own, where Terraform applies it, against Microsoft Graph', async () => {
    // Another directory, with no node_modules above it: only the synthesized stack travels to the runner.
    const applied = path.join(work, 'applied-stack');
    fs.cpSync(stackDir, applied, { recursive: true });
    const [asset] = fs
      .readdirSync(path.join(applied, 'assets'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('rollbar-provisioning.cjs'));
    const input = { servicePrincipalId: `/servicePrincipals/${IDS.servicePrincipalObjectId}`, tenantId: IDS.tenantId };
    const out = await ok('node', [path.join('assets', asset!), 'graph', 'sync-template'], {
      cwd: applied,
      env: nodeOnlyEnv({
        ROLLBAR_INPUT: JSON.stringify(input),
        ROLLBAR_GRAPH_URL: fake.url,
        ROLLBAR_GRAPH_TOKEN: fake.token(),
      }),
    });
    expect(JSON.parse(out)).toEqual({ templateId: FAKE_TEMPLATE_ID });
  });

  it('installs no @pulumi package', () => {
    const names = installed(dir);
    expect(names).toEqual(expect.arrayContaining(['cdktf', '@cdktf/provider-azuread', 'rollbar-provisioning']));
    expect(names.filter((n) => n.startsWith('@pulumi/'))).toEqual([]);
  });
});

describe('a Pulumi project (@pulumi/pulumi, @pulumi/azuread)', () => {
  let dir: string;
  let result: { servicePrincipalId: string; registrations: Registration[] };
  const dynamic = (): Registration[] => result.registrations.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/'));

  beforeAll(async () => {
    dir = await project('pulumi-consumer', [pinned('@pulumi/pulumi'), pinned('@pulumi/azuread')]);
    fs.writeFileSync(path.join(dir, 'index.ts'), PULUMI_PROGRAM);
    fs.writeFileSync(path.join(dir, 'mocks.js'), pulumiMocksHarness(IDS));
    await compile(dir, 'tsconfig.json', ['index.ts']);
    const out = await ok('node', ['mocks.js'], { cwd: dir, env: nodeOnlyEnv({ ROLLBAR_TEST_TOKEN: TOKEN }) });
    result = JSON.parse(out) as typeof result;
  }, 300_000);

  it('runs the program under mocks: the component declares its pieces, with the token a secret', () => {
    expect(result.servicePrincipalId).toBe(`/servicePrincipals/${IDS.servicePrincipalObjectId}`);
    expect(result.registrations.map((r) => `${r.type.split(':').pop()} ${r.name}`).sort()).toEqual([
      'AppRoleAssignment rollbar-assignment-engineers',
      'ApplicationAppRole rollbar-role-User',
      'ApplicationFromTemplate rollbar-app',
      'Credentials rollbar-credentials',
      'ProvisioningState rollbar-provisioning-state',
      'RollbarProvisioning rollbar',
      'SyncTemplate rollbar-sync-template',
      'SynchronizationJob rollbar-job',
    ]);
    const credentials = result.registrations.find((r) => r.name === 'rollbar-credentials')!;
    expect(credentials.inputs.secretToken).toMatchObject({ [SECRET_SIG]: expect.any(String), value: TOKEN });
  });

  it('serializes its dynamic providers to load the installed package, never a path of this repository', () => {
    const graphModule = path.join(dir, 'node_modules', 'rollbar-provisioning', 'dist', 'graph.cjs');
    expect(dynamic()).toHaveLength(3);
    for (const { inputs } of dynamic()) {
      const text = String(inputs.__provider);
      expect(text).toMatch(/require\("rollbar-provisioning\/[^"]+"\)/);
      expect(text).toContain(JSON.stringify(graphModule));
      expect(text).not.toContain(ROOT);
    }
  });

  it('runs a serialized provider in a provider process of the project, against Microsoft Graph', async () => {
    const sync = dynamic().find((r) => r.name === 'rollbar-sync-template')!;
    const { __provider, ...inputs } = sync.inputs;
    const here = String(__provider);
    const graphModule = path.join(dir, 'node_modules', 'rollbar-provisioning', 'dist', 'graph.cjs');
    // State written on another machine holds that machine's path: the provider then loads the package by name.
    const elsewhere = here.split(JSON.stringify(graphModule)).join(JSON.stringify('/nonexistent/graph.cjs'));
    const requireFromString = createRequire(
      path.join(dir, 'node_modules', '@pulumi', 'pulumi', 'package.json'),
    ).resolve('require-from-string');
    const requests = [here, elsewhere].map((provider, id) =>
      JSON.stringify({ id, requireFromString, provider, method: 'create', args: [inputs] }),
    );
    const out = await ok('node', [PROVIDER_HOST], {
      cwd: dir,
      env: nodeOnlyEnv({
        ROLLBAR_GRAPH_URL: fake.url,
        ROLLBAR_GRAPH_TOKEN: fake.token(),
        ROLLBAR_GRAPH_MAX_RETRIES: '0',
      }),
      input: `${requests.join('\n')}\n`,
    });
    const replies = out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown);
    expect(replies).toEqual(
      [0, 1].map((id) => ({
        id,
        ok: true,
        result: expect.objectContaining({ outs: expect.objectContaining({ templateId: FAKE_TEMPLATE_ID }) }),
      })),
    );
  });

  it('installs no cdktf package', () => {
    const names = installed(dir);
    expect(names).toEqual(expect.arrayContaining(['@pulumi/pulumi', '@pulumi/azuread', 'rollbar-provisioning']));
    expect(names.filter((n) => n === 'cdktf' || n.startsWith('@cdktf/'))).toEqual([]);
  });
});
