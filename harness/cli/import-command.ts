import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandModule } from 'yargs';
import { importModel } from '../import/import-model.ts';

interface ImportArgs {
  name: string;
  from: string;
  probes?: string;
  preprocessing?: string;
  'allow-pickle': boolean;
  'custom-objects'?: string;
  update: boolean;
  json: boolean;
}

const BIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'tfjs-repro.js');

export const importCommand: CommandModule<object, ImportArgs> = {
  command: 'import <name>',
  describe:
    'bring a Keras .h5/.keras, a SavedModel or a tfjs model.json in as a scenario: models/<name>/, its reference outputs from Keras/TensorFlow, scenarios/<name>.scenario.ts, then its goldens (needs npm run setup:python)',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the scenario name (kebab-case)' })
      .option('from', {
        type: 'string',
        demandOption: true,
        describe: 'a Keras .h5 or .keras file, a SavedModel directory, or a tfjs model.json',
      })
      .option('probes', {
        type: 'string',
        describe: 'a JSON array of raw input rows (before preprocessing); default: 12 seeded rows from the input signature',
      })
      .option('preprocessing', {
        type: 'string',
        describe: 'a scikit-learn scaler saved with joblib or pickle (needs --allow-pickle), or a JSON file with mean_/scale_',
      })
      .option('allow-pickle', {
        type: 'boolean',
        default: false,
        describe: 'allow reading a joblib/pickle file: unpickling runs code stored in the file, so only pass it for a file you trust',
      })
      .option('custom-objects', { type: 'string', describe: "a Python file defining the model's custom classes, so Keras can load it" })
      .option('update', {
        type: 'boolean',
        default: false,
        describe: 'replace an existing import of this name (and its reference outputs)',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'under CI=true, import anyway (an import writes models/<name>/, a scenario and its goldens, which CI must not create)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print the outcome as JSON' })
      .example(
        '$0 import my-model --from model.h5 --probes probes.json --preprocessing scaler.joblib --allow-pickle',
        'a Keras model with its scaler',
      ) as never,
  handler: async (a) => {
    // As record: goldens are made on purpose on a developer's machine, never as a side effect of CI.
    if (process.env.CI === 'true' && !a.force) {
      process.stderr.write(
        `✘ import ${a.name}: refused under CI=true: an import writes models/${a.name}/, scenarios/${a.name}.scenario.ts and its goldens; import on your machine and commit them, or pass --force\n`,
      );
      process.exitCode = 2;
      return;
    }
    try {
      const outcome = await importModel({
        name: a.name,
        from: a.from,
        ...(a.probes ? { probes: a.probes } : {}),
        ...(a.preprocessing ? { preprocessing: a.preprocessing } : {}),
        ...(a['custom-objects'] ? { customObjects: a['custom-objects'] } : {}),
        allowPickle: a['allow-pickle'],
        update: a.update,
      });
      const lines = [
        `✔ ${outcome.name}: ${outcome.kind} → tfjs ${outcome.format} in ${outcome.modelPath}`,
        `  reference outputs: ${outcome.reference}`,
        ...(outcome.scenarioFile ? [`  scenario: ${outcome.scenarioFile}`] : []),
        ...outcome.notes.map((n) => `  note: ${n}`),
      ];
      process.stdout.write(a.json ? `${JSON.stringify(outcome, null, 1)}\n` : `${lines.join('\n')}\n`);
      if (!outcome.scenarioFile || outcome.customClasses.length) return;
      // Then the tfjs goldens, as `record` writes them.
      const r = spawnSync(process.execPath, [BIN, 'record', outcome.name, '--update', 'all', ...(a.force ? ['--force'] : [])], {
        stdio: a.json ? 'ignore' : 'inherit',
      });
      if (r.status !== 0) process.exitCode = 1;
    } catch (err) {
      process.stderr.write(`✘ import ${a.name}: ${(err as Error).message}\n`);
      process.exitCode = 1;
    }
  },
};
