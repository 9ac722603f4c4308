// `run --junit` and `run --html`, and the GitHub Actions annotations and job summary of a run.
import type { Argv } from 'yargs';
import type { CheckOutcome } from '../checks/outcome.ts';
import { checkReportPath, writeCiReports } from '../report/ci-reports.ts';
import type { CommonArgs } from './shared-options.ts';

export interface ReportArgs {
  junit?: string;
  html?: string;
  shard?: string;
}

export function reportOptions<T>(y: Argv<T>) {
  return y
    .option('junit', {
      type: 'string',
      describe: 'also write JUnit XML to this file (alone: results/junit/run.xml, or run-shard-i-of-n.xml with --shard)',
    })
    .option('html', {
      type: 'string',
      describe: 'also write the HTML report of the run to this file (alone: results/report.html, or report-shard-i-of-n.html)',
    })
    .example('$0 run --junit --html', 'results/junit/run.xml and results/report.html for CI');
}

/** The report files of a run, defaults filled in (one file per shard), refused before any work if a directory. */
export async function reportFiles(a: ReportArgs): Promise<{ junit?: string; html?: string }> {
  const suffix = a.shard ? `-shard-${a.shard.replace('/', '-of-')}` : '';
  const junit = a.junit === '' ? `results/junit/run${suffix}.xml` : a.junit;
  const html = a.html === '' ? `results/report${suffix}.html` : a.html;
  if (junit) await checkReportPath('--junit', junit);
  if (html) await checkReportPath('--html', html);
  return { ...(junit ? { junit } : {}), ...(html ? { html } : {}) };
}

export async function writeRunReports(
  a: ReportArgs & Pick<CommonArgs, 'json' | 'scenarios'>,
  files: { junit?: string; html?: string },
  run: { runtime: string; outcomes: CheckOutcome[]; skippedBackends: { backend: string; reason: string }[] },
): Promise<void> {
  // The Actions runner reads workflow commands from stderr as from stdout; stderr keeps --json output parseable.
  const out = a.json ? process.stderr : process.stdout;
  await writeCiReports({
    title: 'tfjs-repro run',
    ...run,
    ...files,
    scenariosDir: a.scenarios,
    ...(a.shard ? { shard: a.shard } : {}),
    print: (line) => out.write(`${line}\n`),
  });
  if (!a.json)
    for (const [what, file] of Object.entries(files)) process.stdout.write(`${what === 'junit' ? 'JUnit XML' : 'HTML report'}: ${file}\n`);
}
