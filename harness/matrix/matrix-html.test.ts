// The HTML drift report, rendered in a real headless Chromium (Debian's `chromium`): the heatmap
// must draw with no console errors. The screenshot is kept in results/artifacts/ for CI.
import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { heatmapPieces, heatmapValue, matrixHtml } from './matrix-html.ts';
import type { MatrixResult } from './matrix-report.ts';
import { gateBrowserTests } from '../executor/browser/browser-test-gate.fixture.ts';
import { browserBackendNames } from '../runtime/backends.ts';
import { withChromiumPage } from '../report/headless-chromium.ts';

const artifacts = path.resolve(import.meta.dirname, '..', '..', 'results', 'artifacts');

const sample: MatrixResult = {
  versions: [
    { version: '3.21.0', status: 'ran', wasm: '3.21.0', durationMs: 9000 },
    { version: '4.22.0', status: 'ran', wasm: '4.22.0', durationMs: 17000 },
  ],
  cells: [
    {
      scenario: 'scaler-regression',
      version: '3.21.0',
      backend: 'cpu',
      check: 'replay',
      status: 'pass',
      maxAbsError: 0,
      maxRelError: 0,
      mismatches: 0,
      total: 16,
    },
    {
      scenario: 'scaler-regression',
      version: '4.22.0',
      backend: 'cpu',
      check: 'replay',
      status: 'pass',
      maxAbsError: 2.4e-7,
      maxRelError: 2e-7,
      mismatches: 0,
      total: 16,
    },
    {
      scenario: 'stateful-lstm',
      version: '3.21.0',
      backend: 'cpu',
      check: 'retrain',
      status: 'fail',
      maxAbsError: 0.088,
      maxRelError: 0.35,
      mismatches: 8,
      total: 8,
      reason: 'predictions differ beyond the version tolerance',
    },
    {
      scenario: 'text-gru',
      version: '3.21.0',
      backend: 'cpu',
      check: 'retrain',
      status: 'expected',
      maxAbsError: 0.15,
      reason: 'known drift on tfjs <4.0.0: orthogonal initializer',
    },
    {
      scenario: 'stateful-lstm',
      version: '4.22.0',
      backend: 'wasm',
      check: 'retrain',
      status: 'not-applicable',
      reason: 'training needs kernel Log1p',
    },
  ],
};

describe('matrix.html colour scale', () => {
  const matches = (p: ReturnType<typeof heatmapPieces>[number], v: number) =>
    p.value !== undefined ? p.value === v : (p.gt === undefined || v > p.gt) && (p.lte === undefined || v <= p.lte);
  it('gives every cell exactly one colour, and known drift its own amber legend entry', () => {
    const pieces = heatmapPieces(Math.log10(1e-4));
    for (const c of sample.cells)
      expect(
        pieces.filter((p) => matches(p, heatmapValue(c))),
        `${c.scenario} ${c.status}`,
      ).to.have.length(1);
    const expected = sample.cells.find((c) => c.status === 'expected')!;
    expect(pieces.find((p) => matches(p, heatmapValue(expected)))).to.include({ label: 'expected: known drift', color: '#f0a30a' });
  });
});

describe('matrix.html in headless Chromium', function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    gateBrowserTests(this, browserBackendNames);
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-html-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('renders the heatmap with no console errors, and lists the failing cell', async () => {
    const file = path.join(dir, 'matrix.html');
    await writeFile(file, await matrixHtml(sample));
    const errors = await withChromiumPage(file, async (page) => {
      await page.waitForFunction(() => (window as unknown as { heatmapRendered?: boolean }).heatmapRendered === true, null, {
        timeout: 20_000,
      });
      // A drawn canvas has non-background pixels.
      const painted = await page.evaluate(() => {
        const canvas = document.querySelector('#heatmap canvas') as HTMLCanvasElement | null;
        if (!canvas) return 0;
        const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 0) n++;
        return n;
      });
      expect(painted, 'painted canvas pixels').to.be.greaterThan(1000);
      // Each cell's drawn colour, as ECharts resolved it from the visual map.
      const fills = await page.evaluate(() => {
        const w = window as unknown as {
          echarts: { getInstanceByDom(e: Element): { getModel(): { getSeriesByIndex(i: number): { getData(): unknown } } } };
        };
        const data = w.echarts.getInstanceByDom(document.getElementById('heatmap')!).getModel().getSeriesByIndex(0).getData() as {
          count(): number;
          getItemVisual(i: number, k: string): { fill?: string } | string;
        };
        return Array.from({ length: data.count() }, (_, i) => {
          const style = data.getItemVisual(i, 'style');
          return typeof style === 'string' ? style : style.fill;
        });
      });
      const amber = heatmapPieces(-4).find((p) => p.label === 'expected: known drift')!.color;
      expect(fills[sample.cells.findIndex((c) => c.status === 'expected')], 'known-drift cell colour').to.equal(amber);
      expect(fills.filter((f) => f === amber)).to.have.length(1);
      expect(await page.textContent('body'))
        .to.contain('Failing cells (1)')
        .and.contain('stateful-lstm · retrain');
      await mkdir(artifacts, { recursive: true });
      await page.screenshot({ path: path.join(artifacts, 'matrix-heatmap.png'), fullPage: true });
    });
    expect(errors).to.deep.equal([]);
  });
});
