/**
 * Property-based tests (fast-check) of the expression parser and the schema merge: whatever the input, the parser
 * answers with the project's problems and never throws; any valid tree prints to text that parses back to the
 * same tree. A failure prints fast-check's seed and path; set FC_SEED to replay it.
 */
import fc from 'fast-check';
import type { AttributeMappingSource, SynchronizationSchema } from '@microsoft/microsoft-graph-types';
import {
  PROBLEM_CODES,
  RollbarProvisioningError,
  mergeSchema,
  parseExpression,
  printExpression,
  type ArgumentNode,
  type AttributeMappingSpec,
  type ExpressionNode,
  type MappingsSpec,
  type ProblemCode,
  type ValueNode,
} from '../../constructs/core';
import { COMPARISON_OPERATORS, stripSpans } from '../../constructs/core/expression/ast';
import { FUNCTIONS, KEYWORDS, type FunctionDefinition } from '../../constructs/core/expression/functions';
import { toMappingSource } from '../../constructs/core/expression/mapping-source';
import { MAX_EXPRESSION_LENGTH } from '../../constructs/core/expression/parser';
import { schemaDigest } from '../../constructs/core/mappings/schema-digest';
import { rollbarFilterOperators, rollbarTemplateSchema } from '../fixtures/rollbar-schema';

const RUNS = 1_000;
// The merge clones and digests a whole schema per case: fewer cases keep the file within seconds.
const MERGE_RUNS = 150;
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const params = (numRuns = RUNS): { numRuns: number; seed?: number } => ({ numRuns, ...seed });

/** The codes the parser may answer with: project codes (the type checks it). */
const PARSER_CODES: ReadonlySet<string> = new Set<ProblemCode>([
  'INVALID_EXPRESSION',
  'UNKNOWN_FUNCTION',
  'WRONG_ARITY',
]);

// ---------------------------------------------------------------------------------------------------------------
// Generators of valid trees. Positions do not matter to the printer; every node gets the same dummy span.
const SPAN = { start: 0, end: 0 } as const;

/** Characters that matter to the tokenizer, plus a few ordinary and non-ASCII ones. */
const TRICKY = [
  '"',
  '\\',
  '(',
  ')',
  ',',
  '[',
  ']',
  '=',
  '<',
  '>',
  '!',
  '&',
  '-',
  ' ',
  '\t',
  '\n',
  'a',
  'Z',
  '0',
  'é',
  '😀',
];
const trickyString = (maxLength: number): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ unit: fc.constantFrom(...TRICKY), maxLength }), fc.string({ unit: 'binary', maxLength }));

const attributeName = fc
  .oneof(fc.constantFrom('mail', 'userPrincipalName', 'extensionAttribute1', 'name with spaces'), trickyString(10))
  .filter((s) => s.trim() !== '' && !/[[\]\r\n]/.test(s));

