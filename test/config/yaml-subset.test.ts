/**
 * The subset reader against yaml itself, on the shipped examples and edge cases (the corpus, generated and mutated
 * documents are in yaml-subset-differential.test.ts, in the slow lane): either the subset declines (`undefined`,
 * so the loader reads the file with yaml) or it gives exactly what yaml gives.
 */
import { checkConfigText } from '../../constructs/config';
import { readYamlSubset } from '../../constructs/config/yaml-subset';
import { EDGES, LOADER_INPUTS, crlf, expectAgreement, expectSameCheck, shipped } from './subset-agreement';

describe('the subset reader agrees with yaml', () => {
  test.each(Object.entries(shipped()))('%s is read by the subset, as yaml reads it', (_name, text) => {
    expect(expectAgreement(text).read).toBe(true);
    expectSameCheck(text);
  });

  test.each(Object.entries(shipped()))(
    '%s with CR LF line ends is read by the subset, as yaml reads it',
    (_name, text) => {
      expect(expectAgreement(crlf(text)).read).toBe(true);
      expectSameCheck(crlf(text));
    },
  );

  test('edge cases and mistakes: declined, or read as yaml reads them', () => {
    const read = EDGES.map((text) => expectAgreement(text).read);
    // Both kinds occur: the subset reads the plain ones, and declines the rest.
    expect(read.filter(Boolean).length).toBeGreaterThan(20);
    expect(read.filter((r) => !r).length).toBeGreaterThan(20);
  });

  test.each([
    ['a tab', 'a:\n\tb: 1\n'],
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['several documents', '---\na: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a CR line end', 'a: 1\rb: 2\r'],
    ['a CR before a CR LF', 'a: 1\r\r\nb: 2\r\n'],
    ['a CR inside a line', 'a: "x\ry"\r\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a multi-line plain scalar', 'a: plain\n  continued\n'],
    ['an escape', 'a: "esc\\"aped"\n'],
    ['a tag', 'a: !!str 1\n'],
    ['bad indentation', 'a:\n  b: 1\n c: 2\n'],
    ['a nested map on one line', 'a: b: c\n'],
    ['the token, in any spelling', 'a: {secret-token: x}\n'],
    ['a key yaml limits to 1024 characters', `${'k'.repeat(1100)}: v\n`],
  ])('%s is left to yaml', (_name, text) => {
    expect(readYamlSubset(text)).toBeUndefined();
  });

  test.each([
    ['LF', (t: string) => t],
    ['CR LF', crlf],
  ])('repeated keys are read by the subset and reported at the same places (%s)', (_name, ends) => {
    const text = ends(LOADER_INPUTS[LOADER_INPUTS.length - 1]!);
    expect(expectAgreement(text).read).toBe(true);
    expect(readYamlSubset(text)?.repeated).toBe(true);
    expectSameCheck(text);
  });

  test('with CR LF line ends, problems have the lines and columns of the file', () => {
    // Two problems, on the fourth and fifth lines: the same positions with either line end.
    const text = 'roles:\n  - value: User\nassignments:\n  Bad_Key:\n    principalObjectId: nope\n    role: User\n';
    expect(readYamlSubset(crlf(text))).toBeDefined();
    const where = (t: string) => checkConfigText(t).problems.map((p) => [p.code, p.line, p.column]);
    expect(where(text)).toEqual([
      ['INVALID_ASSIGNMENT_KEY', 4, 3],
      ['INVALID_OBJECT_ID', 5, 24],
    ]);
    expect(where(crlf(text))).toEqual(where(text));
  });
});
