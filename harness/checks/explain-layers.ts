// Traces drift to a layer: the golden bundle runs on two backends with every layer's output
// exposed, and the first layer whose output differs beyond the crossBackend tolerance is named.
import { isStateful } from '../bundle/load-bundle.ts';
import { compareTensors, type CompareOutcome } from '../compare/compare-tensors.ts';
import { resolveTolerance } from '../compare/tolerance.ts';
import type { TensorData } from '../types/tensor-data.ts';
import { applyPipeline } from '../preprocessing/pipeline.ts';
import type { BackendName } from '../runtime/backends.ts';
import { activateBackend } from '../runtime/load-runtime.ts';
import type { SymbolicTensor } from '../runtime/tf-types.ts';
import { inputData, toTensorData } from './model-ops.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface LayerDrift { layer: string; className: string; comparison: CompareOutcome }
export interface ExplainOutcome {
  scenario: string; backend: string; against: string; layers: LayerDrift[];
  /** The first layer beyond the crossBackend tolerance. */
  firstDivergent?: string;
  /** The first layer whose output is not bit-identical: where drift starts, even within tolerance. */
  firstDifferent?: string;
}

async function layerOutputs(ctx: ScenarioContext, backend: BackendName): Promise<{ names: string[]; classes: string[]; outputs: TensorData[] }> {
  await activateBackend(ctx.runtime, backend);
  const { tf } = ctx.runtime;
  const probes = (await ctx.probes()).inputs;
  return ctx.withGolden((loaded) => {
    const layers = loaded.model.layers.filter((l) => l.getClassName() !== 'InputLayer');
    const probe = tf.model({ inputs: loaded.model.inputs, outputs: layers.map((l) => l.output as SymbolicTensor) });
    const inputs = inputData(applyPipeline(loaded.preprocessing, probes), loaded.model.inputNames, `${ctx.scenario.name}: probes`);
    const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
    try {
      if (isStateful(loaded.model)) loaded.model.resetStates();
      const batchSize = ctx.scenario.definition.predictBatchSize;
      const out = probe.predict(xs.length === 1 ? xs[0]! : xs, batchSize ? { batchSize } : {});
      const list = Array.isArray(out) ? out : [out];
      const outputs = list.map(toTensorData);
      tf.dispose(list);
      return { names: layers.map((l) => l.name), classes: layers.map((l) => l.getClassName()), outputs };
    } finally {
      tf.dispose(xs);
    }
  });
}

export async function explainLayers(ctx: ScenarioContext, backend: BackendName, against: BackendName): Promise<ExplainOutcome> {
  const a = await layerOutputs(ctx, backend);
  const b = await layerOutputs(ctx, against);
  const layers = a.names.map((layer, i) => ({
    layer, className: a.classes[i]!,
    comparison: compareTensors(a.outputs[i]!, b.outputs[i]!, resolveTolerance('crossBackend', ctx.scenario.definition.tolerance, backend)),
  }));
  const first = layers.find((l) => !l.comparison.ok);
  const different = layers.find((l) => !l.comparison.ok || l.comparison.stats.maxAbsError > 0);
  return {
    scenario: ctx.scenario.name, backend, against, layers,
    ...(first ? { firstDivergent: first.layer } : {}), ...(different ? { firstDifferent: different.layer } : {}),
  };
}
