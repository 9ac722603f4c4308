// `tfjs-repro init`: makes the current directory a tfjs-repro project (tfjs-repro installed from npm):
// the config file, scenarios/, goldens/ and a mocha entry that runs the generated suite. It never
// overwrites: if any file it would write exists, it writes nothing and names the file.
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { CONFIG_FILE } from '../config/load-config.ts';

export const SUITE_ENTRY = path.join('test', 'tfjs-repro.test.mjs');
const MOCHARC = '.mocharc.json';
// npm init's placeholder; any other test script is the user's and is left alone.
const NPM_DEFAULT_TEST = 'echo "Error: no test specified" && exit 1';

export interface InitOutcome {
  created: string[];
  /** Set when package.json's test script now runs mocha. */
  testScript: boolean;
}

const files = (): Record<string, string> => ({
  [CONFIG_FILE]: `${JSON.stringify({ scenariosDir: 'scenarios', goldensDir: 'goldens', resultsDir: 'results', backends: ['cpu', 'wasm'] }, null, 2)}\n`,
  [MOCHARC]: `${JSON.stringify({ spec: [SUITE_ENTRY], timeout: 120000, reporter: 'tfjs-repro/mocha-reporter' }, null, 2)}\n`,
  [SUITE_ENTRY]:
    '// The suite generated from the scenarios of tfjs-repro.config.json (written by `npx tfjs-repro init`).\n' +
    "import 'tfjs-repro/mocha';\n",
  [path.join('scenarios', '.gitkeep')]: '',
  [path.join('goldens', '.gitkeep')]: '',
});

/** Writes the project's skeleton under `dir`; throws, writing nothing, if any of its files exists. */
export function initProject(dir: string): InitOutcome {
  const planned = files();
  const existing = Object.keys(planned).filter((f) => fs.existsSync(path.join(dir, f)));
  if (existing.length)
    throw new Error(
      `${existing.join(', ')}: already exist${existing.length === 1 ? 's' : ''}; init never overwrites. ` +
        `Move ${existing.length === 1 ? 'it' : 'them'} aside and run init again, or add what is missing by hand (README "Use in your own project")`,
    );
  const created: string[] = [];
  for (const [file, text] of Object.entries(planned)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text, { flag: 'wx' });
    created.push(file);
  }
  return { created, testScript: setTestScript(dir) };
}

function setTestScript(dir: string): boolean {
  const file = path.join(dir, 'package.json');
  if (!fs.existsSync(file)) return false;
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { scripts?: Record<string, string> };
  const test = pkg.scripts?.test;
  if (test !== undefined && test !== NPM_DEFAULT_TEST) return false;
  pkg.scripts = { ...pkg.scripts, test: 'mocha' };
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return true;
}

export const initCommand: CommandModule<object, { json: boolean }> = {
  command: 'init',
  describe: `set up this directory for tfjs-repro: ${CONFIG_FILE}, scenarios/, goldens/ and a mocha entry (never overwrites)`,
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' }) as never,
  handler: (a) => {
    const outcome = initProject(process.cwd());
    if (a.json) {
      process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      return;
    }
    const lines = [
      ...outcome.created.map((f) => `created ${f}`),
      outcome.testScript
        ? 'package.json: "test" now runs mocha'
        : `package.json: test script left alone; run the suite with \`npx mocha\` (it reads ${MOCHARC})`,
      '',
      'Next:',
      '  1. npx tfjs-repro new my-model          # or write scenarios/my-model.scenario.ts',
      '  2. npx tfjs-repro record my-model       # record its goldens',
      '  3. npm test                             # or: npx tfjs-repro run',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};
