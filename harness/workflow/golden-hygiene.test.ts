import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GoldenStore } from '../golden/golden-store.ts';
import { goldenHygiene } from './golden-hygiene.ts';

describe('golden hygiene (what fails a full run beside the checks)', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-hygiene-'));
    for (const f of ['kept/outputs/cpu.json', 'kept/outputs/gpu.json', 'kept/outputs/wasm.json', 'gone/outputs/cpu.json']) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), '{}');
    }
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('names orphan goldens and outputs files of no backend, with the fix', async () => {
    const problems = await goldenHygiene(new GoldenStore(dir), ['kept']);
    expect(problems.map((p) => [p.scenario, p.kind])).to.deep.equal([
      ['gone', 'orphan'],
      ['kept', 'unreferenced'],
    ]);
    expect(problems[0]!.reason).to.match(/orphan golden .*gone: no scenarios\/gone\.scenario\.ts; delete the golden/);
    expect(problems[1]!.reason).to.match(/unreferenced golden file .*kept\/outputs\/gpu\.json: "gpu" is not a backend .*delete the file/);
  });

  it('finds nothing when every golden has its scenario and every outputs file its backend', async () => {
    await rm(path.join(dir, 'kept/outputs/gpu.json'));
    expect(await goldenHygiene(new GoldenStore(dir), ['kept', 'gone'])).to.deep.equal([]);
  });
});
