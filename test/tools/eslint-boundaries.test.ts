/**
 * The repository's ESLint configuration (eslint.config.mjs, with tools/eslint-boundaries.cjs) rejects an import
 * across a layer and a plain `throw new Error` in library code. Each fixture is linted as if it were the file at
 * its path, with the repository's own configuration; type-aware rules are turned off for the fixtures, which are
 * not part of the TypeScript project, so that only these rules decide. ESLint runs in a child process because the
 * configuration is an ES module, which jest's module loader does not import.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Fixture {
  readonly file: string;
  readonly code: string;
}
interface LintMessage {
  readonly ruleId: string | null;
  readonly message: string;
}

const LINT = `
const { ESLint } = require('eslint');
const tseslint = require('typescript-eslint');
(async () => {
  const fixtures = JSON.parse(process.argv[1]);
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [tseslint.configs.disableTypeChecked, {
    languageOptions: { parserOptions: { projectService: false, project: null } },
    rules: { '@typescript-eslint/no-unused-vars': 'off', '@typescript-eslint/consistent-type-imports': 'off' },
  }] });
  const out = {};
  for (const f of fixtures) {
    const [result] = await eslint.lintText(f.code, { filePath: require('node:path').join(process.cwd(), f.file) });
    out[f.file] = result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function lint(fixtures: readonly Fixture[]): Record<string, LintMessage[]> {
  const stdout = execFileSync(process.execPath, ['-e', LINT, JSON.stringify(fixtures)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Record<string, LintMessage[]>;
}

const FIXTURES: readonly (Fixture & { readonly rule: string | undefined; readonly says?: string })[] = [
  {
    file: 'constructs/core/lint-fixture-graph.ts',
    code: "import { createGraphClient } from '../graph';\nexport const c = createGraphClient;\n",
    rule: 'boundaries/layers',
    says: "constructs/core may import only constructs/core: '../graph' is in constructs/graph.",
  },
  {
    file: 'constructs/core/rules/lint-fixture-engine.ts',
    code: "import { App } from 'cdktf';\nexport const a = App;\n",
    rule: 'boundaries/layers',
    says: "constructs/core may not import the engine package 'cdktf'.",
  },
  {
    file: 'constructs/cdktf/lint-fixture-pulumi.ts',
    code: "import { RollbarProvisioning } from '../pulumi';\nexport const r = RollbarProvisioning;\n",
    rule: 'boundaries/layers',
    says: "'../pulumi' is in constructs/pulumi.",
  },
  {
    file: 'constructs/pulumi/dynamic/lint-fixture-cdktf.ts',
    code: "export { RollbarProvisioning } from '../../cdktf';\n",
    rule: 'boundaries/layers',
    says: "'../../cdktf' is in constructs/cdktf.",
  },
  {
    file: 'cli/commands/lint-fixture-engine.ts',
    code: "import * as pulumi from '@pulumi/pulumi';\nexport const p = pulumi;\n",
    rule: 'boundaries/layers',
    says: "cli may not import the engine package '@pulumi/pulumi'.",
  },
  {
    file: 'cli/lint-fixture-stacks.ts',
    code: "import { synth } from '../stacks/synth';\nexport const s = synth;\n",
    rule: 'boundaries/layers',
    says: "'../stacks/synth' is in stacks.",
  },
  {
    file: 'constructs/graph/lint-fixture-test.ts',
    code: "// eslint-disable-next-line @typescript-eslint/no-require-imports -- the require is what is under test\nconst fake = require('../../test/fake-graph/server');\nexport const f: unknown = fake;\n",
    rule: 'boundaries/layers',
    says: "'../../test/fake-graph/server' is in test.",
  },
  {
    file: 'stacks/lint-fixture-bench.ts',
    code: "import { run } from '../bench/run';\nexport const r = run;\n",
    rule: 'boundaries/layers',
    says: "'../bench/run' is in bench.",
  },
  {
    file: 'constructs/graph/lint-fixture-throw.ts',
    code: "export function f(): never {\n  throw new Error('no code');\n}\n",
    rule: 'no-restricted-syntax',
    says: 'Library code throws an error with a code',
  },
  {
    file: 'cli/lint-fixture-throw.ts',
    code: "export function f(): never {\n  throw new Error('no code');\n}\n",
    rule: 'no-restricted-syntax',
    says: 'Library code throws an error with a code',
  },
  // What the layers allow passes: the same shapes of import and throw, in the right place.
  {
    file: 'constructs/pulumi/lint-fixture-allowed.ts',
    code: "import { validateSpec } from '../core/validate';\nimport * as graph from '../graph';\nimport * as pulumi from '@pulumi/pulumi';\nexport const all = [validateSpec, graph, pulumi];\n",
    rule: undefined,
  },
  {
    file: 'cli/lint-fixture-allowed.ts',
    code: "import { loadConfig } from '../constructs/config';\nimport { RollbarProvisioningError } from '../constructs/core/problems';\nexport function f(): never {\n  loadConfig();\n  throw new RollbarProvisioningError([]);\n}\n",
    rule: undefined,
  },
  {
    file: 'test/lint-fixture-allowed.ts',
    code: "import { synth } from '../stacks/synth';\nexport function f(): never {\n  void synth;\n  throw new Error('tests may');\n}\n",
    rule: undefined,
  },
];

describe('the ESLint layers and error rules', () => {
  let results: Record<string, LintMessage[]>;
  beforeAll(() => {
    results = lint(FIXTURES);
  });

  test.each(FIXTURES.filter((f) => f.rule !== undefined))('$file fails $rule', ({ file, rule, says }) => {
    const messages = results[file] ?? [];
    expect(messages.map((m) => m.ruleId)).toEqual([rule]);
    expect(messages[0]?.message).toContain(says);
  });

  test.each(FIXTURES.filter((f) => f.rule === undefined))('$file passes', ({ file }) => {
    expect(results[file]).toEqual([]);
  });
});
