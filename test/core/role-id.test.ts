import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { roleId } from '../../constructs/core';
import { ROLE_ID_NAMESPACE, uuidV5 } from '../../constructs/core/role-id';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ROOT = join(__dirname, '../..');

describe('roleId', () => {
  test.each(['User', 'Admin', 'Platform.Engineer', 'ü-role'])('%s is a valid UUID v5 (RFC 9562 variant)', (value) => {
    expect(roleId(value)).toMatch(UUID_V5);
  });

  test('is the same in another process', () => {
    // A fresh Node process, compiling the module itself: nothing is shared with this one but the source.
    const out = execFileSync(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-e',
        "process.stdout.write(require('./constructs/core/role-id').roleId('User'))",
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json') } },
    );
    expect(out).toBe(roleId('User'));
  });

  test('differs for every other value, including case and whitespace variants', () => {
    const values = ['User', 'user', 'USER', 'User ', ' User', 'Admin', 'Users', 'User.Read', ''];
    expect(new Set(values.map(roleId)).size).toBe(values.length);
  });

  test('is derived in the fixed namespace', () => {
    expect(roleId('User')).toBe(uuidV5('User', ROLE_ID_NAMESPACE));
  });
});

describe('uuidV5', () => {
  test("matches RFC 9562's example (DNS namespace, www.example.com)", () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  test('rejects a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'not-a-uuid')).toThrow(TypeError);
  });
});
