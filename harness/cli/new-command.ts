import type { CommandModule } from 'yargs';
import { scaffoldScenario, templateNames, type TemplateName } from '../workflow/scaffold-scenario.ts';

interface NewArgs {
  name: string;
  template: TemplateName;
  scenarios: string;
  goldens: string;
  json: boolean;
}

export const newCommand: CommandModule<object, NewArgs> = {
  command: 'new <name>',
  describe: 'scaffold scenarios/<name>.scenario.ts from a template that records and runs as it is',
  builder: (y) =>
    y
      .positional('name', { type: 'string', demandOption: true, describe: 'the scenario name (kebab-case)' })
      .option('template', { choices: templateNames, default: 'dense' as TemplateName, describe: 'the kind of model to start from' })
      .option('scenarios', { type: 'string', default: 'scenarios', describe: 'directory of *.scenario.ts files' })
      .option('goldens', { type: 'string', default: 'goldens', describe: 'directory of recorded goldens' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .example('$0 new my-lstm --template lstm', 'an LSTM over sequences, ready to record') as never,
  handler: async (a) => {
    const o = await scaffoldScenario({ name: a.name, template: a.template, scenariosDir: a.scenarios, goldensDir: a.goldens });
    if (a.json) process.stdout.write(JSON.stringify(o, null, 1) + '\n');
    else
      process.stdout.write(
        `created ${o.file} (template ${o.template})\n\nNext:\n${o.nextSteps.map((s, i) => `  ${i + 1}. ${s}`).join('\n')}\n`,
      );
  },
};
