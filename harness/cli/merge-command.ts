import { writeFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { mergeResults, readResultFile } from '../report/result-file.ts';

interface MergeArgs { files: string[]; out?: string; json: boolean }

export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'join the result files of several shards (run --shard i/n --out file) into one; refuses overlapping shards',
  builder: (y) => y
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'result files written by run --out or run --json' })
    .option('out', { type: 'string', describe: 'write the merged result here instead of stdout' })
    .option('json', { type: 'boolean', default: true, describe: 'print the merged result as JSON (the default)' })
    .example('$0 merge shard-1.json shard-2.json --out all.json', 'one result for the whole run') as never,
  handler: async (a) => {
    const files = await Promise.all(a.files.map(async (name) => ({ name, result: await readResultFile(name) })));
    const merged = mergeResults(files);
    const text = JSON.stringify(merged, null, 1) + '\n';
    if (a.out) {
      await writeFile(a.out, text);
      process.stderr.write(`merged ${files.length} file(s): ${merged.counts.pass} passed, ${merged.counts.fail} failed, ${merged.counts['not-applicable']} not applicable → ${a.out}\n`);
    } else {
      process.stdout.write(text);
    }
    process.exitCode = merged.counts.fail > 0 ? 1 : 0;
  },
};
