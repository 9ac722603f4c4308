// Everything a run leaves for CI, written at its end by both front ends (`run` and `npm test`): JUnit XML,
// the HTML report and, on GitHub Actions, error annotations and the job summary.
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOutcome } from '../checks/outcome.ts';
import { annotationLines, checkAnnotations, onGitHubActions } from './github-annotations.ts';
import { junitCase, writeJunit, type JunitCase } from './junit-report.ts';
import { runHtml } from './run-html.ts';
import { appendStepSummary } from './step-summary.ts';

export interface CiReportsOptions {
  /** What ran: "tfjs-repro run" or "npm test". */
  title: string;
  runtime: string;
  outcomes: CheckOutcome[];
  /** Where the scenario files are, so annotations and testcases name them as the checkout does. */
  scenariosDir: string;
  junit?: string;
  html?: string;
  shard?: string;
  skippedBackends?: { backend: string; reason: string }[];
  /** npm test: the harness's own tests, as testcases beside the checks. */
  tests?: JunitCase[];
  env?: NodeJS.ProcessEnv;
  /** Where the annotation lines go (stdout, or stderr when stdout carries JSON). */
  print: (line: string) => void;
}

/** scenarios/<name>.scenario.ts relative to the working directory (the CI checkout), with forward slashes. */
export const scenarioFileOf = (scenariosDir: string) => (name: string) =>
  path
    .relative(process.cwd(), path.join(path.resolve(scenariosDir), `${name}.scenario.ts`))
    .split(path.sep)
    .join('/');

/** A report path must name a file; refused before any work when it is a directory. */
export async function checkReportPath(option: string, file: string): Promise<void> {
  const info = await stat(file).catch(() => undefined);
  if (info?.isDirectory())
    throw new Error(
      `${option} ${file}: is a directory; name a file, e.g. ${path.join(file, option === '--html' ? 'report.html' : 'run.xml')}`,
    );
}

export async function writeCiReports(o: CiReportsOptions): Promise<void> {
  const env = o.env ?? process.env;
  const fileOf = scenarioFileOf(o.scenariosDir);
  if (o.junit) {
    const cases = [...(o.tests ?? []), ...o.outcomes.map((x) => junitCase(x, fileOf(x.scenario)))];
    await writeJunit(o.junit, o.title, cases, { runtime: o.runtime, ...(o.shard ? { shard: o.shard } : {}) });
  }
  if (o.html) {
    await mkdir(path.dirname(path.resolve(o.html)), { recursive: true });
    await writeFile(
      o.html,
      runHtml({
        title: o.title,
        runtime: o.runtime,
        outcomes: o.outcomes,
        ...(o.shard ? { shard: o.shard } : {}),
        ...(o.skippedBackends ? { skippedBackends: o.skippedBackends } : {}),
      }),
    );
  }
  if (!onGitHubActions(env)) return;
  const failed = (o.tests ?? []).filter((t) => t.status === 'fail');
  const annotations = [
    ...checkAnnotations(o.outcomes, fileOf),
    ...failed.map((t) => ({
      ...(t.file ? { file: t.file } : {}),
      title: `${t.suite} › ${t.name} failed`,
      message: t.detail ?? t.message ?? 'failed',
    })),
  ];
  for (const line of annotationLines(annotations)) o.print(line);
  await appendStepSummary({
    title: o.title,
    outcomes: o.outcomes,
    ...(o.tests
      ? {
          tests: {
            passed: o.tests.filter((t) => t.status === 'pass').length,
            failed: failed.length,
            skipped: o.tests.filter((t) => t.status === 'skipped').length,
          },
        }
      : {}),
    ...(o.html ? { html: o.html } : {}),
    ...(o.junit ? { junit: o.junit } : {}),
    env,
  });
}
