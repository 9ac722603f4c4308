// Before discovery, a command guesses how many jobs its plan will hold: with several, every job host
// starts at once and one of them discovers (no host of its own); with one, a second host is not started.
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
    expect(expectedJobs(args({ shard: '1/4' }))).to.equal(1);
    expect(expectedJobs(args({ backend: 'cpu,wasm' }), false)).to.equal(3); // record: one task per scenario
    expect(expectedJobs(args({ scenarios: path.join(dir, 'missing') }))).to.equal(0);
  });

  /** A pool that records what it is asked, and discovers the given scenarios. */
  function fakePool(calls: string[]): Pool {
    return {
      runtime: async () => {
        calls.push('runtime');
        return { name: 'tfjs', version: '0', backends: {} } as unknown as RuntimeInfo;
      },
      warm: (n?: number) => calls.push(`warm ${n ?? 'all'}`),
      run: async (task, o) => {
        calls.push(task.kind);
        o.onMessage?.({ type: 'discovered', id: 1, scenarios: [{ name: 'a' } as ScenarioMeta], broken: [], reusable: true });
        return { ended: 'done' };
      },
      close: async () => undefined,
    };
  }

  it('starts every job host before discovering when several jobs are expected, one otherwise', async () => {
    const several: string[] = [];
    await runtimeAndScenarios({ ...args(), backend: 'cpu' }, fakePool(several));
    expect(several).to.deep.equal(['runtime', 'warm all', 'warm 1', 'discover']);
    const one: string[] = [];
    await runtimeAndScenarios({ ...args(), scenario: ['a'], backend: 'cpu' }, fakePool(one));
    expect(one).to.deep.equal(['runtime', 'warm 1', 'discover']);
  });
});
