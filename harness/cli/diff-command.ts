import type { CommandModule } from 'yargs';
import { diffMatrices, formatMatrixChanges, readMatrixFile } from '../matrix/matrix-diff.ts';
import { diffResults } from '../report/diff-results.ts';
import { readResultFile } from '../report/result-file.ts';

interface DiffArgs {
  before: string;
  after: string;
  json: boolean;
}

export const diffCommand: CommandModule<object, DiffArgs> = {
  command: 'diff <before> <after>',
  describe:
    'what changed between two result files (or two matrix.json files): checks or cells added or removed, newly failing, drift grown or shrunk; exits 1 if one now fails',
  builder: (y) =>
    y
      .positional('before', { type: 'string', demandOption: true, describe: 'the earlier result file' })
      .positional('after', { type: 'string', demandOption: true, describe: 'the later result file' })
      .option('json', { type: 'boolean', default: false, describe: 'print machine-readable JSON only' })
      .example('$0 diff last-night.json tonight.json', 'regressions since the last nightly run')
      .example('$0 diff old/matrix.json new/matrix.json', 'cross-version cells that changed') as never,
  handler: async (a) => {
    const [ma, mb] = [await readMatrixFile(a.before), await readMatrixFile(a.after)];
    if (ma || mb) {
      if (!ma || !mb)
        throw new Error(
          `diff: ${ma ? a.after : a.before} must be a matrix.json file like ${ma ? a.before : a.after}; compare two matrix files or two result files`,
        );
      const changes = diffMatrices(ma, mb);
      process.stdout.write(a.json ? JSON.stringify(changes, null, 1) + '\n' : formatMatrixChanges(changes));
      process.exitCode = changes.some((c) => c.kind === 'newly failing') ? 1 : 0;
      return;
    }
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
