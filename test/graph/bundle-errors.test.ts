/**
 * The Pulumi providers load the graph module as a bundle (dist/graph.cjs) with its own copy of core; its errors must
 * still be the classes a caller imports from the package.
 */
import * as path from 'node:path';
import { RollbarProvisioningError } from '../../constructs/core';
import { GraphError } from '../../constructs/graph';
import type * as GraphModule from '../../constructs/graph';
import { buildGraphBundle } from '../../constructs/pulumi/graph-bundle';

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

test('a Graph error made by the bundle is a GraphError of the caller, and plain errors are neither', () => {
  const error = new bundled.GraphError({ message: 'm', code: 'BadRequest', status: 400 });
  expect(error).toBeInstanceOf(GraphError);
  expect(error).not.toBeInstanceOf(RollbarProvisioningError);
  expect(new Error('plain')).not.toBeInstanceOf(GraphError);
  expect(new Error('plain')).not.toBeInstanceOf(RollbarProvisioningError);
  expect(null).not.toBeInstanceOf(RollbarProvisioningError);
});
