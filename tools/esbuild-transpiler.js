/**
 * ts-node's transpiler for this repository's scripts (`npm run synth`, `synth:cdktf`, `bench`, the bin launcher,
 * `cdktf synth`): esbuild's TypeScript transform instead of TypeScript's own, which is most of a script's start-up
 * time. Type checking stays `npm run typecheck`'s job, as with ts-node's transpile-only mode; the sources are
 * written for per-file transpilation (isolatedModules), as ts-jest and the esbuild bundles already require.
 *
 * `import()` becomes `require()`, as TypeScript emits it for CommonJS, so that a lazily imported `.ts` module goes
 * through ts-node too.
 */
'use strict';
const { transformSync } = require('esbuild');

exports.create = () => ({
  transpile(input, { fileName }) {
    const result = transformSync(input, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      platform: 'node',
      sourcefile: fileName,
      sourcemap: 'external',
      supported: { 'dynamic-import': false },
    });
    return { outputText: result.code, sourceMapText: result.map };
  },
});
