// The input contract through the checks: record writes it, replay enforces it, the two input faults
// are detected, the property holds, and a golden recorded before contracts still replays.
import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { minMaxScaler } from '../index.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { TrainedScenario } from '../scenario/define-scenario.ts';
import type { LoadedScenario } from '../scenario/discover-scenarios.ts';
import { runCheck } from './checks.ts';
import { recordGolden } from './record-golden.ts';
import { ScenarioContext } from './scenario-context.ts';

const executors = inProcessExecutors(await loadRuntime());
const cpu = { runtime: executors.name, backend: 'cpu' };

function scenario(name: string, overrides: Partial<TrainedScenario> = {}): LoadedScenario {
  const definition: TrainedScenario = {
    name,
    description: 'test',
    seed: 5,
    data: ({ rng }) => {
      const x = Array.from({ length: 40 }, () => [rng() * 10, 200 + rng() * 50]);
      return { train: { x, y: x.map(([a, b]) => [a! / 5 - (b! - 225) / 25]) }, probes: x.slice(0, 6) };
    },
    preprocessing: [minMaxScaler()],
    model: ({ tf, inputShape }) =>
      tf.sequential({ layers: [tf.layers.dense({ inputShape, units: 6, activation: 'relu' }), tf.layers.dense({ units: 1 })] }),
    train: { epochs: 3, batchSize: 10, loss: 'meanSquaredError' },
    ...overrides,
  };
  return { name, file: `scenarios/${name}.scenario.ts`, sourceHash: 'd'.repeat(64), definition };
}
// Probes far below the training range: 40 units below a 10-wide feature.
const outOfRange =
  (data: TrainedScenario['data']): TrainedScenario['data'] =>
  (ctx) => {
    const d = data(ctx);
    return { ...d, probes: [...d.probes, [-40, 220]] };
  };

describe('input contract in the checks', () => {
  let store: GoldenStore;
  const contexts: ScenarioContext[] = [];
  before(async () => {
    store = new GoldenStore(await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-contract-')));
  });
  after(async () => {
    for (const c of contexts) await c.dispose();
    await rm(store.root, { recursive: true, force: true });
  });
  async function record(s: LoadedScenario) {
    return recordGolden({ runtime: executors, store, scenario: s, update: 'all', backends: ['cpu'] });
  }
  function context(s: LoadedScenario): ScenarioContext {
    const ctx = new ScenarioContext(executors, new GoldenStore(store.root), s);
    contexts.push(ctx);
    return ctx;
  }
  async function editProbes(name: string, edit: (json: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
    const file = path.join(store.dir(name), 'probes.json');
    await writeFile(file, JSON.stringify(edit(JSON.parse(await readFile(file, 'utf8')))));
  }

  it('record writes the contract; replay, the two input faults and the property pass', async () => {
    const s = scenario('contract-ok');
    expect((await record(s)).status).to.equal('recorded');
    const contract = (await store.readProbes('contract-ok')).contract!;
    expect(contract.inputs).to.have.length(1);
    expect(contract.inputs[0]).to.include({ dtype: 'float32', ranges: 'per-feature' });
    expect(contract.inputs[0]!.shape).to.deep.equal([2]);
    const ctx = context(s);
    expect((await runCheck(ctx, 'replay', { ...cpu, format: 'memory' })).status).to.equal('pass');
    const dtype = await runCheck(ctx, 'fault input-dtype', cpu);
    expect(dtype.status).to.equal('pass');
    expect(dtype.detail).to.match(
      /^detected: refused by the input contract: contract-ok: probes: input 0 dtype must be float32 .*got int32 \(the outputs alone: (did not move|output0: \d+ of \d+ values moved past .*)\)$/,
    );
    const range = await runCheck(ctx, 'fault input-range', cpu);
    expect(range.status).to.equal('pass');
    expect(range.detail).to.match(/^detected: input 0 rescaled to \[0, 255\]: output0: \d+ of \d+ values moved past/);
    expect((await runCheck(ctx, 'property input-contract', cpu)).status).to.equal('pass');
  });

  it('record refuses probes outside the training range unless the scenario declares extrapolation', async () => {
    const base = scenario('contract-far');
    const far = scenario('contract-far', { data: outOfRange(base.definition.data) });
    const refused = await record(far);
    expect(refused.status).to.equal('refused');
    expect(refused.reason).to.match(
      /^scenarios\/contract-far\.scenario\.ts: probes: input 0 feature 0 value -4\.\d+ \(row 6\) is outside the input contract's range \[-1, 2\]/,
    );
    const declared = scenario('contract-far', { data: outOfRange(base.definition.data), extrapolates: [0] });
    expect((await record(declared)).status).to.equal('recorded');
    const ctx = context(declared);
    expect((await runCheck(ctx, 'replay', { ...cpu, format: 'memory' })).status).to.equal('pass');
    // The same golden replayed by a scenario that no longer declares it: the contract refuses the probes.
    const undeclared = await runCheck(context(far), 'replay', { ...cpu, format: 'memory' });
    expect(undeclared.status).to.equal('fail');
    expect(undeclared.reason).to.match(
      /contract-far: probes: input 0 feature 0 value -4\.\d+ \(row 6\) is outside the input contract's range \[-1, 2\] \(training range \[0, 1\] widened by its width; .*contract-far\/probes\.json\)/,
    );
  });

  it('the property fails when the pipeline leaves the recorded range', async () => {
    const s = scenario('contract-narrow');
    expect((await record(s)).status).to.equal('recorded');
    // A contract recorded from a narrower training range than the pipeline now produces.
    await editProbes('contract-narrow', (json) => {
      const c = json.contract as { inputs: Array<{ min: number[]; max: number[] }> };
      return { ...json, contract: { inputs: [{ ...c.inputs[0], min: [0, 0], max: [0.1, 0.1] }] } };
    });
    const r = await runCheck(context(s), 'property input-contract', cpu);
    expect(r.status).to.equal('fail');
    expect(r.reason).to.match(
      /property input-contract failed: contract-narrow: input domain within the training range: input 0 feature \d value [\d.e-]+ \(row \d\) is outside the input contract's range \[-0\.1, 0\.2\]/,
    );
    expect(r.reason).to.match(/shrunk counterexample/);
  });

  it('a golden recorded before contracts still replays; the contract faults and property say why they cannot act', async () => {
    const s = scenario('contract-old');
    expect((await record(s)).status).to.equal('recorded');
    await editProbes('contract-old', ({ contract: _dropped, ...json }) => json);
    expect((await store.readProbes('contract-old')).contract).to.equal(undefined);
    const ctx = context(s);
    expect((await runCheck(ctx, 'replay', { ...cpu, format: 'memory' })).status).to.equal('pass');
    const dtype = await runCheck(ctx, 'fault input-dtype', cpu);
    expect(dtype.status).to.equal('fail');
    expect(dtype.reason).to.match(
      /UNDETECTED: .*the golden predates input contracts, so nothing checks the input dtype; re-record it to add one \(npx tfjs-repro record contract-old --update all\)/,
    );
    const property = await runCheck(ctx, 'property input-contract', cpu);
    expect(property.status).to.equal('not-applicable');
    expect(property.reason).to.match(/predates input contracts/);
    // input-range does not need the contract: it is judged by the outputs.
    expect((await runCheck(ctx, 'fault input-range', cpu)).status).to.equal('pass');
  });
});
