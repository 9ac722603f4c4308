import { expect } from 'chai';
import { failedReplay } from './report-fixtures.ts';
import { SUMMARY_CAP_BYTES, stepSummary } from './step-summary.ts';

describe('GitHub job summary', () => {
  it('lists failures worst first in a table, escaping cell separators', () => {
    const text = stepSummary({
      title: 'tfjs-repro run',
      outcomes: [failedReplay('a|b', 1e-4), failedReplay('c', 2e-2)],
      html: 'results/report.html',
      env: {},
    });
    expect(text).to.contain('## ✘ tfjs-repro run: 2 failed, 0 passed');
    expect(text).to.contain('HTML report: `results/report.html` (one offline file');
    const rows = text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| scenario'));
    expect(rows[0]).to.match(/^\| c \| cpu · memory \| replay \| 2\.00e-2 \|/);
    expect(rows[1]).to.match(/^\| a\\\|b \|/);
  });

  it('stays under its cap with thousands of failures, and says it was cut', () => {
    const many = Array.from({ length: 6_000 }, (_, i) => failedReplay(`scenario-${i}`, 1e-3));
    const text = stepSummary({ title: 'npm test', outcomes: many, env: {} });
    expect(Buffer.byteLength(text))
      .to.be.at.most(SUMMARY_CAP_BYTES)
      .and.above(SUMMARY_CAP_BYTES - 1024);
    expect(text).to.match(/\*\*Truncated:\*\* \d+ more failures are not listed \(the summary is capped at 512 KiB\)/);
  });

  it('says when no HTML report was written, and how to get one', () => {
    expect(stepSummary({ title: 'tfjs-repro run', outcomes: [], env: {} })).to.contain(
      '`tfjs-repro run --html results/report.html` writes one',
    );
  });
});
