/** Mapping patches: offline validation, scoping operators, the schema merge and its digest. */
export * from './validate-patch';
export * from './scoping';
export * from './merge-schema';
export * from './schema-digest';
