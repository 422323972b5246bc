/**
 * One TypeScript transform for this repository's scripts and tests: esbuild's, instead of TypeScript's own, which is
 * most of a script's start-up time and most of a cold test run.
 *
 * - `create()` is ts-node's transpiler interface (`npm run synth`, `synth:cdktf`, `bench`, the bin launcher,
 *   `cdktf synth`).
 * - `process()` and `getCacheKey()` are jest's transformer interface (jest.config.js).
 *
 * Type checking stays `npm run typecheck`'s job, as with ts-node's transpile-only mode; the sources are written for
 * per-file transpilation (isolatedModules), as the esbuild bundles already require. Nothing here hoists
 * `jest.mock()` calls (no test uses them; use `jest.isolateModules` or a fake passed in instead).
 *
 * `import()` becomes `require()`, as TypeScript emits it for CommonJS, so that a lazily imported `.ts` module goes
 * through the same transform.
 */
'use strict';
const { createHash } = require('node:crypto');
const { transformSync, version } = require('esbuild');

const OPTIONS = {
  loader: 'ts',
  format: 'cjs',
  target: 'node20',
  platform: 'node',
  sourcemap: 'external',
  supported: { 'dynamic-import': false },
};

function transpile(input, fileName) {
  const result = transformSync(input, { ...OPTIONS, sourcefile: fileName });
  return { code: result.code, map: result.map };
}

exports.create = () => ({
  transpile(input, { fileName }) {
    const { code, map } = transpile(input, fileName);
    return { outputText: code, sourceMapText: map };
  },
});

exports.process = (sourceText, sourcePath) => transpile(sourceText, sourcePath);

exports.getCacheKey = (sourceText, sourcePath) =>
  createHash('sha256')
    .update(`${version}\0${JSON.stringify(OPTIONS)}\0${sourcePath}\0`)
    .update(sourceText)
    .digest('hex');
