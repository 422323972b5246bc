/**
 * The parse tree of an Entra attribute-mapping expression.
 *
 * Every node carries its `span` (0-based offsets into the text, end exclusive) so that errors point at a column
 * and each nested `attributeMappingSource` can keep its own sub-expression text verbatim. Two trees are the same
 * expression when they are equal after {@link stripSpans}.
 */

/** Where a node sits in the expression text: 0-based offsets, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** `[name]`: a source attribute. */
export interface AttributeNode {
  readonly kind: 'attribute';
  readonly name: string;
  readonly span: Span;
}

/** `"text"`: a string constant, `value` unescaped. */
export interface StringNode {
  readonly kind: 'string';
  readonly value: string;
  readonly span: Span;
}

/**
 * An unquoted constant the documentation uses: a number (`Mid([x], 1, 3)`, `DateAdd("d", -10, …)`), a hex number
 * (`BitAnd(&HF, &HF7)`) or a documented keyword (`InStr(…, vbBinaryCompare)`). Kept as written.
 */
export interface LiteralNode {
  readonly kind: 'literal';
  readonly text: string;
  readonly span: Span;
}

/** An argument left out on purpose: `Switch([x], , "a", "b")`. Only ever a function argument. */
export interface EmptyNode {
  readonly kind: 'empty';
  readonly span: Span;
}

/** `Name(arg, …)`. */
export interface FunctionNode {
  readonly kind: 'function';
  readonly name: string;
  readonly args: readonly ArgumentNode[];
  readonly span: Span;
  /** Where the name is, for errors about the function itself. */
  readonly nameSpan: Span;
}

/** Comparison operators the documentation allows in an `IIF` condition (and shows in `CBool`). */
export const COMPARISON_OPERATORS = ['=', '<>', '>', '>=', '<', '<='] as const;
/** One of {@link COMPARISON_OPERATORS}. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** `left op right`, as in `IIF([country]="USA", …)`. Only ever a function argument. */
export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly operator: ComparisonOperator;
  readonly left: ValueNode;
  readonly right: ValueNode;
  readonly span: Span;
}

/** A node that produces a value. */
export type ValueNode = AttributeNode | StringNode | LiteralNode | FunctionNode;
/** What a function argument may be. */
export type ArgumentNode = ValueNode | ComparisonNode | EmptyNode;
/** Any node of the tree. */
export type ExpressionNode = ArgumentNode;

/** A node without positions: what two texts of the same expression share. */
export type SpanlessNode =
  | { readonly kind: 'attribute'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'empty' }
  | { readonly kind: 'function'; readonly name: string; readonly args: readonly SpanlessNode[] }
  | {
      readonly kind: 'comparison';
      readonly operator: ComparisonOperator;
      readonly left: SpanlessNode;
      readonly right: SpanlessNode;
    };

/** The tree without positions, for comparing two expressions by meaning rather than by spelling. */
export function stripSpans(node: ExpressionNode): SpanlessNode {
  switch (node.kind) {
    case 'attribute':
      return { kind: 'attribute', name: node.name };
    case 'string':
      return { kind: 'string', value: node.value };
    case 'literal':
      return { kind: 'literal', text: node.text };
    case 'empty':
      return { kind: 'empty' };
    case 'comparison':
      return {
        kind: 'comparison',
        operator: node.operator,
        left: stripSpans(node.left),
        right: stripSpans(node.right),
      };
    case 'function':
      return { kind: 'function', name: node.name, args: node.args.map(stripSpans) };
  }
}

/** Calls `visit` on the node and every node below it, depth first, in text order. */
export function walkExpression(
  node: ExpressionNode,
  visit: (node: ExpressionNode, depth: number) => void,
  depth = 0,
): void {
  visit(node, depth);
  if (node.kind === 'function') for (const arg of node.args) walkExpression(arg, visit, depth + 1);
  else if (node.kind === 'comparison') {
    walkExpression(node.left, visit, depth + 1);
    walkExpression(node.right, visit, depth + 1);
  }
}

/** A source attribute named in an expression, with its 1-based column. */
export interface AttributeReference {
  readonly name: string;
  readonly column: number;
}

/** Every `[attribute]` of the tree, in text order (repeats included). */
export function attributeReferences(node: ExpressionNode): AttributeReference[] {
  const out: AttributeReference[] = [];
  walkExpression(node, (n) => {
    if (n.kind === 'attribute') out.push({ name: n.name, column: n.span.start + 1 });
  });
  return out;
}
