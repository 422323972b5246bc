/**
 * Canonical text of a parse tree: `Name(a, b)`, one space after each comma, an empty argument as nothing
 * (`Switch([x], , "a", "b")`), comparisons spaced (`[a] = "b"`), string constants with `\` and `"` escaped.
 * `parseExpression(printExpression(t))` gives `t` back (positions aside).
 */
import type { ExpressionNode } from './ast';

/** Quotes a string constant, escaping the two characters the documentation names. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The canonical text of `node`. */
export function printExpression(node: ExpressionNode): string {
  switch (node.kind) {
    case 'attribute':
      return `[${node.name}]`;
    case 'string':
      return quoteString(node.value);
    case 'literal':
      return node.text;
    case 'empty':
      return '';
    case 'comparison':
      return `${printExpression(node.left)} ${node.operator} ${printExpression(node.right)}`;
    case 'function':
      return `${node.name}(${node.args.map(printExpression).join(', ')})`;
  }
}
