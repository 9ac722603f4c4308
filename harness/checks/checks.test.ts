// The checks themselves must be able to fail: a leaking model, insensitive probes.
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoldenStore } from '../golden/golden-store.ts';
import { perRuntime, standardScaler } from '../index.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import { stepDefinition } from '../preprocessing/define-step.ts';
import type { StandardScalerState } from '../preprocessing/steps.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { runCheck } from './checks.ts';
import { recordGolden } from './record-golden.ts';
import { ScenarioContext } from './scenario-context.ts';

const runtime = await loadRuntime();

function scenario(name: string, overrides: Partial<TrainedScenario> = {}): LoadedScenario {
  const definition: TrainedScenario = {
    name,
    description: 'test',
    seed: 3,
    data: ({ rng }) => {
      const x = Array.from({ length: 40 }, () => [rng() * 10, rng() * 100 - 50, rng()]);
      return { train: { x, y: x.map(([a, b, c]) => [a! - b! / 10 + c!]) }, probes: x.slice(0, 6) };
    },
    preprocessing: [standardScaler()],
    model: ({ tf, inputShape }) =>
      tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 4, activation: 'relu' }), tf.layers.dense({ units: 1 })] }),
    train: { epochs: 2, batchSize: 10, loss: 'meanSquaredError' },
    ...overrides,
  };
  return { name, file: `${name}.scenario.ts`, sourceHash: 'c'.repeat(64), definition };
}

describe('checks can fail', () => {
  let store: GoldenStore;
  beforeEach(async () => {
    store = new GoldenStore(await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-checks-')));
  });
  afterEach(() => rm(store.root, { recursive: true, force: true }));

  async function recorded(s: LoadedScenario): Promise<ScenarioContext> {
    const r = await recordGolden({ runtime: inProcessExecutors(runtime), store, scenario: s, update: 'missing', backends: ['cpu'] });
    expect(r.status, r.reason).to.equal('recorded');
    return new ScenarioContext(inProcessExecutors(runtime), store, s);
  }

  it('hygiene: a model that leaks a tensor per prediction fails replay, naming the scenario and check', async () => {
    const leaky = perRuntime(
      (tf) =>
        class LeakyIdentity extends tf.layers.Layer {
          static className = 'LeakyIdentity';
          override call(inputs: Tensor | Tensor[]): Tensor {
            tf.keep(tf.ones([1]));
            return tf.clone(Array.isArray(inputs) ? inputs[0]! : inputs);
          }
        },
    );
    const s = scenario('leaky', {
      customObjects: (tf) => [leaky(tf)],
      model: ({ tf, inputShape }) => tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 1 }), new (leaky(tf))({})] }),
    });
    const ctx = await recorded(s);
    const o = await runCheck(ctx, 'replay', { runtime: runtime.name, backend: 'cpu', format: 'memory' });
    expect(o.status).to.equal('fail');
    expect(o.reason).to.match(/leaked \d+ tensor\(s\): scenario leaky, check replay/);
    // Training leaks too (the layer runs on every batch): the check that asked for training says so.
    const retrain = await runCheck(ctx, 'retrain', { runtime: runtime.name, backend: 'cpu' });
    expect(retrain.reason).to.match(/leaked \d+ tensor\(s\): scenario leaky, check retrain/);
    await ctx.dispose();
  });

  it('faults: probes that cannot tell features apart leave features-permuted UNDETECTED, with advice', async () => {
    // Every probe feature equal: rotating the columns changes nothing the model can see.
    const s = scenario('flat-probes', {
      data: ({ rng }) => {
        const x = Array.from({ length: 40 }, () => [rng() * 10, rng() * 100 - 50, rng()]);
        return {
          train: { x, y: x.map(([a, b, c]) => [a! - b! / 10 + c!]) },
          probes: [
            [1, 1, 1],
            [2, 2, 2],
          ],
        };
      },
      // The third feature lies in [0, 1] in training: probes of 2 leave its range, on purpose.
      extrapolates: true,
    });
    const ctx = await recorded(s);
    const o = await runCheck(ctx, 'fault features-permuted', { runtime: runtime.name, backend: 'cpu' });
    expect(o.status).to.equal('fail');
    expect(o.reason).to.match(/^UNDETECTED: the probes do not notice features-permuted; add probes whose features differ/);
    const detected = await runCheck(ctx, 'fault preprocessing-dropped', { runtime: runtime.name, backend: 'cpu' });
    expect(detected.status, detected.reason).to.equal('pass');
    expect(detected.detail).to.match(/^detected: output0: \d+ of 2 values moved past/);
    await ctx.dispose();
  });

  it('properties: a step whose persisted state drops to float16 fails with a shrunk counterexample and a replay that reproduces it', async () => {
    const toFloat16 = (x: number) => {
      if (x === 0 || !Number.isFinite(x)) return x;
      const step = 2 ** (Math.floor(Math.log2(Math.abs(x))) - 10);
      return Math.round(x / step) * step;
    };
    // The registered definition (the registry is global), not this module's copy of it.
    const scaler = stepDefinition('standardScaler') as unknown as { persist?: (s: StandardScalerState) => StandardScalerState };
    scaler.persist = (st) => ({ mean: st.mean.map(toFloat16), std: st.std.map(toFloat16) });
    try {
      const ctx = await recorded(scenario('float16-state'));
      const check = 'property preprocessing-state' as const;
      const first = await runCheck(ctx, check, { runtime: runtime.name, backend: 'cpu' });
      expect(first.status).to.equal('fail');
      expect(first.reason).to.match(/shrunk counterexample:\n {2}arg 0: \d+ row\(s\)\n {4}\[0\] \[/);
      const replay = /--seed (-?\d+) --path "([\d:]+)"/.exec(first.reason!);
      expect(replay, first.reason).to.not.equal(null);
      expect(first.reason).to.contain(`npx tfjs-repro run float16-state --backend cpu --check "${check}"`);
      const again = await runCheck(ctx, check, { runtime: runtime.name, backend: 'cpu' }, { seed: Number(replay![1]), path: replay![2]! });
      expect(again.status).to.equal('fail');
      const counterexample = (r: string) => r.slice(r.indexOf('shrunk counterexample'), r.indexOf('seed '));
      expect(counterexample(again.reason!)).to.equal(counterexample(first.reason!));
      await ctx.dispose();
    } finally {
      delete scaler.persist;
    }
  });
});
