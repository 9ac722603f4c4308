import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { diffCommand } from './diff-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { explainCommand } from './explain-command.ts';
import { faultsCommand } from './faults-command.ts';
import { listCommand } from './list-command.ts';
import { matrixCommand } from './matrix-command.ts';
import { mergeCommand } from './merge-command.ts';
import { recordCommand } from './record-command.ts';
import { runCommand } from './run-command.ts';

await yargs(hideBin(process.argv))
  .scriptName('tfjs-repro')
  .usage('$0 <command> [options]\n\nReproducibility regression tests for TensorFlow.js models.')
  .command(runCommand)
  .command(recordCommand)
  .command(listCommand)
  .command(faultsCommand)
  .command(explainCommand)
  .command(matrixCommand)
  .command(mergeCommand)
  .command(diffCommand)
  .command(doctorCommand)
  .demandCommand(1, 'name a command: run, record, list, faults, explain, matrix, merge, diff or doctor (see --help)')
  .strict()
  .help()
  .alias('h', 'help')
  .version(false)
  .fail((msg, err, y) => {
    if (err) process.stderr.write(`tfjs-repro: ${err.message}\n`);
    else process.stderr.write(`${y.help().toString?.() ?? ''}\ntfjs-repro: ${msg}\n`);
    process.exit(2);
  })
  .parseAsync();
