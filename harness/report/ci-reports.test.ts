// End to end: a failing `run` on GitHub Actions (one golden float changed in a scratch copy) prints
// ::error annotations naming the scenario file, appends the job summary, writes JUnit XML with the
// testcase properties, and writes an HTML report that headless Chromium opens.
import { expect } from 'chai';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { captureCli, releaseSharedPool, sharedPool, type CliResult } from '../cli/capture-cli.ts';
import type { HostPool } from '../host/host-pool.ts';
import { gateBrowserTests } from '../executor/browser/browser-test-gate.fixture.ts';
import { browserBackendNames } from '../runtime/backends.ts';
import { withChromiumPage } from './headless-chromium.ts';
import { scratchProject } from '../cli/scratch-project.fixture.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'scaler-regression';
const artifacts = path.join(root, 'results', 'artifacts');

describe('CI reports of a failing run (run --junit --html on GitHub Actions)', function () {
  this.timeout(120_000);
  let dir: string;
  let pool: HostPool;
  let run: CliResult;
  const file = (...p: string[]) => path.join(dir, ...p);

  before(async () => {
    pool = sharedPool();
    dir = await scratchProject('ci', [SCENARIO]);
    const golden = file('goldens', SCENARIO, 'outputs', 'cpu.json');
    const json = JSON.parse(await readFile(golden, 'utf8'));
    json.outputs.output0.data[3] *= 1 + 1e-3;
    await writeFile(golden, JSON.stringify(json));
    await writeFile(file('summary.md'), '# earlier step\n');
    run = await captureCli(
      [
        'run',
        SCENARIO,
        ...['-b', 'cpu', '-f', 'memory', '--check', 'replay,fault weights-perturbed', '--jobs', '1'],
        ...['--scenarios', file('scenarios'), '--goldens', file('goldens')],
        ...['--junit', file('junit', 'run.xml'), '--html', file('report.html')],
      ],
      {
        CI: undefined,
        TFJS_REPRO_REQUIRE_BACKENDS: undefined,
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: file('summary.md'),
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'acme/models',
        GITHUB_RUN_ID: '42',
      },
    );
  });
  after(async () => {
    await releaseSharedPool(pool);
    await rm(dir, { recursive: true, force: true });
  });

  it('fails, and prints ::error annotations naming the scenario file, replay first', () => {
    expect(run.code, run.stdout + run.stderr).to.equal(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors, run.stdout).to.have.length(2);
    expect(errors[0]).to.match(
      /^::error file=[^,]*scenarios\/scaler-regression\.scenario\.ts,title=scaler-regression › cpu · memory › replay failed::/,
    );
    // Multi-line messages are escaped into one line, with the statistics.
    expect(errors[0]).to.contain('%0Aoutput0: 1 of 16 values differ').and.not.contain('\n');
    expect(errors[1]).to.contain('fault weights-perturbed failed');
    // The closing summary line stays last.
    expect(run.stdout.trimEnd().split('\n').at(-1)).to.equal('0 passed, 2 failed, 0 not applicable');
  });

  it('appends a Markdown job summary naming the HTML report and the run', async () => {
    const md = await readFile(file('summary.md'), 'utf8');
    expect(md.startsWith('# earlier step\n'), 'appended, not overwritten').to.equal(true);
    expect(md).to.contain('## ✘ tfjs-repro run: 2 failed, 0 passed');
    expect(md).to.contain(
      `HTML report: \`${file('report.html')}\` in the artifacts of [this workflow run](https://github.com/acme/models/actions/runs/42)`,
    );
    expect(md).to.match(/\| scaler-regression \| cpu · memory \| replay \| \d\.\d\de-\d \| predictions differ beyond the replay tolerance/);
  });

  it('writes JUnit XML with backend, format, tfjs version and tolerance per testcase', async () => {
    const xml = await readFile(file('junit', 'run.xml'), 'utf8');
    expect(xml).to.match(/<testsuites name="tfjs-repro run" tests="2" failures="2"/);
    const replay = xml.slice(xml.indexOf('name="cpu · memory › replay"'));
    expect(replay.slice(0, replay.indexOf('</testcase>')))
      .to.contain('<property name="backend" value="cpu"/>')
      .and.contain('<property name="format" value="memory"/>')
      .and.match(/<property name="tfjs" value="\d+\.\d+\.\d+"\/>/)
      .and.contain('<property name="tolerance" value="atol=0 rtol=0"/>')
      .and.match(/<failure message="fail: predictions differ beyond the replay tolerance[;"]/);
  });

  it('with --json, keeps stdout to the JSON result and annotates on stderr', async () => {
    const json = await captureCli(
      [
        'run',
        SCENARIO,
        '-b',
        'cpu',
        '-f',
        'memory',
        '--check',
        'replay',
        '--json',
        '--scenarios',
        file('scenarios'),
        '--goldens',
        file('goldens'),
      ],
      { CI: undefined, TFJS_REPRO_REQUIRE_BACKENDS: undefined, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file('summary-json.md') },
    );
    expect(json.code).to.equal(1);
    expect(JSON.parse(json.stdout).counts).to.include({ fail: 1 });
    expect(json.stderr).to.match(
      /^::error file=[^,]*scenarios\/scaler-regression\.scenario\.ts,title=scaler-regression › cpu · memory › replay failed::/m,
    );
    expect(await readFile(file('summary-json.md'), 'utf8')).to.contain('No HTML report was written');
  });

  describe('the HTML report in headless Chromium', () => {
    before(function () {
      // Chromium runs in npm test when a browser backend is selected, as for the browser end-to-end tests.
      gateBrowserTests(this, browserBackendNames);
    });

    it('shows the failing cell with its statistics, every check and the fault matrix, offline and without errors', async () => {
      const html = file('report.html');
      const errors = await withChromiumPage(html, async (page) => {
        await page.waitForFunction(() => (window as unknown as { reportReady?: boolean }).reportReady === true);
        expect(await page.textContent('h2:has-text("Failing cells")')).to.equal('Failing cells (2)');
        const failure = page.locator('section.failure').first();
        expect(await failure.locator('h3').textContent()).to.contain('scaler-regression › cpu · memory › replay');
        expect(await failure.locator('table.stats td').nth(1).textContent()).to.equal('1 / 16');
        expect(await failure.locator('table.values').textContent()).to.contain('[3, 0]');
        expect(await page.locator('table.grid td.fail').count()).to.equal(2);
        expect(await page.locator('table.faults td.fail').textContent()).to.equal('error');
        // The filter hides passing scenarios only; this one failed, so it stays.
        await page.check('#failures-only');
        expect(await page.isVisible('details.scenario.has-fail')).to.equal(true);
        await mkdir(artifacts, { recursive: true });
        await page.screenshot({ path: path.join(artifacts, 'run-report.png'), fullPage: true });
      });
      expect(errors).to.deep.equal([]);
    });
  });
});
