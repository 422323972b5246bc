/**
 * The CLI that Terraform runs for the Graph-only steps, as ONE self-contained CommonJS file: Terraform's
 * `local-exec` and `external` run a command on whatever machine applies the plan, where neither this
 * repository nor its node_modules exist. Only `node` is needed there.
 *
 * Where the file comes from: in a checkout of this repository (the CLI's sources are present and esbuild is
 * installed), the bundle cache (`cache.ts`); in an installed package, the prebuilt `dist/rollbar-provisioning.cjs`
 * that `npm run build:cli` writes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { problem, RollbarProvisioningError } from '../core/problems';
import { cachedBundle, installedEsbuildVersion, packageRoot, projectInputs } from './cache';
import { bundleSync, loadEsbuild, type Esbuild } from './esbuild';

export { packageRoot } from './cache';

/** The file name of the bundle, in the package and in the synthesized output. */
export const CLI_BUNDLE_NAME = 'rollbar-provisioning.cjs';

/** Where `npm run build:cli` writes the bundle that the published package ships. */
export const PREBUILT_CLI_BUNDLE = path.join('dist', CLI_BUNDLE_NAME);

const ENTRY = path.join('cli', 'main.ts');

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
  if (fs.existsSync(path.join(root, ENTRY)) && esbuildVersion !== undefined) {
    return cachedBundle(root, esbuildVersion, {
      name: 'cli',
      file: CLI_BUNDLE_NAME,
      build: (outfile) => buildCliBundle(outfile, root),
      unstable: (inputs) => unavailable('keep its sources during the build', inputs.join(', '), 'Synthesize again.'),
    });
  }
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
  if (esbuild === undefined) throw unavailable('be bundled with esbuild', 'esbuild not installed', 'Run `npm ci`.');
  const result = bundleSync(
    esbuild,
    { root, entry: ENTRY, outfile, metafile: true, legalComments: 'eof', charset: 'utf8' },
    (detail) => unavailable('bundle with esbuild', detail, 'Fix the error in the CLI sources, then synthesize again.'),
  );
  return projectInputs(result.metafile);
}

function unavailable(rule: string, value: string, fix: string): RollbarProvisioningError {
  return new RollbarProvisioningError([problem('CLI_BUNDLE_UNAVAILABLE', ENTRY, rule, value, fix)]);
}

// `npm run build:cli`: the prebuilt bundle that the published package ships.
if (require.main === module) {
  const root = packageRoot(__dirname);
  const outfile = path.join(root, PREBUILT_CLI_BUNDLE);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  const inputs = buildCliBundle(outfile, root);
  process.stdout.write(`${path.relative(root, outfile)}: ${inputs.length} project sources bundled\n`);
}
