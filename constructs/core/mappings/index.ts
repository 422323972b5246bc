/** Mapping patches: offline validation, scoping operators, the schema merge, its digest and its inverse. */
export * from './validate-patch';
export * from './scoping';
export * from './merge-schema';
export * from './schema-digest';
export * from './schema-to-patch';
export * from './mapping-drift';
export * from './schema-drift';
