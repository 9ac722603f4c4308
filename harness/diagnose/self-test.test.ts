// The proof that diagnose names what was injected. npm test takes a seeded sample of scenarios (all of
// their prediction-changing faults); TFJS_REPRO_TIER=nightly sweeps every scenario (`diagnose --self-test`).
import { expect } from 'chai';
import path from 'node:path';
import fc from 'fast-check';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { discoverScenarios } from '../scenario/discover-scenarios.ts';
import { formatConfusion, selfTestScenario, type SelfTestCell } from './self-test.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const nightly = process.env.TFJS_REPRO_TIER === 'nightly';
const SEED = Number(process.env.TFJS_REPRO_DIAGNOSE_SEED ?? 12);
const SAMPLE = 2;

describe(`diagnose --self-test (${nightly ? 'every scenario' : `a sample of ${SAMPLE} scenarios, seed ${SEED} (TFJS_REPRO_DIAGNOSE_SEED)`})`, function () {
  const cells: SelfTestCell[] = [];
  after(function () {
    if (cells.length && this.currentTest?.state === 'failed') console.log(formatConfusion(cells));
  });

  it('ranks every injected prediction-changing fault first, or declares a tie', async function () {
    const runtime = await loadRuntime();
    const executors = inProcessExecutors(runtime);
    const discovery = await discoverScenarios(path.join(root, 'scenarios'));
    const all = discovery.scenarios.sort((a, b) => a.name.localeCompare(b.name));
    const chosen = nightly
      ? all
      : fc.sample(fc.shuffledSubarray(all, { minLength: SAMPLE, maxLength: SAMPLE }), { seed: SEED, numRuns: 1 })[0]!;
    const store = new GoldenStore(path.join(root, 'goldens'));
    for (const s of chosen) {
      const ctx = new ScenarioContext(executors, store, s);
      try {
        // The sample keeps npm test quick: no pairs and no other backends (the nightly sweep has both).
        cells.push(...(await selfTestScenario(ctx, 'cpu', undefined, nightly ? {} : { pairs: false, backends: ['cpu'] })));
      } finally {
        await ctx.dispose();
      }
    }
    const judged = cells.filter((c) => c.status !== 'not-applicable');
    expect(judged.length, `no applicable fault in ${chosen.map((s) => s.name)}`).to.be.greaterThan(0);
    const wrong = judged.filter((c) => c.status === 'wrong');
    expect(wrong, formatConfusion(cells)).to.deep.equal([]);
    // A tie must say how probes could separate the tied causes.
    for (const c of judged.filter((x) => x.status === 'tie')) expect(c.advice, `${c.scenario} · ${c.fault}`).to.match(/add /);
  });
});
