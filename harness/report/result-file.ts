// Run results as files: what `run --json`/`--out` writes and `merge`/`diff` read.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { outcomeId, type CheckOutcome } from '../checks/outcome.ts';
import { summarize } from './format-outcome.ts';

export interface ResultFile {
  runtime: string;
  /** "i/n" when the run was one shard of several. */
  shard?: string;
  counts: Record<CheckOutcome['status'], number>;
  skippedBackends: { backend: string; reason: string }[];
  outcomes: CheckOutcome[];
}

const resultSchema = z.object({
  runtime: z.string(),
  shard: z.string().optional(),
  counts: z.record(z.string(), z.number()),
  skippedBackends: z.array(z.object({ backend: z.string(), reason: z.string() })).default([]),
  outcomes: z.array(
    z
      .object({
        scenario: z.string(),
        check: z.string(),
        status: z.enum(['pass', 'fail', 'not-applicable', 'skipped']),
        configuration: z.object({ runtime: z.string(), backend: z.string(), format: z.string().optional() }),
        durationMs: z.number(),
      })
      .passthrough(),
  ),
});

export function resultFile(
  runtime: string,
  outcomes: CheckOutcome[],
  skippedBackends: ResultFile['skippedBackends'],
  shard?: string,
): ResultFile {
  return { runtime, ...(shard ? { shard } : {}), counts: summarize(outcomes), skippedBackends, outcomes };
}

export async function readResultFile(file: string): Promise<ResultFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: must be a JSON result file written by \`tfjs-repro run --json\` or \`--out\` (${(err as Error).message})`, {
      cause: err,
    });
  }
  const parsed = resultSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'} ${issue.message}; is this a result file of \`tfjs-repro run --json\`?`);
  }
  // The file as written (key order included), now known to have the expected shape.
  const result = raw as ResultFile;
  return { ...result, skippedBackends: result.skippedBackends ?? [] };
}

/** Outcomes in a stable order, so merged and unsharded results compare equal. */
export function sortOutcomes(outcomes: CheckOutcome[]): CheckOutcome[] {
  return [...outcomes].sort((a, b) => (outcomeId(a) < outcomeId(b) ? -1 : outcomeId(a) > outcomeId(b) ? 1 : 0));
}

/** Joins shards; the same check in two files is an error naming both, since shards must not overlap. */
export function mergeResults(files: { name: string; result: ResultFile }[]): ResultFile {
  const seen = new Map<string, string>();
  const outcomes: CheckOutcome[] = [];
  for (const { name, result } of files) {
    for (const o of result.outcomes) {
      const id = outcomeId(o);
      const other = seen.get(id);
      if (other)
        throw new Error(`${name}: check "${id}" is also in ${other}; shards must not overlap (were the same shards merged twice?)`);
      seen.set(id, name);
      outcomes.push(o);
    }
  }
  const runtimes = [...new Set(files.map((f) => f.result.runtime))];
  const skipped = new Map(files.flatMap((f) => f.result.skippedBackends).map((s) => [s.backend, s]));
  return resultFile(runtimes.join(','), sortOutcomes(outcomes), [...skipped.values()]);
}
