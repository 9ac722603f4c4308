// The `quantized <dtype>` checks: the golden bundle's weights quantized at test time as the converter
// does (float16, uint16, uint8), reloaded on the backend, and its predictions compared with the same
// backend's float golden outputs under the tolerance level of that name. Argmax labels (scenarios
// with `labels`) compare exactly, so a label that flips fails unless the scenario's tolerance allows it.
import { readBundleDir } from '../bundle/bundle-dir.ts';
import type { ToleranceLevel } from '../compare/tolerance.ts';
import type { BackendName } from '../runtime/backends.ts';
import { inStep } from '../runtime/step.ts';
import { predict, type Predictions } from './model-ops.ts';
import { quantizeBundle, type QuantizationName } from './quantize-weights.ts';
import type { ScenarioContext } from './scenario-context.ts';

export { quantizationNames, type QuantizationName } from './quantize-weights.ts';

export async function quantizedPair(
  ctx: ScenarioContext,
  backend: BackendName,
  dtype: QuantizationName,
): Promise<{ actual: Predictions; expected: Predictions; level: ToleranceLevel }> {
  const expected = await ctx.expected(backend);
  const probes = await ctx.probes();
  const dir = ctx.store.bundleDir(ctx.scenario.name);
  const { files } = await inStep(`read bundle ${dir}`, () => readBundleDir(dir));
  const exec = ctx.executor(backend);
  const def = ctx.scenario.definition;
  const loaded = await exec.load(quantizeBundle(files, dtype), {
    format: 'memory',
    scenario: def,
    where: `${dir} (weights quantized to ${dtype})`,
  });
  try {
    const actual = await predict(exec, loaded.model, loaded.preprocessing, probes.inputs, def);
    return { actual, expected: expected.outputs, level: dtype };
  } finally {
    await exec.dispose(loaded.model);
  }
}
