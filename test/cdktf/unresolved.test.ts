/**
 * The binding's unresolved-value check gives cdktf's own answer (`Token.isUnresolved`) for every kind of value a
 * spec can hold: plain values, each kind of encoded token, IResolvables, and text that only looks like a token.
 */
import { App, Fn, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { isUnresolved } from '../../constructs/cdktf/unresolved';

const stack = new TerraformStack(new App(), 'unresolved');
const variable = new TerraformVariable(stack, 'v', { type: 'string' });
const resolvable = { resolve: () => 'x' };

const VALUES: Record<string, unknown> = {
  'plain text': 'plain',
  'empty text': '',
  'text with ${ but no token': 'a ${b} c',
  'text naming TfToken[ without a token': 'see TfToken[ here',
  'a variable': variable.stringValue,
  'text around a variable': `prefix-${variable.stringValue}-suffix`,
  'Token.asString': Token.asString(resolvable),
  'Token.asList': Token.asList(resolvable),
  'Token.asNumber': Token.asNumber(resolvable),
  'Token.asStringMap': Token.asStringMap(resolvable),
  'a function result': Fn.lower(variable.stringValue),
  'an IResolvable': resolvable,
  'a number': 42,
  NaN: Number.NaN,
  'a boolean': true,
  null: null,
  undefined: undefined,
  'a list of text': ['a', 'b'],
  'a list of one text': ['a'],
  'a plain map': { a: 1, b: 'two' },
  'a map whose key is a token': { [variable.stringValue]: 'x' },
  'a map whose value is a token': { a: variable.stringValue },
  'an empty map': {},
  'a map of 10,000 keys': Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
};

test.each(Object.entries(VALUES))('%s: the same answer as Token.isUnresolved', (_name, value) => {
  expect(isUnresolved(value)).toBe(Token.isUnresolved(value));
});

test('both answers occur', () => {
  const answers = Object.values(VALUES).map(isUnresolved);
  expect(answers.filter(Boolean).length).toBeGreaterThanOrEqual(7);
  expect(answers.filter((a) => !a).length).toBeGreaterThanOrEqual(10);
});
