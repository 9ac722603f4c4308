import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { GoldenStore } from '../golden/golden-store.ts';
import { loadRuntime } from '../runtime/load-runtime.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { installedVersions, versionHypotheses } from './version-causes.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
// A child process costs tsx and tfjs start-up (~3 s); npm test leaves it to the nightly tier.
const nightlyIt = process.env.TFJS_REPRO_TIER === 'nightly' ? it : it.skip;

describe('another tfjs version as a cause', () => {
  it('says how to install versions when the cache has none', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-cache-'));
    const saved = process.env.TFJS_REPRO_CACHE;
    process.env.TFJS_REPRO_CACHE = cache;
    try {
      const r = await installedVersions('4.22.0');
      expect(r.runtimes).to.deep.equal([]);
      expect(r.reason).to.equal(
        `no other tfjs version is installed in ${path.join(cache, 'runtimes')}; install some with \`npx tfjs-repro matrix --tfjs 4.10.0,3.21.0\``,
      );
    } finally {
      if (saved === undefined) delete process.env.TFJS_REPRO_CACHE;
      else process.env.TFJS_REPRO_CACHE = saved;
      await rm(cache, { recursive: true, force: true });
    }
  });

  nightlyIt(
    'computes the hypotheses of a runtime in a child process (here the project runtime, which must reproduce the golden)',
    async () => {
      const scenario = await loadScenarioFile(path.join(root, 'scenarios', 'scaler-regression.scenario.ts'));
      const ctx = new ScenarioContext(inProcessExecutors(await loadRuntime()), new GoldenStore(path.join(root, 'goldens')), scenario);
      const r = await versionHypotheses(ctx, [{ version: '4.22.0', root }]);
      const golden = (await ctx.expected('cpu')).outputs.output0!;
      expect(r.unavailable).to.deep.equal([]);
      const alone = r.hypotheses.find((h) => h.id === 'version:4.22.0');
      expect(alone?.family).to.equal('version');
      expect(Array.from(alone!.outputs.output0!.values)).to.deep.equal(Array.from(golden.values));
      expect(r.hypotheses.find((h) => h.id === 'preprocessing-dropped + version:4.22.0')?.pair).to.equal(true);
    },
  );
});
