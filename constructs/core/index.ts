/**
 * The engine-free model of Rollbar provisioning: spec types, defaults, validation, naming, role ids and
 * credential rendering. Imports no cdktf, constructs or Pulumi package.
 * @module
 */
export * from './spec';
export * from './problems';
export * from './defaults';
export * from './validate';
export * from './description';
export * from './shape';
export * from './naming';
export * from './role-id';
export * from './default-access';
export * from './secrets';
export * from './expression';
export * from './mappings';
export * from './portal';
export * from './warnings';
export * from './json-schema';
export * from './export';
export * from './imports';
export * from './config-table';
