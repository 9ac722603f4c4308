import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { scenarioDependencies, scenarioSourceHash } from './source-hash.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const repo = path.resolve(import.meta.dirname, '..', '..');

describe('scenario source hash (what stales a golden)', () => {
  let dir: string;
  const write = async (rel: string, text: string) => {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), text);
  };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-hash-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is the plain SHA-256 of the text for every committed scenario without project dependencies, and each golden matches', async () => {
    let plain = 0;
    for (const f of (await readdir(path.join(repo, 'scenarios'))).filter((n) => n.endsWith('.scenario.ts'))) {
      const file = path.join(repo, 'scenarios', f);
      const text = (await readFile(file, 'utf8')).replace(/\r\n/g, '\n');
      const hash = await scenarioSourceHash(file);
      // Scenarios whose model comes from models/<name>/ (imported Keras models) hash those files too.
      if ((await scenarioDependencies(file, text)).length) expect(hash, f).to.not.equal(sha(text));
      else {
        expect(hash, f).to.equal(sha(text));
        plain++;
      }
      const golden = JSON.parse(await readFile(path.join(repo, 'goldens', f.replace('.scenario.ts', ''), 'probes.json'), 'utf8'));
      expect(golden.sourceHash, f).to.equal(hash);
    }
    expect(plain).to.be.greaterThan(0);
  });

  it('covers project modules imported transitively and models/<name>/ files, but not the harness or node_modules', async () => {
    const harness = path.relative(path.join(dir, 'scenarios'), path.join(repo, 'harness', 'index.ts'));
    const scenario = [
      `import { defineScenario } from '${harness}';`,
      "import { helper } from './lib/helper.ts';",
      "import 'some-package';",
      "const weights = 'models/my-model/weights.bin';",
      'export default defineScenario(helper);',
    ].join('\n');
    await write('scenarios/x.scenario.ts', scenario);
    await write('scenarios/lib/helper.ts', "export { step } from '../../shared/step';\nexport const helper = {};\n");
    await write('shared/step.ts', 'export const step = 1;\n');
    await write('models/my-model/weights.bin', 'abc');
    await write('models/my-model/sub/model.json', '{}');
    // The framework side's files: tfjs's predictions do not depend on them.
    await write('models/my-model/reference/keras.json', '{}');
    await write('models/my-model/reference.json', '{}');
    await write('models/my-model/known-findings.json', '{}');
    const file = path.join(dir, 'scenarios/x.scenario.ts');
    const deps = (await scenarioDependencies(file, scenario)).map((d) => path.relative(dir, d));
    expect(deps).to.deep.equal([
      'models/my-model/sub/model.json',
      'models/my-model/weights.bin',
      'scenarios/lib/helper.ts',
      'shared/step.ts',
    ]);
    const before = await scenarioSourceHash(file);
    expect(before).not.to.equal(sha(scenario));
    for (const [rel, text] of [
      ['shared/step.ts', 'export const step = 2;\n'],
      ['models/my-model/weights.bin', 'abd'],
    ] as const) {
      const old = await readFile(path.join(dir, rel), 'utf8');
      await write(rel, text);
      expect(await scenarioSourceHash(file), rel).not.to.equal(before);
      await write(rel, old);
    }
    expect(await scenarioSourceHash(file)).to.equal(before);
    // CRLF in a helper is the same source.
    await write('scenarios/lib/helper.ts', "export { step } from '../../shared/step';\r\nexport const helper = {};\r\n");
    expect(await scenarioSourceHash(file)).to.equal(before);
  });
});
