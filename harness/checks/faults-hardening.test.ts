// Faults only count against a clean baseline: with a broken golden, every fault is an error, never "detected".
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { standardScaler } from '../index.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import { runCheck } from './checks.ts';
import { faultNames } from './faults.ts';
import { recordGolden } from './record-golden.ts';
import { ScenarioContext } from './scenario-context.ts';

const executors = inProcessExecutors(await loadRuntime());
const scenario: LoadedScenario = {
  name: 'baseline',
  file: 'scenarios/baseline.scenario.ts',
  sourceHash: 'b'.repeat(64),
  definition: {
    name: 'baseline',
    description: 'test',
    seed: 9,
    data: ({ rng }) => {
      const x = Array.from({ length: 30 }, () => [rng() * 100, rng() * 4 - 2, rng()]);
      return { train: { x, y: x.map(([a, b, c]) => [a! / 50 + b! - c!]) }, probes: x.slice(0, 6) };
    },
    preprocessing: [standardScaler()],
    model: ({ tf, inputShape }) =>
      tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 4, activation: 'relu' }), tf.layers.dense({ units: 1 })] }),
    train: { epochs: 2, batchSize: 10, loss: 'meanSquaredError' },
  },
};

describe('faults need a clean baseline', () => {
  let store: GoldenStore;
  before(async () => {
    store = new GoldenStore(await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-baseline-')));
    expect((await recordGolden({ runtime: executors, store, scenario, update: 'missing', backends: ['cpu'] })).status).to.equal('recorded');
  });
  after(() => rm(store.root, { recursive: true, force: true }));

  async function faultsWithProbes(edit: (rows: number[][]) => unknown[]): Promise<Array<{ status: string; reason?: string }>> {
    const file = path.join(store.dir('baseline'), 'probes.json');
    const original = await readFile(file, 'utf8');
    const json = JSON.parse(original);
    await writeFile(file, JSON.stringify({ ...json, inputs: edit(json.inputs) }));
    try {
      const ctx = new ScenarioContext(executors, new GoldenStore(store.root), scenario);
      const outcomes = [];
      for (const f of faultNames) outcomes.push(await runCheck(ctx, `fault ${f}`, { runtime: executors.name, backend: 'cpu' }));
      await ctx.dispose();
      return outcomes;
    } finally {
      await writeFile(file, original);
    }
  }

  it('a changed probe value makes every applicable fault an error naming the baseline, not "detected"', async () => {
    const outcomes = await faultsWithProbes((rows) => rows.map((r, i) => (i === 2 ? [r[0]! + 10, r[1]!, r[2]!] : r)));
    const applicable = outcomes.filter((o) => o.status !== 'not-applicable');
    expect(applicable.length).to.be.greaterThan(0);
    for (const o of applicable) {
      expect(o.status).to.equal('fail');
      expect(o.reason).to.match(/unfaulted golden does not match its outputs/);
    }
  });

  it('a probe row of the wrong width makes every fault fail, none detected', async () => {
    const outcomes = await faultsWithProbes((rows) => rows.map((r, i) => (i === 1 ? [...r, 7] : r)));
    expect(outcomes.filter((o) => o.status === 'pass')).to.deep.equal([]);
    expect(outcomes.filter((o) => o.status === 'fail').length).to.be.greaterThan(0);
  });
});
