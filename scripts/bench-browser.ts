// The browser figures of `npm run bench`: Chromium's launch, a fresh page per backend (tfjs loaded,
// backend started), and what npm test's tier (replay, agreement, faults; apply-test-tier.ts) costs on
// each browser backend over every scenario, one check at a time. Shader compilation is paid per page,
// so one pass is measured, after nothing: this is the cost npm test pays.
import { runCheck } from '../harness/checks/checks.ts';
import { applyTestTier } from '../harness/checks/apply-test-tier.ts';
import { planRun } from '../harness/checks/plan.ts';
import { ScenarioContext } from '../harness/checks/scenario-context.ts';
import { hostExecutors } from '../harness/executor/host-executors.ts';
import { closeBrowser, launchBrowser } from '../harness/executor/browser/launch-browser.ts';
import type { GoldenStore } from '../harness/golden/golden-store.ts';
import { browserBackendNames, type BrowserBackendName } from '../harness/runtime/backends.ts';
import type { Runtime } from '../harness/runtime/load-runtime.ts';
import type { LoadedScenario } from '../harness/scenario/discover-scenarios.ts';

export interface BrowserBench {
  launchMs?: number;
  /** A fresh page with tfjs loaded and the backend started. */
  pageMs: Partial<Record<BrowserBackendName, number>>;
  /** npm test's tier over every scenario, per backend. */
  tierMs: Partial<Record<BrowserBackendName, number>>;
  scenarioMs: Record<string, Partial<Record<BrowserBackendName, number>>>;
  notUsable: Partial<Record<BrowserBackendName, string>>;
}

export async function benchBrowser(runtime: Runtime, scenarios: LoadedScenario[], store: GoldenStore): Promise<BrowserBench> {
  const bench: BrowserBench = { pageMs: {}, tierMs: {}, scenarioMs: {}, notUsable: {} };
  try {
    const start = performance.now();
    await launchBrowser();
    bench.launchMs = performance.now() - start;
  } catch (err) {
    for (const b of browserBackendNames) bench.notUsable[b] = (err as Error).message;
    return bench;
  }
  for (const backend of browserBackendNames) {
    const opening = performance.now();
    const host = await hostExecutors(runtime, { browserBackends: [backend] });
    try {
      if (!host.backends[backend].usable) {
        bench.notUsable[backend] = host.backends[backend].reason ?? 'not usable';
        continue;
      }
      bench.pageMs[backend] = performance.now() - opening;
      const plan = applyTestTier(planRun({ runtime: host, scenarios, backends: [backend] }), 'test');
      let total = 0;
      for (const job of plan.jobs) {
        const scenario = scenarios.find((s) => s.name === job.scenario)!;
        host.useScenario(scenario.name, scenario.file);
        const t = performance.now();
        const ctx = new ScenarioContext(host, store, scenario);
        for (const c of job.checks) {
          const o = await runCheck(ctx, c.check, c.configuration);
          if (o.status === 'fail') throw new Error(`bench: ${o.scenario} ${o.check} on ${backend} failed: ${o.reason}`);
        }
        await ctx.dispose();
        const ms = performance.now() - t;
        (bench.scenarioMs[job.scenario] ??= {})[backend] = ms;
        total += ms;
      }
      bench.tierMs[backend] = total;
    } finally {
      // Closes the page and the browser: the next backend starts from a fresh page, as in a host.
      await host.close();
    }
  }
  await closeBrowser();
  return bench;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** A Markdown table: per scenario and browser backend, the tier's time; then launch, pages and totals. */
export function formatBrowserBench(b: BrowserBench): string {
  const used = browserBackendNames.filter((n) => b.tierMs[n] !== undefined);
  const lines = [
    `\nbrowser backends (npm test's tier: replay, agreement, faults; one check at a time):`,
    `| scenario | ${used.join(' | ')} |`,
    `|---|${used.map(() => '---').join('|')}|`,
    ...Object.entries(b.scenarioMs).map(([s, by]) => `| ${s} | ${used.map((n) => seconds(by[n])).join(' | ')} |`),
    `| **page start** | ${used.map((n) => seconds(b.pageMs[n])).join(' | ')} |`,
    `| **total** | ${used.map((n) => seconds(b.tierMs[n])).join(' | ')} |`,
    `Chromium launch ${seconds(b.launchMs)}; all browser backends ${seconds(used.reduce((a, n) => a + b.tierMs[n]! + b.pageMs[n]!, 0))} in one process (npm test spreads them over its hosts)`,
  ];
  for (const [n, reason] of Object.entries(b.notUsable)) lines.push(`${n} not measured: ${reason}`);
  return lines.join('\n');
}
