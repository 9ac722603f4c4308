import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { matrixHtml } from '../matrix/matrix-html.ts';
import { matrixMarkdown, mergeMatrices, type MatrixResult } from '../matrix/matrix-report.ts';
import type { CommandModule } from 'yargs';
import { mergeResults, readResultFile } from '../report/result-file.ts';

interface MergeArgs {
  files: string[];
  out?: string;
  json: boolean;
}

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe:
    'join the result files of several shards (run --shard i/n --out file), or several matrix.json files, into one; refuses overlapping shards',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'result files written by run --out or run --json' })
      .option('out', { type: 'string', describe: 'write the merged result here instead of stdout' })
      .option('json', { type: 'boolean', default: true, describe: 'print the merged result as JSON (the default)' })
      .example('$0 merge shard-1.json shard-2.json --out all.json', 'one result for the whole run') as never,
  handler: async (a) => {
    const raw = await Promise.all(
      a.files.map(async (name) => ({
        name,
        text: await readFile(name, 'utf8').catch(() => {
          throw new Error(`${name}: cannot be read`);
        }),
      })),
    );
    // matrix.json files (versions and cells) merge into one matrix; run results into one result.
    const isMatrix = raw.map(({ text }) => {
      try {
        return 'cells' in JSON.parse(text);
      } catch {
        return false;
      }
    });
    if (isMatrix.some(Boolean)) {
      if (!isMatrix.every(Boolean)) throw new Error('merge: the files must all be run results or all be matrix.json files, not a mix');
      const matrix = mergeMatrices(raw.map(({ name, text }) => ({ name, result: JSON.parse(text) as MatrixResult })));
      const out = JSON.stringify(matrix, null, 1) + '\n';
      if (a.out) {
        await mkdir(path.dirname(path.resolve(a.out)), { recursive: true });
        await writeFile(a.out, out);
        await writeFile(path.join(path.dirname(a.out), 'matrix.md'), matrixMarkdown(matrix));
        await writeFile(path.join(path.dirname(a.out), 'matrix.html'), await matrixHtml(matrix));
        process.stderr.write(`merged ${raw.length} matrix file(s) → ${a.out}, with matrix.md and matrix.html beside it\n`);
      } else process.stdout.write(out);
      process.exitCode = matrix.cells.some((c) => c.status === 'fail') ? 1 : 0;
      return;
    }
    const files = await Promise.all(a.files.map(async (name) => ({ name, result: await readResultFile(name) })));
    const merged = mergeResults(files);
    const text = JSON.stringify(merged, null, 1) + '\n';
    if (a.out) {
      await writeFile(a.out, text);
      process.stderr.write(
        `merged ${files.length} file(s): ${merged.counts.pass} passed, ${merged.counts.fail} failed, ${merged.counts['not-applicable']} not applicable → ${a.out}\n`,
      );
    } else {
      process.stdout.write(text);
    }
    process.exitCode = merged.counts.fail > 0 ? 1 : 0;
  },
};
