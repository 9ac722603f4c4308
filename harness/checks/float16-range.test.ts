// The float16-range property must fail, naming the input features, when what the model is fed does
// not fit in float16; and the large-amounts golden must fit only because its scaler is kept.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { standardScaler } from '../index.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import { loadScenarioFile, type LoadedScenario } from '../scenario/discover-scenarios.ts';
import { runCheck } from './checks.ts';
import { FLOAT16_MAX, float16Overflows, nonFiniteNote } from './float16-range.ts';
import { modelInputs } from './model-ops.ts';
import { recordGolden } from './record-golden.ts';
import { ScenarioContext } from './scenario-context.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const runtime = await loadRuntime();
const f32 = (shape: number[], values: number[]) => ({ shape, dtype: 'float32' as const, values: Float32Array.from(values) });

describe('float16-range', () => {
  it('names each input feature beyond ±65504 with its rows; 65504 itself and NaN are not overflows', () => {
    const x = f32([3, 2], [FLOAT16_MAX, 1, -70_000, 2, Number.NaN, 1e6]);
    const found = float16Overflows([x, f32([1, 1], [3])], ['amounts', 'count']);
    expect(found).to.deep.equal([
      { input: 'amounts', feature: 0, count: 1, rows: [1], maxAbs: 70_000 },
      { input: 'amounts', feature: 1, count: 1, rows: [2], maxAbs: 1e6 },
    ]);
    expect(float16Overflows([f32([2, 2], [FLOAT16_MAX, -FLOAT16_MAX, 0, 1])], ['x'])).to.deep.equal([]);
  });

  it('counts NaN and infinite predictions for fault messages', () => {
    expect(nonFiniteNote({ output0: f32([3, 1], [Number.NaN, Number.NaN, Infinity]) })).to.equal(' (2 NaN, 1 infinite)');
    expect(nonFiniteNote({ output0: f32([1, 1], [0.5]) })).to.equal('');
  });

  describe('as a property of a recorded golden', () => {
    let store: GoldenStore;
    before(async () => {
      store = new GoldenStore(await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-f16-')));
    });
    after(() => rm(store.root, { recursive: true, force: true }));

    function amounts(name: string, overrides: Partial<TrainedScenario>): LoadedScenario {
      const definition: TrainedScenario = {
        name,
        description: 'test',
        seed: 5,
        data: ({ rng }) => {
          const x = Array.from({ length: 40 }, () => [1e5 + 9e5 * rng(), 10 * rng()]);
          return { train: { x, y: x.map(([a, b]) => [a! / 1e6 + b! / 10]) }, probes: x.slice(0, 4) };
        },
        model: ({ tf, inputShape }) => tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 1 })] }),
        train: { epochs: 1, batchSize: 10, loss: 'meanSquaredError' },
        ...overrides,
      };
      return { name, file: `${name}.scenario.ts`, sourceHash: 'f'.repeat(64), definition };
    }
    async function property(s: LoadedScenario) {
      const r = await recordGolden({ runtime: inProcessExecutors(runtime), store, scenario: s, update: 'missing', backends: ['cpu'] });
      expect(r.status, r.reason).to.equal('recorded');
      const ctx = new ScenarioContext(inProcessExecutors(runtime), store, s);
      return runCheck(ctx, 'property float16-range', { runtime: runtime.name, backend: 'cpu' });
    }

    it('fails for raw amounts fed to the model, naming the input feature and the probe rows', async () => {
      const o = await property(amounts('raw-amounts', {}));
      expect(o.status).to.equal('fail');
      expect(o.reason).to.match(/1 input feature\(s\) exceed float16's 65504/);
      expect(o.reason).to.match(/feature 0: \|value\| up to \d\.\d+e\+5 in probes row\(s\) 0, 1, 2, 3/);
      expect(o.reason)
        .to.match(/webgl-f16/)
        .and.match(/standardScaler/);
    });

    it('passes once a scaler brings them into range', async () => {
      const o = await property(amounts('scaled-amounts', { preprocessing: [standardScaler()] }));
      expect(o.status, o.reason).to.equal('pass');
    });
  });

  it('large-amounts: its probes fit in float16 only through the scaler; without it, every feature overflows', async () => {
    const s = await loadScenarioFile(path.join(root, 'scenarios', 'large-amounts.scenario.ts'));
    const ctx = new ScenarioContext(inProcessExecutors(runtime), new GoldenStore(path.join(root, 'goldens')), s);
    const probes = (await ctx.probes()).inputs;
    const { preprocessing, model } = await ctx.withGolden('cpu', (l) => l);
    expect(float16Overflows(modelInputs(preprocessing, probes, model, s.definition), model.inputNames)).to.deep.equal([]);
    const dropped = float16Overflows(modelInputs({ steps: [] }, probes, model, s.definition), model.inputNames);
    expect(dropped.map((o) => [o.feature, o.count])).to.deep.equal([
      [0, 16],
      [1, 16],
      [2, 16],
    ]);
    const o = await runCheck(ctx, 'property float16-range', { runtime: runtime.name, backend: 'cpu' });
    expect(o.status, o.reason).to.equal('pass');
  });
});
