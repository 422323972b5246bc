import { redactText, shortenRedacted } from '../../constructs/core/redact';
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
