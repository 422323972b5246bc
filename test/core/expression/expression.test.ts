import fc from 'fast-check';
import type { ExpressionNode } from '../../../constructs/core';
import { RollbarProvisioningError, parseExpression, printExpression } from '../../../constructs/core';
import { attributeReferences, stripSpans } from '../../../constructs/core/expression/ast';
import { FUNCTIONS } from '../../../constructs/core/expression/functions';
import { toMappingSource } from '../../../constructs/core/expression/mapping-source';

function tree(text: string): ExpressionNode {
  const result = parseExpression(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.problems.map((p) => p.message).join('; ')}`);
  return result.tree;
}

// Reference §4.4: every documented function. Listed by hand so that dropping one from the table fails here.
const DOCUMENTED = [
  'Append',
  'AppRoleAssignmentsComplex',
  'AssertiveAppRoleAssignmentsComplex',
  'BitAnd',
  'CBool',
  'CDate',
  'Coalesce',
  'ConvertToBase64',
  'ConvertToUTF8Hex',
  'Count',
  'CStr',
  'DateAdd',
  'DateDiff',
  'DateFromNum',
  'DefaultDomain',
  'FormatDateTime',
  'Guid',
  'IgnoreFlowIfNullOrEmpty',
  'IIF',
  'InStr',
  'IsNull',
  'IsNullOrEmpty',
  'IsPresent',
  'IsString',
  'Item',
  'Join',
  'Left',
  'Len',
  'Mid',
  'NormalizeDiacritics',
  'Not',
  'Now',
  'NumFromDate',
  'PCase',
  'RandomString',
  'Redact',
  'RemoveDuplicates',
  'Replace',
  'SelectUniqueValue',
  'SingleAppRoleAssignment',
  'Split',
  'StripSpaces',
  'Switch',
  'ToLower',
  'ToUpper',
  'Word',
];

describe('parseExpression: valid expressions', () => {
  // [expression, canonical text printed back]
  const valid: [string, string][] = [
    ['[mail]', '[mail]'],
    ['  [userPrincipalName]  ', '[userPrincipalName]'],
    [
      '[extension_9d98ed114c4840d298fad781915f27e4_employeeType]',
      '[extension_9d98ed114c4840d298fad781915f27e4_employeeType]',
    ],
    ['[passwordProfile.password]', '[passwordProfile.password]'],
    ['"Engineering"', '"Engineering"'],
    ['""', '""'],
    ['"Company name: \\"Contoso\\""', '"Company name: \\"Contoso\\""'],
    ['"C:\\\\temp"', '"C:\\\\temp"'],
    [
      'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
      'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
    ],
    [
      'Switch([IsSoftDeleted],,"False","True","True","False")',
      'Switch([IsSoftDeleted], , "False", "True", "True", "False")',
    ],
    ['Replace([preferredLanguage], "-", , , "_", ,  )', 'Replace([preferredLanguage], "-", , , "_", , )'],
    ['Replace([mail], "@contoso.com", , ,"", ,)', 'Replace([mail], "@contoso.com", , , "", , )'],
    ['Join(" ", [givenName], [surname])', 'Join(" ", [givenName], [surname])'],
    [
      'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com"))',
      'ToLower(Join("@", NormalizeDiacritics(StripSpaces(Join(".", [givenName], [surname]))), "contoso.com"))',
    ],
    ['Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))', 'Append(Mid([givenName], 1, 3), Mid([surname], 1, 5))'],
    ['IIF([country]="USA",[country],[department])', 'IIF([country] = "USA", [country], [department])'],
    ['IIF(Len([surname]) <= 5, "short", "long")', 'IIF(Len([surname]) <= 5, "short", "long")'],
    ['IIF([country] <> "USA", "other", "us")', 'IIF([country] <> "USA", "other", "us")'],
    ['CBool([attribute1] = [attribute2])', 'CBool([attribute1] = [attribute2])'],
    ['DateAdd("d", -10, CDate([StatusHireDate]))', 'DateAdd("d", -10, CDate([StatusHireDate]))'],
    ['BitAnd(&HF, &HF7)', 'BitAnd(&HF, &HF7)'],
    ['InStr("repEated","e",3,vbBinaryCompare)', 'InStr("repEated", "e", 3, vbBinaryCompare)'],
    ['Len(42568.75)', 'Len(42568.75)'],
    [
      'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
      'FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    ],
    [
      'FormatDateTime([extensionAttribute1], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
      'FormatDateTime([extensionAttribute1], "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")',
    ],
    ['Join (""  ,\n  [surname],\t[givenName])', 'Join("", [surname], [givenName])'],
    [
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
      'Replace([telephoneNumber], , "\\\\+(?<isdCode>\\\\d* )(?<phoneNumber>\\\\d{10})", , "${phoneNumber}", , )',
    ],
    ['Join("@", [mailNickname], DefaultDomain())', 'Join("@", [mailNickname], DefaultDomain())'],
    ['Guid()', 'Guid()'],
    ['Now( )', 'Now()'],
  ];

  it.each(valid)('%j parses and prints as %j', (text, canonical) => {
    const result = parseExpression(text);
    expect(result).toMatchObject({ ok: true });
    expect(printExpression(tree(text))).toBe(canonical);
    expect(stripSpans(tree(canonical))).toEqual(stripSpans(tree(text)));
  });

  it('keeps a backslash before any other character as written', () => {
    expect(tree('"\\d+"')).toMatchObject({ kind: 'string', value: '\\d+' });
    expect(tree('"a\\"b\\\\c"')).toMatchObject({ kind: 'string', value: 'a"b\\c' });
  });

  it('records empty arguments in their positions', () => {
    const node = tree('Replace([x], "a", , , "b", , )');
    expect(node.kind === 'function' && node.args.map((a) => a.kind)).toEqual([
      'attribute',
      'string',
      'empty',
      'empty',
      'string',
      'empty',
      'empty',
    ]);
  });

  it('lists attribute references with their columns', () => {
    expect(attributeReferences(tree('Join(" ", [givenName], IIF([c]="x", [surname], [c]))'))).toEqual([
      { name: 'givenName', column: 11 },
      { name: 'c', column: 28 },
      { name: 'surname', column: 37 },
      { name: 'c', column: 48 },
    ]);
  });
});

describe('parseExpression: every documented function at a legal arity', () => {
  it('knows exactly the documented functions', () => {
    expect([...FUNCTIONS.keys()].sort()).toEqual([...DOCUMENTED].sort());
  });

  const atArity = (name: string, count: number): string =>
    `${name}(${Array.from({ length: count }, (_, i) => `"v${i}"`).join(', ')})`;

  it.each(DOCUMENTED)('%s accepts its fewest and (when bounded) most arguments', (name) => {
    const f = FUNCTIONS.get(name)!;
    const counts = [f.minArgs, f.maxArgs === Infinity ? f.minArgs + 2 : f.maxArgs];
    for (const count of counts) expect(parseExpression(atArity(name, count))).toMatchObject({ ok: true });
  });

  it.each([
    ['Join', 1],
    ['Coalesce', 0],
    ['Switch', 3],
    ['Switch', 5],
    ['Mid', 4],
    ['Guid', 1],
    ['SelectUniqueValue', 1],
    ['FormatDateTime', 2],
    ['RandomString', 7],
  ])('%s with %i arguments is WRONG_ARITY at column 1', (name, count) => {
    const result = parseExpression(atArity(name, count));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.map((p) => [p.code, p.column])).toEqual([['WRONG_ARITY', 1]]);
  });
});

describe('parseExpression: invalid expressions', () => {
  // [expression, code, 1-based column]
  const invalid: [string, string, number][] = [
    ['', 'INVALID_EXPRESSION', 1],
    ['   ', 'INVALID_EXPRESSION', 1],
    ['[]', 'INVALID_EXPRESSION', 1],
    ['Join(" ", [ ])', 'INVALID_EXPRESSION', 11],
    ['[mail', 'INVALID_EXPRESSION', 1],
    ['Join(" ", [mail, [x])', 'INVALID_EXPRESSION', 11],
    ['mail]', 'INVALID_EXPRESSION', 5],
    ['"abc', 'INVALID_EXPRESSION', 1],
    ['Join(" , [a])', 'INVALID_EXPRESSION', 6],
    ['"ends with escape\\"', 'INVALID_EXPRESSION', 1],
    ['Join(" ", [a]', 'INVALID_EXPRESSION', 5],
    ['Join(', 'INVALID_EXPRESSION', 5],
    ['Join(" ", [a]))', 'INVALID_EXPRESSION', 15],
    ['Join(" " [a])', 'INVALID_EXPRESSION', 10],
    ['[a] [b]', 'INVALID_EXPRESSION', 5],
    ['"a" x', 'INVALID_EXPRESSION', 5],
    ['Join(",", mail)', 'INVALID_EXPRESSION', 11],
    ['[a] = "b"', 'INVALID_EXPRESSION', 5],
    ['IIF([a] = "b" = "c", "x", "y")', 'INVALID_EXPRESSION', 15],
    ['IIF([a] != "b", "x", "y")', 'INVALID_EXPRESSION', 9],
    ['Join(";", [a]) + "x"', 'INVALID_EXPRESSION', 16],
    ['Join(",", , )', 'WRONG_ARITY', 1],
    ['Join(SelectUniqueValue([a], [b]), [c])', 'INVALID_EXPRESSION', 6],
    ['join(" ", [a])', 'UNKNOWN_FUNCTION', 1],
    ['Concat([a], [b])', 'UNKNOWN_FUNCTION', 1],
    ['ToLower(Trim([mail]))', 'UNKNOWN_FUNCTION', 9],
    ['Join(" ", [a], Lenght([b]))', 'UNKNOWN_FUNCTION', 16],
    ['Mid([a], 1)', 'WRONG_ARITY', 1],
    ['Append([a])', 'WRONG_ARITY', 1],
    ['Join(" ", Not([a], [b]))', 'WRONG_ARITY', 11],
    ['Append(, "x")', 'WRONG_ARITY', 1],
    ['IIF(, "x", "y")', 'WRONG_ARITY', 1],
    ['Now("x")', 'WRONG_ARITY', 1],
    ['"x"'.repeat(3334) + '', 'INVALID_EXPRESSION', 10001],
  ];

  const shown = (text: string): string => (text.length > 60 ? `${text.slice(0, 30)}… (${text.length} chars)` : text);
  it.each(invalid.map(([text, code, column]) => [shown(text), code, column, text] as const))(
    '%j is %s at column %i',
    (_shown, code, column, text) => {
      const result = parseExpression(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems[0]).toMatchObject({ code, column });
    },
  );

  it('suggests the function a case slip or typo meant', () => {
    const message = (text: string): string => {
      const result = parseExpression(text);
      return result.ok ? '' : result.problems[0]!.message;
    };
    expect(message('join(" ", [a])')).toContain("did you mean 'Join'?");
    expect(message('Swtich([a], , "1", "2")')).toContain("did you mean 'Switch'?");
    expect(message('iif([a]="1", "x", "y")')).toContain("did you mean 'IIF'?");
  });

  it('states the expected argument count', () => {
    const result = parseExpression('Mid([a], 1)');
    expect(!result.ok && result.problems[0]!.message).toContain('call Mid with 3 arguments');
    const sw = parseExpression('Switch([a], "d", "k")');
    expect(!sw.ok && sw.problems[0]!.message).toContain('an even number of arguments, at least 4');
  });

  it('reports every unknown function and wrong arity of one expression', () => {
    const result = parseExpression('Join(Foo([a]), Mid([b]), Bar())');
    expect(!result.ok && result.problems.map((p) => [p.code, p.column])).toEqual([
      ['UNKNOWN_FUNCTION', 6],
      ['WRONG_ARITY', 16],
      ['UNKNOWN_FUNCTION', 26],
    ]);
  });

  it('reports at the path it is given', () => {
    const result = parseExpression('Mid([a])', { path: 'mappings.users.attributes.userName.source' });
    expect(!result.ok && result.problems[0]!.path).toBe('mappings.users.attributes.userName.source');
    expect(!result.ok && result.problems[0]!.message).toMatch(/^mappings\.users\.attributes\.userName\.source must /);
  });

  it('accepts exactly 10,000 characters', () => {
    const long = `"${'x'.repeat(9998)}"`;
    expect(long).toHaveLength(10000);
    expect(parseExpression(long).ok).toBe(true);
  });
});

describe('toMappingSource', () => {
  it("matches Graph's documented parseExpression output for Replace", () => {
    // MS-Graph synchronization-synchronizationschema-parseexpression.md, response example.
    const text = 'Replace([preferredLanguage], "-", , , "_", , )';
    expect(toMappingSource(text)).toEqual({
      type: 'Function',
      name: 'Replace',
      expression: text,
      parameters: [
        {
          key: 'source',
          value: { type: 'Attribute', name: 'preferredLanguage', expression: '[preferredLanguage]', parameters: [] },
        },
        { key: 'Find', value: { type: 'Constant', name: '-', expression: '"-"', parameters: [] } },
        { key: 'Replacement', value: { type: 'Constant', name: '_', expression: '"_"', parameters: [] } },
      ],
    });
  });

  it('keeps the top-level expression verbatim and each nested one as written', () => {
    const text = ' Switch([IsSoftDeleted],,  "False","True", "True", "False") ';
    const source = toMappingSource(text);
    expect(source.expression).toBe(text);
    expect(source.parameters?.map((p) => [p.key, p.value?.expression])).toEqual([
      ['source', '[IsSoftDeleted]'],
      ['key', '"False"'],
      ['value', '"True"'],
      ['key', '"True"'],
      ['value', '"False"'],
    ]);
  });

  it('is an Attribute for [name] and a Constant with the unescaped value for a string', () => {
    expect(toMappingSource('[mail]')).toEqual({
      type: 'Attribute',
      name: 'mail',
      expression: '[mail]',
      parameters: [],
    });
    expect(toMappingSource('"say \\"hi\\""')).toEqual({
      type: 'Constant',
      name: 'say "hi"',
      expression: '"say \\"hi\\""',
      parameters: [],
    });
  });

  it('keys a repeating parameter with one name and keeps numbers as constants', () => {
    const join = toMappingSource('Join(",", [a], Mid([b], 1, 2))');
    expect(join.parameters?.map((p) => p.key)).toEqual(['separator', 'source', 'source']);
    const mid = join.parameters?.[2]?.value;
    expect(mid).toMatchObject({ type: 'Function', name: 'Mid', expression: 'Mid([b], 1, 2)' });
    expect(mid?.parameters?.[1]).toEqual({
      key: 'start',
      value: { type: 'Constant', name: '1', expression: '1', parameters: [] },
    });
  });

  it('keys FormatDateTime by its three- or four-argument form', () => {
    const keys = (text: string): (string | null | undefined)[] =>
      toMappingSource(text).parameters?.map((p) => p.key) ?? [];
    expect(keys('FormatDateTime([d], "yyyy", "yy")')).toEqual(['source', 'inputFormat', 'outputFormat']);
    expect(keys('FormatDateTime([d], "AssumeUniversal", "yyyy", "yy")')).toEqual([
      'source',
      'dateTimeStyles',
      'inputFormat',
      'outputFormat',
    ]);
  });

  it('throws a RollbarProvisioningError with the problem codes on a bad expression', () => {
    expect(() => toMappingSource('Mid([a])')).toThrow(RollbarProvisioningError);
    try {
      toMappingSource('join([a])');
    } catch (e) {
      expect((e as RollbarProvisioningError).codes).toEqual(['UNKNOWN_FUNCTION']);
    }
    expect.assertions(2);
  });
});

describe('printExpression', () => {
  const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' && !/[[\]\r\n]/.test(s));
  const leaf = fc.oneof(
    name.map((n) => `[${n}]`),
    fc.string({ maxLength: 12 }).map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`),
    fc.integer({ min: -999, max: 999 }).map(String),
  );
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { minLength: 1, maxLength: 3 }).map((args) => `Join(",", ${args.join(', ')})`),
      fc.tuple(tie('value'), tie('value')).map(([a, b]) => `Switch(${a}, , ${b}, "x")`),
      fc.tuple(tie('value'), tie('value')).map(([a, b]) => `IIF(${a} <> ${b}, "t", "f")`),
    ),
  }));

  it('prints text that parses back to the same tree', () => {
    fc.assert(
      fc.property(value, (text) => {
        const first = tree(text);
        expect(stripSpans(tree(printExpression(first)))).toEqual(stripSpans(first));
      }),
      { numRuns: 200 },
    );
  });
});
