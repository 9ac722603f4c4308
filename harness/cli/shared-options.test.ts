// Before discovery, a command guesses how many jobs its plan will hold: with several, the job hosts they
// need start at once and one of them discovers (no host of its own); with one, a second host is not started.
import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioMeta } from '../checks/plan.ts';
import type { Pool } from '../host/host-pool.ts';
import type { RuntimeInfo } from '../host/protocol.ts';
import { expectedJobs, runtimeAndScenarios, type CommonArgs } from './shared-options.ts';

describe('runtime and scenarios found together', () => {
  let dir: string;
  const args = (extra: Partial<CommonArgs & { shard: string }> = {}) => ({ json: false, scenarios: dir, goldens: dir, ...extra });
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-expected-'));
    for (const f of ['a.scenario.ts', 'b.scenario.ts', 'c.scenario.ts', 'notes.ts']) await writeFile(path.join(dir, f), '');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('expects scenario files (or names) × backends jobs, divided among shards', () => {
    expect(expectedJobs(args())).to.equal(6); // three files on cpu and wasm, the backends always usable
    expect(expectedJobs(args({ backend: 'cpu' }))).to.equal(3);
    expect(expectedJobs(args({ scenario: ['a'], backend: 'cpu' }))).to.equal(1);
    expect(expectedJobs(args({ scenario: ['a'], backend: 'cpu,wasm,tensorflow' }))).to.equal(3);
    // Dealt round robin: of six jobs, shard 1/4 gets the first and the fifth, 4/4 the fourth.
    expect(expectedJobs(args({ shard: '1/4' }))).to.equal(2);
    expect(expectedJobs(args({ shard: '4/4' }))).to.equal(1);
    expect(() => expectedJobs(args({ shard: '1/0' }))).to.throw(/--shard must be i\/n/);
    expect(expectedJobs(args({ backend: 'cpu,wasm' }), false)).to.equal(3); // record: one task per scenario
    expect(expectedJobs(args({ scenarios: path.join(dir, 'missing') }))).to.equal(0);
  });

  /** A pool that records what it is asked; its runtime is ready (or fails) 20 ms after it is asked for. */
  function fakePool(calls: string[], runtimeError?: Error, discoverError?: string): Pool {
    return {
      runtime: () => {
        calls.push('runtime');
        return new Promise((resolve, reject) =>
          setTimeout(() => {
            calls.push('runtime ready');
            if (runtimeError) reject(runtimeError);
            else resolve({ name: 'tfjs', version: '0', backends: {} } as unknown as RuntimeInfo);
          }, 20),
        );
      },
      warm: (n?: number) => calls.push(`warm ${n ?? 'all'}`),
      run: async (task, o) => {
        calls.push(task.kind);
        if (discoverError) return { ended: 'error', message: discoverError };
        o.onMessage?.({ type: 'discovered', id: 1, scenarios: [{ name: 'a' } as ScenarioMeta], broken: [], reusable: true });
        return { ended: 'done' };
      },
      close: async () => undefined,
    };
  }

  it('discovers while the runtime loads, starting the hosts the expected jobs need first, one when one job is expected', async () => {
    const several: string[] = [];
    await runtimeAndScenarios({ ...args(), backend: 'cpu' }, fakePool(several));
    expect(several).to.deep.equal(['runtime', 'warm 3', 'warm 1', 'discover', 'runtime ready']);
    const one: string[] = [];
    await runtimeAndScenarios({ ...args(), scenario: ['a'], backend: 'cpu' }, fakePool(one));
    expect(one).to.deep.equal(['runtime', 'warm 1', 'discover', 'runtime ready']);
  });

  it('reports a runtime that cannot load before the discovery it also failed', async () => {
    const calls: string[] = [];
    const failing = fakePool(calls, new Error('host process could not start: no tfjs'), 'host process could not start: no tfjs');
    let error: Error | undefined;
    await runtimeAndScenarios({ ...args(), backend: 'cpu' }, failing).catch((e: Error) => (error = e));
    expect(error?.message).to.equal('host process could not start: no tfjs');
  });
});
