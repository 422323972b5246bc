/**
 * `npm test` runs both lanes, the whole suite that README names; `npm run test:unit` runs the fast lane alone
 * (`jest --selectProjects unit`), for the edit-test loop and as CI's first gate.
 *
 * A test file is in the unit lane unless it is listed in SLOW: what starts processes (a bundled CLI, terraform, a
 * Pulumi provider host, ts-node), builds a bundle, runs Pulumi's runtime, or runs property-based and corpus cases
 * by the hundred. A new file that is slow goes on the list, with its reason.
 *
 * The consumer tests (`npm run test:consumer`) and the end-to-end lane (`npm run test:e2e`) have configurations of
 * their own and are in neither lane.
 */

/** The slower lane's test files and folders (paths under test/), each with why it is there. */
const SLOW = {
  'pulumi/': "Pulumi's runtime under mocks, and provider processes (the component test alone takes 41 s)",
  'parity/': 'both engines, Pulumi under mocks, for every scenario',
  'hardening/': 'property-based and corpus cases by the hundred, the bundled CLI, hostile servers',
  'examples/': 'every example in both engines',
  'stacks/synth.test.ts': 'the main job on a copy of the repository, in child processes',
  'stacks/cdktf/synth-command.test.ts': '`npm run synth:cdktf` in a child process, then every file it wrote',
  'bundle/': 'builds the bundles and runs them',
  'core/mappings/schema-to-patch.test.ts': 'property-based round trips through the schema merge',
  'cdktf/hcl.test.ts': 'runs the real terraform on the HCL output',
  'cli/terraform.test.ts': 'the bundled CLI in child processes, as Terraform runs it',
  'cli/control-characters.test.ts': 'the bundled CLI in child processes',
  'tools/eslint-boundaries.test.ts': "the repository's ESLint configuration over its fixtures, in a child process",
  'cli/permissions.test.ts': 'runs bin/rollbar-provisioning in a child process',
  'core/role-id.test.ts': 'compares the id with one computed by a fresh process (ts-node)',
  'config/load.test.ts': 'loads the package through ts-node in a child process',
  'config/yaml-subset-differential.test.ts':
    'about 2,000 corpus, generated and mutated documents through yaml and the subset',
};

/** What both lanes share. */
const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  // Type checking is `npm run typecheck`'s job; transpiling only keeps the suite fast.
  transform: { '^.+\\.ts$': '<rootDir>/tools/esbuild-transpiler.js' },
};

/** A path under test/ as a pattern of jest's testPathIgnorePatterns (a regular expression). */
const pattern = (p) => `<rootDir>/test/${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
// The consumer tests pack and install the package, a minute or more: `npm run test:consumer`, a CI step; the
// end-to-end lane runs the real terraform: `npm run test:e2e`, another.
const OWN_LANES = ['/node_modules/', '<rootDir>/test/consumer/', '<rootDir>/test/e2e/'];

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: [...OWN_LANES, ...Object.keys(SLOW).map(pattern)],
    },
    {
      ...shared,
      displayName: 'slow',
      testMatch: Object.keys(SLOW).map((p) => `<rootDir>/test/${p.endsWith('/') ? `${p}**/*.test.ts` : p}`),
      testPathIgnorePatterns: OWN_LANES,
    },
  ],
  // jest's default on 2 cores is one worker; many tests wait on child processes and a loopback server, so two
  // workers keep both cores busy (measured: 84 s with one, 47 s with two, 53 s with three).
  maxWorkers: 2,
  // A worker is restarted after a test file that leaves it holding more than this. Every test file loads its own
  // copy of cdktf or Pulumi, and a worker that ran many of them ended the suite with 600-780 MB of heap: on Node 22,
  // about one full run in three then ended with "A worker process has failed to exit gracefully" on a quiet
  // machine (the worker answered jest's end message, then neither exited nor ran a timer within jest's 500 ms,
  // as a long collection of that heap would), which .ci/run treats as a failure. With the limit, three runs in a
  // row ended clean and the suite took 76-85 s instead of about 90 s.
  workerIdleMemoryLimit: '600MB',
  testTimeout: 30000,
};
