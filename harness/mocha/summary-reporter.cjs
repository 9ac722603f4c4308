// mocha's spec reporter, plus one plain closing line ("N passed, N failed, N skipped") that CI
// systems read. Pending tests here are checks that are not applicable or backends that are skipped.
const Mocha = require('mocha');

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = this.stats;
      process.stdout.write(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
}

module.exports = SpecWithSummary;
