/**
 * Recursive-descent parser for Entra attribute-mapping expressions, checked against the documented function
 * table. Grammar (whitespace anywhere between tokens):
 *
 *   expression := value END
 *   value      := [attribute] | "string" | literal | Name '(' args ')'
 *   args       := ε | arg (',' arg)*
 *   arg        := ε | value (comparison value)?       (ε: an empty argument, as in `Switch([x], , "a", "b")`)
 *
 * A syntax error stops the parse (one problem, with its column); unknown functions and wrong argument counts
 * are then collected over the whole tree.
 */
import type { Problem } from '../problems';
import { problem } from '../problems';
import { closestMatch } from '../suggest';
import type { ArgumentNode, ComparisonNode, ExpressionNode, FunctionNode, ValueNode } from './ast';
import { walkExpression } from './ast';
import type { FunctionDefinition } from './functions';
import { FUNCTIONS, KEYWORDS, describeArity } from './functions';
import type { Token } from './tokenizer';
import { SyntaxFailure, tokenize } from './tokenizer';

/** The documentation's limit for one expression. */
export const MAX_EXPRESSION_LENGTH = 10_000;

// Not a documented limit: it keeps the recursive parser, printer and walkers far from the stack's end.
const MAX_DEPTH = 200;

/** The outcome of {@link parseExpression}. */
export type ParseResult =
  { readonly ok: true; readonly tree: ExpressionNode } | { readonly ok: false; readonly problems: readonly Problem[] };

/** Options of {@link parseExpression}. */
export interface ParseOptions {
  /**
   * Path reported in problems, such as `mappings.users.attributes.userName.source`.
   * @default 'expression'
   */
  readonly path?: string;
}

const RULE = 'be a valid Entra attribute-mapping expression';

/**
 * Parses an expression such as `Switch([IsSoftDeleted], , "False", "True", "True", "False")` offline.
 * Problems carry codes `INVALID_EXPRESSION`, `UNKNOWN_FUNCTION` or `WRONG_ARITY` and a 1-based `column`
 * (counted from the start of the text; a line break counts as one character).
 */
export function parseExpression(text: string, options: ParseOptions = {}): ParseResult {
  const path = options.path ?? 'expression';
  const syntaxProblem = (offset: number, reason: string): ParseResult => ({
    ok: false,
    problems: [
      problem('INVALID_EXPRESSION', path, RULE, text, `The expression ${reason} (column ${offset + 1}).`, {
        column: offset + 1,
      }),
    ],
  });
  if (text.length > MAX_EXPRESSION_LENGTH) {
    return syntaxProblem(MAX_EXPRESSION_LENGTH, `is longer than ${MAX_EXPRESSION_LENGTH} characters, Entra's limit`);
  }
  if (text.trim() === '') {
    return syntaxProblem(0, 'is empty: write an attribute ([mail]), a constant ("text") or a function call');
  }
  let tree: ValueNode;
  try {
    tree = new Parser(tokenize(text)).expression();
  } catch (e) {
    if (e instanceof SyntaxFailure) return syntaxProblem(e.offset, e.reason);
    throw e;
  }
  const problems = checkFunctions(tree, text, path);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tree };
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): ValueNode {
    const first = this.peek();
    const tree = this.value(0);
    const next = this.peek();
    if (next.kind === 'operator') {
      throw new SyntaxFailure(
        next.start,
        `compares at the top level ('${next.operator}'): a comparison belongs inside a function, as in IIF(${this.describe(first)}${next.operator}…, "yes", "no")`,
      );
    }
    if (next.kind === ')') throw new SyntaxFailure(next.start, "has a ')' without its '('");
    if (next.kind !== 'end') {
      throw new SyntaxFailure(
        next.start,
        `continues after its end with ${this.describe(next)}: join values with a function such as Join`,
      );
    }
    return tree;
  }

  private value(depth: number): ValueNode {
    const token = this.next();
    switch (token.kind) {
      case 'attribute':
        return { kind: 'attribute', name: token.name, span: { start: token.start, end: token.end } };
      case 'string':
        return { kind: 'string', value: token.value, span: { start: token.start, end: token.end } };
      case 'literal':
        return { kind: 'literal', text: token.text, span: { start: token.start, end: token.end } };
      case 'identifier':
        return this.call(token, depth);
      case 'end':
        throw new SyntaxFailure(token.start, 'ends where a value was expected');
      default:
        throw new SyntaxFailure(token.start, `has ${this.describe(token)} where a value was expected`);
    }
  }

  private call(name: Extract<Token, { kind: 'identifier' }>, depth: number): ValueNode {
    const span = { start: name.start, end: name.end };
    if (this.peek().kind !== '(') {
      if (KEYWORDS.has(name.text)) return { kind: 'literal', text: name.text, span };
      throw new SyntaxFailure(
        name.start,
        `has a bare word '${name.text}': write an attribute as [${name.text}], a constant as "${name.text}", or call ${name.text}(…)`,
      );
    }
    if (depth >= MAX_DEPTH) throw new SyntaxFailure(name.start, `nests functions more than ${MAX_DEPTH} deep`);
    const open = this.next();
    const args: ArgumentNode[] = [];
    if (this.peek().kind === ')') {
      const close = this.next();
      return { kind: 'function', name: name.text, args, span: { start: name.start, end: close.end }, nameSpan: span };
    }
    for (;;) {
      args.push(this.argument(depth + 1));
      const token = this.next();
      if (token.kind === ')') {
        return { kind: 'function', name: name.text, args, span: { start: name.start, end: token.end }, nameSpan: span };
      }
      if (token.kind === 'end') throw new SyntaxFailure(open.start, `has a '(' that is never closed: add ')'`);
      if (token.kind !== ',') {
        throw new SyntaxFailure(
          token.start,
          `has ${this.describe(token)} where ',' or ')' was expected in ${name.text}(…)`,
        );
      }
    }
  }

  private argument(depth: number): ArgumentNode {
    const next = this.peek();
    if (next.kind === ',' || next.kind === ')' || next.kind === 'end') {
      // An empty argument occupies the space between the previous separator and this one.
      return { kind: 'empty', span: { start: next.start, end: next.start } };
    }
    const left = this.value(depth);
    const op = this.peek();
    if (op.kind !== 'operator') return left;
    this.next();
    const right = this.value(depth);
    const after = this.peek();
    if (after.kind === 'operator') {
      throw new SyntaxFailure(
        after.start,
        `chains comparisons ('${op.operator}' then '${after.operator}'): nest IIF instead`,
      );
    }
    const comparison: ComparisonNode = {
      kind: 'comparison',
      operator: op.operator,
      left,
      right,
      span: { start: left.span.start, end: right.span.end },
    };
    return comparison;
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private describe(token: Token): string {
    switch (token.kind) {
      case 'attribute':
        return `[${token.name}]`;
      case 'string':
        return 'a string constant';
      case 'literal':
        return `'${token.text}'`;
      case 'identifier':
        return `'${token.text}'`;
      case 'operator':
        return `'${token.operator}'`;
      case 'end':
        return 'the end';
      default:
        return `'${token.kind}'`;
    }
  }
}

