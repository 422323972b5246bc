/**
 * A parsed expression as Graph's `attributeMappingSource` (MS-Graph synchronization-attributemappingsource.md),
 * in the shape Graph's own parseExpression returns:
 * - `Attribute`: `name` is the attribute; `Constant`: `name` is the unescaped value; `Function`: the function name.
 * - `expression` is the text as written: the whole input at the top, the node's own slice of it below.
 * - `parameters` is `[]` for attributes and constants. For a function, one `{ key, value }` per argument, keyed
 *   with the function table's parameter names; an empty argument is omitted, as Graph's example omits the
 *   empty arguments of `Replace([preferredLanguage], "-", , , "_", , )`.
 * - A comparison (`[country]="USA"` inside IIF) has no documented Graph shape; it is written as a `Function` named
 *   after its operator with `left` and `right` parameters. Graph's parseExpression has the last word on it.
 */
import type { AttributeMappingSource } from '@microsoft/microsoft-graph-types';
import { RollbarProvisioningError } from '../problems';
import type { ArgumentNode, ExpressionNode } from './ast';
import { FUNCTIONS } from './functions';
import type { ParseOptions } from './parser';
import { parseExpression } from './parser';

/**
 * Parses `text` and returns it as an `attributeMappingSource`.
 * @throws RollbarProvisioningError with the parse problems when the expression is not valid
 */
export function toMappingSource(text: string, options: ParseOptions = {}): AttributeMappingSource {
  const parsed = parseExpression(text, options);
  if (!parsed.ok) throw new RollbarProvisioningError(parsed.problems, 'Invalid attribute-mapping expression');
  return treeToMappingSource(parsed.tree, text, true);
}

/**
 * The `attributeMappingSource` of an already parsed tree; `text` is the text it was parsed from.
 * `wholeText` makes the top-level `expression` the whole text (surrounding spaces included) rather than the
 * node's slice.
 */
export function treeToMappingSource(node: ExpressionNode, text: string, wholeText = false): AttributeMappingSource {
  const expression = wholeText ? text : text.slice(node.span.start, node.span.end);
  switch (node.kind) {
    case 'attribute':
      return { type: 'Attribute', name: node.name, expression, parameters: [] };
    case 'string':
      return { type: 'Constant', name: node.value, expression, parameters: [] };
    case 'literal':
      return { type: 'Constant', name: node.text, expression, parameters: [] };
    case 'empty':
      return { type: 'Constant', name: '', expression, parameters: [] };
    case 'comparison':
      return {
        type: 'Function',
        name: node.operator,
        expression,
        parameters: [
          { key: 'left', value: treeToMappingSource(node.left, text) },
          { key: 'right', value: treeToMappingSource(node.right, text) },
        ],
      };
    case 'function': {
      const definition = FUNCTIONS.get(node.name);
      const count = node.args.length;
      const parameters = node.args.flatMap((arg: ArgumentNode, i) =>
        arg.kind === 'empty'
          ? []
          : [{ key: definition?.parameter(i, count).name ?? `arg${i + 1}`, value: treeToMappingSource(arg, text) }],
      );
      return { type: 'Function', name: node.name, expression, parameters };
    }
  }
}