const attribute: fc.Arbitrary<ValueNode> = attributeName.map((name) => ({ kind: 'attribute', name, span: SPAN }));
const stringConstant: fc.Arbitrary<ValueNode> = trickyString(12).map((value) => ({
  kind: 'string',
  value,
  span: SPAN,
}));
const literal: fc.Arbitrary<ValueNode> = fc
  .oneof(
    fc
      .tuple(fc.boolean(), fc.nat(99_999), fc.option(fc.nat(999)))
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === null ? '' : `.${fraction}`}`),
    fc.tuple(fc.constantFrom('H', 'h'), fc.stringMatching(/^[0-9A-Fa-f]{1,6}$/)).map(([h, hex]) => `&${h}${hex}`),
    fc.constantFrom(...KEYWORDS),
  )
  .map((text) => ({ kind: 'literal', text, span: SPAN }));
const leaf = fc.oneof(attribute, stringConstant, literal);

const NESTABLE = [...FUNCTIONS.values()].filter((f) => !f.topLevelOnly);
const ALL = [...FUNCTIONS.values()];
// Variadic functions get a few arguments more than their minimum.
const EXTRA_VARIADIC_ARGS = 3;

function argumentCount(f: FunctionDefinition): fc.Arbitrary<number> {
  const max = Number.isFinite(f.maxArgs) ? f.maxArgs : f.minArgs + EXTRA_VARIADIC_ARGS;
  const count = fc.integer({ min: f.minArgs, max });
  return f.evenArgs ? count.map((n) => (n % 2 === 0 ? n : n + 1)) : count;
}

/** Calls of `functions` at a legal arity, with arguments at most `depth` calls deep; optional ones may be empty. */
function call(functions: readonly FunctionDefinition[], depth: number): fc.Arbitrary<ValueNode> {
  const value = valueAt(depth - 1);
  const comparison: fc.Arbitrary<ArgumentNode> = fc
    .tuple(value, fc.constantFrom(...COMPARISON_OPERATORS), value)
    .map(([left, operator, right]) => ({ kind: 'comparison', operator, left, right, span: SPAN }));
  const given = fc.oneof({ arbitrary: value, weight: 4 }, { arbitrary: comparison, weight: 1 });
  const empty = fc.constant<ArgumentNode>({ kind: 'empty', span: SPAN });
  return fc.constantFrom(...functions).chain((f) =>
    argumentCount(f).chain((count) =>
      fc
        .tuple(
          ...Array.from({ length: count }, (_, i) =>
            // A lone empty argument would print as `F()`, a call without arguments.
            f.parameter(i, count).required || count === 1 ? given : fc.oneof(given, empty),
          ),
        )
        .map((args): ValueNode => ({ kind: 'function', name: f.name, args, span: SPAN, nameSpan: SPAN })),
    ),
  );
}

const values = new Map<number, fc.Arbitrary<ValueNode>>();
function valueAt(depth: number): fc.Arbitrary<ValueNode> {
  if (depth <= 0) return leaf;
  let arb = values.get(depth);
  if (arb === undefined) {
    arb = fc.oneof({ arbitrary: leaf, weight: 3 }, { arbitrary: call(NESTABLE, depth), weight: 1 });
    values.set(depth, arb);
  }
  return arb;
}

const MAX_DEPTH = 3;
/** A valid expression tree: a value, or a call of any function (SelectUniqueValue only here, at the top). */
const validTree: fc.Arbitrary<ExpressionNode> = fc
  .oneof(valueAt(MAX_DEPTH), call(ALL, MAX_DEPTH))
  .filter((t) => printExpression(t).length <= MAX_EXPRESSION_LENGTH);

// ---------------------------------------------------------------------------------------------------------------
// Generators of arbitrary text.
const EXPRESSION_ALPHABET = [
  ...TRICKY,
  '[mail]',
  '"x"',
  '\\"',
  '\\\\',
  ', ,',
  '()',
  '<>',
  '>=',
  '!=',
  '&H1F',
  '-1.5',
  'vbTextCompare',
  'ToLower',
  'Switch',
  'Join',
  'IIF',
  'SelectUniqueValue',
  'Now',
  'toLower',
  'Unknown',
  '(',
  ')',
];
const expressionLike = fc.string({ unit: fc.constantFrom(...EXPRESSION_ALPHABET), maxLength: 30 });

/** A valid expression with one edit: a cut, a deletion or an insertion of a piece of the alphabet. */
const nearlyValid = fc
  .tuple(
    validTree.map(printExpression),
    fc.nat(),
    fc.nat(8),
    fc.constantFrom(...EXPRESSION_ALPHABET, ''),
    fc.constantFrom('cut', 'edit'),
  )
  .map(([text, at, length, insert, how]) => {
    const i = at % (text.length + 1);
    return how === 'cut' ? text.slice(0, i) : text.slice(0, i) + insert + text.slice(i + length);
  });

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 60 }),
  expressionLike,
  nearlyValid,
);

// ---------------------------------------------------------------------------------------------------------------
/** Fails the property with `what` (plain checks: `expect` per case would dominate the run time). */
function check(condition: boolean, what: string, text: string): void {
  if (!condition) throw new Error(`${what}, for ${JSON.stringify(text)}`);
}

/** What the parser promises for any text; returns whether it parsed. */
function checkAnyText(text: string): boolean {
  const result = parseExpression(text);
  let thrown: unknown;
  let source: AttributeMappingSource | undefined;
  try {
    source = toMappingSource(text);
  } catch (e) {
    thrown = e;
  }
  if (result.ok) {
    check(thrown === undefined, `toMappingSource threw ${String(thrown)} on a valid expression`, text);
    check(source?.expression === text, 'the mapping source does not keep the text', text);
    return true;
  }
  check(result.problems.length > 0, 'a failed parse without problems', text);
  for (const p of result.problems) {
    check(PARSER_CODES.has(p.code), `unexpected code ${p.code}`, text);
    check(p.path === 'expression' && p.message.startsWith('expression must '), `bad message ${p.message}`, text);
    const column = p.column ?? 0;
    check(Number.isInteger(column) && column >= 1 && column <= text.length + 1, `column ${column} outside`, text);
  }
  check(thrown instanceof RollbarProvisioningError, `toMappingSource threw ${String(thrown)}`, text);
  const codes = (thrown as RollbarProvisioningError).codes.join();
  check(codes === result.problems.map((p) => p.code).join(), `error codes ${codes} differ from the problems`, text);
  return false;
}

/** Printing a parsed tree and parsing it again gives the same tree, and printing is then a fixed point. */
function checkRoundTrip(tree: ExpressionNode): void {
  const text = printExpression(tree);
  const again = parseExpression(text);
  if (!again.ok) throw new Error(`${JSON.stringify(text)} does not parse: ${again.problems[0]?.message}`);
  expect(stripSpans(again.tree)).toEqual(stripSpans(tree));
  expect(printExpression(again.tree)).toBe(text);
}

describe('parseExpression on any text', () => {
  test.each([
    ['arbitrary Unicode text (lone surrogates included)', fc.string({ unit: 'binary', maxLength: 80 })],
    ['text made of the expression alphabet', expressionLike],
    ['a valid expression with one cut, deletion or insertion', nearlyValid],
  ])(
    '%s: never throws, answers with parser codes only; toMappingSource throws only RollbarProvisioningError',
    (_name, text) => {
      fc.assert(
        fc.property(text, (t) => {
          checkAnyText(t);
        }),
        params(),
      );
    },
  );

  test('whatever parses, prints to text that parses back to the same tree', () => {
    fc.assert(
      fc.property(fc.oneof({ arbitrary: anyText, weight: 1 }, { arbitrary: nearlyValid, weight: 3 }), (text) => {
        const result = parseExpression(text);
        if (result.ok) checkRoundTrip(result.tree);
      }),
      params(),
    );
  });

  test('nesting up to past the depth and length limits: never throws; shallow nesting parses', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_300 }), fc.constantFrom('ToLower(', 'Join(",", '), (depth, open) => {
        const text = `${open.repeat(depth)}[mail]${')'.repeat(depth)}`;
        const ok = checkAnyText(text);
        if (depth <= 100) expect(ok).toBe(true);
        if (text.length > MAX_EXPRESSION_LENGTH) expect(ok).toBe(false);
      }),
      params(),
    );
  });
});

describe('printExpression and parseExpression on valid trees', () => {
  test('print, parse: the same tree (spans aside); print again: the same text', () => {
    fc.assert(
      fc.property(validTree, (tree) => {
        checkRoundTrip(tree);
        const text = printExpression(tree);
        expect(toMappingSource(text).expression).toBe(text);
      }),
      params(),
    );
  });

  test('the generator reaches every documented function and every kind of node', () => {
    const names = new Set<string>();
    const kinds = new Set<string>();
    const visit = (n: ExpressionNode): void => {
      kinds.add(n.kind);
      if (n.kind === 'function') {
        names.add(n.name);
        n.args.forEach(visit);
      }
      if (n.kind === 'comparison') [n.left, n.right].forEach(visit);
    };
    fc.sample(validTree, { numRuns: 3_000, seed: 42 }).forEach(visit);
    expect([...names].sort()).toEqual([...FUNCTIONS.keys()].sort());
    expect([...kinds].sort()).toEqual(['attribute', 'comparison', 'empty', 'function', 'literal', 'string']);
  });
});

describe('mergeSchema on generated patches of the fixture schema', () => {
  const SOURCES = [
    '[mail]',
    '[department]',
    '[userPrincipalName]',
    'Join(" ", [givenName], [surname])',
    'ToLower([userPrincipalName], )',
    'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
    '"constant \\" with a quote"',
    'IIF([country]="US", "x", "y")',
  ];
  const GROUP_SOURCES = ['[displayName]', '[objectId]', '[mail]', '[members]', 'Append([displayName], "-x")'];
  const mapping = (sources: readonly string[]): fc.Arbitrary<AttributeMappingSpec | null> =>
    fc.option(
      fc.record(
        {
          source: fc.constantFrom(...sources),
          matchingPriority: fc.integer({ min: 0, max: 2 }),
          apply: fc.constantFrom('always', 'onCreateOnly'),
          defaultValue: fc.string({ maxLength: 5 }),
        },
        { requiredKeys: ['source'] },
      ),
      { freq: 4 },
    );
  const attributes = (targets: readonly string[], sources: readonly string[]) =>
    fc.dictionary(fc.constantFrom(...targets), mapping(sources), { maxKeys: 4 });
  const scopingFilters = fc.array(
    fc.record({
      name: fc.constantFrom('Engineering', 'Sales'),
      clauses: fc.array(
        fc.oneof(
          fc.record({
            attribute: fc.constantFrom('department', 'country'),
            operator: fc.constant('EQUALS' as const),
            values: fc.array(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 2 }),
          }),
          fc.record({ attribute: fc.constant('accountEnabled'), operator: fc.constant('IS TRUE' as const) }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
    }),
    { maxLength: 2 },
  );
  const patch: fc.Arbitrary<MappingsSpec> = fc.record(
    {
      users: fc.record(
        {
          attributes: attributes(
            ['userName', 'active', 'displayName', 'title', 'externalId', 'name.formatted', 'preferredLanguage'],
            SOURCES,
          ),
          scopingFilters,
        },
        { requiredKeys: [] },
      ),
      groups: fc.record(
        { attributes: attributes(['displayName', 'externalId', 'members'], GROUP_SOURCES), enabled: fc.boolean() },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  );
  const base = rollbarTemplateSchema();
  const baseDigest = schemaDigest(base);
  const options = { filterOperators: rollbarFilterOperators() };

  test('is idempotent, never changes its input, and a rejected patch changes nothing', () => {
    fc.assert(
      fc.property(patch, (p) => {
        const input: SynchronizationSchema = rollbarTemplateSchema();
        const once = mergeSchema(input, p, options);
        expect(schemaDigest(input)).toBe(baseDigest);
        for (const problem of once.problems) expect(PROBLEM_CODES).toContain(problem.code);
        if (once.problems.length > 0) {
          expect(once.changed).toBe(false);
          expect(schemaDigest(once.schema)).toBe(baseDigest);
          return;
        }
        expect(once.changed).toBe(schemaDigest(once.schema) !== baseDigest);
        const twice = mergeSchema(once.schema, p, options);
        expect(twice.problems).toEqual([]);
        expect(twice.changed).toBe(false);
        expect(twice.schema).toEqual(once.schema);
      }),
      params(MERGE_RUNS),
    );
  });
});
