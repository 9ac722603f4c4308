// `matrix --cross`: every version saves every scenario's bundle with its own tfjs (into the cache,
// never goldens/), and every version replays every version's bundles (replay against the saving
// version's outputs on that backend; agreement against its cpu outputs, which every recording has). The upgrade question asked in
// both directions: "saved with X, loaded by Y" for every X and Y.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RecordOutcome } from '../checks/record-golden.ts';
import { referenceBackend } from '../runtime/backends.ts';
import { cacheRoot } from './install-runtime.ts';
import { cellsFromOutcomes, type MatrixCell } from './matrix-report.ts';
import { recordGoldens, runChecks, type VersionRunOptions } from './matrix-runs.ts';
import { readCachedOutcomes, resultKey, writeCachedOutcomes } from './result-cache.ts';

export interface CrossRuntime {
  version: string;
  /** undefined for the project's own tfjs. */
  root?: string;
}
export interface CrossOptions extends Omit<VersionRunOptions, 'root' | 'goldens'> {
  runtimes: CrossRuntime[];
  fresh: boolean;
  /** What else a cached result depends on (e.g. which backends are usable). */
  keyExtra: unknown;
  say(text: string): void;
}
interface Recording {
  goldens: string;
  /** Per scenario, why it has no bundle (record refused or failed), and per backend why no outputs. */
  results: RecordOutcome[];
  error?: string;
}

const MARKER = '.tfjs-repro-recorded.json';

async function recordWith(o: CrossOptions, r: CrossRuntime): Promise<Recording> {
  // The reference backend is always recorded: a golden without cpu outputs is refused.
  const backend = o.backend ? [...new Set(['cpu', ...o.backend.split(',').map((b) => b.trim())])].join(',') : undefined;
  const options = { kind: 'cross-record', scenario: o.scenario ?? null, backend: backend ?? null, extra: o.keyExtra };
  const key = await resultKey(r.version, options, o.scenarios, path.join(cacheRoot(), 'no-goldens'));
  const goldens = path.join(cacheRoot(), 'cross-goldens', `tfjs-${r.version}-${key}`);
  const done = o.fresh
    ? undefined
    : await readFile(path.join(goldens, MARKER), 'utf8').then(
        (t) => JSON.parse(t) as Recording,
        () => undefined,
      );
  if (done) {
    o.say(`tfjs ${r.version}: reusing its bundles from an earlier run\n`);
    return done;
  }
  o.say(`tfjs ${r.version}: saving every scenario's bundle… `);
  const start = performance.now();
  await rm(goldens, { recursive: true, force: true });
  const run = await recordGoldens({ ...o, goldens, ...(backend ? { backend } : {}), ...(r.root ? { root: r.root } : {}) });
  const recording: Recording = { goldens, results: run.results, ...(run.error ? { error: run.error } : {}) };
  o.say(
    `${run.error ? `failed: ${run.error}` : `${run.results.filter((x) => x.status === 'recorded').length} recorded`} (${((performance.now() - start) / 1000).toFixed(1)} s)\n`,
  );
  if (!run.error) await writeFile(path.join(goldens, MARKER), JSON.stringify(recording));
  return recording;
}

/** A cell whose bundle or outputs the saving version could not record is not applicable, with its reason. */
function unrecorded(c: MatrixCell, rec: Recording, by: string): MatrixCell {
  const why = (reason: string) => ({ ...c, status: 'not-applicable' as const, reason: `tfjs ${by} could not record it: ${reason}` });
  if (rec.error) return why(rec.error);
  const r = rec.results.find((x) => x.scenario === c.scenario);
  if (!r || r.status === 'refused') return why(r?.reason ?? 'record reported nothing for this scenario');
  // agreement compares with the saving version's cpu outputs, so it runs where replay has nothing to compare with.
  const skipped = c.check === 'replay' ? r.skippedBackends[c.backend] : undefined;
  return skipped && !r.backends.includes(c.backend) ? why(`no outputs on ${c.backend}: ${skipped}`) : c;
}

/** The cells, and per version the time it spent saving its bundles and replaying everyone's. */
export async function crossMatrix(o: CrossOptions): Promise<{ cells: MatrixCell[]; durationMs: Record<string, number> }> {
  const recordings = new Map<string, Recording>();
  const durationMs: Record<string, number> = {};
  const timed = async <T>(version: string, fn: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const r = await fn();
    durationMs[version] = Math.round((durationMs[version] ?? 0) + performance.now() - start);
    return r;
  };
  for (const r of o.runtimes) recordings.set(r.version, await timed(r.version, () => recordWith(o, r)));
  const cells: MatrixCell[] = [];
  for (const replayer of o.runtimes) {
    for (const recorder of o.runtimes) {
      const rec = recordings.get(recorder.version)!;
      const pair = `saved by ${recorder.version}, replayed by ${replayer.version}`;
      const options = { kind: 'cross-replay', recordedWith: recorder.version, scenario: o.scenario ?? null, backend: o.backend ?? null };
      const key = await resultKey(replayer.version, { ...options, extra: o.keyExtra }, o.scenarios, rec.goldens);
      const reused = o.fresh ? undefined : await readCachedOutcomes(replayer.version, key);
      o.say(`${pair}: ${reused ? 'reusing the results of an earlier run… ' : 'replaying… '}`);
      const start = performance.now();
      const run = reused
        ? { outcomes: reused }
        : await timed(replayer.version, () =>
            runChecks({ ...o, goldens: rec.goldens, ...(replayer.root ? { root: replayer.root } : {}) }, ['replay', 'agreement']),
          );
      if (!reused && !run.error) await writeCachedOutcomes(replayer.version, key, run.outcomes);
      if (run.error) {
        o.say(`failed: ${run.error}\n`);
        continue;
      }
      // agreement on the reference backend is not applicable by definition (replay covers it): no cell.
      const got = cellsFromOutcomes(replayer.version, run.outcomes, recorder.version)
        .filter((c) => !(c.check === 'agreement' && c.backend === referenceBackend))
        .map((c) => unrecorded(c, rec, recorder.version));
      cells.push(...got);
      o.say(
        `${got.filter((c) => c.status === 'pass').length} passed, ${got.filter((c) => c.status === 'fail').length} failed, ${got.filter((c) => c.status === 'not-applicable').length} not applicable (${((performance.now() - start) / 1000).toFixed(1)} s)\n`,
      );
    }
  }
  return { cells, durationMs };
}
