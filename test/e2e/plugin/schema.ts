/**
 * The stand-ins' own description of a schema (a block of attributes and nested blocks), what Terraform is told
 * in GetProviderSchema, and the cty object type it implies (hashicorp/terraform
 * `docs/plugin-protocol/object-wire-format.md`: an attribute is its type; a nested block in mode SINGLE or GROUP
 * is an object, LIST a list of objects, SET a set of objects, MAP a map of objects).
 */
import type { CtyType } from './cty';
import type { Message } from './protobuf';

export interface AttributeSchema {
  readonly type: CtyType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** A change replaces the resource (the provider's `ForceNew`). */
  readonly forceNew?: boolean;
  readonly description?: string;
}

export type Nesting = 'single' | 'list' | 'set' | 'map' | 'group';

export interface BlockSchema {
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
  readonly blocks?: Readonly<Record<string, NestedBlockSchema>>;
}

export interface NestedBlockSchema {
  readonly nesting: Nesting;
  readonly block: BlockSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface ResourceSchema {
  readonly version?: number;
  readonly block: BlockSchema;
}

const NESTING_CODES: Record<Nesting, number> = { single: 1, list: 2, set: 3, map: 4, group: 5 };

function blockMessage(block: BlockSchema): Message {
  return {
    version: 0,
    attributes: Object.entries(block.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description ?? '',
        required: a.required === true,
        optional: a.optional === true,
        computed: a.computed === true,
        sensitive: a.sensitive === true,
      })),
    block_types: Object.entries(block.blocks ?? {}).map(([name, b]) => ({
      type_name: name,
      block: blockMessage(b.block),
      nesting: NESTING_CODES[b.nesting],
      min_items: b.minItems ?? 0,
      max_items: b.maxItems ?? 0,
    })),
  };
}

/** The protocol's `Schema` message for a resource, data source or provider. */
export function schemaMessage(schema: ResourceSchema): Message {
  return { version: schema.version ?? 0, block: blockMessage(schema.block) };
}

/** The cty object type of a block's values. */
export function impliedType(block: BlockSchema): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, a] of Object.entries(block.attributes)) attrs[name] = a.type;
  for (const [name, b] of Object.entries(block.blocks ?? {})) {
    const obj = impliedType(b.block);
    attrs[name] =
      b.nesting === 'single' || b.nesting === 'group'
        ? obj
        : [b.nesting === 'list' ? 'list' : b.nesting === 'set' ? 'set' : 'map', obj];
  }
  return ['object', attrs];
}
