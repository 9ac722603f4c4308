// The figures the CI reports show for one outcome: its drift, its tolerance, its tfjs version, and an
// order of failures from worst to mildest (GitHub shows only the first annotations of a step).
import { crossLevel, toleranceLevels, type Tolerance } from '../compare/tolerance.ts';
import type { CompareStats } from '../compare/compare-tensors.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { formatOutcome } from './format-outcome.ts';

/** Per output, the statistics of a comparison that got as far as comparing values. */
export const outputStats = (o: CheckOutcome): [string, CompareStats][] =>
  Object.entries(o.comparisons ?? {}).flatMap(([k, c]) => ('stats' in c ? [[k, c.stats] as [string, CompareStats]] : []));

/** The largest max abs error over the outcome's outputs; undefined when nothing was compared. */
export function drift(o: CheckOutcome): number | undefined {
  const errors = outputStats(o).map(([, s]) => s.maxAbsError);
  return errors.length ? Math.max(...errors) : undefined;
}

/** "4.22.0" from a configuration's runtime name ("tfjs@4.22.0"). */
export const tfjsVersion = (o: CheckOutcome): string => o.configuration.runtime.replace(/^tfjs@/, '');

const tol = (t: Tolerance) => `atol=${t.atol} rtol=${t.rtol}`;
const overridable = (level: keyof typeof toleranceLevels) => `${level} (${tol(toleranceLevels[level])} unless the scenario overrides it)`;

/** The tolerance a check was judged by: as the comparison states it on a failure, else the check's level (README "Checks"). */
export function toleranceOf(o: CheckOutcome): string {
  const stated = [
    ...new Set(Object.values(o.comparisons ?? {}).flatMap((c) => (!c.ok && c.reason === 'values' ? [tol(c.tolerance)] : []))),
  ];
  if (stated.length) return stated.join('; ');
  const backend = o.configuration.backend;
  if (o.check === 'replay') return o.note ? `${crossLevel(backend)} (see the note)` : 'exact on the recording tfjs version, else version';
  if (o.check === 'agreement') return overridable(crossLevel(backend));
  if (o.check === 'roundtrip') return 'bit for bit';
  if (o.check === 'retrain') return backend === 'cpu' ? 'exact on the recording tfjs version' : overridable('retrain');
  return 'none (not a comparison with a golden)';
}

// The checks whose failure others follow from come first: a fault or property check fails when the
// golden no longer replays, and the replay failure is the one to read.
const kindOrder = ['load', 'replay', 'agreement', 'reference', 'retrain', 'roundtrip'];
const kindRank = (o: CheckOutcome) => {
  const i = kindOrder.indexOf(o.check);
  return i >= 0 ? i : o.check.startsWith('property ') ? kindOrder.length : kindOrder.length + 1;
};

/**
 * Failures from worst to mildest: by kind of check (load, replay, agreement, reference, retrain,
 * roundtrip, properties, faults), then those that stopped before comparing (a crash) first, then by
 * drift, largest first; ties keep their order.
 */
export function worstFirst(outcomes: CheckOutcome[]): CheckOutcome[] {
  return outcomes
    .filter((o) => o.status === 'fail')
    .map((o, i) => ({ o, i, kind: kindRank(o), severity: drift(o) ?? Infinity }))
    .sort((a, b) => a.kind - b.kind || b.severity - a.severity || a.i - b.i)
    .map(({ o }) => o);
}

/** A failure's full text, naming the obtained outputs file when the check wrote one. */
export function failureText(o: CheckOutcome): string {
  const text = formatOutcome(o);
  return o.obtained && !text.includes(o.obtained) ? `${text}\nobtained outputs: ${o.obtained}` : text;
}
