/**
 * docs/claims.md has a row, with tests that exist, for every README sentence about where the token does and does
 * not appear, about plans and about redeploys (how such sentences are found: claims.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { claimRows, claimsWithoutRow, isClaim, readmeClaims, sentences } from './claims';

const ROOT = path.join(__dirname, '..', '..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CLAIMS = readFileSync(path.join(ROOT, 'docs', 'claims.md'), 'utf8');
const rows = claimRows(CLAIMS);

describe('docs/claims.md', () => {
  test('every claim of README has a row', () => {
    expect(claimsWithoutRow(README, CLAIMS)).toEqual([]);
  });

  test('every row quotes a sentence README still has, once', () => {
    const claims = new Set(readmeClaims(README));
    expect(rows.map((r) => r.claim).filter((c) => !claims.has(c))).toEqual([]);
    expect(new Set(rows.map((r) => r.claim)).size).toBe(rows.length);
  });

  test('every row names at least one test, and each named test exists in its file', () => {
    const missing = rows.flatMap((row) => {
      if (row.proofs.length === 0) return [`no test for: ${row.claim}`];
      return row.proofs.flatMap(({ file, test }) => {
        const where = path.join(ROOT, file);
        if (!existsSync(where)) return [`${file} does not exist`];
        return readFileSync(where, 'utf8').includes(test) ? [] : [`${file} has no test '${test}'`];
      });
    });
    expect(missing).toEqual([]);
  });

  test('fails when any claim loses its row', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      const without = CLAIMS.split('\n')
        .filter((line) => !(line.startsWith('|') && claimRows(line)[0]?.claim === row.claim))
        .join('\n');
      expect(claimsWithoutRow(README, without)).toEqual([row.claim]);
    }
  });

  test('fails when README gains a claim without a row, wherever it is written', () => {
    const added = [
      'The token is kept in the plan file for the apply.',
      '- After a redeploy, the mappings are written again.',
      'Secrets never reach the log.',
      'A second apply changes nothing.',
    ];
    for (const sentence of added) {
      const readme = README.replace('## Deploying with Pulumi', `${sentence}\n\n## Deploying with Pulumi`);
      expect(claimsWithoutRow(readme, CLAIMS)).toEqual([sentence.replace(/^- /, '')]);
    }
  });
});

describe('what counts as a claim', () => {
  test.each([
    ['the token never appears in the state', true],
    ['the plan shows no change', true],
    ['Graph secrets are saved in one PUT', true],
    ["a failed step prints Graph's message", true],
    ['run it again and nothing is redeployed', true],
    ['Pulumi resource names and type tokens are public API', false],
    ['assign groups rather than thousands of users', false],
  ])('%s: %s', (sentence, claim) => {
    expect(isClaim(sentence)).toBe(claim);
  });

  test('code blocks, tables and headings are not prose; list items and wrapped lines are', () => {
    const md = [
      '## Section',
      '',
      '```sh',
      'terraform plan -out tfplan # the token is not in the plan',
      '```',
      '',
      '| the token | is in the state |',
      '',
      '- first item, wrapped',
      '  over two lines. Second sentence.',
      '- second item',
    ].join('\n');
    expect(sentences(md)).toEqual([
      { section: 'Section', sentence: 'first item, wrapped over two lines.' },
      { section: 'Section', sentence: 'Second sentence.' },
      { section: 'Section', sentence: 'second item' },
    ]);
  });
});
