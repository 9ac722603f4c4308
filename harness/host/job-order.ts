// Longest jobs first: with several hosts, a long job started last leaves the other cores idle at the
// end. Jest orders test files the same way, from the durations of the previous run; results are still
// printed in plan order, so only the schedule changes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { Pool } from './host-pool.ts';
import { runJob, type RunJobsOptions } from './run-jobs.ts';

const key = (scenario: string, backend: string) => `${scenario}\u0000${backend}`;

/** Jobs by the duration they took last time, longest first; jobs never seen come first (they may be long). */
export async function longestFirst(jobs: Job[], cacheFile: string): Promise<Job[]> {
  const last = await readFile(cacheFile, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, number>,
    () => ({}) as Record<string, number>,
  );
  const cost = (j: Job) => last[key(j.scenario, j.backend)] ?? Number.POSITIVE_INFINITY;
  return [...jobs].sort((a, b) => cost(b) - cost(a));
}

/** Remembers each job's duration (the sum of its checks) for the next run's schedule. */
export async function rememberDurations(outcomes: CheckOutcome[], cacheFile: string): Promise<void> {
  const durations: Record<string, number> = {};
  for (const o of outcomes) {
    if (o.configuration.backend === '-') continue;
    const k = key(o.scenario, o.configuration.backend);
    durations[k] = (durations[k] ?? 0) + o.durationMs;
  }
  const previous = await readFile(cacheFile, 'utf8').then(
    (t) => JSON.parse(t) as Record<string, number>,
    () => ({}),
  );
  await mkdir(path.dirname(cacheFile), { recursive: true });
  await writeFile(cacheFile, JSON.stringify({ ...previous, ...durations }) + '\n');
}

/** Where the durations of the last run are kept (a cache: gitignored, safe to delete). */
export const durationsFile = (): string => path.resolve('results', '.job-durations.json');

/** Starts every job on the pool, longest first; the returned outcomes follow plan order. */
export async function startJobs(pool: Pool, jobs: Job[], o: RunJobsOptions): Promise<Array<Promise<CheckOutcome[]>>> {
  const started = new Map<Job, Promise<CheckOutcome[]>>();
  for (const job of await longestFirst(jobs, durationsFile())) started.set(job, runJob(pool, job, o));
  return jobs.map((job) => started.get(job)!);
}
