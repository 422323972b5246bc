/**
 * The compiled graph module that the dynamic providers load in their own process, where this repository's
 * TypeScript sources cannot be loaded: `constructs/graph` and the core code it uses, bundled into one CommonJS
 * file, `dist/graph.cjs`, which package.json `exports` as `rollbar-provisioning/graph`. The package's
 * dependencies (`@azure/identity`…) stay external: they are installed next to it.
 *
 * Where the file comes from:
 * - a checkout of this repository (the graph sources are present and esbuild is installed): built when a
 *   component is first constructed in a process, so a `pulumi up` never runs stale graph code;
 * - an installed package: the prebuilt file that `npm run build:graph` writes.
 */
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleSync, loadEsbuild, type Esbuild } from '../bundle/esbuild';
import { RollbarProvisioningError } from '../core';
import { problem } from '../core/problems';
import { GRAPH_MODULE_SPECIFIER } from './dynamic/graph-session';

/** Where the bundle is, relative to the package root. */
export const GRAPH_BUNDLE = path.join('dist', 'graph.cjs');

const ENTRY = path.join('constructs', 'graph', 'index.ts');
// This file is constructs/pulumi/graph-bundle.ts in a checkout, lib/constructs/pulumi/graph-bundle.js when built.
const SOURCE_ROOT = path.resolve(__dirname, '..', '..');

let located: { path: string | undefined } | undefined;

/**
 * The file the dynamic providers load first (see `dynamic/graph-session.ts`): built in a checkout, else the
 * package's export of `rollbar-provisioning/graph`; undefined when neither exists. Once per process.
 */
export function graphModulePath(): string | undefined {
  located ??= { path: locateGraphBundle(SOURCE_ROOT) };
  return located.path;
}

/** {@link graphModulePath} for the sources at `root`, not memoized. */
export function locateGraphBundle(root: string): string | undefined {
  const esbuild = loadEsbuild(root);
  if (esbuild !== undefined && fs.existsSync(path.join(root, ENTRY))) {
    return buildGraphBundle(path.join(root, GRAPH_BUNDLE), root, esbuild);
  }
  try {
    // Node's own resolver (not a test runner's): a package may refer to itself by name through its `exports`.
    return createRequire(__filename).resolve(GRAPH_MODULE_SPECIFIER);
  } catch {
    return undefined;
  }
}

/**
 * Bundles the graph module into `outfile`. The file is replaced by a rename, and only when its content changes,
 * so that a process loading it meanwhile (a provider, another test worker) never reads half a file.
 */
export function buildGraphBundle(
  outfile: string = path.join(SOURCE_ROOT, GRAPH_BUNDLE),
  root: string = SOURCE_ROOT,
  esbuild: Esbuild | undefined = loadEsbuild(root),
): string {
  if (esbuild === undefined) {
    throw unavailable('be bundled with esbuild', 'esbuild not installed', 'Run npm ci.');
  }
  const result = bundleSync(esbuild, { root, entry: ENTRY, outfile, packages: 'external', write: false }, (detail) =>
    unavailable('bundle with esbuild', detail, 'Fix the error in the graph sources.'),
  );
  const output = result.outputFiles[0]!;
  if (fs.existsSync(outfile) && fs.readFileSync(outfile).equals(output.contents)) return outfile;
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const staging = `${outfile}.${process.pid}.tmp`;
  fs.writeFileSync(staging, output.contents);
  fs.renameSync(staging, outfile);
  return outfile;
}

function unavailable(rule: string, value: string, fix: string): RollbarProvisioningError {
  return new RollbarProvisioningError([problem('GRAPH_BUNDLE_UNAVAILABLE', ENTRY, rule, value, fix)]);
}

if (require.main === module) {
  process.stdout.write(`${buildGraphBundle()}\n`);
}
