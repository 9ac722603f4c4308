// A user's app that registers a hand-written stand-in for a custom layer (plain relu for ReluPlus, which
// is relu + 0.1) loads without error and predicts something else: diagnose must name the stand-in.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureCli } from '../cli/capture-cli.ts';
import { appPredictions } from './golden-app.fixture.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import type { Tensor } from '../runtime/tf-types.ts';

const SCENARIO = 'custom-activation';

/** Loads the golden bundle with `ReluPlus` registered as plain relu, scales the probes as the bundle says, predicts. */
async function appWithPlainRelu(): Promise<number[][]> {
  const { tf } = await loadRuntime();
  await tf.setBackend('cpu');
  class ReluPlus extends tf.layers.Layer {
    static className = 'ReluPlus';
    override call(inputs: Tensor | Tensor[]): Tensor {
      return tf.relu(Array.isArray(inputs) ? inputs[0]! : inputs);
    }
  }
  const map = (tf.serialization.SerializationMap as unknown as { getMap(): { classNameMap: Record<string, unknown> } }).getMap()
    .classNameMap;
  const saved = map.ReluPlus;
  tf.serialization.registerClass(ReluPlus);
  try {
    type MinMax = { min: number[]; max: number[] };
    return await appPredictions<MinMax>(SCENARIO, (r, { min, max }) => r.map((v, i) => (v - min[i]!) / (max[i]! - min[i]!)));
  } finally {
    if (saved) map.ReluPlus = saved;
    else delete map.ReluPlus;
  }
}

describe('diagnose: a custom layer replaced by a plain built-in', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-diagnose-builtin-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('names ReluPlus replaced by relu first', async () => {
    const file = path.join(dir, 'plain-relu.json');
    await writeFile(file, JSON.stringify(await appWithPlainRelu()));
    const r = await captureCli(['diagnose', SCENARIO, '--obtained', file, '-b', 'cpu', '--no-pairs', '--no-versions'], { CI: undefined });
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout.split('\n')[1]).to.match(/^most likely: custom layer ReluPlus replaced by its plain base: relu — reproduces them/);
  });
});
