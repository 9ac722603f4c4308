// The suite generated from scenarios/*.scenario.ts: describe(scenario) › describe(configuration) › it(check).
// Its jobs start when scenario-jobs.ts loads: this file is first in .mocharc's spec, so in parallel mode
// one mocha worker loads it first and hosts work on the scenarios while the other workers run the other
// test files; each scenario test awaits its own job here.
// Only this front end throws: outcomes are data until here.
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { withHint } from '../diagnose/most-likely-hint.ts';
import { jobTimeout } from '../host/run-jobs.ts';
import { formatOutcome } from '../report/format-outcome.ts';
import { attachOutcome, saveAttachedOutcomes } from './mocha-ci-reports.ts';
import { goldenHygiene } from '../workflow/golden-hygiene.ts';
import { deferred, discovery, limitMs, plan, pool, results, runtime, store } from './scenario-jobs.ts';

function settle(ctx: Mocha.Context, o: CheckOutcome): void {
  attachOutcome(ctx.test, o); // for the JUnit, HTML and GitHub reports
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
  after(async () => {
    await saveAttachedOutcomes();
    await pool.close();
  });
  for (const s of plan.skipped) {
    it(`backend ${s.backend}`, function () {
      this.test!.title += ` (skipped: ${s.reason})`;
      this.skip();
    });
  }
  for (const d of deferred) {
    it(`backend ${d.backend}: the rest of the checks`, function () {
      this.test!.title += ` (not in this tier: ${d.reason})`;
      this.skip();
    });
  }
  const names = [...new Set([...plan.fixed.map((o) => o.scenario), ...plan.jobs.map((j) => j.scenario)])];
  for (const name of names) {
    describe(name, () => {
      const tests = new Map<string, Array<{ check: string; outcome: () => Promise<CheckOutcome>; timeoutMs: number }>>();
      const add = (label: string, t: { check: string; outcome: () => Promise<CheckOutcome>; timeoutMs: number }) =>
        tests.set(label, [...(tests.get(label) ?? []), t]);
      for (const o of plan.fixed.filter((f) => f.scenario === name))
        add(o.check === 'load' ? 'scenario file' : configurationLabel(o.configuration), {
          check: o.check,
          outcome: async () => o,
          timeoutMs: 0,
        });
      for (const job of plan.jobs.filter((j) => j.scenario === name)) {
        job.checks.forEach((c, i) =>
          add(configurationLabel(c.configuration), {
            check: c.check,
            outcome: async () => (await results.get(job)!)[i]!,
            timeoutMs: jobTimeout(job, limitMs),
          }),
        );
      }
      for (const [label, list] of tests) {
        describe(label, () => {
          for (const t of list) {
            it(t.check, async function () {
              // The harness's own limit ends every job, so mocha's sits above it: the job's limit,
              // times the jobs that may queue ahead of it, plus a margin.
              this.timeout(t.timeoutMs * (plan.jobs.length + 1) + 60_000);
              // A failed replay/agreement/reference gets "most likely: <cause>" from diagnose (issue 12).
              settle(this, await withHint(await t.outcome(), { scenarios: discovery.scenarios, goldens: store.root }));
            });
          }
        });
      }
    });
  }
  it('has no orphan or unreferenced goldens (a golden without its scenario, an outputs file of no backend)', async () => {
    const problems = await goldenHygiene(
      store,
      [...discovery.scenarios, ...discovery.broken].map((s) => s.name),
    );
    if (problems.length) throw new Error(problems.map((p) => p.reason).join('\n'));
  });
});
