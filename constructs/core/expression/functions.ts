/**
 * The documented function table of Entra attribute-mapping expressions, with arities.
 *
 * Source: Microsoft Entra "Reference for writing expressions for attribute mappings"
 * (functions-for-customizing-application-data.md, 2024-08 and 2026-04 versions; reference §4.4), plus
 * `AssertiveAppRoleAssignmentsComplex` from customize-application-attributes.md. The authoritative list for a
 * given job is Graph's `GET .../schema/functions`; this table is what can be checked offline.
 *
 * Parameter names are the documentation's (they become the `key` of each `attributeMappingSource` parameter),
 * except two of `Replace`, where Graph's own parseExpression example shows the keys it produces
 * (`oldValue` → `Find`, `replacementValue` → `Replacement`; MS-Graph synchronization-synchronizationschema-
 * parseexpression.md). A parameter that may repeat keeps one name for every occurrence, as Graph's
 * `attributeMappingFunctionSchema` describes a repeating parameter (`allowMultipleOccurrences`).
 */

/** One parameter of a function. */
export interface FunctionParameter {
  /** The parameter key. */
  readonly name: string;
  /** Whether the argument must be given (not left empty). */
  readonly required: boolean;
}

/** A documented function and the argument counts it accepts. */
export interface FunctionDefinition {
  /** Case-sensitive name. */
  readonly name: string;
  /** The documented signature, for messages. */
  readonly signature: string;
  /** Fewest arguments (empty ones count: they hold a position). */
  readonly minArgs: number;
  /** Most arguments; `Infinity` for a variadic function. */
  readonly maxArgs: number;
  /** Arguments come in key/value pairs after the first two (Switch): the count must be even. */
  readonly evenArgs?: boolean;
  /** May only be the whole expression, never nested (SelectUniqueValue). */
  readonly topLevelOnly?: boolean;
  /** The parameter at `index` (0-based) when the call has `count` arguments. */
  parameter(index: number, count: number): FunctionParameter;
}

const req = (name: string): FunctionParameter => ({ name, required: true });
const opt = (name: string): FunctionParameter => ({ name, required: false });

/** A function whose parameters have fixed positions; optional ones may be dropped only from the end. */
function positional(name: string, params: readonly FunctionParameter[]): FunctionDefinition {
  let minArgs = 0;
  params.forEach((p, i) => {
    if (p.required) minArgs = i + 1;
  });
  return {
    name,
    signature: `${name}(${params.map((p) => p.name).join(', ')})`,
    minArgs,
    maxArgs: params.length,
    parameter: (index) => params[index] ?? opt(`arg${index + 1}`),
  };
}

/** A function whose leading parameters are fixed and whose last one repeats at least `minRepeats` times. */
function variadic(
  name: string,
  signature: string,
  leading: readonly FunctionParameter[],
  repeating: FunctionParameter,
  minRepeats: number,
): FunctionDefinition {
  return {
    name,
    signature,
    minArgs: leading.length + minRepeats,
    maxArgs: Number.POSITIVE_INFINITY,
    parameter: (index) => leading[index] ?? repeating,
  };
}

const SWITCH: FunctionDefinition = {
  name: 'Switch',
  signature: 'Switch(source, defaultValue, key1, value1, key2, value2, …)',
  minArgs: 4,
  maxArgs: Number.POSITIVE_INFINITY,
  evenArgs: true,
  parameter: (index) =>
    index === 0 ? req('source') : index === 1 ? opt('defaultValue') : index % 2 === 0 ? req('key') : req('value'),
};

// The 2024 page adds dateTimeStyles as the second position; older expressions (and Graph's `functions`
// example) have three: the three-argument form keeps its old meaning.
const FORMAT_DATE_TIME: FunctionDefinition = {
  name: 'FormatDateTime',
  signature: 'FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)',
  minArgs: 3,
  maxArgs: 4,
  parameter: (index, count) =>
    (count === 3
      ? [req('source'), req('inputFormat'), req('outputFormat')]
      : [req('source'), opt('dateTimeStyles'), req('inputFormat'), req('outputFormat')])[index] ??
    opt(`arg${index + 1}`),
};

// Coalesce's trailing defaultValue cannot be told from one more source by position, so every argument is keyed
// `source`; Graph's parseExpression decides at deploy time.
const COALESCE = variadic('Coalesce', 'Coalesce(source1, …, sourceN, defaultValue)', [], req('source'), 1);

