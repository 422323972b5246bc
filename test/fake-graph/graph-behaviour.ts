/**
 * The parts of the fake Graph that model where the real service differs from what this project's client assumes.
 * Each one is a switch of {@link GraphBehaviour}, listed with its source in the table at the top of server.ts.
 * Nothing here uses this project's own code (its parser, its tree builder, its digest): the fake must be able to
 * disagree with the client.
 */
import { randomUUID } from 'node:crypto';
import type {
  AttributeMappingSource,
  ObjectMapping,
  SynchronizationSchema,
  SynchronizationSecretKeyStringValuePair,
} from '@microsoft/microsoft-graph-types';

/** The switches. {@link DEFAULT_BEHAVIOUR} holds the defaults; `FakeGraph.reset()` restores them. */
export interface GraphBehaviour {
  /**
   * A job's schema: `own` gives it its own schema `id`, `version`, directory `id`s and `discoveryDateTime` on
   * creation and a new `version` on every write (both are entities with ids in the metadata); `template` copies
   * the template's schema verbatim (the fake's old behaviour).
   */
  jobSchemaIdentity: 'own' | 'template';
  /**
   * What a schema PUT keeps of the identity fields it carried: `put` stores them as sent, `job` keeps the job's
   * own ids whatever was sent. Unknown: both variants tested.
   */
  schemaPutIdentity: 'put' | 'job';
  /**
   * `graph`: a stored object mapping's `scope` has all three filter lists (`groups`, `inputFilterGroups`,
   * `categoryFilterGroups`), missing ones as `[]`, as the filter resource's example shows; `asPut`: stored as sent.
   */
  filterLists: 'graph' | 'asPut';
  /**
   * parseExpression's tree: `graph` parses the expression with the fake's own parser and keys each function's
   * parameters with the names Graph's `schema/functions` lists (`source`, `switchValue`…); `shallow`: a function
   * node with no parameters (the fake's old behaviour).
   */
  parseTree: 'graph' | 'shallow';
  /**
   * How parseExpression reports an expression it cannot parse: `200` with `parsingSucceeded: false`, or `400`
   * with a Graph error body. Unknown: both variants tested.
   */
  parseFailureStatus: 200 | 400;
  /**
   * What a secrets PUT does to the saved set: `replace` stores exactly what was sent; `mergeByKey` updates the
   * keys sent, keeps the others, and removes a key sent with an empty value. Unknown: both variants tested.
   */
  secrets: 'replace' | 'mergeByKey';
}

/** The defaults: the real service where a source settles it, the old fake where tests rely on it. */
export const DEFAULT_BEHAVIOUR: Readonly<GraphBehaviour> = {
  jobSchemaIdentity: 'own',
  schemaPutIdentity: 'put',
  filterLists: 'graph',
  parseTree: 'graph',
  parseFailureStatus: 200,
  secrets: 'replace',
};

/** How a service principal that replicates answers its first synchronization calls. */
export interface ReplicationLag {
  /**
   * `notFound`: 404 on every synchronization path; `emptyTemplates`: the template list is empty (other paths 404);
   * `forbidden`: 403; `conflict`: 409.
   */
  readonly answer: 'notFound' | 'emptyTemplates' | 'forbidden' | 'conflict';
  /** How many synchronization calls answer so; `Infinity` for a service principal that never appears. */
  readonly calls: number;
}

/** A job's own copy of a template schema: new ids and discovery times, the filter lists Graph returns. */
export function jobSchemaFrom(template: SynchronizationSchema, behaviour: GraphBehaviour): SynchronizationSchema {
  const schema = structuredClone(template);
  if (behaviour.jobSchemaIdentity === 'own') {
    schema.id = `job-schema-${randomUUID()}`;
    schema.version = `job-schema-version-${randomUUID()}`;
    for (const directory of schema.directories ?? []) {
      directory.id = randomUUID();
      directory.discoveryDateTime = '2025-06-01T08:30:00Z';
      directory.version = `job-directory-version-${randomUUID()}`;
    }
  }
  return behaviour.filterLists === 'graph' ? withGraphFilterLists(schema) : schema;
}

