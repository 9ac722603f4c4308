// Front ends run plans through the host pool: discovery and every job in a host with a time limit.
// A job that hangs or crashes becomes failing outcomes naming the scenario, the check and the step.
import { timeLimitFactor } from '../executor/browser/browser-backends.ts';
import type { BrokenMeta, Job, ScenarioMeta } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { PropertyOptions } from '../checks/properties.ts';
import { formatSeconds, type Pool, type TaskEnd } from './host-pool.ts';

/**
 * The time limit of one scenario × backend job when neither `--timeout` nor the scenario's `timeoutMs`
 * sets one. The slowest jobs measured (every check of text-gru on cpu, of stateful-lstm on tensorflow;
 * 2 cores under load) take about 10 s; the limit keeps a 10× margin and still ends a hang in minutes.
 */
export const DEFAULT_TIMEOUT_MS = 120_000;

const howToRaise = "if the work is legitimately slow, raise the limit with --timeout <seconds> or the scenario's timeoutMs";

/** Seconds → ms, from 1 ms up to what a timer can hold three times over (record allows three job limits). */
export function parseTimeoutSeconds(value: unknown, name: string): number {
  const seconds = Number(value);
  const ms = Math.round(seconds * 1000);
  if (!Number.isFinite(seconds) || ms < 1 || ms > 715_827_882)
    throw new Error(`${name} must be a number of seconds from 0.001 to 715827; got ${String(value)}`);
  return ms;
}

export interface Discovered {
  scenarios: ScenarioMeta[];
  broken: BrokenMeta[];
}

/** Imports the scenario files in a host; a file whose import hangs is reported broken, and the rest still load. */
export async function discoverInHost(
  pool: Pool,
  dir: string,
  names: string[] | undefined,
  timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<Discovered> {
  const broken: BrokenMeta[] = [];
  // At least one job host is starting by now (the job commands ask for the runtime at the same time, and
  // start the hosts they need when they expect several jobs: runtimeAndScenarios). Only one otherwise:
  // the plan may hold a single job (one scenario on one backend, as matrix and most edits run), and a
  // host costs about 0.75 s of CPU to start.
  pool.warm(1);
  for (;;) {
    let found: Discovered | undefined;
    const end = await pool.run(
      { kind: 'discover', dir, ...(names ? { names } : {}), exclude: broken.map((b) => b.file) },
      {
        timeoutMs,
        onMessage: (m) => {
          if (m.type === 'discovered') found = { scenarios: m.scenarios, broken: m.broken };
        },
      },
    );
    if (end.ended === 'done' && found) return { scenarios: found.scenarios, broken: [...broken, ...found.broken] };
    if (end.ended === 'done') throw new Error(`discovering scenarios in ${dir} failed: the host reported nothing`);
    const file = end.ended === 'error' ? undefined : /^import (.+)$/s.exec(end.step)?.[1];
    if (!file || end.ended === 'error') throw new Error(`discovering scenarios in ${dir} failed: ${end.message}`);
    // The same file twice means it was not excluded: fail rather than start host after host.
    if (broken.some((b) => b.file === file)) throw new Error(`discovering scenarios in ${dir} failed: ${end.message}`);
    const name = file.replace(/^.*\//, '').replace(/\.scenario\.ts$/, '');
    broken.push({
      name,
      file,
      error: `${file}: the import ${end.ended === 'timeout' ? `timed out after ${formatSeconds(timeoutMs)}: a top-level statement never returns` : `killed its host: ${end.message}`}; the other scenarios still load`,
    });
  }
}

/**
 * The runtime and the discovery, asked for at the same time; the runtime's error first when both fail:
 * a job host that cannot load tfjs also fails the discovery it was to run, and the cause is the host.
 */
export async function bothSettled<R, D>(runtime: Promise<R>, discovery: Promise<D>): Promise<[R, D]> {
  const [r, d] = await Promise.allSettled([runtime, discovery]);
  if (r.status === 'rejected') throw r.reason;
  if (d.status === 'rejected') throw d.reason;
  return [r.value, d.value];
}

export interface RunJobsOptions {
  goldens: string;
  /** Where failing comparisons write what they obtained. */
  results?: string;
  property?: PropertyOptions;
  /** --timeout in milliseconds; otherwise the scenario's timeoutMs, otherwise the default. */
  timeoutMs?: number;
  onOutcome?: (o: CheckOutcome) => void;
}

/** --timeout as given; else the scenario's limit or the default, stretched for a slow backend (webgpu). */
export const jobTimeout = (job: Job, cli?: number): number => cli ?? (job.timeoutMs ?? DEFAULT_TIMEOUT_MS) * timeLimitFactor(job.backend);

/** Runs one job; always yields one outcome per planned check, in plan order. */
export async function runJob(pool: Pool, job: Job, o: RunJobsOptions): Promise<CheckOutcome[]> {
  const outcomes: CheckOutcome[] = [];
  const timeoutMs = jobTimeout(job, o.timeoutMs);
  const end: TaskEnd = await pool.run(
    {
      kind: 'checks',
      goldens: o.goldens,
      job,
      ...(o.results ? { results: o.results } : {}),
      ...(o.property ? { property: o.property } : {}),
    },
    {
      timeoutMs,
      onMessage: (m) => {
        if (m.type !== 'outcome') return;
        outcomes.push(m.outcome);
        o.onOutcome?.(m.outcome);
      },
    },
  );
  if (end.ended === 'done') return outcomes;
  const stopped = job.checks[outcomes.length];
  for (const [i, c] of job.checks.slice(outcomes.length).entries()) {
    const base = { scenario: job.scenario, configuration: c.configuration, check: c.check, durationMs: 0 };
    const why =
      end.ended === 'error'
        ? end.message
        : `${job.scenario} on ${job.backend}: ${end.message} while running check ${stopped?.check}; the host was ${end.ended === 'timeout' ? `killed and the other jobs ran on; ${howToRaise}` : 'lost and the other jobs ran on; scenario code must not exit the process'}`;
    const outcome: CheckOutcome =
      i === 0
        ? { ...base, status: 'fail', reason: why, ...(end.ended !== 'error' ? { durationMs: end.elapsedMs } : {}) }
        : {
            ...base,
            status: 'skipped',
            reason: `not run: the job stopped in check ${stopped?.check} (${end.ended === 'timeout' ? `time limit ${formatSeconds(timeoutMs)}` : end.ended})`,
          };
    outcomes.push(outcome);
    o.onOutcome?.(outcome);
  }
  return outcomes;
}
