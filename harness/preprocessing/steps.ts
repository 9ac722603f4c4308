// Preprocessing steps: fit on training rows → JSON state → transform. Arithmetic is done in
// JavaScript doubles so the persisted state and the transform are identical on every backend.
import { forEachFeatureVector, mapFeatureVectors } from './rows.ts';
import type { Value } from '../types/example.ts';

interface StepDefinition<O, S> {
  fit(rows: Value[], options: O): S;
  transform(rows: Value[], state: S, options: O): Value[];
  /** How the state is written to preprocessing.json; JSON keeps doubles exact, so the default is identity. */
  persist?(state: S): S;
}

function perFeature(rows: Value[], reduce: (column: number[]) => number): number[] {
  const columns: number[][] = [];
  for (const row of rows) forEachFeatureVector(row, (f) => f.forEach((v, i) => (columns[i] ??= []).push(v)));
  return columns.map(reduce);
}

export interface StandardScalerState { mean: number[]; std: number[] }
const standardScaler: StepDefinition<Record<string, never>, StandardScalerState> = {
  fit(rows) {
    const mean = perFeature(rows, (c) => c.reduce((a, b) => a + b, 0) / c.length);
    const std = perFeature(rows, (c) => {
      const m = c.reduce((a, b) => a + b, 0) / c.length;
      const s = Math.sqrt(c.reduce((a, b) => a + (b - m) ** 2, 0) / c.length);
      return s === 0 ? 1 : s; // a constant feature must not divide by zero
    });
    return { mean, std };
  },
  transform(rows, { mean, std }) {
    return rows.map((r) => mapFeatureVectors(r, (f) => f.map((v, i) => (v - mean[i]!) / std[i]!)));
  },
};

export interface MinMaxScalerState { min: number[]; max: number[] }
const minMaxScaler: StepDefinition<Record<string, never>, MinMaxScalerState> = {
  fit(rows) {
    // reduce, not Math.min(...c): spreading a large column overflows the call stack.
    return { min: perFeature(rows, (c) => c.reduce((a, b) => Math.min(a, b), Infinity)), max: perFeature(rows, (c) => c.reduce((a, b) => Math.max(a, b), -Infinity)) };
  },
  transform(rows, { min, max }) {
    // Values outside the fitted range map outside [0, 1] on purpose: clipping would hide drift.
    return rows.map((r) => mapFeatureVectors(r, (f) => f.map((v, i) => {
      const span = max[i]! - min[i]!;
      return span === 0 ? 0 : (v - min[i]!) / span;
    })));
  },
};

export interface VocabularyOptions { maxLength: number; maxTokens?: number }
export interface VocabularyState { tokens: string[] }
const PAD = 0;
const OOV = 1;
function tokenize(row: Value): string[] {
  if (typeof row === 'string') return row.toLowerCase().split(/\s+/).filter(Boolean);
  if (Array.isArray(row) && row.every((t) => typeof t === 'string')) return row as string[];
  throw new Error(`vocabulary: each row must be a string or an array of strings; got ${JSON.stringify(row)}`);
}
const vocabulary: StepDefinition<VocabularyOptions, VocabularyState> = {
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
      const seq = tokenize(row).slice(0, maxLength).map((t) => ids.get(t) ?? OOV);
      while (seq.length < maxLength) seq.push(PAD);
      return seq;
    });
  },
};

// Registry: the key is what preprocessing.json records, so a bundle restores its own steps.
export const preprocessingSteps = { standardScaler, minMaxScaler, vocabulary };
export type StepKind = keyof typeof preprocessingSteps;
export type StepOptions = { [K in StepKind]: Parameters<(typeof preprocessingSteps)[K]['transform']>[2] };
export type StepState = { [K in StepKind]: ReturnType<(typeof preprocessingSteps)[K]['fit']> };
