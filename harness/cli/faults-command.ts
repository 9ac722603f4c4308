import type { CommandModule } from 'yargs';
import { faultNames } from '../checks/faults.ts';
import { planRun } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { startJobs } from '../host/job-order.ts';
import { faultCell, type FaultCell } from '../report/fault-matrix.ts';
import { jobLine, startProgress } from './progress.ts';
import {
  commonOptions,
  makePool,
  poolOptions,
  selectedBackends,
  storeFor,
  timeoutMs,
  type CommonArgs,
  type PoolArgs,
  runtimeAndScenarios,
} from './shared-options.ts';

interface FaultsCell {
  scenario: string;
  backend: string;
  fault: string;
  status: FaultCell;
  detail?: string;
}
/** What fails the matrix: a fault that went unnoticed, or one whose check errored or never ran. */
const failing = (c: FaultsCell) => c.status === 'UNDETECTED' || c.status === 'error' || c.status === 'not run';

export const faultsCommand: CommandModule<object, CommonArgs & PoolArgs> = {
  command: 'faults [scenario..]',
  describe: 'inject every known failure mode into each golden and print the scenario × fault matrix; exits 1 on any UNDETECTED fault',
  builder: (y) =>
    poolOptions(commonOptions(y))
      .example('$0 faults', 'the fault matrix on every usable backend')
      .example('$0 faults --json -b cpu', 'machine-readable, reference backend only') as never,
  handler: async (a) => {
    const limit = timeoutMs(a);
    const pool = makePool(a);
    const cells: FaultsCell[] = [];
    let runtime: Awaited<ReturnType<typeof pool.runtime>>;
    try {
      const found = await runtimeAndScenarios(a, pool);
      runtime = found.runtime;
      const discovery = found.discovery;
      const plan = planRun({
        runtime,
        scenarios: discovery.scenarios,
        broken: discovery.broken,
        backends: selectedBackends(a),
        formats: [],
        checks: faultNames.map((f) => `fault ${f}`),
      });
      const add = (o: CheckOutcome) => {
        const fault = o.check === 'load' ? 'load' : o.check.slice('fault '.length);
        cells.push({
          scenario: o.scenario,
          backend: o.configuration.backend,
          fault,
          status: o.check === 'load' ? 'error' : faultCell(o),
          detail: o.reason ?? o.detail,
        });
      };
      plan.fixed.forEach(add);
      const progress = startProgress({ total: plan.jobs.reduce((n, j) => n + j.checks.length, 0), unit: 'faults', json: a.json });
      const running = await startJobs(pool, plan.jobs, {
        goldens: storeFor(a).root,
        ...(limit ? { timeoutMs: limit } : {}),
        onOutcome: () => progress.tick(),
      });
      running.forEach((r, i) => void r.then((os) => progress.done(jobLine(plan.jobs[i]!.scenario, plan.jobs[i]!.backend, os))));
      for (const r of running) (await r).forEach(add);
      progress.stop();
    } finally {
      await pool.close();
    }
    if (a.json) {
      process.stdout.write(JSON.stringify({ runtime: runtime.name, faults: cells }, null, 1) + '\n');
    } else {
      const short: Record<FaultCell, string> = {
        detected: 'detected',
        'not-applicable': '–',
        UNDETECTED: 'UNDETECTED',
        error: 'ERROR',
        'not run': 'NOT RUN',
      };
      const rows = [...new Set(cells.map((c) => `${c.scenario} · ${c.backend}`))];
      const width = Math.max(...rows.map((r) => r.length), 10);
      const lines = [`${''.padEnd(width)}  ${faultNames.map((f) => f.padEnd(22)).join('')}`];
      for (const row of rows) {
        const mine = cells.filter((c) => `${c.scenario} · ${c.backend}` === row);
        const load = mine.find((c) => c.fault === 'load');
        lines.push(
          `${row.padEnd(width)}  ${load ? `ERROR ${load.detail}` : faultNames.map((f) => short[mine.find((c) => c.fault === f)?.status ?? 'error'].padEnd(22)).join('')}`,
        );
      }
      const bad = cells.filter(failing);
      if (bad.length) lines.push('', ...bad.map((c) => `${c.scenario} · ${c.backend} · ${c.fault}: ${c.detail}`));
      process.stdout.write(lines.join('\n') + '\n');
    }
    process.exitCode = cells.some(failing) ? 1 : 0;
  },
};