function checkFunctions(tree: ExpressionNode, text: string, path: string): Problem[] {
  const problems: Problem[] = [];
  walkExpression(tree, (node, depth) => {
    if (node.kind !== 'function') return;
    const column = node.nameSpan.start + 1;
    const definition = FUNCTIONS.get(node.name);
    if (definition === undefined) {
      const near = closestMatch(node.name, FUNCTIONS.keys());
      const hint =
        near === undefined
          ? 'See the Entra expression reference for the list of functions.'
          : `Function names are case-sensitive: did you mean '${near}'?`;
      problems.push(
        problem('UNKNOWN_FUNCTION', path, 'call a documented function', node.name, `${hint} (column ${column})`, {
          column,
        }),
      );
      return;
    }
    const arity = arityProblem(definition, node);
    if (arity !== undefined) {
      problems.push(
        problem(
          'WRONG_ARITY',
          path,
          `call ${definition.name} with ${describeArity(definition)}`,
          text.slice(node.span.start, node.span.end),
          `${arity} Signature: ${definition.signature} (column ${column}).`,
          { column },
        ),
      );
    }
    if (definition.topLevelOnly && depth > 0) {
      problems.push(
        problem(
          'INVALID_EXPRESSION',
          path,
          `use ${definition.name} only as the whole expression`,
          text,
          `Entra does not allow ${definition.name} nested in another function (column ${column}).`,
          { column },
        ),
      );
    }
  });
  return problems;
}

function arityProblem(f: FunctionDefinition, node: FunctionNode): string | undefined {
  const count = node.args.length;
  if (count < f.minArgs) return `It has ${count}; leave an optional argument empty (", ,") rather than dropping it.`;
  if (count > f.maxArgs) return `It has ${count}.`;
  if (f.evenArgs && count % 2 !== 0) return `It has ${count}: keys and values must come in pairs.`;
  const missing = node.args.findIndex((arg, i) => arg.kind === 'empty' && f.parameter(i, count).required);
  if (missing >= 0) return `Argument ${missing + 1} (${f.parameter(missing, count).name}) is required but empty.`;
  return undefined;
}
