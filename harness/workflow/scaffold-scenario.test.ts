// `new`: every template scaffolds a scenario that loads and validates (record and run of each template
// were measured by hand: README "Golden workflow"); names are checked and nothing is overwritten.
import { expect } from 'chai';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { captureCli } from '../cli/capture-cli.ts';
import { loadScenarioFile } from '../scenario/discover-scenarios.ts';
import { scaffoldScenario, templateNames } from './scaffold-scenario.ts';

describe('new (scaffold a scenario from a template)', () => {
  let dir: string;
  const scenarios = () => path.join(dir, 'scenarios');
  const goldens = () => path.join(dir, 'goldens');
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tfjs-repro-new-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  for (const template of templateNames) {
    it(`--template ${template} writes a scenario that passes validation under its new name`, async () => {
      const o = await scaffoldScenario({ name: `my-${template}`, template, scenariosDir: scenarios(), goldensDir: goldens() });
      const loaded = await loadScenarioFile(path.join(scenarios(), `my-${template}.scenario.ts`));
      expect(loaded.name).to.equal(`my-${template}`);
      expect(loaded.definition.source ?? 'code').to.equal('code');
      expect(o.nextSteps).to.have.length(3);
      expect(o.nextSteps[1]).to.contain(`npx tfjs-repro record my-${template}`);
    });
  }

  it('prints the three next steps, refuses to overwrite, and refuses a bad name or an orphan golden', async () => {
    const args = ['--scenarios', scenarios(), '--goldens', goldens()];
    const made = await captureCli(['new', 'my-lstm', '--template', 'lstm', ...args]);
    expect(made.code, made.stderr).to.equal(0);
    expect(made.stdout).to.match(
      /1\. Edit .*my-lstm\.scenario\.ts[\s\S]*2\. Record its golden: npx tfjs-repro record my-lstm[\s\S]*3\. Run it/,
    );
    const file = path.join(scenarios(), 'my-lstm.scenario.ts');
    await writeFile(file, '// edited by hand\n');
    const again = await captureCli(['new', 'my-lstm', '--template', 'dense', ...args]);
    expect(again.code).to.equal(2);
    expect(again.stderr).to.match(/my-lstm\.scenario\.ts already exists; choose another name/);
    expect(await readFile(file, 'utf8')).to.equal('// edited by hand\n');
    const bad = await captureCli(['new', 'My_Model', ...args]);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain('name must be kebab-case');
    await mkdir(path.join(goldens(), 'old-model'), { recursive: true });
    const orphan = await captureCli(['new', 'old-model', ...args]);
    expect(orphan.stderr).to.match(/goldens\/old-model already exists \(a golden without its scenario\)/);
    const unknown = await captureCli(['new', 'x', '--template', 'gru', ...args]);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/Invalid values:[\s\S]*gru/);
  });
});
