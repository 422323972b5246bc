/**
 * Bundling with esbuild, shared by the two files this package builds from its own sources: the CLI that Terraform
 * runs (`cli.ts`) and the graph module that Pulumi's dynamic providers load (`graph.ts`), both through the one
 * cache of `cache.ts`. esbuild is a devDependency: a checkout of this repository builds both; an
 * installed package ships them prebuilt and never loads esbuild.
 */
import * as path from 'node:path';
import type * as esbuildApi from 'esbuild';

/** The esbuild API. */
export type Esbuild = typeof esbuildApi;

/** esbuild as installed next to the package at `root`; undefined in a consumer, which has no devDependencies. */
export function loadEsbuild(root: string): Esbuild | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve('esbuild', { paths: [root] })) as Esbuild;
  } catch {
    return undefined;
  }
}

/** What varies between the two bundles; everything else is common to both. */
export interface BundleOptions extends Pick<
  esbuildApi.BuildOptions,
  'packages' | 'metafile' | 'write' | 'legalComments' | 'charset'
> {
  /** The package root: paths in the bundle are relative to it, so no path of the building machine is written. */
  readonly root: string;
  /** The entry point, relative to `root`. */
  readonly entry: string;
  /** Where the bundle goes. */
  readonly outfile: string;
}

/**
 * One CommonJS file for Node 20 from `entry`.
 * @param fail turns esbuild's first error (`file:line: text`) into the caller's error
 */
export function bundleSync<O extends BundleOptions>(
  esbuild: Esbuild,
  options: O,
  fail: (detail: string) => Error,
): esbuildApi.BuildResult<O> {
  const { root, entry, ...rest } = options;
  try {
    return esbuild.buildSync({
      ...rest,
      entryPoints: [path.join(root, entry)],
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'silent',
    });
  } catch (e) {
    const first = (e as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw fail(`${where}${first?.text ?? String(e)}`);
  }
}
