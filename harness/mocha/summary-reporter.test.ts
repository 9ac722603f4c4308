// npm test's reporter on a small fixture suite in a child mocha: the spec output and the closing
// summary line stay, and JUnit XML, the HTML report and (on GitHub Actions) annotations and the job
// summary are written, with a generated test's check reported through its outcome.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

const fixture = (attach: string) => `import { attachOutcome } from ${JSON.stringify(attach)};
describe('unit', () => {
  it('passes', () => {});
  it('fails', () => { throw new Error('two is not three\\nmore text'); });
  it('is pending', function () { this.skip(); });
  it('cannot see the job summary', () => {
    if (process.env.GITHUB_STEP_SUMMARY || process.env.GITHUB_ACTIONS) throw new Error('GitHub variables leaked into the tests');
  });
});
describe('scenarios on tfjs@4.22.0', () => {
  it('replay', function () {
    const o = {
      scenario: 'scaler-regression', configuration: { runtime: 'tfjs@4.22.0', backend: 'wasm', format: 'http' }, check: 'replay',
      status: 'fail', reason: 'predictions differ beyond the replay tolerance', durationMs: 12,
      obtained: 'results/obtained/scaler-regression/outputs/wasm.json',
      comparisons: { output0: { ok: false, reason: 'values', tolerance: { atol: 0, rtol: 0 },
        stats: { total: 4, mismatches: 1, maxAbsError: 0.5, meanAbsError: 0.125, maxRelError: 0.25, meanRelError: 0.06,
          first: [{ index: [1, 0], actual: 2.5, expected: 2 }] } } },
    };
    attachOutcome(this.test, o);
    throw new Error('scaler-regression › wasm · http › replay: fail');
  });
});
`;

describe('summary-reporter.cjs (npm test reporter)', function () {
  this.timeout(60_000);
  let dir: string;
  let out: { code: number; stdout: string; stderr: string };
  const file = (...p: string[]) => path.join(dir, ...p);

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-reporter-'));
    await writeFile(file('package.json'), '{ "type": "module" }\n');
    await writeFile(file('fixture.test.ts'), fixture(path.join(root, 'harness', 'mocha', 'mocha-ci-reports.ts')));
    await writeFile(file('summary.md'), '');
    const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const args = [
      mocha,
      '--no-config',
      '--node-option',
      'import=tsx',
      '--reporter',
      path.join(root, 'harness', 'mocha', 'summary-reporter.cjs'),
    ];
    out = await new Promise((resolve) => {
      execFile(
        process.execPath,
        [...args, file('fixture.test.ts')],
        {
          cwd: root,
          env: {
            ...process.env,
            GITHUB_ACTIONS: 'true',
            GITHUB_STEP_SUMMARY: file('summary.md'),
            TFJS_REPRO_JUNIT: file('junit', 'npm-test.xml'),
            TFJS_REPRO_HTML: file('report.html'),
          },
        },
        (err, stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stdout, stderr }),
      );
    });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps the spec output and ends with the plain summary line, after the annotations', () => {
    expect(out.code, out.stderr).to.equal(2);
    expect(out.stdout).to.contain('✔ passes');
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).to.equal('2 passed, 2 failed, 1 skipped');
    const errors = lines.filter((l) => l.startsWith('::error '));
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(
      /^::error file=scenarios\/scaler-regression\.scenario\.ts,title=scaler-regression › wasm · http › replay failed::/,
    );
    expect(errors[0]).to.contain('obtained outputs: results/obtained/scaler-regression/outputs/wasm.json');
    expect(errors[1]).to.match(/^::error file=[^,]*fixture\.test\.ts,title=unit › fails failed::Error: two is not three%0Amore text/);
  });

  it('writes JUnit XML: the check with its properties, the unit tests as testcases', async () => {
    const xml = await readFile(file('junit', 'npm-test.xml'), 'utf8');
    expect(xml).to.match(/<testsuites name="npm test" tests="5" failures="2" errors="0" skipped="1"/);
    expect(xml)
      .to.contain('<property name="backend" value="wasm"/>')
      .and.contain('<property name="format" value="http"/>')
      .and.contain('<property name="tfjs" value="4.22.0"/>')
      .and.contain('<property name="tolerance" value="atol=0 rtol=0"/>')
      .and.contain('<property name="obtained" value="results/obtained/scaler-regression/outputs/wasm.json"/>');
    expect(xml).to.contain('<testcase classname="unit" name="fails"');
  });

  it('writes the HTML report and the job summary, counting the harness tests apart', async () => {
    expect(await readFile(file('report.html'), 'utf8'))
      .to.contain('Failing cells (1)')
      .and.contain('results/obtained/scaler-regression/outputs/wasm.json');
    const md = await readFile(file('summary.md'), 'utf8');
    expect(md).to.contain('## ✘ npm test: 1 failed, 0 passed').and.contain("The harness's own tests: 2 passed, 1 failed, 1 skipped.");
    expect(md).to.contain(`HTML report: \`${file('report.html')}\``);
  });
});
