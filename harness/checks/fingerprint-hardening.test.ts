// The environment fingerprint: replay is exact when the outputs were recorded on the same environment,
// and falls back to crossBackend, saying why, when the fingerprint differs or is missing.
import { expect } from 'chai';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { runCheck } from './checks.ts';
import { ScenarioContext } from './scenario-context.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const SCENARIO = 'scaler-regression';

describe('environment fingerprint', function () {
  this.timeout(60_000);
  let dir: string;
  before(async function () {
    const runtime = await loadRuntime();
    if (!runtime.backends.tensorflow.usable) {
      if ((process.env.TFJS_REPRO_REQUIRE_BACKENDS ?? '').includes('tensorflow'))
        throw new Error(`tensorflow is required: ${runtime.backends.tensorflow.reason}`);
      this.skip();
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-fingerprint-'));
    await cp(path.join(root, 'goldens', SCENARIO), path.join(dir, SCENARIO), { recursive: true });
  });
  after(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  async function replay(edit: (file: Record<string, unknown>) => void) {
    const file = path.join(dir, SCENARIO, 'outputs', 'tensorflow.json');
    const original = await readFile(file, 'utf8');
    const json = JSON.parse(original) as Record<string, unknown>;
    edit(json);
    await writeFile(file, JSON.stringify(json));
    try {
      const executors = inProcessExecutors(await loadRuntime());
      const scenario = await loadScenarioFile(path.join(root, 'scenarios', `${SCENARIO}.scenario.ts`));
      const ctx = new ScenarioContext(executors, new GoldenStore(dir), scenario);
      const o = await runCheck(ctx, 'replay', { runtime: executors.name, backend: 'tensorflow', format: 'memory' });
      await ctx.dispose();
      return o;
    } finally {
      await writeFile(file, original);
    }
  }

  it('replays exactly, with no note, when the recorded fingerprint matches this machine', async function () {
    const here = await inProcessExecutors(await loadRuntime())
      .executor('tensorflow')
      .fingerprint();
    const recorded = JSON.parse(await readFile(path.join(dir, SCENARIO, 'outputs', 'tensorflow.json'), 'utf8')).fingerprint;
    // Exact replay is only promised on the recording environment; elsewhere the two tests below apply.
    if (JSON.stringify(recorded) !== JSON.stringify(here)) {
      this.test!.title += ` (skipped: the golden was recorded on ${recorded?.cpu}, this machine is ${here.cpu})`;
      this.skip();
    }
    const o = await replay(() => undefined);
    expect(o.status, o.reason).to.equal('pass');
    expect(o.note).to.equal(undefined);
  });

  it('falls back to crossBackend and says so when the CPU features differ', async () => {
    const o = await replay((f) => {
      f.fingerprint = { cpu: 'x64:sse4_1' };
    });
    expect(o.status, o.reason).to.equal('pass');
    expect(o.note).to.match(/^compared under crossBackend, not exactly: cpu recorded x64:sse4_1, here x64:.*; re-record on this machine/);
  });

  it('falls back to crossBackend and says so when the golden has no fingerprint', async () => {
    const o = await replay((f) => {
      delete f.fingerprint;
    });
    expect(o.status, o.reason).to.equal('pass');
    expect(o.note).to.match(/the golden has no environment fingerprint \(cpu here: x64:/);
  });
});
