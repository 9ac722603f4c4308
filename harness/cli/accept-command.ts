import type { CommandModule } from 'yargs';
import { acceptObtained, type AcceptOutcome } from '../workflow/accept-obtained.ts';
import { itemsJson, nothingObtained, workflowItems, workflowOptions, type WorkflowArgs } from './workflow-options.ts';

export const acceptCommand: CommandModule<object, WorkflowArgs> = {
  command: 'accept [scenario..]',
  describe: 'promote what a failing replay obtained into the goldens (replay outputs only; never under CI=true without --force)',
  builder: (y) =>
    workflowOptions(y)
      .example('$0 accept scaler-regression', 'accept every obtained replay output of one scenario')
      .example('$0 accept my-model -b wasm --allow-tfjs-change', 'accept outputs obtained on another tfjs version') as never,
  handler: async (a) => {
    if (process.env.CI === 'true' && !a.force)
      throw new Error(
        'accept: refusing to write goldens under CI=true: goldens change only on purpose, on a developer machine. Download the obtained files (results/obtained/) and accept them locally, or pass --force if you really mean it.',
      );
    const { store, results, items } = await workflowItems(a);
    if (!items.length) {
      if (a.json) process.stdout.write('[]\n');
      else process.stdout.write(nothingObtained(a, 'accept'));
      return;
    }
    const outcomes: AcceptOutcome[] = [];
    for (const item of items) {
      const o = await acceptObtained(item, store, results, { force: a.force, allowTfjsChange: a['allow-tfjs-change'] });
      outcomes.push(o);
      if (!a.json)
        process.stdout.write(
          `${o.status === 'accepted' ? '✔' : o.status === 'refused' ? '✘' : '–'} ${o.scenario} on ${o.backend}: ${o.status}${o.reason ? ` — ${o.reason}` : ''}\n`,
        );
    }
    if (a.json) process.stdout.write(JSON.stringify({ outcomes, items: itemsJson(items) }, null, 1) + '\n');
    // Not acceptable (an agreement failure) is information: no golden change fixes it. A refusal is an error.
    process.exitCode = outcomes.some((o) => o.status === 'refused') || !outcomes.some((o) => o.status === 'accepted') ? 1 : 0;
  },
};