/** Every documented function, by name. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDefinition> = new Map(
  [
    positional('Append', [req('source'), req('suffix')]),
    positional('AppRoleAssignmentsComplex', [req('appRoleAssignments')]),
    positional('AssertiveAppRoleAssignmentsComplex', [req('appRoleAssignments')]),
    positional('BitAnd', [req('value1'), req('value2')]),
    positional('CBool', [req('Expression')]),
    positional('CDate', [req('Expression')]),
    COALESCE,
    positional('ConvertToBase64', [req('source')]),
    positional('ConvertToUTF8Hex', [req('source')]),
    positional('Count', [req('attribute')]),
    positional('CStr', [req('value')]),
    positional('DateAdd', [req('interval'), req('value'), req('dateTime')]),
    positional('DateDiff', [req('interval'), req('date1'), req('date2')]),
    positional('DateFromNum', [req('value')]),
    positional('DefaultDomain', []),
    FORMAT_DATE_TIME,
    positional('Guid', []),
    positional('IgnoreFlowIfNullOrEmpty', [req('Expression')]),
    positional('IIF', [req('condition'), req('valueIfTrue'), req('valueIfFalse')]),
    positional('InStr', [req('value1'), req('value2'), opt('start'), opt('compareType')]),
    positional('IsNull', [req('Expression')]),
    positional('IsNullOrEmpty', [req('Expression')]),
    positional('IsPresent', [req('Expression')]),
    positional('IsString', [req('Expression')]),
    positional('Item', [req('attribute'), req('index')]),
    variadic('Join', 'Join(separator, source1, source2, …)', [req('separator')], req('source'), 1),
    positional('Left', [req('String'), req('NumChars')]),
    positional('Len', [req('String')]),
    positional('Mid', [req('source'), req('start'), req('length')]),
    positional('NormalizeDiacritics', [req('source')]),
    positional('Not', [req('source')]),
    positional('Now', []),
    positional('NumFromDate', [req('value')]),
    positional('PCase', [req('source'), opt('wordSeparators')]),
    positional('RandomString', [
      req('Length'),
      req('MinimumNumbers'),
      req('MinimumSpecialCharacters'),
      req('MinimumCapital'),
      req('MinimumLowerCase'),
      opt('CharactersToAvoid'),
    ]),
    // The heading shows Redact() but the parameter table requires one argument ("attribute/value").
    positional('Redact', [req('attributeOrValue')]),
    positional('RemoveDuplicates', [req('attribute')]),
    positional('Replace', [
      req('source'),
      opt('Find'),
      opt('regexPattern'),
      opt('regexGroupName'),
      opt('Replacement'),
      opt('replacementAttributeName'),
      opt('template'),
    ]),
    {
      ...variadic(
        'SelectUniqueValue',
        'SelectUniqueValue(uniqueValueRule1, uniqueValueRule2, …)',
        [],
        req('uniqueValueRule'),
        2,
      ),
      topLevelOnly: true,
    },
    positional('SingleAppRoleAssignment', [req('appRoleAssignments')]),
    positional('Split', [req('source'), req('delimiter')]),
    positional('StripSpaces', [req('source')]),
    SWITCH,
    positional('ToLower', [req('source'), opt('culture')]),
    positional('ToUpper', [req('source'), opt('culture')]),
    positional('Word', [req('String'), req('WordNumber'), req('delimiters')]),
  ].map((f) => [f.name, f] as const),
);

/** Unquoted keywords the documentation passes as arguments (InStr's compareType). */
export const KEYWORDS: ReadonlySet<string> = new Set(['vbTextCompare', 'vbBinaryCompare']);

/** `"3 arguments"`, `"2 to 4 arguments"`, `"at least 2 arguments"`, `"an even number of at least 4 arguments"`. */
export function describeArity(f: FunctionDefinition): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (f.evenArgs) return `an even number of arguments, at least ${f.minArgs}`;
  if (f.maxArgs === Number.POSITIVE_INFINITY) return `at least ${plural(f.minArgs)}`;
  if (f.minArgs === f.maxArgs) return f.minArgs === 0 ? 'no arguments' : plural(f.minArgs);
  return `${f.minArgs} to ${plural(f.maxArgs)}`;
}
