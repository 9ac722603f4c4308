import type { CommandModule } from 'yargs';
import { diffResults } from '../report/diff-results.ts';
import { readResultFile } from '../report/result-file.ts';

interface DiffArgs {
  before: string;
  after: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <before> <after>',
  describe: 'what changed between two result files: checks added or removed, status changes, error changes; exits 1 if a check now fails',
  builder: (y) =>
    y
      .positional('before', { type: 'string', demandOption: true, describe: 'the earlier result file' })
      .positional('after', { type: 'string', demandOption: true, describe: 'the later result file' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .example('$0 diff last-night.json tonight.json', 'regressions since the last nightly run') as never,
  handler: async (a) => {
    const changes = diffResults(await readResultFile(a.before), await readResultFile(a.after));
    if (a.json) {
      process.stdout.write(JSON.stringify(changes, null, 1) + '\n');
    } else if (!changes.length) {
      process.stdout.write('no changes\n');
    } else {
      for (const c of changes) {
        const status = c.before === c.after ? c.after : `${c.before ?? '(absent)'} → ${c.after ?? '(absent)'}`;
        const error = c.maxAbsError
          ? `  max abs error ${c.maxAbsError.before.toExponential(2)} → ${c.maxAbsError.after.toExponential(2)}`
          : '';
        process.stdout.write(`${c.after === 'fail' && c.before !== 'fail' ? '✘' : '·'} ${c.id}: ${status}${error}\n`);
      }
    }
    process.exitCode = changes.some((c) => c.after === 'fail' && c.before !== 'fail') ? 1 : 0;
  },
};