/** The schema as the fake stores a PUT of `put` on a job whose schema is `current`. */
export function storedSchema(
  put: SynchronizationSchema,
  current: SynchronizationSchema,
  behaviour: GraphBehaviour,
): SynchronizationSchema {
  const schema = structuredClone(put);
  if (behaviour.schemaPutIdentity === 'job') {
    if (current.id !== undefined) schema.id = current.id;
    for (const directory of schema.directories ?? []) {
      const own = current.directories?.find((d) => d.name === directory.name);
      if (own === undefined) continue;
      if (own.id !== undefined) directory.id = own.id;
      if (own.discoveryDateTime !== undefined) directory.discoveryDateTime = own.discoveryDateTime;
    }
  }
  schema.version = `fake-${randomUUID()}`;
  return behaviour.filterLists === 'graph' ? withGraphFilterLists(schema) : schema;
}

// MS-Graph api-reference/beta/resources/synchronization_scopingFilter.md: the example filter carries
// `"inputFilterGroups": []` and `"categoryFilterGroups": []` beside `groups`.
function withGraphFilterLists(schema: SynchronizationSchema): SynchronizationSchema {
  for (const rule of schema.synchronizationRules ?? []) {
    for (const mapping of rule.objectMappings ?? []) fillScope(mapping);
  }
  return schema;
}

function fillScope(mapping: ObjectMapping): void {
  if (mapping.scope == null) return;
  mapping.scope = {
    ...mapping.scope,
    groups: mapping.scope.groups ?? [],
    inputFilterGroups: mapping.scope.inputFilterGroups ?? [],
    categoryFilterGroups: mapping.scope.categoryFilterGroups ?? [],
  };
}

/** The saved secret set after a PUT of `put`. */
export function savedSecrets(
  saved: readonly SynchronizationSecretKeyStringValuePair[] | undefined,
  put: readonly SynchronizationSecretKeyStringValuePair[],
  behaviour: GraphBehaviour,
): SynchronizationSecretKeyStringValuePair[] {
  if (behaviour.secrets === 'replace') return structuredClone([...put]);
  // The azuread provider deletes secrets by saving the same keys with empty values, then waits until those keys
  // are gone from the list (hashicorp/terraform-provider-azuread:
  // internal/services/synchronization/synchronization_secret_resource.go, synchronizationSecretResourceDelete
  // and allCredentialsRemoved): a save by key, where an empty value removes the key.
  const out = structuredClone([...(saved ?? [])]);
  for (const { key, value } of put) {
    const i = out.findIndex((s) => s.key === key);
    if (value === '' || value === null || value === undefined) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = { key, value };
    else out.push({ key, value });
  }
  return out;
}

/**
 * Parameter names of the functions Graph lists in `GET .../schema/functions` (MS-Graph
 * api-reference/v1.0/api/synchronization-synchronizationschema-functions.md, full example response): a
 * parameter with `allowMultipleOccurrences` repeats its name. Functions the example does not list take `source`
 * for every argument: what Graph answers for them is not documented.
 */
const GRAPH_PARAMETERS: Readonly<Record<string, { readonly names: readonly string[]; readonly repeats?: string }>> = {
  Append: { names: ['source', 'suffix'] },
  AppRoleAssignments: { names: ['source'] },
  FormatDateTime: { names: ['source', 'inputFormat', 'outputFormat'] },
  IsNothing: { names: ['source'] },
  Join: { names: ['separator'], repeats: 'source' },
  Prepend: { names: ['prefix', 'source'] },
  Mid: { names: ['source', 'start', 'length'] },
  Not: { names: ['source'] },
  Replace: {
    names: [
      'source',
      'Find',
      'RegularExpression',
      'RegularExpressionGroupName',
      'Replacement',
      'ReplacementPropertyName',
      'Template',
    ],
  },
  SingleAppRoleAssignment: { names: ['source'] },
  Split: { names: ['source', 'delimiter'] },
  StripSpaces: { names: ['source'] },
  Switch: { names: ['source', 'defaultValue'], repeats: 'switchValue' },
};

function parameterName(fn: string, index: number): string {
  const known = GRAPH_PARAMETERS[fn];
  if (known === undefined) return 'source';
  return known.names[index] ?? known.repeats ?? `parameter${index + 1}`;
}

// How a node is written inside its parent's expression, where it differs from its own `expression`.
const PRINTED = new WeakMap<AttributeMappingSource, string>();

/** The fake's parser failed: the message Graph would give. */
export class FakeParseError extends Error {}

