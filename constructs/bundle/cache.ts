/**
 * The one cache of both bundles (the CLI that Terraform runs, the graph module that Pulumi's providers load), in a
 * checkout of this repository: `node_modules/.cache/rollbar-provisioning/<name>/<digest>/<file>`, keyed by a digest
 * of every project source the last build bundled, of esbuild's version and of the lock file. A synth or a
 * component therefore never runs stale code and never rebuilds fresh code; an installed package has no sources
 * and ships the bundles prebuilt (`npm run build:cli`, `npm run build:graph`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const PACKAGE_NAME = 'rollbar-provisioning';
// Bump when the build options change: the cached bundles were made with the old ones.
const BUILD_FORMAT = 2;

/** What the cache remembers of the last build: which project files went in, to hash them next time. */
interface CacheManifest {
  readonly format: number;
  readonly inputs: readonly string[];
}

/** One bundle, as the cache builds it. */
export interface CachedBuild {
  /** The cache's folder for this bundle (`cli`, `graph`). */
  readonly name: string;
  /** The bundle's file name. */
  readonly file: string;
  /**
   * Builds the bundle into `outfile`.
   * @returns the project files (not node_modules) that went in, relative to the package root
   */
  readonly build: (outfile: string) => readonly string[];
  /** The error for a build whose sources changed while it ran. */
  readonly unstable: (inputs: readonly string[]) => Error;
}

/** The directory of this package's package.json, searched upwards from `start`. */
export function packageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name } = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (name === PACKAGE_NAME) return dir;
    }
    // Not found (the package renamed or vendored): assume the source layout, constructs/<folder>.
    if (path.dirname(dir) === dir) return path.resolve(start, '..', '..');
  }
}

/** The project files (not node_modules) of esbuild's metafile, sorted. */
export function projectInputs(metafile: { inputs: Record<string, unknown> }): string[] {
  return Object.keys(metafile.inputs)
    .filter((file) => !file.split(/[\\/]/).includes('node_modules'))
    .sort();
}

/** esbuild's version, read from its package.json: loading esbuild itself is only worth it to build. */
export function installedEsbuildVersion(root: string): string | undefined {
  try {
    const manifest = require.resolve('esbuild/package.json', { paths: [root] });
    return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The bundle from the cache of the package at `root`, built when its sources changed since the last build. */
export function cachedBundle(root: string, esbuildVersion: string, bundle: CachedBuild): string {
  const cache = path.join(root, 'node_modules', '.cache', PACKAGE_NAME, bundle.name);
  const manifestFile = path.join(cache, 'manifest.json');
  const known = readManifest(manifestFile);
  if (known !== undefined) {
    const digest = inputsDigest(root, known.inputs, esbuildVersion);
    const file = digest === undefined ? undefined : path.join(cache, digest, bundle.file);
    if (file !== undefined && fs.existsSync(file)) return file;
  }

  fs.mkdirSync(cache, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cache, 'build-'));
  try {
    const inputs = [...bundle.build(path.join(staging, bundle.file))].sort();
    const digest = inputsDigest(root, inputs, esbuildVersion);
    if (digest === undefined) throw bundle.unstable(inputs);
    const target = path.join(cache, digest);
    // A rename is atomic: a parallel build (another jest worker) either sees the whole bundle or none.
    if (!fs.existsSync(path.join(target, bundle.file))) {
      try {
        fs.renameSync(staging, target);
      } catch (e) {
        if (!fs.existsSync(path.join(target, bundle.file))) throw e;
      }
      // mkdtemp made it private; the bundle is no secret, and another user's build may read the cache.
      fs.chmodSync(target, 0o755);
    }
    writeAtomically(manifestFile, JSON.stringify({ format: BUILD_FORMAT, inputs } satisfies CacheManifest));
    pruneOthers(cache, digest);
    return path.join(target, bundle.file);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
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

/** Writes `file` by a rename, so that a process reading it meanwhile never reads half of it. */
export function writeAtomically(file: string, content: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, content);
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
