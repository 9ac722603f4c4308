// mocha's configuration. Test files go to the two workers in this order: the generated scenario suite
// first (its hosts keep both cores busy), then the files that mostly wait on purpose (time limits,
// killed processes, a stale lock), so their waits fall while those hosts still work, then the rest.
// npm test is CPU-bound on two cores: a worker that waits after the suite has ended leaves a core idle.
const { readdirSync } = require('node:fs');
const path = require('node:path');

const WAITING = [
  'harness/golden/golden-kill-hardening.test.ts',
  'harness/cli/cli-hardening.test.ts',
  'harness/host/host-pool.test.ts',
  'harness/golden/golden-hardening.test.ts',
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
  spec: ['harness/mocha/scenario-suite.ts', ...WAITING.filter((f) => all.includes(f)), ...all.filter((f) => !WAITING.includes(f))],
  parallel: true,
  // Two workers, not three or four: each loads the harness and tfjs again (README "Speed").
  jobs: 2,
  timeout: 120000,
  reporter: './harness/mocha/summary-reporter.cjs',
};
