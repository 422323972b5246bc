/**
 * The subset reader against yaml itself, by the hundred: the bad-input corpus, the loader's inputs, edge cases,
 * generated documents and their mutations, with LF and with CR LF line ends. Each is declined by the subset or read exactly as yaml reads it, and
 * `checkConfigText` gives the same whole result (config, problems with messages, lines and columns, warnings)
 * with the subset and with yaml alone.
 */
import { stringify } from 'yaml';
import { CORPUS } from '../hardening/corpus';
import {
  EDGES,
  LOADER_INPUTS,
  expectAgreement,
  crlf,
  expectSameCheck,
  generate,
  mutate,
  random,
  shipped,
  type Outcome,
} from './subset-agreement';

describe('the subset reader agrees with yaml, by the hundred', () => {
  test('the bad-input corpus and the loader inputs: the same check with the subset and with yaml alone', () => {
    const texts = [...CORPUS.flatMap((c) => (typeof c.yaml === 'string' ? [c.yaml] : [])), ...LOADER_INPUTS, ...EDGES];
    for (const text of [...texts, ...texts.map(crlf)]) {
      expectAgreement(text);
      expectSameCheck(text);
    }
  });

  test('generated documents and their mutations', () => {
    const next = random(17);
    let read = 0;
    let declined = 0;
    const count = (o: Outcome) => (o.read ? read++ : declined++);
    const bases = [
      ...Array.from({ length: 250 }, () => generate(next)),
      ...Object.values(shipped()),
      ...CORPUS.flatMap((c) => (typeof c.yaml === 'string' ? [c.yaml] : [])),
      ...EDGES,
    ];
    for (const base of bases) {
      count(expectAgreement(base));
      let text = base;
      for (let m = 0; m < 3; m++) {
        text = mutate(text, next);
        count(expectAgreement(text));
      }
      // The last mutation with CR LF line ends.
      count(expectAgreement(crlf(text)));
    }
    // The comparison is not vacuous either way.
    expect(read).toBeGreaterThan(bases.length);
    expect(declined).toBeGreaterThan(bases.length / 2);
  });

  test('generated documents in the example shape give the same check with the subset and with yaml alone', () => {
    const next = random(42);
    for (let i = 0; i < 60; i++) {
      const spec = {
        notification: { email: next() < 0.8 ? 'ops@example.com' : 'not an email' },
        scope: next() < 0.7 ? 'assignedOnly' : 'all',
        accidentalDeletionThreshold: next() < 0.8 ? 500 : -1,
        roles: [{ value: 'User' }, { value: next() < 0.8 ? 'Admin' : 'msiam_access' }],
        assignments: Object.fromEntries(
          Array.from({ length: 1 + Math.floor(next() * 4) }, (_, k) => [
            next() < 0.9 ? `team-${k}` : `Team_${k}`,
            {
              principalObjectId: next() < 0.9 ? `0000a11c-0000-4000-8000-00000000000${k}` : 'nope',
              role: next() < 0.9 ? 'User' : 'Nobody',
            },
          ]),
        ),
        mappings: {
          users: {
            attributes: {
              'emails[type eq "work"].value': {
                source: next() < 0.8 ? 'Coalesce([mail], [userPrincipalName])' : 'Coalesce([mail]',
              },
            },
          },
        },
      };
      const text = stringify(spec, { lineWidth: 0 });
      expect(expectAgreement(text).read).toBe(true);
      expect(expectAgreement(crlf(text)).read).toBe(true);
      expectSameCheck(text);
      const mutated = mutate(text, next);
      expectSameCheck(mutated);
      expectSameCheck(crlf(mutated));
    }
  });
});
