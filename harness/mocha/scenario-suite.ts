// The suite generated from scenarios/*.scenario.ts: describe(scenario) › describe(configuration) › it(check).
// Only this front end throws: outcomes are data until here.
import path from 'node:path';
import { planRun, requiredBackendsFromEnv } from '../checks/plan.ts';
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { formatOutcome } from '../report/format-outcome.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const runtime = await loadRuntime();
const store = new GoldenStore(path.join(root, 'goldens'));
const discovery = await discoverScenarios(path.join(root, 'scenarios'));
const plan = planRun({ runtime, store, discovery, requireBackends: requiredBackendsFromEnv() });

function settle(ctx: Mocha.Context, o: CheckOutcome): void {
  if (o.status === 'pass') return;
  if (o.status === 'fail') throw new Error(formatOutcome(o));
  // Not applicable and skipped are shown as pending with their reason, never as passed.
  if (ctx.test) ctx.test.title += ` (${o.status}: ${o.reason})`;
  ctx.skip();
}

describe(`scenarios on ${runtime.name}`, () => {
  for (const s of plan.skipped) {
    it(`backend ${s.backend}`, function () {
      this.test!.title += ` (skipped: ${s.reason})`;
      this.skip();
    });
  }
  for (const p of plan.scenarios) {
    describe(p.scenario, () => {
      const byConfiguration = new Map<string, typeof p.checks>();
      for (const c of p.checks) {
        const label = c.check === 'load' ? 'scenario file' : configurationLabel(c.configuration);
        byConfiguration.set(label, [...(byConfiguration.get(label) ?? []), c]);
      }
      for (const [label, checks] of byConfiguration) {
        describe(label, () => {
          for (const c of checks) it(c.check, async function () { settle(this, await c.run()); });
        });
      }
      after(() => p.dispose());
    });
  }
  it('has no orphan goldens (a golden without its scenario file)', async () => {
    const known = new Set([...discovery.scenarios, ...discovery.broken].map((s) => s.name));
    const orphans = (await store.list()).filter((g) => !known.has(g));
    if (orphans.length) throw new Error(`orphan goldens: ${orphans.map((o) => store.dir(o)).join(', ')}; delete them or restore their scenarios/<name>.scenario.ts`);
  });
});
