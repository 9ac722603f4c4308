// JUnit XML (the format CI systems import) for `run --junit` and `npm test`, through junit-report-builder.
// A check is one testcase in its scenario's testsuite, with its backend, format, tfjs version and
// tolerance as testcase properties, so a CI test view can group and filter by them.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { drift, failureText, tfjsVersion, toleranceOf } from './outcome-figures.ts';

/** One testcase, whether it comes from a check's outcome or from one of the harness's own tests. */
export interface JunitCase {
  suite: string;
  classname: string;
  name: string;
  status: 'pass' | 'fail' | 'skipped';
  durationMs: number;
  /** A failure's one-line message, or why a test was skipped. */
  message?: string;
  /** A failure's full text (statistics, differing values, stack). */
  detail?: string;
  file?: string;
  properties?: Record<string, string>;
}

/** The testcase of one check; `file` is the scenario file as the CI checkout names it. */
export function junitCase(o: CheckOutcome, file: string): JunitCase {
  const d = drift(o);
  const text = failureText(o);
  return {
    suite: o.scenario,
    classname: o.scenario,
    name: `${configurationLabel(o.configuration)} › ${o.check}`,
    status: o.status === 'pass' ? 'pass' : o.status === 'fail' ? 'fail' : 'skipped',
    durationMs: o.durationMs,
    ...(o.status === 'pass' ? {} : { message: `${o.status}: ${(o.reason ?? '').split('\n')[0]}` }),
    ...(o.status === 'fail' ? { detail: text } : {}),
    file,
    properties: {
      check: o.check,
      backend: o.configuration.backend,
      format: o.configuration.format ?? 'none',
      tfjs: tfjsVersion(o),
      tolerance: toleranceOf(o),
      ...(d === undefined ? {} : { drift: String(d) }),
      ...(o.obtained ? { obtained: o.obtained } : {}),
      ...(o.note ? { note: o.note } : {}),
    },
  };
}

// The package is CommonJS exporting a builder, while its types declare an ES default export.
const junit = createRequire(import.meta.url)('junit-report-builder') as Builder;

// XML 1.0 cannot hold most control characters (an ANSI colour code in a stack would make the file unreadable).
// eslint-disable-next-line no-control-regex -- these control characters are what must go
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');

export function junitXml(title: string, cases: JunitCase[], properties: Record<string, string> = {}): string {
  const builder = junit.newBuilder().name(title);
  const suites = new Map<string, ReturnType<typeof builder.testSuite>>();
  for (const c of cases) {
    let suite = suites.get(c.suite);
    if (!suite) {
      suite = builder.testSuite().name(c.suite);
      for (const [k, v] of Object.entries(properties)) suite.property(k, v);
      suites.set(c.suite, suite);
    }
    const t = suite
      .testCase()
      .className(c.classname)
      .name(xmlSafe(c.name))
      .time(c.durationMs / 1000);
    if (c.file) t.file(c.file);
    for (const [k, v] of Object.entries(c.properties ?? {})) t.property(k, xmlSafe(v));
    if (c.status === 'fail') t.failure(xmlSafe(c.message ?? 'failed')).stacktrace(xmlSafe(c.detail ?? c.message ?? ''));
    if (c.status === 'skipped') {
      t.skipped();
      if (c.message) t.standardOutput(xmlSafe(c.message));
    }
  }
  return builder.build();
}

export async function writeJunit(file: string, title: string, cases: JunitCase[], properties?: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, junitXml(title, cases, properties));
}
