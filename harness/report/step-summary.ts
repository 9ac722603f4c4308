// The Markdown job summary for GitHub Actions ($GITHUB_STEP_SUMMARY): the counts, where the HTML report
// and the JUnit file are, and every failure worst first. GitHub refuses a step summary over 1 MiB, so
// the text is capped well below that and says when it was cut.
import { appendFile } from 'node:fs/promises';
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { summarize } from './format-outcome.ts';
import { drift, worstFirst } from './outcome-figures.ts';

export const SUMMARY_CAP_BYTES = 512 * 1024;

export interface StepSummaryOptions {
  /** What ran, e.g. "tfjs-repro run" or "npm test". */
  title: string;
  outcomes: CheckOutcome[];
  /** The harness's own tests, for npm test: they are not checks but count towards its result. */
  tests?: { passed: number; failed: number; skipped: number };
  html?: string;
  junit?: string;
  env?: NodeJS.ProcessEnv;
  capBytes?: number;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function stepSummary(o: StepSummaryOptions): string {
  const env = o.env ?? process.env;
  const counts = summarize(o.outcomes);
  const failed = counts.fail + (o.tests?.failed ?? 0);
  const head = [
    `## ${failed ? '✘' : '✔'} ${o.title}: ${counts.fail} failed, ${counts.pass} passed, ${counts['not-applicable']} not applicable, ${counts.skipped} not run`,
    '',
  ];
  if (o.tests) head.push(`The harness's own tests: ${o.tests.passed} passed, ${o.tests.failed} failed, ${o.tests.skipped} skipped.`, '');
  // The report files travel as the workflow's artifact; the run page lists the artifacts.
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const where = runUrl ? ` in the artifacts of [this workflow run](${runUrl})` : '';
  if (o.html) head.push(`HTML report: ${code(o.html)}${where} (one offline file: download and open it).`, '');
  else head.push('No HTML report was written; `tfjs-repro run --html results/report.html` writes one.', '');
  if (o.junit) head.push(`JUnit XML: ${code(o.junit)}.`, '');
  const worst = worstFirst(o.outcomes);
  if (!worst.length) return head.join('\n') + '\n';
  head.push(
    `### Failures, worst first (${worst.length})`,
    '',
    '| scenario | configuration | check | drift (max abs) | reason | obtained |',
    '|---|---|---|---|---|---|',
  );
  const cap = o.capBytes ?? SUMMARY_CAP_BYTES;
  const reserve = 200; // room for the truncation line
  let text = head.join('\n') + '\n';
  let size = bytes(text);
  for (let i = 0; i < worst.length; i++) {
    const f = worst[i]!;
    const d = drift(f);
    const row = `| ${cell(f.scenario)} | ${cell(configurationLabel(f.configuration))} | ${cell(f.check)} | ${d === undefined ? '–' : d.toExponential(2)} | ${cell((f.reason ?? '').slice(0, 2000))} | ${f.obtained ? code(f.obtained) : ''} |\n`;
    size += bytes(row);
    if (size > cap - reserve) {
      text += `\n**Truncated:** ${worst.length - i} more failures are not listed (the summary is capped at ${Math.round(cap / 1024)} KiB); the JUnit file and the HTML report have them all.\n`;
      break;
    }
    text += row;
  }
  return text;
}

/** Appends the summary to $GITHUB_STEP_SUMMARY; returns the file, or undefined when the variable is unset. */
export async function appendStepSummary(o: StepSummaryOptions): Promise<string | undefined> {
  const file = (o.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (!file) return undefined;
  await appendFile(file, stepSummary(o) + '\n');
  return file;
}
