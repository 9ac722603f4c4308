// A writer killed at any point of a golden write leaves the old golden or the new one, never a broken
// one: the writer kills itself (SIGKILL) at each named stop point, then a fresh store reads the golden.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCK_DIR } from './golden-lock.ts';
import { GoldenStore } from './golden-store.ts';
import { STOP_ENV, stopPoints } from './stop-point.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'scaler-regression';

function writer(goldens: string, mode: 'write' | 'outputs', stopAt: string): Promise<{ signal: string | null }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'kill-writer.fixture.ts'), goldens, SCENARIO, mode],
      { cwd: root, env: { ...process.env, [STOP_ENV]: stopAt } },
      () => resolve({ signal: child.signalCode }),
    );
  });
}

describe('golden store: a writer killed at each stop point', function () {
  this.timeout(60_000);
  const dirs: string[] = [];
  after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  // Each stop point in its own copy, all at once. A dead writer's lock goes stale only after LOCK_STALE_MS: its
  // mtime is set that far back instead of waiting (golden-hardening.test.ts waits for a real one).
  it(`leaves the old or the new golden when killed at any of ${stopPoints.length} points`, async () => {
    await Promise.all(
      stopPoints.map(async (point) => {
        const dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-kill-'));
        dirs.push(dir);
        await cp(path.join(root, 'goldens', SCENARIO), path.join(dir, SCENARIO), { recursive: true });
        const outputsOnly = point.startsWith('write-outputs');
        const { signal } = await writer(dir, outputsOnly ? 'outputs' : 'write', point);
        expect(signal, `${point}: the writer must die at the stop point`).to.equal('SIGKILL');
        const past = new Date(Date.now() - 60_000);
        await utimes(path.join(dir, LOCK_DIR), past, past); // every stop point is inside the lock
        const store = new GoldenStore(dir);
        const probes = await store.readProbes(SCENARIO);
        const recorded = await Promise.all(
          (await store.recordedBackends(SCENARIO)).map(async (b) => (await store.readOutputs(SCENARIO, b))!.recorded),
        );
        expect(recorded.length, point).to.be.greaterThan(0);
        // A golden write swaps the whole directory: every outputs file is old, or every one is new.
        const olds = recorded.filter((r) => r !== 'new').length;
        if (!outputsOnly) expect(olds === 0 || olds === recorded.length, `${point}: mixed golden ${recorded}`).to.equal(true);
        const status = await store.inspect(SCENARIO, probes.sourceHash);
        expect(status.status, `${point}: ${status.error}`).to.equal('ok');
        expect(await store.list(), point).to.deep.equal([SCENARIO]);
      }),
    );
  });
});
