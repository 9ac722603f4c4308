// The host pool: parallel hosts give the same outcomes as one host (apart from durations, in plan
// order), and a host that dies mid-job is reported with the scenario and the step, not as a hang.
import { expect } from 'chai';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { planRun } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { HostPool } from './host-pool.ts';
import { discoverInHost, runJob } from './run-jobs.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

async function outcomes(jobs: number, scenarios: string, goldens: string): Promise<CheckOutcome[]> {
  const pool = new HostPool({ jobs });
  try {
    const runtime = await pool.runtime();
    const d = await discoverInHost(pool, scenarios, ['scaler-regression', 'custom-activation']);
    const plan = planRun({
      runtime,
      scenarios: d.scenarios,
      backends: ['cpu', 'wasm'],
      formats: ['memory'],
      checks: ['replay', 'agreement', 'retrain', 'fault weights-perturbed'],
    });
    const all = await Promise.all(plan.jobs.map((job) => runJob(pool, job, { goldens })));
    return all.flat();
  } finally {
    await pool.close();
  }
}

describe('host pool', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-pool-'));
    await mkdir(path.join(dir, 'scenarios'));
    await writeFile(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    await symlink(path.join(root, 'harness'), path.join(dir, 'harness'));
    for (const s of ['scaler-regression', 'custom-activation']) {
      await cp(path.join(root, 'scenarios', `${s}.scenario.ts`), path.join(dir, 'scenarios', `${s}.scenario.ts`));
      await cp(path.join(root, 'goldens', s), path.join(dir, 'goldens', s), { recursive: true });
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('gives identical outcomes, in plan order, with one host and with two', async () => {
    const scenarios = path.join(dir, 'scenarios');
    const goldens = path.join(dir, 'goldens');
    const [one, two] = await Promise.all([outcomes(1, scenarios, goldens), outcomes(2, scenarios, goldens)]);
    const strip = (list: CheckOutcome[]) => list.map(({ durationMs: _, ...o }) => o);
    // Per scenario: cpu runs replay, retrain and the fault; wasm adds agreement.
    expect(one.length).to.equal(14);
    expect(strip(two)).to.deep.equal(strip(one));
    expect(one.every((o) => o.status === 'pass')).to.equal(true);
  });

  it('reports a host that dies in the middle of a job with the scenario, check and step', async () => {
    const source = await readFile(path.join(dir, 'scenarios', 'scaler-regression.scenario.ts'), 'utf8');
    await writeFile(
      path.join(dir, 'scenarios', 'dies.scenario.ts'),
      source
        .replace("name: 'scaler-regression',", "name: 'dies',")
        .replace('data({ rng }) {', "data({ rng }) {\n    if (rng() < 2) process.kill(process.pid, 'SIGKILL');"),
    );
    const pool = new HostPool({ jobs: 1 });
    try {
      const runtime = await pool.runtime();
      const d = await discoverInHost(pool, path.join(dir, 'scenarios'), ['dies', 'scaler-regression']);
      const plan = planRun({
        runtime,
        scenarios: d.scenarios,
        backends: ['cpu'],
        formats: ['memory'],
        checks: ['replay', 'property batch-invariance'],
      });
      const [dies, alive] = await Promise.all(plan.jobs.map((job) => runJob(pool, job, { goldens: path.join(dir, 'goldens') })));
      expect(dies![1]!.status).to.equal('fail');
      expect(dies![1]!.reason).to.match(
        /dies on cpu: the host process died \(code null, signal SIGKILL\) in step data\(\) while running check property batch-invariance/,
      );
      expect(alive!.map((o) => o.status)).to.deep.equal(['pass', 'pass']);
    } finally {
      await pool.close();
      await rm(path.join(dir, 'scenarios', 'dies.scenario.ts'));
    }
  });
});
