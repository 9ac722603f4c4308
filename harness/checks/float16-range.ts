// The `float16-range` property: what the model is fed (after preprocessing) must fit in float16, as
// on a phone whose WebGL has only half-float textures (`webgl-f16`). Past 65504 a value is stored as
// Infinity, and the predictions become NaN: a dropped scaler on a phone shows as NaN, not garbage.
import fc from 'fast-check';
import type { PreprocessingState } from '../preprocessing/pipeline.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { Example } from '../types/example.ts';
import type { Predictions, TensorData } from '../types/tensor-data.ts';
import { modelInputs, scenarioData } from './model-ops.ts';
import { inputArbitrary } from './input-domain.ts';
import type { ScenarioContext } from './scenario-context.ts';

/** The largest finite float16. */
export const FLOAT16_MAX = 65504;

export interface Float16Overflow {
  input: string;
  /** Index along the last axis (the feature of a row of numbers). */
  feature: number;
  /** Values of this feature beyond ±65504, and the rows they are in. */
  count: number;
  rows: number[];
  maxAbs: number;
}

/** Every input feature holding a value beyond ±65504 (NaN is not an overflow: it stays NaN). */
export function float16Overflows(inputs: TensorData[], names: string[]): Float16Overflow[] {
  const found: Float16Overflow[] = [];
  inputs.forEach((t, k) => {
    const features = t.shape.length > 1 ? t.shape[t.shape.length - 1]! : 1;
    const perRow = t.values.length / (t.shape[0] || 1);
    const byFeature = new Map<number, Float16Overflow>();
    t.values.forEach((v, i) => {
      if (!(Math.abs(v) > FLOAT16_MAX)) return;
      const feature = i % features;
      const row = Math.floor(i / perRow);
      let o = byFeature.get(feature);
      if (!o) byFeature.set(feature, (o = { input: names[k] ?? `input ${k}`, feature, count: 0, rows: [], maxAbs: 0 }));
      o.count++;
      o.maxAbs = Math.max(o.maxAbs, Math.abs(v));
      if (o.rows.at(-1) !== row) o.rows.push(row);
    });
    found.push(...[...byFeature.values()].sort((a, b) => a.feature - b.feature));
  });
  return found;
}

const list = (rows: number[]) => (rows.length > 6 ? `${rows.slice(0, 6).join(', ')}, … (${rows.length} rows)` : rows.join(', '));

/** One line per overflowing feature: which input and feature, how large, in which rows. */
export function describeOverflows(overflows: Float16Overflow[], where: string): string {
  const lines = overflows.map(
    (o) => `input ${o.input} feature ${o.feature}: |value| up to ${o.maxAbs.toExponential(3)} in ${where} row(s) ${list(o.rows)}`,
  );
  return (
    `${overflows.length} input feature(s) exceed float16's ${FLOAT16_MAX} after preprocessing, so a half-float GPU ` +
    `(webgl-f16, many phones) stores them as Infinity and predicts NaN:\n    ${lines.join('\n    ')}\n  ` +
    "scale them before the model (e.g. standardScaler() or log1p in the scenario's preprocessing) and keep that step in the bundle"
  );
}

/** NaN and infinities among predictions, for a message (" (16 NaN)"); empty when every value is finite. */
export function nonFiniteNote(predictions: Predictions): string {
  let nan = 0;
  let inf = 0;
  for (const t of Object.values(predictions))
    for (const v of t.values) {
      if (Number.isNaN(v)) nan++;
      else if (!Number.isFinite(v)) inf++;
    }
  const parts = [nan ? `${nan} NaN` : '', inf ? `${inf} infinite` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/**
 * The property: the golden's probes, then rows of the input domain, through the golden's persisted
 * preprocessing, hold no value beyond ±65504. Needs no model run, so it costs the same on every backend.
 */
export async function float16RangeProperty(ctx: ScenarioContext, backend: BackendName): Promise<fc.IAsyncProperty<[Example[]]>> {
  const def = ctx.scenario.definition;
  const probes = (await ctx.probes()).inputs;
  // Only the persisted preprocessing and the input names are needed: the handle is data once disposed.
  const { preprocessing: state, model } = await ctx.withGolden(backend, (l) => l);
  const through = (s: PreprocessingState, rows: Example[]) => modelInputs(s, rows, model, def);
  const inProbes = float16Overflows(through(state, probes), model.inputNames);
  const n = def.predictBatchSize;
  const rows = fc.array(inputArbitrary(scenarioData(def).train.x), n ? { minLength: n, maxLength: n } : { minLength: 1, maxLength: 6 });
  return fc.asyncProperty(rows, async (batch) => {
    if (inProbes.length) throw new Error(describeOverflows(inProbes, 'probes'));
    const found = float16Overflows(through(state, batch), model.inputNames);
    if (found.length) throw new Error(describeOverflows(found, 'input domain'));
  });
}
