import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Job } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import { longestFirst, rememberDurations } from './job-order.ts';

const job = (scenario: string, backend: 'cpu' | 'wasm'): Job => ({ scenario, file: `${scenario}.scenario.ts`, backend, checks: [] });
const outcome = (scenario: string, backend: string, durationMs: number): CheckOutcome => ({
  scenario,
  configuration: { runtime: 'tfjs@x', backend },
  check: 'replay',
  status: 'pass',
  durationMs,
});

describe('job order', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-order-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps plan order without history, then runs the longest jobs of the last run first, unseen jobs before them', async () => {
    const file = path.join(dir, 'results', '.job-durations.json');
    const jobs = [job('a', 'cpu'), job('b', 'cpu'), job('c', 'wasm')];
    expect((await longestFirst(jobs, file)).map((j) => j.scenario)).to.deep.equal(['a', 'b', 'c']);
    await rememberDurations([outcome('a', 'cpu', 100), outcome('b', 'cpu', 300), outcome('b', 'cpu', 200), outcome('x', '-', 9999)], file);
    expect((await longestFirst(jobs, file)).map((j) => j.scenario)).to.deep.equal(['c', 'b', 'a']);
  });
});
