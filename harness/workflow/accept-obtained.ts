// Promotes what a failing replay obtained into the golden, through the golden store (atomic, under its
// lock, with the obtained file's provenance), after refusing what a golden change would not fix.
import type { GoldenStore } from '../golden/golden-store.ts';
import { removeObtained, toOutputsFile } from '../golden/obtained-outputs.ts';
import type { ReviewItem } from './obtained-review.ts';

export interface AcceptOptions {
  /** Accept obtained outputs older than the golden, or from another tfjs version. */
  force?: boolean;
  /** Accept obtained outputs from another tfjs version than the golden's. */
  allowTfjsChange?: boolean;
}
export interface AcceptOutcome {
  scenario: string;
  backend: string;
  file: string;
  status: 'accepted' | 'refused' | 'not-acceptable';
  reason?: string;
}

/**
 * Why an item cannot be accepted, or undefined. `not-acceptable`: no golden change could fix it (an
 * agreement failure, a golden that must be re-recorded); `refused`: a guard that `--force` lifts.
 */
export function acceptProblem(item: ReviewItem, o: AcceptOptions = {}): Pick<AcceptOutcome, 'status' | 'reason'> | undefined {
  const { scenario, backend, obtained, probes, golden } = item;
  const no = (reason: string) => ({ status: 'not-acceptable' as const, reason });
  if (item.error) return no(item.error);
  if (!obtained.checks.includes('replay'))
    return no(
      `${item.file}: checks must include replay to be accepted, found ${obtained.checks.join(', ')}: an ${obtained.checks[0]} failure compares with another backend or framework, and changing a golden does not fix it; read it with: npx tfjs-repro review ${scenario}`,
    );
  if (!probes) return no(`${item.file}: the golden of ${scenario} is missing; record it with: npx tfjs-repro record ${scenario}`);
  if (item.currentSourceHash === undefined)
    return no(`${item.file}: scenario ${scenario} has no scenario file any more; restore it, or delete the obtained file`);
  if (obtained.sourceHash !== item.currentSourceHash)
    return no(
      `${item.file}: sourceHash must match the scenario as it is now: the scenario (or a module it imports) changed since this run; run it again: npx tfjs-repro run ${scenario} -b ${backend}`,
    );
  if (probes.sourceHash !== item.currentSourceHash)
    return no(
      `${item.file}: the golden of ${scenario} is stale (its scenario changed since it was recorded); re-record it instead: npx tfjs-repro record ${scenario} --update changed`,
    );
  const problem = shapeProblem(item);
  if (problem) return no(`${item.file}: ${problem}; run again`);
  const recorded = [golden?.recorded, probes.recorded]
    .filter((r): r is string => !!r)
    .sort()
    .at(-1)!;
  if (!o.force && Date.parse(obtained.recorded) < Date.parse(recorded))
    return {
      status: 'refused',
      reason: `${item.file}: recorded must be later than the golden's (${recorded}), found ${obtained.recorded}: the golden was re-recorded after this run; run again, or pass --force to accept these older outputs`,
    };
  const goldenTfjs = golden?.tfjs ?? probes.tfjs;
  if (!o.force && !o.allowTfjsChange && obtained.tfjs !== goldenTfjs)
    return {
      status: 'refused',
      reason: `${item.file}: tfjs must be the golden's version ${goldenTfjs}, found ${obtained.tfjs}: accepting would move the golden to another tfjs version; pass --allow-tfjs-change if that is intended`,
    };
  return undefined;
}

/** Outputs that would not fit the golden: other output names than its file, or a row count other than its probes'. */
function shapeProblem({ obtained, golden, probes }: ReviewItem): string | undefined {
  const names = Object.keys(obtained.outputs).sort().join(', ');
  if (golden && names !== Object.keys(golden.outputs).sort().join(', '))
    return `outputs must name the golden's outputs (${Object.keys(golden.outputs).sort().join(', ')}), found ${names}`;
  for (const [name, t] of Object.entries(obtained.outputs))
    if (t.shape[0] !== probes!.inputs.length)
      return `outputs.${name}.shape[0] must be ${probes!.inputs.length} (one per probe), found ${t.shape[0]}`;
  return undefined;
}

/** Accepts one item: checks it, writes the golden outputs file under the store's lock, then removes the obtained file. */
export async function acceptObtained(item: ReviewItem, store: GoldenStore, results: string, o: AcceptOptions = {}): Promise<AcceptOutcome> {
  const base = { scenario: item.scenario, backend: item.backend, file: item.file };
  const problem = acceptProblem(item, o);
  if (problem) return { ...base, ...problem };
  await store.writeOutputs(item.scenario, item.backend, toOutputsFile(item.obtained));
  await removeObtained(results, item.scenario, item.backend);
  return { ...base, status: 'accepted', reason: `${store.outputsFile(item.scenario, item.backend)} replaced` };
}
