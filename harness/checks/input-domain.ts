// The default input domain of a scenario, derived from its raw training rows: numbers within half a
// range beyond what training saw, per feature; text from the fitted vocabulary plus unknown words.
import fc from 'fast-check';
import { column } from '../preprocessing/rows.ts';
import { isNamed, type Example, type Value } from '../types/example.ts';

const UNKNOWN_WORDS = ['zebra', 'quux', 'xylophone'];

function numericFeatureRanges(rows: Value[]): { min: number[]; max: number[] } {
  const min: number[] = [];
  const max: number[] = [];
  const visit = (v: Value): void => {
    if (!Array.isArray(v)) return;
    if (v.length && !Array.isArray(v[0])) {
      (v as number[]).forEach((x, i) => {
        min[i] = Math.min(min[i] ?? x, x);
        max[i] = Math.max(max[i] ?? x, x);
      });
    } else v.forEach(visit);
  };
  rows.forEach(visit);
  return { min, max };
}

/** How far numbers may reach past the training range, as a fraction of its width (half by default). */
export interface InputDomainOptions {
  beyond?: number;
}

/** Arbitrary rows shaped like the first training row (a value per input name for multi-input rows). */
export function inputArbitrary(trainRows: Example[], o: InputDomainOptions = {}): fc.Arbitrary<Example> {
  if (trainRows.some(isNamed)) {
    const names = Object.keys(trainRows[0] as object);
    return fc.record(
      Object.fromEntries(names.map((n) => [n, valueArbitrary(column(trainRows, n, 'data().train.x'), o.beyond ?? 0.5)])),
    ) as fc.Arbitrary<Example>;
  }
  return valueArbitrary(trainRows as Value[], o.beyond ?? 0.5);
}

function valueArbitrary(trainRows: Value[], beyond: number): fc.Arbitrary<Value> {
  const first = trainRows[0];
  if (typeof first === 'string') {
    const words = [...new Set(trainRows.flatMap((r) => String(r).toLowerCase().split(/\s+/).filter(Boolean))), ...UNKNOWN_WORDS];
    return fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 10 }).map((w) => w.join(' '));
  }
  const { min, max } = numericFeatureRanges(trainRows);
  const feature = (i: number) => {
    const span = max[i]! - min[i]! || 1;
    return fc.double({ min: min[i]! - span * beyond, max: max[i]! + span * beyond, noNaN: true, noDefaultInfinity: true });
  };
  const vector = fc.tuple(...min.map((_, i) => feature(i))) as fc.Arbitrary<number[]>;
  // Rows keep the training rows' shape: sequences of vectors, images of pixels, and so on.
  const nest = (v: Value | undefined): fc.Arbitrary<Value> =>
    Array.isArray(v) && Array.isArray(v[0]) ? fc.array(nest(v[0]), { minLength: v.length, maxLength: v.length }) : vector;
  return nest(first);
}
