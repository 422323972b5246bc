import { MIN_FRAGMENT_LENGTH, redactText, shortenRedacted } from '../../constructs/core/redact';
import { errorFromResponse } from '../../constructs/graph/errors';

const TOKEN = 'rb-redact-canary-0123456789abcdef+/"';

describe('redactText', () => {
  test.each([
    ['raw', TOKEN],
    ['JSON-escaped', JSON.stringify(TOKEN).slice(1, -1)],
    ['URL-encoded', encodeURIComponent(TOKEN)],
    ['base64', Buffer.from(TOKEN).toString('base64')],
    ['base64url', Buffer.from(TOKEN).toString('base64url')],
    ['shortened with …', `${TOKEN.slice(0, 20)}…`],
  ])('removes the %s form', (_form, shown) => {
    const out = redactText(`before ${shown} after`, [TOKEN]);
    expect(out).toContain('<redacted>');
    expect(out).not.toContain(TOKEN.slice(0, 12));
    expect(out).not.toContain(shown);
  });

  test.each([
    ['hex, lower case', Buffer.from(TOKEN).toString('hex')],
    ['hex, upper case', Buffer.from(TOKEN).toString('hex').toUpperCase()],
    ['URL-encoded with lower-case escapes', encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (p) => p.toLowerCase())],
    ['form-encoded', new URLSearchParams({ token: TOKEN }).toString()],
    ['shortened with ...', `${TOKEN.slice(0, 12)}...`],
    ['truncated where a body limit falls', `{"error":"bad token ${TOKEN.slice(0, 15)}`],
    ['its tail alone', `…${TOKEN.slice(-14)}`],
    ['split over two lines', `${TOKEN.slice(0, 18)}\n${TOKEN.slice(18)}`],
    ['split by a space', `${TOKEN.slice(0, 14)} ${TOKEN.slice(14)}`],
  ])('removes the %s form', (_form, shown) => {
    const out = redactText(`before ${shown} after`, [TOKEN]);
    expect(out).toContain('<redacted>');
    expect(out).toMatch(/^before .*after$/s);
    // No run of MIN_FRAGMENT_LENGTH characters of the token, nor of its hex, survives.
    const hex = Buffer.from(TOKEN).toString('hex');
    const n = MIN_FRAGMENT_LENGTH;
    for (const form of [TOKEN, hex, hex.toUpperCase()]) {
      for (let i = 0; i + n <= form.length; i++) expect(out).not.toContain(form.slice(i, i + n));
    }
  });

  test.each(['', 'u', 'us', 'usr', 'user', 'admin', 'x-api-key'])(
    'removes base64 of %p:token, a Basic authorization header at any alignment',
    (user) => {
      const header = `Authorization: Basic ${Buffer.from(`${user}:${TOKEN}`).toString('base64')}`;
      const out = redactText(header, [TOKEN]);
      expect(out).toContain('<redacted>');
      expect(Buffer.from(out.replace(/^.*Basic /, ''), 'base64').toString('latin1')).not.toContain(TOKEN.slice(4, 12));
      for (const shift of [0, 1, 2]) {
        const aligned = Buffer.concat([Buffer.alloc(shift), Buffer.from(TOKEN)])
          .toString('base64')
          .slice(4, 20);
        expect(out).not.toContain(aligned);
      }
    },
  );

  test("leaves a word the token shares with the CLI's own text alone", () => {
    const text = 'rollbar-provisioning graph save-credentials: Testing the connection';
    expect(redactText(text, ['rollbar-token-in-the-environment'])).toBe(text);
  });

  test('leaves request ids, GUIDs and ordinary words alone', () => {
    const text = 'request-id 0f8fad5b-d9cb-469f-a165-70867728950e: the canary token was rejected (rb- prefix)';
    expect(redactText(text, [TOKEN])).toBe(text);
  });

  test('leaves short values and ordinary text alone', () => {
    expect(redactText('the value abc is fine', ['abc', undefined])).toBe('the value abc is fine');
  });
});

describe('shortenRedacted', () => {
  test('never leaves part of a secret that the cut would split', () => {
    const text = `${'x'.repeat(190)}${TOKEN} and more`;
    const short = shortenRedacted(text, 200, [TOKEN]);
    expect(short.length).toBeLessThanOrEqual(200);
    expect(short).not.toContain(TOKEN.slice(0, 10));
  });
});

test('a non-JSON Graph error body echoing the token across the cut shows no part of it', () => {
  const body = `${'<html>'.repeat(32)}${TOKEN}</html>`;
  const error = errorFromResponse(
    { method: 'PUT', path: '/servicePrincipals/x/synchronization/secrets', secrets: [TOKEN] },
    502,
    new Headers(),
    body,
    'client-request-id',
    1,
  );
  expect(error.message).not.toContain(TOKEN.slice(0, 8));
  expect(error.graphMessage).not.toContain(TOKEN.slice(0, 8));
});
