// What record refuses to turn into a golden: data that is not finite, outputs that are not finite,
// and outputs that ignore the input. Each would make every later check pass on a broken model.
import type { ScenarioData } from '../scenario/define-scenario.ts';
import type { Example, Value } from '../types/example.ts';
import type { Predictions } from '../types/tensor-data.ts';

/** The first non-finite number in raw rows, as a path like `[12][3]` or `[4].sensors[0]`. */
function firstNonFinite(v: unknown, at: string): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${at} is ${v}`;
  if (Array.isArray(v)) {
    for (const [i, c] of v.entries()) {
      const found = firstNonFinite(c, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (v && typeof v === 'object') {
    for (const [k, c] of Object.entries(v)) {
      const found = firstNonFinite(c, `${at}.${k}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** Refuses NaN or infinite training inputs or targets, naming the field. */
export function nonFiniteData(data: ScenarioData): string | undefined {
  const x = firstNonFinite(data.train.x, 'data().train.x');
  if (x) return `${x}; training on it records a golden of NaN. Fix or drop those rows in data()`;
  const y = firstNonFinite(data.train.y, 'data().train.y');
  if (y) return `${y}; training on it records a golden of NaN. Fix or drop those targets in data()`;
  return undefined;
}

/** Refuses NaN or infinite predictions unless the scenario declares them expected. */
export function nonFiniteOutputs(p: Predictions, backend: string, allowed: boolean): string | undefined {
  if (allowed) return undefined;
  for (const [key, t] of Object.entries(p)) {
    const i = t.values.findIndex((v) => !Number.isFinite(v));
    if (i >= 0)
      return `outputs ${key} on ${backend}: value ${i} is ${t.values[i]}; a golden of NaN or Infinity passes every later check. Fix the model or its inputs, or declare allowNonFinite: true in the scenario if this is intended`;
  }
  return undefined;
}

const sameRow = (a: Value | Example, b: Value | Example) => JSON.stringify(a) === JSON.stringify(b);

/** Refuses outputs that are bit-identical for every probe when the probes differ: the model ignores its input. */
export function constantOutputs(p: Predictions, probes: Example[]): string | undefined {
  if (probes.length < 2 || probes.every((r) => sameRow(r, probes[0]!))) return undefined;
  for (const [key, t] of Object.entries(p)) {
    if (key.endsWith('.labels') || t.shape[0] !== probes.length) continue;
    const per = t.values.length / probes.length;
    const first = t.values.subarray(0, per);
    const constant = probes.every((_, r) => t.values.subarray(r * per, (r + 1) * per).every((v, j) => Object.is(v, first[j])));
    if (constant)
      return `outputs ${key}: every probe gets the same ${per === 1 ? 'value' : 'values'} (${Array.from(first.slice(0, 4)).join(', ')}) though the probes differ: the model does not depend on its input (dead units, a saturated activation, a learning rate too high?). Fix the model or its training, then record again`;
  }
  return undefined;
}
