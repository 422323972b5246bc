/**
 * The compiled graph module that the dynamic providers load in their own process, where this repository's
 * TypeScript sources cannot be loaded: `constructs/graph` and the core code it uses, bundled into one CommonJS
 * file, `dist/graph.cjs`, which package.json `exports` as `rollbar-provisioning/graph`. The package's
 * dependencies (`@azure/identity`…) stay external: they are installed next to it.
 *
 * Where the file comes from: in a checkout of this repository (the graph sources are present and esbuild is
 * installed), the bundle cache (`cache.ts`), copied to `dist/graph.cjs` when it differs, so that the path the
 * providers record stays the same from one build to the next; in an installed package, the prebuilt file that
 * `npm run build:graph` writes.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { problem, RollbarProvisioningError } from '../core/problems';
import { cachedBundle, installedEsbuildVersion, packageRoot, projectInputs, writeAtomically } from './cache';
import { bundleSync, loadEsbuild, type Esbuild } from './esbuild';

/** Where the bundle is, relative to the package root. */
export const GRAPH_BUNDLE = path.join('dist', 'graph.cjs');

/**
 * The `exports` entry of this package that holds the compiled graph module: the string that
 * `pulumi/dynamic/graph-session.ts` requires in the provider process (its own copy: it must capture a literal).
 */
const GRAPH_MODULE_SPECIFIER = 'rollbar-provisioning/graph';

const ENTRY = path.join('constructs', 'graph', 'index.ts');

let located: { path: string | undefined } | undefined;

/**
 * The file the dynamic providers load first (see `pulumi/dynamic/graph-session.ts`): built in a checkout, else
 * the package's export of `rollbar-provisioning/graph`; undefined when neither exists. Once per process.
 */
export function graphModulePath(): string | undefined {
  located ??= { path: locateGraphBundle(packageRoot(__dirname)) };
  return located.path;
}

/** {@link graphModulePath} for the sources at `root`, not memoized. */
export function locateGraphBundle(root: string): string | undefined {
  const esbuildVersion = installedEsbuildVersion(root);
  if (esbuildVersion !== undefined && fs.existsSync(path.join(root, ENTRY))) {
    const cached = cachedBundle(root, esbuildVersion, {
      name: 'graph',
      file: path.basename(GRAPH_BUNDLE),
      build: (outfile) => bundleGraph(outfile, root, loadEsbuild(root)).inputs,
      unstable: (inputs) => unavailable('keep its sources during the build', inputs.join(', '), 'Run it again.'),
    });
    return place(cached, path.join(root, GRAPH_BUNDLE));
  }
  try {
    // Node's own resolver (not a test runner's): a package may refer to itself by name through its `exports`.
    return createRequire(__filename).resolve(GRAPH_MODULE_SPECIFIER);
  } catch {
    return undefined;
  }
}

/**
 * Bundles the graph module into `outfile`, replaced by a rename and only when its content changes, so that a
 * process loading it meanwhile (a provider, another test worker) never reads half a file. No cache: this is
 * `npm run build:graph`, and what the cache runs.
 */
export function buildGraphBundle(
  outfile: string = path.join(packageRoot(__dirname), GRAPH_BUNDLE),
  root: string = packageRoot(__dirname),
  esbuild: Esbuild | undefined = loadEsbuild(root),
): string {
  return bundleGraph(outfile, root, esbuild).file;
}

function bundleGraph(outfile: string, root: string, esbuild: Esbuild | undefined): { file: string; inputs: string[] } {
  if (esbuild === undefined) {
    throw unavailable('be bundled with esbuild', 'esbuild not installed', 'Run npm ci.');
  }
  const result = bundleSync(
    esbuild,
    { root, entry: ENTRY, outfile, packages: 'external', write: false, metafile: true },
    (detail) => unavailable('bundle with esbuild', detail, 'Fix the error in the graph sources.'),
  );
  const file = place(result.outputFiles[0]!.contents, outfile);
  return { file, inputs: projectInputs(result.metafile) };
}

/** Writes `content` (or the file of that name) to `outfile` unless it already holds it; returns `outfile`. */
function place(content: Uint8Array | string, outfile: string): string {
  const bytes = typeof content === 'string' ? fs.readFileSync(content) : content;
  if (fs.existsSync(outfile) && fs.readFileSync(outfile).equals(bytes)) return outfile;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  writeAtomically(outfile, bytes);
  return outfile;
}

function unavailable(rule: string, value: string, fix: string): RollbarProvisioningError {
  return new RollbarProvisioningError([problem('GRAPH_BUNDLE_UNAVAILABLE', ENTRY, rule, value, fix)]);
}

// `npm run build:graph`: the prebuilt module that the published package ships.
if (require.main === module) {
  process.stdout.write(`${buildGraphBundle()}\n`);
}
