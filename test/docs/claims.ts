/**
 * The claims README makes about where the token is (and is not), about plans and about redeploys, and the table
 * in docs/claims.md that names the test proving each one.
 *
 * A claim is found without any marker in README, so that a new sentence cannot slip past by being unmarked: README
 * is read as prose (code blocks, tables and headings left out), split into sentences, and a sentence is a claim
 * when it names the token (or a secret) together with a place or an act that would reveal it (state, plan, log,
 * output, command line, file, stored, saved, printed, hashed, never…), when it speaks of plans, previews or
 * redeploys, or of what a deploy shows (Graph's message, output Terraform hides). Two
 * sections are left out: Performance (its figures are the benchmark's, `bench/results.json`) and Development (how
 * the repository is tested, not what the package does).
 *
 * docs/claims.md quotes each claim exactly as README has it (whitespace aside), one per row, with the tests that
 * prove it: `` `file` › test name ``, optionally followed by ` — a note`, several joined by `<br>`.
 */

/** README's h2 sections whose sentences are not claims of this kind, and why. */
export const EXCLUDED_SECTIONS: Readonly<Record<string, string>> = {
  Performance: "measurements: the benchmark's (bench/results.json), not a test's",
  Development: 'how this repository is built and tested',
};

const TOKEN = /\b(token|secrets?)\b/i;
const PLACE =
  /\b(appears?|state|plans?|logs?|command line|cdk\.tf\.json|outputs?|stores?|stored|saves?|saved|keeps?|kept|hash(es)?|SHA-256|encrypted|prints?|printed|snapshots?|environment)\b/i;
const NOWHERE = /\b(never|nowhere|only|files?|goes)\b/i;
const PLANS_AND_REDEPLOYS =
  /\b(plans?|planned|previews?|redeploy(s|ed)?|deploy again|next deploy|every deploy|second (apply|deploy)|runs? again|re-runs?|replaces?|no change|changes nothing)\b/i;
// What a deploy shows: Graph's reason for a failure, and what Terraform hides.
const DEPLOY_OUTPUT = /(Graph's message|\bhides?\b.*\boutput|\boutput suppressed)/i;

/** Whether a sentence is a claim that needs a row. */
export function isClaim(sentence: string): boolean {
  return (
    (TOKEN.test(sentence) && (PLACE.test(sentence) || NOWHERE.test(sentence))) ||
    PLANS_AND_REDEPLOYS.test(sentence) ||
    DEPLOY_OUTPUT.test(sentence)
  );
}

const normalize = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** README's prose sentences, with the h2 section each is in. */
export function sentences(markdown: string): { section: string; sentence: string }[] {
  const paragraphs: { section: string; text: string }[] = [];
  let section = '';
  let inCode = false;
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) paragraphs.push({ section, text: current.join(' ') });
    current = [];
  };
  for (const line of markdown.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('```')) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) continue;
    const heading = /^(#+)\s+(.*)$/.exec(trimmed);
    if (heading) {
      flush();
      if (heading[1] === '##') section = heading[2]!;
      continue;
    }
    if (trimmed === '' || trimmed.startsWith('|')) {
      flush();
      continue;
    }
    // A list item is a paragraph of its own.
    if (/^([-*]|\d+\.)\s/.test(trimmed)) flush();
    current.push(trimmed.replace(/^([-*]|\d+\.)\s+/, ''));
  }
  flush();
  return paragraphs.flatMap((p) =>
    normalize(p.text)
      .split(/(?<=[.!?])\s+(?=[A-Z*`"(_])/)
      .map((sentence) => ({ section: p.section, sentence })),
  );
}

/** The claims of README: its sentences that {@link isClaim}, outside {@link EXCLUDED_SECTIONS}. */
export function readmeClaims(markdown: string): string[] {
  return sentences(markdown)
    .filter((s) => !(s.section in EXCLUDED_SECTIONS) && isClaim(s.sentence))
    .map((s) => s.sentence);
}

/** One row of docs/claims.md. */
export interface ClaimRow {
  readonly claim: string;
  readonly proofs: readonly { readonly file: string; readonly test: string }[];
}

/** The rows of the claims table: `| README sentence | proven by |`. */
export function claimRows(markdown: string): ClaimRow[] {
  return markdown
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) => line.slice(1, line.trimEnd().endsWith('|') ? line.trimEnd().length - 1 : undefined))
    .map((line) => line.split(/(?<!\\)\|/).map((cell) => normalize(cell.replace(/\\\|/g, '|'))))
    .filter(([claim]) => claim !== 'README sentence')
    .map(([claim = '', proven = '']) => ({
      claim,
      proofs: [...proven.matchAll(/`([^`]+)` › ([^<—]+)/g)].map((m) => ({ file: m[1]!, test: m[2]!.trim() })),
    }));
}

/** The claims of README that have no row. */
export function claimsWithoutRow(readme: string, claims: string): string[] {
  const quoted = new Set(claimRows(claims).map((r) => r.claim));
  return readmeClaims(readme).filter((c) => !quoted.has(c));
}
