// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const engineImports = {
  patterns: [
    {
      group: ['cdktf', 'cdktf/*', 'constructs', 'constructs/*', '@cdktf/*', '@pulumi/*'],
      message: 'constructs/core is engine-free: translate to cdktf or Pulumi in constructs/cdktf or constructs/pulumi.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'cdktf.out/**',
      'lib/**',
      'dist/**',
      'coverage/**',
      'docs/**',
      'bench/out/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['constructs/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', engineImports] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
