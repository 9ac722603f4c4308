// The host pool: parallel hosts give the same outcomes as one host (apart from durations, in plan
// order), and a host that dies mid-job is reported with the scenario and the step, not as a hang.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { planRun } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { HostPool } from './host-pool.ts';
import { discoverInHost, runJob } from './run-jobs.ts';
import { scratchProject } from '../cli/scratch-project.fixture.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

async function outcomes(pool: HostPool, scenarios: string, goldens: string): Promise<CheckOutcome[]> {
  const runtime = await pool.runtime();
  const d = await discoverInHost(pool, scenarios, ['scaler-regression', 'custom-activation']);
  const plan = planRun({
    runtime,
    scenarios: d.scenarios,
    backends: ['cpu', 'wasm'],
    formats: ['memory'],
    checks: ['replay', 'agreement', 'property batch-invariance', 'fault weights-perturbed'],
  });
  // Queued by backend: cpu jobs first, so a second host that simply took the next job would run cpu too.
  const jobs = [...plan.jobs].sort((a, b) => a.backend.localeCompare(b.backend));
  const all = await Promise.all(jobs.map((job) => runJob(pool, job, { goldens })));
  return all.flat();
}

describe('host pool', function () {
  this.timeout(120_000);
  let dir: string;
  // One pool of each size for the file: a host's start-up (tsx, tfjs, backends) is most of a job's cost,
  // and the crash test only needs a pool whose host it can kill (its next job then gets a fresh host).
  // (A pool starts no host until it is used.)
  // They load only the backends the test uses (as `run -b cpu,wasm` does): libtensorflow is not loaded.
  const one = new HostPool({ jobs: 1, nodeBackends: ['cpu', 'wasm'] });
  const two = new HostPool({ jobs: 2, nodeBackends: ['cpu', 'wasm'] });
  before(async () => {
    dir = await scratchProject('pool', ['scaler-regression', 'custom-activation']);
  });
  after(async () => {
    await Promise.all([one.close(), two.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gives identical outcomes, in job order, with one host and with two, the second host taking the other backend', async () => {
    const scenarios = path.join(dir, 'scenarios');
    const goldens = path.join(dir, 'goldens');
    const [serial, parallel] = await Promise.all([outcomes(one, scenarios, goldens), outcomes(two, scenarios, goldens)]);
    const strip = (list: CheckOutcome[]) => list.map(({ durationMs: _, ...o }) => o);
    // Per scenario: cpu runs replay, the property and the fault; wasm adds agreement. (Training in two
    // hosts is compared with the goldens' weights by the scenario suite's retrain checks, which run in two.)
    expect(serial.length).to.equal(14);
    expect(strip(parallel)).to.deep.equal(strip(serial));
    expect(serial.every((o) => o.status === 'pass')).to.equal(true);
    expect((await two.runtime()).backends.tensorflow.reason).to.match(/^not loaded in this process, which was started for cpu, wasm;/);
    // The second host started on the other backend, though cpu jobs were queued ahead (host-affinity.ts).
    const firstBackends = (two as unknown as { hosts: { ran: Set<string> }[] }).hosts.map((h) => [...h.ran][0]);
    expect(firstBackends).to.deep.equal(['cpu', 'wasm']);
  });

  it('answers every queued task with the reason when no host can be started (fork throws)', async () => {
    const pool = new HostPool({ jobs: 2 });
    (pool as unknown as { spawn: () => never }).spawn = () => {
      throw new Error('spawn EAGAIN');
    };
    const task = { kind: 'record', goldens: 'g', scenario: 's', file: 'f', update: 'all' } as const;
    const ends = await Promise.all([pool.run(task, { timeoutMs: 1000 }), pool.run(task, { timeoutMs: 1000 })]);
    expect(ends).to.deep.equal([
      { ended: 'error', message: 'could not start a host: spawn EAGAIN' },
      { ended: 'error', message: 'could not start a host: spawn EAGAIN' },
    ]);
    await pool.close();
  });

  it('says why a host could not start (tfjs not found under the runtime root)', async () => {
    const pool = new HostPool({ jobs: 1, runtimeRoot: path.join(dir, 'no-tfjs-here'), nodeBackends: ['cpu'] });
    try {
      const error = await pool.runtime().then(
        () => undefined,
        (e: Error) => e,
      );
      expect(error?.message).to.match(
        /^host process could not start: .*Cannot find module '@tensorflow\/tfjs'.*; run `npx tfjs-repro doctor`$/,
      );
    } finally {
      await pool.close();
    }
  });

  it('reuses a discovery host only while the files it imported leave nothing running', async () => {
    const scenarios = path.join(dir, 'timer-scenarios');
    await mkdir(scenarios, { recursive: true });
    await cp(path.join(dir, 'scenarios', 'scaler-regression.scenario.ts'), path.join(scenarios, 'scaler-regression.scenario.ts'));
    const pool = new HostPool({ jobs: 1 });
    const discover = async () => {
      let found: { reusable: boolean } | undefined;
      const end = await pool.run(
        { kind: 'discover', dir: scenarios },
        {
          timeoutMs: 60_000,
          onMessage: (m) => {
            if (m.type === 'discovered') found = { reusable: m.reusable };
          },
        },
      );
      expect(end.ended).to.equal('done');
      return found!;
    };
    try {
      expect(await discover()).to.deep.equal({ reusable: true });
      // A timer left by a scenario file could fire during a later discovery and be blamed on it.
      await writeFile(
        path.join(scenarios, 'timer.scenario.ts'),
        "import s from './scaler-regression.scenario.ts';\nsetTimeout(() => undefined, 60_000);\nexport default { ...s, name: 'timer' };\n",
      );
      expect(await discover()).to.deep.equal({ reusable: false });
    } finally {
      await pool.close();
    }
  });

  // A scenario file that notes which process imports it (the discovering one) in `imported`.
  const pidFile = (imported: string, name: string, extra = '') =>
    `import { appendFileSync } from 'node:fs';\nimport s from '../scenarios/scaler-regression.scenario.ts';\nappendFileSync(${JSON.stringify(imported)}, process.pid + '\\n');\n${extra}export default { ...s, name: '${name}' };\n`;
  const jobHosts = (pool: HostPool) => (pool as unknown as { hosts: { child: ChildProcess }[] }).hosts.map((h) => h.child.pid);
  const importers = async (imported: string) => (await readFile(imported, 'utf8')).trim().split('\n').map(Number);

  it('with one job at a time, discovers in the job host started for the runtime, and keeps it only if the files left nothing running', async () => {
    const scenarios = path.join(dir, 'pid-scenarios');
    const imported = path.join(dir, 'imported-by');
    await mkdir(scenarios, { recursive: true });
    const pool = new HostPool({ jobs: 1, nodeBackends: ['cpu'] });
    try {
      // A file that leaves a timer: the host that imported it runs no job (the next job gets a new host).
      await writeFile(path.join(scenarios, 'pid.scenario.ts'), pidFile(imported, 'pid', 'setTimeout(() => undefined, 60_000);\n'));
      const runtime = await pool.runtime();
      const [first] = jobHosts(pool);
      await discoverInHost(pool, scenarios, undefined);
      expect(await importers(imported)).to.deep.equal([first]);
      expect(jobHosts(pool)).to.deep.equal([]);
      // Without the timer: the next job host discovers and then runs the job itself.
      await writeFile(path.join(scenarios, 'pid.scenario.ts'), pidFile(imported, 'pid'));
      await rm(imported);
      const d = await discoverInHost(pool, scenarios, undefined);
      const [second] = jobHosts(pool);
      expect(second).not.to.equal(first);
      expect(await importers(imported)).to.deep.equal([second]);
      const plan = planRun({ runtime, scenarios: d.scenarios, backends: ['cpu'], formats: ['memory'], checks: ['replay'] });
      await runJob(pool, plan.jobs[0]!, { goldens: path.join(dir, 'goldens') });
      expect(jobHosts(pool)).to.deep.equal([second]);
    } finally {
      await pool.close();
    }
  });

  it('with a second job host started (a plan of several jobs), discovers in a job host, not in a host of its own', async () => {
    const scenarios = path.join(dir, 'pid-scenarios-2');
    const imported = path.join(dir, 'imported-by-2');
    await mkdir(scenarios, { recursive: true });
    await writeFile(path.join(scenarios, 'pid.scenario.ts'), pidFile(imported, 'pid'));
    const pool = new HostPool({ jobs: 2, nodeBackends: ['cpu'] });
    try {
      void pool.runtime(); // as runtimeAndScenarios starts them
      pool.warm();
      const started = jobHosts(pool);
      expect(started).to.have.length(2);
      await discoverInHost(pool, scenarios, undefined);
      const [by, ...more] = await importers(imported);
      expect(more).to.deep.equal([]);
      expect(started).to.include(by);
      expect(jobHosts(pool)).to.deep.equal(started);
    } finally {
      await pool.close();
    }
  });

  it('imports scenario files of a package without "type": "module" (CommonJS), extensionless imports included', async () => {
    // Such files are compiled as CommonJS, and './helper' resolves only through tsx's CommonJS hooks,
    // which hosts register after loading tfjs (host-main.ts): in discovery hosts and in job hosts.
    const cjs = path.join(dir, 'cjs');
    await mkdir(path.join(cjs, 'scenarios'), { recursive: true });
    await writeFile(path.join(cjs, 'package.json'), '{}\n');
    await writeFile(path.join(cjs, 'scenarios', 'helper.ts'), "export const name: string = 'extensionless';\n");
    await writeFile(
      path.join(cjs, 'scenarios', 'extensionless.scenario.ts'),
      "import { name } from './helper';\nimport s from '../../scenarios/scaler-regression.scenario.ts';\nexport default { ...s, name };\n",
    );
    const runtime = await one.runtime();
    const d = await discoverInHost(one, path.join(cjs, 'scenarios'), undefined);
    expect(d.broken).to.deep.equal([]);
    expect(d.scenarios.map((s) => s.name)).to.deep.equal(['extensionless']);
    const plan = planRun({ runtime, scenarios: d.scenarios, backends: ['cpu'], formats: ['memory'], checks: ['replay'] });
    // No golden was recorded for it: failing on that (not on the import) shows the job host imported the file.
    const [replay] = await runJob(one, plan.jobs[0]!, { goldens: path.join(cjs, 'goldens') });
    expect(replay!.status).to.equal('fail');
    expect(replay!.reason).to.match(/golden/i);
    expect(replay!.reason).not.to.match(/Cannot find module/);
  });

  it('reports a host that dies in the middle of a job with the scenario, check and step', async () => {
    const source = await readFile(path.join(dir, 'scenarios', 'scaler-regression.scenario.ts'), 'utf8');
    await writeFile(
      path.join(dir, 'scenarios', 'dies.scenario.ts'),
      source
        .replace("name: 'scaler-regression',", "name: 'dies',")
        .replace('data({ rng }) {', "data({ rng }) {\n    if (rng() < 2) process.kill(process.pid, 'SIGKILL');"),
    );
    try {
      const runtime = await one.runtime();
      const d = await discoverInHost(one, path.join(dir, 'scenarios'), ['dies', 'scaler-regression']);
      const plan = planRun({
        runtime,
        scenarios: d.scenarios,
        backends: ['cpu'],
        formats: ['memory'],
        checks: ['replay', 'property batch-invariance'],
      });
      const [dies, alive] = await Promise.all(plan.jobs.map((job) => runJob(one, job, { goldens: path.join(dir, 'goldens') })));
      expect(dies![1]!.status).to.equal('fail');
      expect(dies![1]!.reason).to.match(
        /dies on cpu: the host process died \(code null, signal SIGKILL\) in step data\(\) while running check property batch-invariance/,
      );
      expect(alive!.map((o) => o.status)).to.deep.equal(['pass', 'pass']);
    } finally {
      await rm(path.join(dir, 'scenarios', 'dies.scenario.ts'));
    }
  });

  it('leaves no host behind when the front end is killed while a host is stuck in a loop', async () => {
    const source = await readFile(path.join(dir, 'scenarios', 'scaler-regression.scenario.ts'), 'utf8');
    const scenarios = path.join(dir, 'hang-scenarios');
    await mkdir(scenarios, { recursive: true });
    // data() marks the moment it enters the loop, so the test kills the front end then, not after a guessed delay.
    const inLoop = path.join(dir, 'hang-data.in-loop');
    await writeFile(
      path.join(scenarios, 'hang-data.scenario.ts'),
      `import { writeFileSync } from 'node:fs';\n${source}`
        .replace("name: 'scaler-regression',", "name: 'hang-data',")
        .replace(
          'data({ rng }) {',
          `data({ rng }) {\n    writeFileSync(${JSON.stringify(inLoop)}, '');\n    if (rng() < 2) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // never returns`,
        ),
    );
    const front = spawn(
      process.execPath,
      [
        path.join(root, 'bin', 'tfjs-repro.js'),
        'run',
        '-b',
        'cpu',
        '-j',
        '1',
        '--timeout',
        '300',
        '--check',
        'property batch-invariance',
        '--scenarios',
        scenarios,
        '--goldens',
        path.join(dir, 'goldens'),
      ],
      { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] },
    );
    // Wait until a host of this front end is in the loop, then take every host it has (the job host, a spare discovery host).
    const hosts = async (): Promise<number[]> => {
      const { execFileSync } = await import('node:child_process');
      const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(front.pid)], { encoding: 'utf8' }).trim();
      return out ? out.split('\n').map(Number) : [];
    };
    for (let i = 0; i < 600 && !existsSync(inLoop) && front.exitCode === null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(inLoop), 'a host entered the loop').to.equal(true);
    const pids = await hosts();
    expect(pids.length, 'a host started').to.be.greaterThan(0);
    front.kill('SIGKILL'); // no chance to clean up: the host's own watchdog must notice
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 20 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 250));
    expect(pids.filter(alive), 'hosts still running after the front end died').to.deep.equal([]);
  });
});
