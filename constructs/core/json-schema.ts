/**
 * The JSON Schema of `rollbar.yaml`, derived from {@link SPEC_DESCRIPTION}: editors (the YAML language server)
 * complete keys and flag a misspelt one or a wrong type as it is typed. The package ships it as
 * `rollbar-provisioning/rollbar.schema.json`; a test keeps the shipped file equal to this function's output.
 *
 * It carries the shape and simple patterns only: `validate` remains the check (Default Access, duplicate roles,
 * expressions and every other rule that a schema cannot say).
 */
import { SPEC_DESCRIPTION, type KeyDescription } from './description';

/** A JSON Schema (draft-07) object. */
export type JsonSchema = { readonly [keyword: string]: unknown };

/** The URI of the draft the schema follows (the YAML language server's default). */
export const JSON_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

function schemaOf(d: KeyDescription): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const { shape } = d;
  switch (shape.kind) {
    case 'string':
      out.type = 'string';
      break;
    case 'number':
      out.type = shape.integer === true ? 'integer' : 'number';
      if (shape.minimum !== undefined) out.minimum = shape.minimum;
      if (shape.maximum !== undefined) out.maximum = shape.maximum;
      break;
    case 'boolean':
      out.type = 'boolean';
      break;
    case 'enum':
      out.type = 'string';
      out.enum = [...shape.values];
      break;
    case 'object': {
      out.type = 'object';
      const keys = Object.entries(shape.keys).filter(([, child]) => child.notInFile !== true);
      out.properties = Object.fromEntries(keys.map(([k, child]) => [k, schemaOf(child)]));
      const required = keys.filter(([, child]) => child.required === true).map(([k]) => k);
      if (required.length > 0) out.required = required;
      out.additionalProperties = false;
      break;
    }
    case 'record': {
      out.type = 'object';
      if (shape.keyPattern !== undefined) out.propertyNames = { pattern: shape.keyPattern };
      const values = schemaOf(shape.values);
      out.additionalProperties = shape.nullable === true ? { anyOf: [values, { type: 'null' }] } : values;
      break;
    }
    case 'list':
      out.type = 'array';
      out.items = schemaOf(shape.items);
      break;
    case 'secret':
      break;
  }
  if (d.pattern !== undefined) out.pattern = d.pattern;
  if (d.defaultValue !== undefined) out.default = d.defaultValue;
  if (d.deprecated !== undefined) out.deprecated = true;
  const portal = d.portal === undefined ? '' : ` Portal: ${d.portal}.`;
  const fallback = d.default === undefined ? '' : ` Default: ${d.default.replace(/`/g, '')}.`;
  return { description: `${d.doc}${portal}${fallback}`, ...out };
}

/** The JSON Schema of a configuration file (the spec without `secretToken`). */
export function configJsonSchema(): JsonSchema {
  return {
    $schema: JSON_SCHEMA_DRAFT,
    title: 'rollbar-provisioning configuration (rollbar.yaml)',
    ...schemaOf(SPEC_DESCRIPTION),
  };
}

/** The schema as the shipped file holds it: two-space JSON and a final newline. */
export function configJsonSchemaText(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}
