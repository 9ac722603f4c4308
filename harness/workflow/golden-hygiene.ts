// What fails a full run beside the checks: goldens nothing replays. A filtered or sharded run sees only
// part of the scenarios, so only a full one may call a golden orphan.
import path from 'node:path';
import type { GoldenStore } from '../golden/golden-store.ts';
import { isBackendName } from '../runtime/backends.ts';

export interface GoldenHygieneProblem {
  scenario: string;
  kind: 'orphan' | 'unreferenced';
  /** The directory or file at fault, relative to the working directory. */
  file: string;
  reason: string;
}

/**
 * Orphan: a golden directory without a scenario. Unreferenced: an outputs file of a backend the harness
 * no longer records (renamed or removed), which no check would ever read.
 */
export async function goldenHygiene(store: GoldenStore, scenarios: Iterable<string>): Promise<GoldenHygieneProblem[]> {
  const known = new Set(scenarios);
  const problems: GoldenHygieneProblem[] = [];
  const rel = (p: string) => path.relative(process.cwd(), p);
  for (const name of await store.list()) {
    if (!known.has(name)) {
      problems.push({
        scenario: name,
        kind: 'orphan',
        file: rel(store.dir(name)),
        reason: `orphan golden ${rel(store.dir(name))}: no scenarios/${name}.scenario.ts; delete the golden or restore the scenario`,
      });
      continue;
    }
    for (const backend of await store.recordedBackends(name)) {
      if (isBackendName(backend)) continue;
      const file = rel(store.outputsFile(name, backend));
      problems.push({
        scenario: name,
        kind: 'unreferenced',
        file,
        reason: `unreferenced golden file ${file}: "${backend}" is not a backend this harness records, so no check reads it; delete the file (or re-record with: npx tfjs-repro record ${name} --update all)`,
      });
    }
  }
  return problems;
}
