// Replays every committed old-format fixture (goldens/<scenario>/legacy/<version>/) with the project's
// tfjs: a tfjs upgrade that no longer loads, or predicts differently from, a model saved by an older
// release fails here. A fixture is compared under the `version` tolerance, like any cross-version replay.
import { expect } from 'chai';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import semver from 'semver';
import { runCheck } from '../checks/checks.ts';
import { ScenarioContext } from '../checks/scenario-context.ts';
import { inProcessExecutors } from '../executor/in-process-executor.ts';
import { nodeBackendNames } from '../runtime/backends.ts';
import { loadRuntime, projectRoot } from '../runtime/load-runtime.ts';
import { discoverScenarios, type LoadedScenario } from '../scenario/discover-scenarios.ts';
import { legacyRecordCommand, LegacyFixtureStore, listLegacyFixtures, type LegacyFixture } from './legacy-fixtures.ts';

const goldens = path.join(projectRoot, 'goldens');
const fixtures = await Promise.all(
  (await listLegacyFixtures(goldens)).map(async (f) => ({
    ...f,
    backends: (await readdir(path.join(f.dir, 'outputs')).catch(() => [])).map((n) => n.replace(/\.json$/, '')),
  })),
);
const runtime = await loadRuntime();
const { scenarios } = await discoverScenarios(path.join(projectRoot, 'scenarios'), (n) => fixtures.some((f) => f.scenario === n));
const rel = (p: string) => path.relative(process.cwd(), p);

async function replay(fixture: LegacyFixture, scenario: LoadedScenario, backend: (typeof nodeBackendNames)[number]) {
  const store = new LegacyFixtureStore(path.dirname(path.dirname(path.dirname(fixture.dir))), fixture);
  const status = await store.status(scenario.name, scenario.sourceHash);
  if (status !== 'ok')
    return `${rel(fixture.dir)}: fixture is ${status} (${scenario.file} changed since tfjs ${fixture.version} recorded it); if the change is intended, re-record it with: ${legacyRecordCommand(fixture)}`;
  const ctx = new ScenarioContext(inProcessExecutors(runtime), store, scenario);
  const o = await runCheck(ctx, 'replay', { runtime: runtime.name, backend, format: 'memory' });
  return o.status === 'pass' ? undefined : `${rel(fixture.dir)} (saved by tfjs ${fixture.version}) on ${backend}: ${o.reason}`;
}

describe(`legacy fixtures: bundles saved by older tfjs, replayed by tfjs ${runtime.version}`, () => {
  it('has fixtures from a 3.x release and from an earlier 4.x release', () => {
    const versions = fixtures.map((f) => f.version);
    expect(
      versions.some((v) => semver.major(v) === 3),
      `no 3.x fixture under ${rel(goldens)}/*/legacy/`,
    ).to.equal(true);
    expect(
      versions.some((v) => semver.major(v) === 4 && semver.lt(v, runtime.version)),
      'no earlier 4.x fixture',
    ).to.equal(true);
  });

  for (const fixture of fixtures) {
    describe(`${fixture.scenario} saved by tfjs ${fixture.version}`, () => {
      const scenario = scenarios.find((s) => s.name === fixture.scenario);
      it('belongs to a scenario', () => {
        expect(scenario, `${rel(fixture.dir)}: no scenarios/${fixture.scenario}.scenario.ts; delete the fixture`).to.not.equal(undefined);
      });
      for (const backend of nodeBackendNames.filter((b) => fixture.backends.includes(b))) {
        it(`replays on ${backend}`, async function () {
          // A fixture without its scenario fails the test above; here it is only not run.
          if (!scenario) return this.skip();
          if (!runtime.backends[backend].usable) {
            this.test!.title += ` (skipped: ${runtime.backends[backend].reason})`;
            return this.skip();
          }
          const problem = await replay(fixture, scenario, backend);
          if (problem) expect.fail(problem);
        });
      }
    });
  }

  it('fails naming the file when one byte of a fixture weights file is gone', async () => {
    const fixture = fixtures[0]!;
    const scenario = scenarios.find((s) => s.name === fixture.scenario)!;
    const root = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-legacy-'));
    try {
      const copy = { ...fixture, dir: path.join(root, fixture.scenario, 'legacy', fixture.version) };
      await cp(fixture.dir, copy.dir, { recursive: true });
      const weights = path.join(copy.dir, 'bundle', 'weights.bin');
      const bytes = await readFile(weights);
      await writeFile(weights, bytes.subarray(0, bytes.length - 1));
      const problem = await replay(copy, scenario, 'cpu');
      expect(problem)
        .to.be.a('string')
        .and.match(/weights\.bin/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
