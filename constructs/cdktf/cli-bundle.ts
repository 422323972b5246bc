/**
 * The CLI that Terraform runs for the Graph-only steps, as ONE self-contained CommonJS file: Terraform's
 * `local-exec` and `external` run a command on whatever machine applies the plan, where neither this
 * repository nor its node_modules exist. Only `node` is needed there.
 *
 * Where the file comes from:
 * - a checkout of this repository (the CLI's TypeScript sources are present and esbuild is installed): built
 *   with esbuild into `node_modules/.cache/rollbar-provisioning/`, keyed by a digest of every project source
 *   it bundles and of the lock file, so a synth never runs a stale CLI and never rebuilds a fresh one;
 * - an installed package: the prebuilt `dist/rollbar-provisioning.cjs` that `npm run build:cli` writes.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleSync, loadEsbuild, type Esbuild } from '../bundle/esbuild';
import { problem, RollbarProvisioningError } from '../core/problems';

/** The file name of the bundle, in the package and in the synthesized output. */
export const CLI_BUNDLE_NAME = 'rollbar-provisioning.cjs';

/** Where `npm run build:cli` writes the bundle that the published package ships. */
export const PREBUILT_CLI_BUNDLE = path.join('dist', CLI_BUNDLE_NAME);

const PACKAGE_NAME = 'rollbar-provisioning';
const ENTRY = path.join('cli', 'main.ts');
// Bump when the build options change: the cached bundles were made with the old ones.
const BUILD_FORMAT = 1;

let resolved: string | undefined;

/**
 * The bundle to copy into the stack output: built (or reused from the cache) in a checkout, the prebuilt
 * one in an installed package. Resolved once per process.
 * @throws RollbarProvisioningError `CLI_BUNDLE_UNAVAILABLE` when it can be neither found nor built
 */
export function cliBundlePath(): string {
  resolved ??= locateCliBundle(packageRoot(__dirname));
  return resolved;
}

/**
 * The bundle for the package at `root`, not memoized: a fresh build when the sources are there (reused from
 * the cache while they are unchanged), else the prebuilt one.
 */
export function locateCliBundle(root: string): string {
  const esbuildVersion = installedEsbuildVersion(root);
  if (fs.existsSync(path.join(root, ENTRY)) && esbuildVersion !== undefined) return cachedBundle(root, esbuildVersion);
  const prebuilt = path.join(root, PREBUILT_CLI_BUNDLE);
  if (fs.existsSync(prebuilt)) return prebuilt;
  throw new RollbarProvisioningError([
    problem(
      'CLI_BUNDLE_UNAVAILABLE',
      PREBUILT_CLI_BUNDLE,
      'exist in the installed rollbar-provisioning package',
      prebuilt,
      'Reinstall the package; in a checkout of its repository, run `npm ci` (esbuild builds the CLI) or `npm run build:cli`.',
    ),
  ]);
}

/** The directory of this package's package.json, searched upwards from `start`. */
export function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === PACKAGE_NAME) return dir;
    }
    // Not found (the package renamed or vendored): assume the source layout, constructs/cdktf.
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

/** What the cache remembers of the last build: which project files went in, to hash them next time. */
interface CacheManifest {
  readonly format: number;
  readonly inputs: readonly string[];
}

