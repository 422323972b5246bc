/** Entra attribute-mapping expressions: parser, printer, function table and Graph `attributeMappingSource`. */
export * from './ast';
export * from './functions';
export * from './parser';
export * from './printer';
export * from './mapping-source';
