// Traces drift to a layer: the golden bundle runs on two backends with every layer's output
// exposed, and the first layer whose output differs beyond the crossBackend tolerance is named.
import { compareTensors, type CompareOutcome } from '../compare/compare-tensors.ts';
import { resolveTolerance } from '../compare/tolerance.ts';
import type { LayerOutputs } from '../executor/executor.ts';
import type { BackendName } from '../runtime/backends.ts';
import { modelInputs } from './model-ops.ts';
import type { ScenarioContext } from './scenario-context.ts';

export interface LayerDrift {
  layer: string;
  className: string;
  comparison: CompareOutcome;
}
export interface ExplainOutcome {
  scenario: string;
  backend: string;
  against: string;
  layers: LayerDrift[];
  /** The first layer beyond the crossBackend tolerance. */
  firstDivergent?: string;
  /** The first layer whose output is not bit-identical: where drift starts, even within tolerance. */
  firstDifferent?: string;
}

async function layerOutputs(ctx: ScenarioContext, backend: BackendName): Promise<LayerOutputs> {
  const probes = (await ctx.probes()).inputs;
  const exec = ctx.executor(backend);
  return ctx.withGolden(backend, (loaded) =>
    exec.layerOutputs(
      loaded.model,
      modelInputs(loaded.preprocessing, probes, loaded.model, ctx.scenario.definition),
      ctx.scenario.definition.predictBatchSize,
    ),
  );
}

export async function explainLayers(ctx: ScenarioContext, backend: BackendName, against: BackendName): Promise<ExplainOutcome> {
  const a = await layerOutputs(ctx, backend);
  const b = await layerOutputs(ctx, against);
  const layers = a.names.map((layer, i) => ({
    layer,
    className: a.classes[i]!,
    comparison: compareTensors(a.outputs[i]!, b.outputs[i]!, resolveTolerance('crossBackend', ctx.scenario.definition.tolerance, backend)),
  }));
  const first = layers.find((l) => !l.comparison.ok);
  const different = layers.find((l) => !l.comparison.ok || l.comparison.stats.maxAbsError > 0);
  return {
    scenario: ctx.scenario.name,
    backend,
    against,
    layers,
    ...(first ? { firstDivergent: first.layer } : {}),
    ...(different ? { firstDifferent: different.layer } : {}),
  };
}