/**
 * Graph's `parsedExpression` for `text`, in the shape of Graph's parseExpression example (MS-Graph
 * api-reference/v1.0/api/synchronization-synchronizationschema-parseexpression.md): attributes and constants with
 * `parameters: []`, a constant's `expression` quoted, empty arguments left out, and the top-level `expression`
 * normalized (Graph's example answers `…, , )` for an input `…, ,  )`). Comparisons (`[a] = "b"` inside IIF) are
 * not modelled: Graph's shape for them is not documented, so the fake rejects them rather than invent one.
 * @throws FakeParseError for text the fake cannot parse
 */
export function graphParsedExpression(text: string): AttributeMappingSource {
  const p = new FakeParser(text);
  const node = p.expression();
  p.skipSpaces();
  if (!p.atEnd()) throw new FakeParseError(`Unexpected '${p.rest()}' at position ${p.position + 1}.`);
  return node;
}

class FakeParser {
  position = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.position >= this.text.length;
  }
  rest(): string {
    return this.text.slice(this.position);
  }
  skipSpaces(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.position]!)) this.position++;
  }

  expression(): AttributeMappingSource {
    this.skipSpaces();
    const c = this.text[this.position];
    if (c === '[') {
      const end = this.text.indexOf(']', this.position);
      if (end < 0) throw new FakeParseError("Missing ']'.");
      const name = this.text.slice(this.position + 1, end);
      this.position = end + 1;
      return { expression: `[${name}]`, name, parameters: [], type: 'Attribute' };
    }
    if (c === '"') {
      let value = '';
      for (this.position++; ; this.position++) {
        if (this.atEnd()) throw new FakeParseError('Unterminated string constant.');
        const d = this.text[this.position]!;
        if (d === '\\') {
          value += this.text[++this.position] ?? '';
          continue;
        }
        if (d === '"') break;
        value += d;
      }
      this.position++;
      return { expression: JSON.stringify(value), name: value, parameters: [], type: 'Constant' };
    }
    const number = /^-?\d+(\.\d+)?/.exec(this.rest())?.[0];
    if (number !== undefined) {
      // Graph's example stores `Mid([userPrincipalName], 1, 8)`'s 1 as a constant whose expression is "\"1\""
      // (MS-Graph api-reference/v1.0/resources/synchronization-objectmapping.md).
      this.position += number.length;
      const node: AttributeMappingSource = {
        expression: JSON.stringify(number),
        name: number,
        parameters: [],
        type: 'Constant',
      };
      PRINTED.set(node, number);
      return node;
    }
    const name = /^[A-Za-z][A-Za-z0-9]*/.exec(this.rest())?.[0];
    if (name === undefined) throw new FakeParseError(`Unexpected '${this.rest()}' at position ${this.position + 1}.`);
    this.position += name.length;
    this.skipSpaces();
    if (this.text[this.position] !== '(') {
      return { expression: name, name, parameters: [], type: 'Constant' };
    }
    this.position++;
    const args: (AttributeMappingSource | undefined)[] = [];
    for (;;) {
      this.skipSpaces();
      const d = this.text[this.position];
      if (d === ')' && args.length === 0) {
        this.position++;
        break;
      }
      args.push(d === ',' || d === ')' ? undefined : this.expression());
      this.skipSpaces();
      const sep = this.text[this.position];
      if (sep === ',') {
        this.position++;
        this.skipSpaces();
        if (this.text[this.position] === ')') {
          args.push(undefined);
          this.position++;
          break;
        }
        continue;
      }
      if (sep === ')') {
        this.position++;
        break;
      }
      if (sep === '=' || sep === '<' || sep === '>' || sep === '!') {
        throw new FakeParseError('The fake Graph does not model comparisons (their tree is not documented).');
      }
      throw new FakeParseError(this.atEnd() ? "Missing ')'." : `Unexpected '${sep}' at position ${this.position + 1}.`);
    }
    const parameters = args.flatMap((value, i) =>
      value === undefined ? [] : [{ key: parameterName(name, i), value }],
    );
    const printed = args.map((a) => (a === undefined ? '' : (PRINTED.get(a) ?? a.expression ?? ''))).join(', ');
    return { expression: `${name}(${printed})`, name, parameters, type: 'Function' };
  }
}
