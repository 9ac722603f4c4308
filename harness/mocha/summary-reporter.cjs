// mocha's spec reporter, plus one plain closing line ("N passed, N failed, N skipped") that CI
// systems read. Pending tests here are checks that are not applicable or backends that are skipped.
// It also writes the CI reports of `npm test` (mocha takes one reporter, so this one does both):
// JUnit XML, the HTML report and, on GitHub Actions, annotations and the job summary
// (harness/mocha/mocha-ci-reports.ts), before the closing line.
const Mocha = require('mocha');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    // The tests' own in-process runs must not annotate this job or append to its summary: only this
    // reporter does, with the values it takes here.
    this.github = { GITHUB_ACTIONS: process.env.GITHUB_ACTIONS, GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY };
    delete process.env.GITHUB_ACTIONS;
    delete process.env.GITHUB_STEP_SUMMARY;
    this.records = [];
    // Parallel workers (spawned after this, so they inherit it) leave the scenario outcomes here.
    if (!process.env.TFJS_REPRO_OUTCOMES_DIR) {
      this.outcomesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-repro-outcomes-'));
      process.env.TFJS_REPRO_OUTCOMES_DIR = this.outcomesDir;
    }
    runner.on('pass', (test) => this.records.push({ test, state: 'pass' }));
    runner.on('fail', (test, err) => this.records.push({ test, state: 'fail', err }));
    runner.on('pending', (test) => this.records.push({ test, state: 'skipped' }));
  }

  done(failures, fn) {
    const s = this.stats;
    const close = (n) => {
      if (this.outcomesDir) fs.rmSync(this.outcomesDir, { recursive: true, force: true });
      process.stdout.write(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
      fn(n);
    };
    import('./mocha-ci-reports.ts')
      .then((m) => m.writeMochaReports(this.records, { ...process.env, ...this.github }))
      .then(
        () => close(failures),
        (err) => {
          process.stderr.write(`npm test: writing the CI reports failed: ${err.stack ?? err}\n`);
          close(failures || 1);
        },
      );
  }
}

module.exports = SpecWithSummary;
