// Ranks a table's hypotheses by how well each reproduces obtained outputs, and turns the ranking into
// a verdict: reproduced (bit-exact or within tolerance), a tie, or no known cause. Pure: no tfjs here.
import { compareTensors } from '../compare/compare-tensors.ts';
import { resolveTolerance, type ToleranceOverrides } from '../compare/tolerance.ts';
import type { Predictions } from '../types/tensor-data.ts';
import type { Hypothesis, HypothesisTable, Unavailable } from './hypothesis.ts';

export interface Distance {
  maxAbsError: number;
  maxRelError: number;
  /** Share of obtained values within the hypothesis's tolerance, 0 to 1. */
  within: number;
  exact: boolean;
  /** The worst |a − e| / (atol + rtol·|e|): at most 1 when reproduced. */
  worst: number;
}
export interface Ranked {
  hypothesis: Hypothesis;
  distance: Distance;
}
export type Verdict =
  | { kind: 'golden'; best: Ranked }
  | { kind: 'reproduced'; best: Ranked; ties: Ranked[]; advice?: string }
  | { kind: 'unexplained'; closest: Ranked[] };
export interface DiagnoseOutcome {
  scenario: string;
  base: string;
  ranked: Ranked[];
  verdict: Verdict;
  unavailable: Unavailable[];
}

function distance(obtained: Predictions, h: Hypothesis, overrides: ToleranceOverrides | undefined): Distance {
  const d: Distance = { maxAbsError: 0, maxRelError: 0, within: 0, exact: true, worst: 0 };
  let total = 0;
  let ok = 0;
  for (const [key, a] of Object.entries(obtained)) {
    const e = h.outputs[key];
    if (!e) return { maxAbsError: Infinity, maxRelError: Infinity, within: 0, exact: false, worst: Infinity };
    const tol = resolveTolerance(h.level, overrides, h.backend, key);
    const c = compareTensors(a, e, tol);
    if (!c.ok && c.reason !== 'values') return { maxAbsError: Infinity, maxRelError: Infinity, within: 0, exact: false, worst: Infinity };
    total += c.stats.total;
    ok += c.stats.total - c.stats.mismatches;
    d.maxAbsError = Math.max(d.maxAbsError, c.stats.maxAbsError);
    d.maxRelError = Math.max(d.maxRelError, c.stats.maxRelError);
    for (let i = 0; i < a.values.length; i++) {
      const x = a.values[i]!;
      const y = e.values[i]!;
      if (!Object.is(x, y)) d.exact = false;
      const scale = tol.atol + tol.rtol * Math.abs(y);
      const err =
        Number.isNaN(x) || Number.isNaN(y) ? (Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity) : x === y ? 0 : Math.abs(x - y) / scale;
      d.worst = Math.max(d.worst, Number.isNaN(err) ? Infinity : err);
    }
  }
  d.within = total ? ok / total : 0;
  return d;
}

const reproduces = (r: Ranked) => r.distance.within === 1;

/** Advice on probes that would tell two tied causes apart. */
const separate: Record<string, string> = {
  'preprocessing-dropped': 'probes whose raw values are far from their preprocessed values',
  'preprocessing-refit': 'probes whose distribution differs from the training data (fewer rows, shifted ranges)',
  'features-permuted': 'probes whose features differ from each other in value and scale',
  'state-not-reset': 'longer or larger-valued probe sequences, whose final state differs from the zero state',
  'custom-object-changed': "probes that make the custom layer's output matter",
  'weights-perturbed': "probes that activate the last layer's largest weight",
  'input-range': "probes that span the features' training range",
};
const tieAdvice = (list: Ranked[]) => {
  const wanted = [...new Set(list.map((r) => separate[r.hypothesis.family]).filter(Boolean))];
  const environmental = list.some((r) => !separate[r.hypothesis.family]);
  return `their predictions on these probes are identical within tolerance, so no probe here separates them; add ${[...wanted, ...(environmental ? ['probes with larger or more varied values, which make round-off differ'] : [])].join(', or ')}`;
};

export function rankHypotheses(table: HypothesisTable, obtained: Predictions, overrides?: ToleranceOverrides): DiagnoseOutcome {
  const ranked = table.hypotheses
    .map((hypothesis, order) => ({ hypothesis, distance: distance(obtained, hypothesis, overrides), order }))
    .sort(
      (a, b) =>
        Number(b.distance.within === 1) - Number(a.distance.within === 1) ||
        // Among causes that reproduce, the closest relative to tolerance; among the others, the smallest error.
        (a.distance.within === 1 ? a.distance.worst - b.distance.worst : a.distance.maxAbsError - b.distance.maxAbsError) ||
        b.distance.within - a.distance.within ||
        Number(a.hypothesis.pair) - Number(b.hypothesis.pair) ||
        a.order - b.order,
    )
    .map(({ hypothesis, distance }) => ({ hypothesis, distance }));
  const base = { scenario: table.scenario, base: table.base, ranked, unavailable: table.unavailable };
  // The simplest explanation wins: a pair whose model or environment part reproduces alone is no candidate.
  const singles = new Map(ranked.filter((r) => reproduces(r) && !r.hypothesis.pair).map((r) => [r.hypothesis.id, r]));
  // The simplest explanation wins: a pair whose part reproduces alone is no candidate, unless the pair is
  // bit-exact and that part is not (then the environment is part of the story).
  const redundant = (r: Ranked) =>
    r.hypothesis.pair &&
    [r.hypothesis.cause, r.hypothesis.env].some((p) => {
      const alone = singles.get(p);
      return alone && !(r.distance.exact && !alone.distance.exact);
    });
  const candidates = ranked.filter((r) => reproduces(r) && !redundant(r));
  const best = candidates[0];
  if (!best) return { ...base, verdict: { kind: 'unexplained', closest: ranked.slice(0, 3) } };
  if (best.hypothesis.id === 'none') return { ...base, verdict: { kind: 'golden', best } };
  const h = best.hypothesis;
  // A part of the best pair, or a pair built on the best single, is the same explanation, not a tie.
  const same = (r: Ranked) =>
    (h.pair && (r.hypothesis.id === h.cause || r.hypothesis.id === h.env)) ||
    (r.hypothesis.pair && (r.hypothesis.cause === h.id || r.hypothesis.env === h.id));
  const ties = candidates.slice(1).filter((r) => {
    if (same(r)) return false;
    const c = Object.keys(obtained).map((k) =>
      compareTensors(
        r.hypothesis.outputs[k]!,
        best.hypothesis.outputs[k]!,
        resolveTolerance(best.hypothesis.level, overrides, best.hypothesis.backend, k),
      ),
    );
    return c.every((x) => x.ok);
  });
  return { ...base, verdict: { kind: 'reproduced', best, ties, ...(ties.length ? { advice: tieAdvice([best, ...ties]) } : {}) } };
}
