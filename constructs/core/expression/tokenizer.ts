/**
 * Splits an expression into tokens. Hand-written so that every error knows its column.
 *
 * String constants: the documentation asks for `\"` and `\\` inside quotes. A backslash before any other
 * character is kept as written (its regex examples contain `\d` written both as `\\d` and, in places, `\d`),
 * so a pattern is never silently changed.
 */
import type { ComparisonOperator } from './ast';

/** One token; `start`/`end` are 0-based offsets, `end` exclusive. */
export type Token =
  | { readonly kind: 'attribute'; readonly name: string; readonly start: number; readonly end: number }
  | { readonly kind: 'string'; readonly value: string; readonly start: number; readonly end: number }
  | { readonly kind: 'literal'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'identifier'; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'operator'; readonly operator: ComparisonOperator; readonly start: number; readonly end: number }
  | { readonly kind: '(' | ')' | ',' | 'end'; readonly start: number; readonly end: number };

/**
 * A syntax error at a 0-based offset; `reason` completes "The expression … (column N)". Internal: the parser
 * catches it and returns an `INVALID_EXPRESSION` problem, so it never leaves this module.
 */
export class SyntaxFailure extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'SyntaxFailure';
  }
}

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?[0-9]+(?:\.[0-9]+)?/y;
const HEX = /&[Hh][0-9A-Fa-f]+/y;
const WHITESPACE = /\s/;

function match(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** The tokens of `text`, ending with one `end` token. Throws {@link SyntaxFailure}. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (WHITESPACE.test(c)) {
      i++;
    } else if (c === '[') {
      tokens.push(readAttribute(text, i));
      i = tokens[tokens.length - 1]!.end;
    } else if (c === '"') {
      tokens.push(readString(text, i));
      i = tokens[tokens.length - 1]!.end;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, start: i, end: i + 1 });
      i++;
    } else if (c === ']') {
      throw new SyntaxFailure(i, "has a ']' without its '[': write an attribute as [name]");
    } else if (c === '=' || c === '<' || c === '>') {
      const two = text.slice(i, i + 2);
      const operator: ComparisonOperator = two === '<>' || two === '<=' || two === '>=' ? two : c;
      tokens.push({ kind: 'operator', operator, start: i, end: i + operator.length });
      i += operator.length;
    } else if (c === '!' && text.charAt(i + 1) === '=') {
      throw new SyntaxFailure(i, "uses '!=': write not-equal as '<>'");
    } else {
      const literal = match(NUMBER, text, i) ?? match(HEX, text, i);
      const identifier = literal === undefined ? match(IDENTIFIER, text, i) : undefined;
      if (literal !== undefined) tokens.push({ kind: 'literal', text: literal, start: i, end: i + literal.length });
      else if (identifier !== undefined)
        tokens.push({ kind: 'identifier', text: identifier, start: i, end: i + identifier.length });
      else throw new SyntaxFailure(i, `has an unexpected '${c}': quote constants, as in "${c}"`);
      i = tokens[tokens.length - 1]!.end;
    }
  }
  tokens.push({ kind: 'end', start: text.length, end: text.length });
  return tokens;
}

function readAttribute(text: string, start: number): Token {
  let i = start + 1;
  while (i < text.length && text.charAt(i) !== ']') {
    const c = text.charAt(i);
    if (c === '[' || c === '\n' || c === '\r') break;
    i++;
  }
  if (text.charAt(i) !== ']') throw new SyntaxFailure(start, "has a '[' that is never closed: add ']'");
  const name = text.slice(start + 1, i);
  if (name.trim() === '')
    throw new SyntaxFailure(start, 'has an empty attribute name []: name an attribute, as in [mail]');
  return { kind: 'attribute', name, start, end: i + 1 };
}

function readString(text: string, start: number): Token {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === '"') return { kind: 'string', value, start, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const next = text.charAt(i + 1);
      value += next === '"' || next === '\\' ? next : c + next;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  throw new SyntaxFailure(start, "has a '\"' that is never closed: add '\"' (write a quote inside a constant as \\\")");
}
