// The CI reports of `npm test`, from what summary-reporter.cjs saw: the generated suite's tests carry
// their check's outcome (attachOutcome), so they report as `run` does; the harness's own tests are
// testcases of their own. Paths: TFJS_REPRO_JUNIT (default results/junit/npm-test.xml) and
// TFJS_REPRO_HTML (default results/report.html); an empty value writes none.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckOutcome } from '../checks/outcome.ts';
import { writeCiReports } from '../report/ci-reports.ts';
import type { JunitCase } from '../report/junit-report.ts';

const OUTCOME = Symbol.for('tfjs-repro.outcome');

const attached: Array<{ test: Mocha.Runnable; outcome: CheckOutcome }> = [];

/** Marks a generated test with the outcome behind it, for the reports. */
export function attachOutcome(test: Mocha.Runnable | undefined, o: CheckOutcome): void {
  if (!test) return;
  (test as unknown as Record<symbol, CheckOutcome>)[OUTCOME] = o;
  attached.push({ test, outcome: o });
}

/**
 * In mocha's parallel mode a worker sends the reporter only a test's standard fields, so the outcomes
 * also go through a file per worker, keyed by full title (read once the titles are final, in after()).
 */
export async function saveAttachedOutcomes(): Promise<void> {
  const dir = process.env.TFJS_REPRO_OUTCOMES_DIR;
  if (!dir || !attached.length) return;
  const entries = attached.map(({ test, outcome }) => [test.fullTitle(), outcome]);
  await writeFile(path.join(dir, `${process.pid}-${Date.now()}.json`), JSON.stringify(entries));
}

async function savedOutcomes(dir: string | undefined): Promise<Map<string, CheckOutcome>> {
  if (!dir) return new Map();
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  const lists = await Promise.all(
    files.map(async (f) => JSON.parse(await readFile(path.join(dir, f), 'utf8')) as Array<[string, CheckOutcome]>),
  );
  return new Map(lists.flat());
}

export interface MochaRecord {
  test: Mocha.Runnable;
  state: 'pass' | 'fail' | 'skipped';
  err?: Error;
}

function testCase(r: MochaRecord): JunitCase {
  const titles = r.test.titlePath();
  const message = r.err?.message.split('\n')[0];
  return {
    suite: titles[0] ?? 'tests',
    classname: titles.slice(0, -1).join(' › ') || 'tests',
    name: titles.at(-1) ?? r.test.title,
    status: r.state,
    durationMs: r.test.duration ?? 0,
    ...(message !== undefined ? { message } : {}),
    ...(r.err ? { detail: r.err.stack ?? r.err.message } : {}),
    ...(r.test.file ? { file: path.relative(process.cwd(), r.test.file).split(path.sep).join('/') } : {}),
  };
}

export async function writeMochaReports(records: MochaRecord[], env: NodeJS.ProcessEnv): Promise<void> {
  const outcomes: CheckOutcome[] = [];
  const tests: JunitCase[] = [];
  const saved = await savedOutcomes(env.TFJS_REPRO_OUTCOMES_DIR);
  for (const r of records) {
    const o = (r.test as unknown as Record<symbol, CheckOutcome | undefined>)[OUTCOME] ?? saved.get(r.test.fullTitle());
    if (o) outcomes.push(o);
    else tests.push(testCase(r));
  }
  const junit = env.TFJS_REPRO_JUNIT ?? 'results/junit/npm-test.xml';
  const html = env.TFJS_REPRO_HTML ?? 'results/report.html';
  await writeCiReports({
    title: 'npm test',
    runtime: outcomes[0]?.configuration.runtime ?? 'tfjs',
    outcomes,
    tests,
    scenariosDir: env.TFJS_REPRO_SCENARIOS ?? 'scenarios',
    ...(junit ? { junit } : {}),
    ...(html ? { html } : {}),
    env,
    print: (line) => process.stdout.write(`${line}\n`),
  });
}