/** esbuild's version, read from its package.json: loading esbuild itself is only worth it to build. */
function installedEsbuildVersion(root: string): string | undefined {
  try {
    const manifest = require.resolve('esbuild/package.json', { paths: [root] });
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function cachedBundle(root: string, esbuildVersion: string): string {
  const cache = path.join(root, 'node_modules', '.cache', PACKAGE_NAME, 'cli');
  const manifestFile = path.join(cache, 'manifest.json');
  const known = readManifest(manifestFile);
  if (known !== undefined) {
    const digest = inputsDigest(root, known.inputs, esbuildVersion);
    const bundle = digest === undefined ? undefined : path.join(cache, digest, CLI_BUNDLE_NAME);
    if (bundle !== undefined && fs.existsSync(bundle)) return bundle;
  }

  const staging = fs.mkdtempSync(path.join(ensureDir(cache), 'build-'));
  try {
    const inputs = buildCliBundle(path.join(staging, CLI_BUNDLE_NAME), root);
    const digest = inputsDigest(root, inputs, esbuildVersion);
    if (digest === undefined) {
      throw new RollbarProvisioningError([
        problem(
          'CLI_BUNDLE_UNAVAILABLE',
          ENTRY,
          'keep its sources during the build',
          inputs.join(', '),
          'Synthesize again.',
        ),
      ]);
    }
    const target = path.join(cache, digest);
    // A rename is atomic: a parallel synth (another jest worker) either sees the whole bundle or none.
    if (!fs.existsSync(path.join(target, CLI_BUNDLE_NAME))) {
      try {
        fs.renameSync(staging, target);
      } catch (e) {
        if (!fs.existsSync(path.join(target, CLI_BUNDLE_NAME))) throw e;
      }
      // mkdtemp made it private; the bundle is no secret, and another user's synth may read the cache.
      fs.chmodSync(target, 0o755);
    }
    writeAtomically(manifestFile, JSON.stringify({ format: BUILD_FORMAT, inputs } satisfies CacheManifest));
    pruneOthers(cache, digest);
    return path.join(target, CLI_BUNDLE_NAME);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Bundles `cli/main.ts` into one CommonJS file with every dependency inlined.
 * @returns the project files (not node_modules) that went in, relative to `root`, sorted
 * @throws RollbarProvisioningError `CLI_BUNDLE_UNAVAILABLE` when esbuild reports an error
 */
export function buildCliBundle(
  outfile: string,
  root: string = packageRoot(__dirname),
  esbuild: Esbuild | undefined = loadEsbuild(root),
): string[] {
  if (esbuild === undefined) {
    throw new RollbarProvisioningError([
      problem('CLI_BUNDLE_UNAVAILABLE', ENTRY, 'be bundled with esbuild', 'esbuild not installed', 'Run `npm ci`.'),
    ]);
  }
  const result = bundleSync(
    esbuild,
    { root, entry: ENTRY, outfile, metafile: true, legalComments: 'eof', charset: 'utf8' },
    (detail) =>
      new RollbarProvisioningError([
        problem(
          'CLI_BUNDLE_UNAVAILABLE',
          ENTRY,
          'bundle with esbuild',
          detail,
          'Fix the error in the CLI sources, then synthesize again.',
        ),
      ]),
  );
  return Object.keys(result.metafile.inputs)
    .filter((file) => !file.split(/[\\/]/).includes('node_modules'))
    .sort();
}

/**
 * Digest of the bundled project files, the installed dependencies, esbuild and the build options. The
 * dependencies are keyed by the lock file's size and time, not its content: it is large, it changes only when
 * npm installs, and every synth pays for this check.
 */
function inputsDigest(root: string, inputs: readonly string[], esbuildVersion: string): string | undefined {
  const hash = createHash('sha256').update(`format ${BUILD_FORMAT}\nesbuild ${esbuildVersion}\n`);
  for (const file of inputs) {
    let content: Buffer;
    try {
      content = fs.readFileSync(path.join(root, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\n${content.length}\n`).update(content);
  }
  try {
    const lock = fs.statSync(path.join(root, 'package-lock.json'));
    hash.update(`package-lock.json\n${lock.size}\n${lock.mtimeMs}\n`);
  } catch {
    // No lock file (a vendored copy): the sources alone key the bundle.
  }
  return hash.digest('hex').slice(0, 32);
}

function readManifest(file: string): CacheManifest | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheManifest>;
    return parsed.format === BUILD_FORMAT && Array.isArray(parsed.inputs) ? (parsed as CacheManifest) : undefined;
  } catch {
    return undefined;
  }
}

function ensureDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function writeAtomically(file: string, text: string): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, file);
}

// A process that resolved an older bundle may still be about to copy it (jest workers, a watch mode).
const PRUNE_AFTER_MS = 10 * 60 * 1000;

/** Removes bundles of older sources once nobody can still be using them; best effort. */
function pruneOthers(cache: string, keep: string): void {
  const now = Date.now();
  for (const entry of fs.readdirSync(cache, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const dir = path.join(cache, entry.name);
    try {
      if (now - fs.statSync(dir).mtimeMs > PRUNE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

// `npm run build:cli`: the prebuilt bundle that the published package ships.
if (require.main === module) {
  const root = packageRoot(__dirname);
  const outfile = path.join(root, PREBUILT_CLI_BUNDLE);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const inputs = buildCliBundle(outfile, root);
  process.stdout.write(`${path.relative(root, outfile)}: ${inputs.length} project sources bundled\n`);
}
