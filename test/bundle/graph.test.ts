/**
 * The Pulumi providers load the graph module as a bundle (dist/graph.cjs) with its own copy of core; its errors must
 * still be the classes a caller imports from the package.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RollbarProvisioningError } from '../../constructs/core';
import { GraphError } from '../../constructs/graph';
import type * as GraphModule from '../../constructs/graph';
import { buildGraphBundle, GRAPH_BUNDLE, locateGraphBundle } from '../../constructs/bundle/graph';

type Graph = typeof GraphModule;

let bundled: Graph;

beforeAll(() => {
  // The bundle keeps its dependencies external: resolve them from this repository.
  const file = buildGraphBundle(path.join(path.resolve(__dirname, '../..'), 'dist', 'graph.cjs'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  bundled = require(file) as Graph;
});

test('an input error thrown inside the bundle is a RollbarProvisioningError of the caller', () => {
  let thrown: unknown;
  try {
    bundled.servicePrincipalObjectId('not-an-object-id');
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(RollbarProvisioningError);
  expect(thrown).not.toBeInstanceOf(GraphError);
  expect((thrown as RollbarProvisioningError).codes).toEqual(['INVALID_OBJECT_ID']);
});

test('a Graph error made by the bundle is a GraphError and a RollbarProvisioningError of the caller', () => {
  const error = new bundled.GraphError({
    message: 'm',
    code: 'GRAPH_HTTP_ERROR',
    graphCode: 'BadRequest',
    status: 400,
  });
  // The bundle's classes are its own copies: without the brands, both checks below would fail.
  expect(bundled.GraphError).not.toBe(GraphError);
  expect(error).toBeInstanceOf(GraphError);
  expect(error).toBeInstanceOf(RollbarProvisioningError);
  expect((error as RollbarProvisioningError).codes).toEqual(['GRAPH_HTTP_ERROR']);
  const retold = error.withMessage('told again');
  expect(retold).toBeInstanceOf(GraphError);
  expect(retold).toBeInstanceOf(RollbarProvisioningError);
  expect(retold).toMatchObject({ code: 'GRAPH_HTTP_ERROR', graphCode: 'BadRequest', status: 400 });
});

test('an input error of the caller is no GraphError of the bundle, and plain errors are neither kind', () => {
  expect(new RollbarProvisioningError([])).not.toBeInstanceOf(bundled.GraphError);
  expect(new Error('plain')).not.toBeInstanceOf(GraphError);
  expect(new Error('plain')).not.toBeInstanceOf(RollbarProvisioningError);
  expect(null).not.toBeInstanceOf(RollbarProvisioningError);
});

describe('the graph module in a checkout', () => {
  const REPO = path.resolve(__dirname, '..', '..');
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rollbar-graph-bundle-'));
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'rollbar-provisioning' }));
    fs.mkdirSync(path.join(root, 'constructs', 'graph'), { recursive: true });
    fs.writeFileSync(path.join(root, 'constructs/graph/index.ts'), "export { value } from './value';\n");
    fs.writeFileSync(path.join(root, 'constructs/graph/value.ts'), "export const value = 'v1';\n");
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(path.join(REPO, 'node_modules', 'esbuild'), path.join(root, 'node_modules', 'esbuild'), 'dir');
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const value = (file: string): string =>
    execFileSync(process.execPath, ['-p', `require(${JSON.stringify(file)}).value`], { encoding: 'utf8' }).trim();

  test('comes from the bundle cache to dist/graph.cjs, which is rewritten only when a bundled source changes', () => {
    const file = locateGraphBundle(root)!;
    expect(file).toBe(path.join(root, GRAPH_BUNDLE));
    expect(value(file)).toBe('v1');
    const cache = path.join(root, 'node_modules', '.cache', 'rollbar-provisioning', 'graph');
    expect(fs.readdirSync(cache).filter((f) => f !== 'manifest.json')).toHaveLength(1);
    const written = fs.statSync(file).mtimeMs;

    expect(locateGraphBundle(root)).toBe(file);
    expect(fs.statSync(file).mtimeMs).toBe(written);

    fs.writeFileSync(path.join(root, 'constructs/graph/value.ts'), "export const value = 'v2';\n");
    expect(locateGraphBundle(root)).toBe(file);
    expect(value(file)).toBe('v2');
    expect(fs.readdirSync(cache).filter((f) => f !== 'manifest.json')).toHaveLength(2);
  });
});
