// mocha's configuration. Test files go to the two workers in this order: the generated scenario suite
// first (its hosts keep both cores busy), then the costly files, costliest first (CPU measured one file
// at a time), except that the two that wait on purpose most (cli-hardening, golden-hardening) come before
// cli.test.ts, so their waits fall while the suite's hosts still work, then the short rest, to the end.
// npm test is CPU-bound on two cores: a worker left with one long file at the end leaves a core idle.
const { readdirSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// V8's compile cache for the workers and every process the tests start (hosts, CLI runs), as
// bin/tfjs-repro.js sets it for the CLI: npm test starts dozens of processes that parse the same files.
process.env.NODE_COMPILE_CACHE ||= path.join(os.tmpdir(), 'node-compile-cache');

const COSTLY = [
  'harness/host/host-pool.test.ts',
  'harness/code-shape.test.ts',
  'harness/cli/cli-hardening.test.ts',
  'harness/golden/golden-hardening.test.ts',
  'harness/cli/cli.test.ts',
  'harness/mocha/scenario-suite-timeout-hardening.test.ts',
  'harness/executor/native-saved-model.test.ts',
  'harness/golden/golden-kill-hardening.test.ts',
  'harness/checks/savedmodel-check.test.ts',
  'harness/import/import-e2e.test.ts',
];
const testFiles = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
const all = testFiles('harness').sort();

module.exports = {
  'node-option': ['import=tsx'],
  extension: ['ts'],
  spec: ['harness/mocha/scenario-suite.ts', ...COSTLY.filter((f) => all.includes(f)), ...all.filter((f) => !COSTLY.includes(f))],
  parallel: true,
  // Two workers, not three or four: each loads the harness and tfjs again (README "Speed").
  jobs: 2,
  timeout: 120000,
  reporter: './harness/mocha/summary-reporter.cjs',
};
