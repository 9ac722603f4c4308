// Degenerate goldens are refused at record time: non-finite data or outputs, outputs that ignore the input.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { standardScaler } from '../index.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import { recordGolden } from './record-golden.ts';

const executors = inProcessExecutors(await loadRuntime());

function scenario(overrides: Partial<TrainedScenario>): LoadedScenario {
  const definition: TrainedScenario = {
    name: 'degenerate',
    description: 'test',
    seed: 5,
    data: ({ rng }) => {
      const x = Array.from({ length: 30 }, () => [rng() * 10, rng() * 4 - 2]);
      return { train: { x, y: x.map(([a, b]) => [a! + b!]) }, probes: x.slice(0, 5) };
    },
    preprocessing: [standardScaler()],
    model: ({ tf, inputShape }) => tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 1 })] }),
    train: { epochs: 1, batchSize: 10, loss: 'meanSquaredError' },
    ...overrides,
  };
  return { name: 'degenerate', file: 'scenarios/degenerate.scenario.ts', sourceHash: 'd'.repeat(64), definition };
}

describe('record refuses degenerate goldens', () => {
  let store: GoldenStore;
  beforeEach(async () => {
    store = new GoldenStore(await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-degenerate-')));
  });
  afterEach(() => rm(store.root, { recursive: true, force: true }));
  const record = (s: LoadedScenario) => recordGolden({ runtime: executors, store, scenario: s, update: 'missing', backends: ['cpu'] });

  it('refuses NaN in the training data, naming the file and the field, and writes nothing', async () => {
    const r = await record(
      scenario({
        data: () => ({
          train: {
            x: [
              [1, 2],
              [3, NaN],
              [5, 6],
            ],
            y: [[1], [2], [3]],
          },
          probes: [
            [1, 2],
            [3, 4],
          ],
        }),
      }),
    );
    expect(r.status).to.equal('refused');
    expect(r.reason).to.contain('scenarios/degenerate.scenario.ts: data().train.x[1][1] is NaN');
    expect(await store.has('degenerate')).to.equal(false);
  });

  it('refuses an infinite training target', async () => {
    const r = await record(
      scenario({
        data: () => ({
          train: {
            x: [
              [1, 2],
              [3, 4],
            ],
            y: [[1], [Infinity]],
          },
          probes: [
            [1, 2],
            [3, 4],
          ],
        }),
      }),
    );
    expect(r.status).to.equal('refused');
    expect(r.reason).to.contain('data().train.y[1][0] is Infinity');
  });

  it('refuses outputs that are the same for every probe, and says the model ignores its input', async () => {
    const r = await record(
      scenario({
        model: ({ tf, inputShape }) =>
          tf.sequential({
            layers: [
              tf.layers.dense({ inputShape, units: 1, kernelInitializer: 'zeros', trainable: false, useBias: false }),
              tf.layers.dense({ units: 1 }),
            ],
          }),
      }),
    );
    expect(r.status).to.equal('refused');
    expect(r.reason).to.match(/outputs output0: every probe gets the same value .* the model does not depend on its input/);
  });

  it('refuses non-finite outputs unless the scenario declares allowNonFinite', async () => {
    // One probe beyond float32's range after summing: its output overflows while the others stay finite.
    const overflow = scenario({
      preprocessing: [],
      data: ({ rng }) => {
        const x = Array.from({ length: 30 }, () => [rng() * 10, rng() * 4 - 2]);
        return {
          train: { x, y: x.map(([a, b]) => [a! + b!]) },
          probes: [
            [1, 2],
            [3, 4],
            [3e38, 3e38],
          ],
        };
      },
      // The overflowing probe is far outside the training range on purpose.
      extrapolates: true,
      model: ({ tf, inputShape }) =>
        tf.sequential({
          layers: [
            tf.layers.dense({ inputShape, units: 1, kernelInitializer: 'ones', useBias: false, trainable: false }),
            tf.layers.dense({ units: 1, kernelInitializer: 'ones' }),
          ],
        }),
    });
    const refused = await record(overflow);
    expect(refused.status).to.equal('refused');
    expect(refused.reason).to.match(/outputs output0 on cpu: value 2 is (NaN|-?Infinity).*declare allowNonFinite: true/);
    const allowed = await record(scenario({ ...overflow.definition, allowNonFinite: true }));
    expect(allowed.status, allowed.reason).to.equal('recorded');
  });
});
