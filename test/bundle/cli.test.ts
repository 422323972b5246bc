import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliBundlePath, locateCliBundle, packageRoot, PREBUILT_CLI_BUNDLE } from '../../constructs/bundle/cli';

const REPO = path.resolve(__dirname, '..', '..');

/** A throwaway package named like ours, whose CLI prints `message`; esbuild linked from this repository. */
function fakePackage(files: Record<string, string>, withEsbuild = true): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-cli-bundle-'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'rollbar-provisioning' }));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  if (withEsbuild) {
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(path.join(REPO, 'node_modules', 'esbuild'), path.join(root, 'node_modules', 'esbuild'), 'dir');
  }
  return root;
}

const runs = (bundle: string): string => execFileSync(process.execPath, [bundle], { encoding: 'utf8' }).trim();

describe('the CLI bundle that Terraform runs', () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));
  const make = (files: Record<string, string>, withEsbuild?: boolean): string => {
    const root = fakePackage(files, withEsbuild);
    roots.push(root);
    return root;
  };

  it("is this repository's CLI, self-contained: it runs from a directory with no node_modules", () => {
    const dir = make({});
    const copy = path.join(dir, 'rollbar-provisioning.cjs');
    fs.copyFileSync(cliBundlePath(), copy);
    const help = spawnSync(process.execPath, [copy, '--help'], { cwd: dir, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('graph save-credentials');
    expect(packageRoot(path.join(REPO, 'constructs', 'bundle'))).toBe(REPO);
  });

  it('is built once and reused while the sources are unchanged', () => {
    const root = make({
      'cli/main.ts': "import { text } from './text';\nconsole.log(text);\n",
      'cli/text.ts': "export const text = 'v1';\n",
    });
    const first = locateCliBundle(root);
    const built = fs.statSync(first).mtimeMs;
    expect(runs(first)).toBe('v1');
    expect(locateCliBundle(root)).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(built);
  });

  it('is rebuilt when any bundled source changes, also one imported by the entry point', () => {
    const root = make({
      'cli/main.ts': "import { text } from './text';\nconsole.log(text);\n",
      'cli/text.ts': "export const text = 'v1';\n",
    });
    const first = locateCliBundle(root);
    fs.writeFileSync(path.join(root, 'cli', 'text.ts'), "export const text = 'v2';\n");
    const second = locateCliBundle(root);
    expect(second).not.toBe(first);
    expect(runs(second)).toBe('v2');
    // Kept for a while: another process may have resolved it and not copied it yet.
    expect(fs.existsSync(first)).toBe(true);
  });

  it('removes bundles of older sources once they are old enough that nobody still uses them', () => {
    const root = make({ 'cli/main.ts': "console.log('v1');\n" });
    const first = locateCliBundle(root);
    const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
    fs.utimesSync(path.dirname(first), hourAgo, hourAgo);
    fs.writeFileSync(path.join(root, 'cli', 'main.ts'), "console.log('v2');\n");
    const second = locateCliBundle(root);
    expect(fs.existsSync(first)).toBe(false);
    expect(fs.existsSync(second)).toBe(true);
  });

  it('is the prebuilt dist/rollbar-provisioning.cjs in an installed package (no sources, no esbuild)', () => {
    const root = make({ [PREBUILT_CLI_BUNDLE]: "console.log('prebuilt');\n" }, false);
    expect(locateCliBundle(root)).toBe(path.join(root, PREBUILT_CLI_BUNDLE));
  });

  it('is CLI_BUNDLE_UNAVAILABLE when it can be neither found nor built', () => {
    const root = make({}, false);
    expect(() => locateCliBundle(root)).toThrow(
      expect.objectContaining({ name: 'RollbarProvisioningError', codes: ['CLI_BUNDLE_UNAVAILABLE'] }),
    );
  });

  it('reports a build error with its file and line', () => {
    const root = make({ 'cli/main.ts': "import { nothing } from './missing';\nconsole.log(nothing);\n" });
    expect(() => locateCliBundle(root)).toThrow(
      expect.objectContaining({
        codes: ['CLI_BUNDLE_UNAVAILABLE'],
        message: expect.stringContaining('cli/main.ts:1: Could not resolve "./missing"'),
      }),
    );
  });
});
