// The suite generated from scenarios/*.scenario.ts: describe(scenario) › describe(configuration) › it(check).
// Scenario code runs in hosts (child processes with time limits), every job is started at once on the
// pool, and each test awaits its own outcome. Only this front end throws: outcomes are data until here.
import os from 'node:os';
import path from 'node:path';
import { planRun, requiredBackendsFromEnv, type Job } from '../checks/plan.ts';
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { HostPool } from '../host/host-pool.ts';
import { discoverInHost, jobTimeout, runJob } from '../host/run-jobs.ts';
import { formatOutcome } from '../report/format-outcome.ts';
import { parseBackendName } from '../runtime/backends.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const scenariosDir = path.resolve(process.env.TFJS_REPRO_SCENARIOS ?? path.join(root, 'scenarios'));
const goldensDir = path.resolve(process.env.TFJS_REPRO_GOLDENS ?? path.join(root, 'goldens'));
const jobs = Number(process.env.TFJS_REPRO_JOBS ?? os.availableParallelism());
const limitMs = process.env.TFJS_REPRO_TIMEOUT ? Number(process.env.TFJS_REPRO_TIMEOUT) * 1000 : undefined;
const backends = process.env.TFJS_REPRO_BACKENDS?.split(',').map((b) => parseBackendName(b.trim(), 'TFJS_REPRO_BACKENDS'));

const pool = new HostPool({ jobs });
const runtime = await pool.runtime();
const store = new GoldenStore(goldensDir);
const discovery = await discoverInHost(pool, scenariosDir, undefined, limitMs);
const plan = planRun({ runtime, scenarios: discovery.scenarios, broken: discovery.broken, requireBackends: requiredBackendsFromEnv(), ...(backends ? { backends } : {}) });

// One promise per job, started on first use; tests of later jobs wait for theirs while hosts work ahead.
const started = new Map<Job, Promise<CheckOutcome[]>>();
const results = (job: Job) => {
  let p = started.get(job);
  if (!p) { p = runJob(pool, job, { goldens: goldensDir, ...(limitMs ? { timeoutMs: limitMs } : {}) }); started.set(job, p); }
  return p;
};

function settle(ctx: Mocha.Context, o: CheckOutcome): void {
  if (o.status === 'pass') {
    if (o.note && ctx.test) ctx.test.title += ` (note: ${o.note})`;
    return;
  }
  if (o.status === 'fail') throw new Error(formatOutcome(o));
  // Not applicable and skipped are shown as pending with their reason, never as passed.
  if (ctx.test) ctx.test.title += ` (${o.status}: ${o.reason})`;
  ctx.skip();
}

describe(`scenarios on ${runtime.name}`, () => {
  // Every job goes to the pool at once; the pool runs as many as it has hosts.
  before(() => { for (const job of plan.jobs) void results(job); });
  after(() => pool.close());
  for (const s of plan.skipped) {
    it(`backend ${s.backend}`, function () {
      this.test!.title += ` (skipped: ${s.reason})`;
      this.skip();
    });
  }
  const names = [...new Set([...plan.fixed.map((o) => o.scenario), ...plan.jobs.map((j) => j.scenario)])];
  for (const name of names) {
    describe(name, () => {
      const tests = new Map<string, Array<{ check: string; outcome: () => Promise<CheckOutcome>; timeoutMs: number }>>();
      const add = (label: string, t: { check: string; outcome: () => Promise<CheckOutcome>; timeoutMs: number }) => tests.set(label, [...(tests.get(label) ?? []), t]);
      for (const o of plan.fixed.filter((f) => f.scenario === name)) add(o.check === 'load' ? 'scenario file' : configurationLabel(o.configuration), { check: o.check, outcome: async () => o, timeoutMs: 0 });
      for (const job of plan.jobs.filter((j) => j.scenario === name)) {
        job.checks.forEach((c, i) => add(configurationLabel(c.configuration), { check: c.check, outcome: async () => (await results(job))[i]!, timeoutMs: jobTimeout(job, limitMs) }));
      }
      for (const [label, list] of tests) {
        describe(label, () => {
          for (const t of list) {
            it(t.check, async function () {
              // The harness's own limit ends every job, so mocha's sits above it: the job's limit,
              // times the jobs that may queue ahead of it, plus a margin.
              this.timeout(t.timeoutMs * (plan.jobs.length + 1) + 60_000);
              settle(this, await t.outcome());
            });
          }
        });
      }
    });
  }
  it('has no orphan goldens (a golden without its scenario file)', async () => {
    const known = new Set([...discovery.scenarios, ...discovery.broken].map((s) => s.name));
    const orphans = (await store.list()).filter((g) => !known.has(g));
    if (orphans.length) throw new Error(`orphan goldens: ${orphans.map((o) => store.dir(o)).join(', ')}; delete them or restore their scenarios/<name>.scenario.ts`);
  });
});
