// The first built-in steps. Their arithmetic (and so their bits) is what existing goldens were
// recorded with: do not change it. Arithmetic is in JavaScript doubles, identical on every backend.
import { z } from 'zod';
import { defineStep, type NoOptions } from './define-step.ts';
import { mapFeatures, perFeature } from './rows.ts';
import type { Value } from '../types/example.ts';

const numbers = z.array(z.number());
const columns = { columns: z.array(z.number().int().nonnegative()).optional() };
export const noOptions = z.object(columns).strict();
export const sum = (c: number[]) => c.reduce((a, b) => a + b, 0);

export interface StandardScalerState {
  mean: number[];
  std: number[];
}
export const standardScaler = defineStep<NoOptions, StandardScalerState>({
  kind: 'standardScaler',
  options: noOptions as never,
  state: z.object({ mean: numbers, std: numbers }),
  fit(rows) {
    const mean = perFeature(rows, (c) => sum(c) / c.length);
    const std = perFeature(rows, (c) => {
      const m = sum(c) / c.length;
      const s = Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / c.length);
      return s === 0 ? 1 : s; // a constant feature must not divide by zero
    });
    return { mean, std };
  },
  transform: (rows, { mean, std }) => mapFeatures(rows, (v, i) => (v - mean[i]!) / std[i]!),
  perturb: (st, by) => ({ ...st, mean: st.mean.map((m, i) => m + by * st.std[i]!) }),
});

export interface MinMaxScalerState {
  min: number[];
  max: number[];
}
export const minMaxScaler = defineStep<NoOptions, MinMaxScalerState>({
  kind: 'minMaxScaler',
  options: noOptions as never,
  state: z.object({ min: numbers, max: numbers }),
  // reduce, not Math.min(...c): spreading a large column overflows the call stack.
  fit: (rows) => ({
    min: perFeature(rows, (c) => c.reduce((a, b) => Math.min(a, b), Infinity)),
    max: perFeature(rows, (c) => c.reduce((a, b) => Math.max(a, b), -Infinity)),
  }),
  // Values outside the fitted range map outside [0, 1] on purpose: clipping would hide drift.
  transform: (rows, { min, max }) =>
    mapFeatures(rows, (v, i) => {
      const span = max[i]! - min[i]!;
      return span === 0 ? 0 : (v - min[i]!) / span;
    }),
  perturb: (st, by) => ({ ...st, min: st.min.map((m, i) => m + by * (st.max[i]! - m)) }),
});

export interface VocabularyOptions {
  maxLength: number;
  maxTokens?: number;
}
export interface VocabularyState {
  tokens: string[];
}
const PAD = 0;
const OOV = 1;
function tokenize(row: Value): string[] {
  if (typeof row === 'string') return row.toLowerCase().split(/\s+/).filter(Boolean);
  if (Array.isArray(row) && row.every((t) => typeof t === 'string')) return row as string[];
  throw new Error(`vocabulary: each row must be a string or an array of strings; got ${JSON.stringify(row)}`);
}
export const vocabulary = defineStep<VocabularyOptions, VocabularyState>({
  kind: 'vocabulary',
  // Text has no feature axis, so `columns` does not apply; give text its own named input instead.
  options: z.object({ maxLength: z.number().int().positive(), maxTokens: z.number().int().positive().optional() }).strict(),
  state: z.object({ tokens: z.array(z.string()) }),
  fit(rows, { maxTokens }) {
    const counts = new Map<string, number>();
    for (const row of rows) for (const t of tokenize(row)) counts.set(t, (counts.get(t) ?? 0) + 1);
    // Frequency, then alphabetical: a stable order so the same data always gives the same ids.
    const tokens = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([t]) => t);
    return { tokens: maxTokens === undefined ? tokens : tokens.slice(0, maxTokens) };
  },
  transform(rows, { tokens }, { maxLength }) {
    const ids = new Map(tokens.map((t, i) => [t, i + 2]));
    return rows.map((row) => {
      const seq = tokenize(row)
        .slice(0, maxLength)
        .map((t) => ids.get(t) ?? OOV);
      while (seq.length < maxLength) seq.push(PAD);
      return seq;
    });
  },
  perturb: (st) => ({ tokens: [...st.tokens].reverse() }),
});

/** The first built-ins by kind (their registered definitions). */
export const preprocessingSteps = {
  standardScaler: standardScaler.definition,
  minMaxScaler: minMaxScaler.definition,
  vocabulary: vocabulary.definition,
};
