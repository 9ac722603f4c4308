// GitHub Actions workflow commands for failures: `::error file=…,title=…::message`, shown on the
// pull request's changed files. GitHub keeps only the first 10 error annotations of a step, so these
// are the 10 worst failures (worstFirst); the step summary lists all of them.
import { configurationLabel, type CheckOutcome } from '../checks/outcome.ts';
import { failureText, worstFirst } from './outcome-figures.ts';

export const MAX_ANNOTATIONS = 10;

export interface Annotation {
  file?: string;
  title: string;
  message: string;
}

// The escaping of the Actions toolkit (@actions/core's command.ts): data escapes %, CR and LF;
// properties also escape : and , which separate them.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The failed checks, worst first; `fileOf` names a scenario's file as the checkout does. */
export const checkAnnotations = (outcomes: CheckOutcome[], fileOf: (scenario: string) => string): Annotation[] =>
  worstFirst(outcomes).map((o) => ({
    file: fileOf(o.scenario),
    title: `${o.scenario} › ${configurationLabel(o.configuration)} › ${o.check} failed`,
    message: failureText(o),
  }));

/** One `::error` line per annotation, at most MAX_ANNOTATIONS, then a notice counting the rest. */
export function annotationLines(annotations: Annotation[]): string[] {
  const lines = annotations
    .slice(0, MAX_ANNOTATIONS)
    .map((a) => `::error ${a.file ? `file=${escapeProperty(a.file)},` : ''}title=${escapeProperty(a.title)}::${escapeData(a.message)}`);
  if (annotations.length > MAX_ANNOTATIONS)
    lines.push(
      `::notice title=${escapeProperty('tfjs-repro: more failures')}::${escapeData(`${annotations.length - MAX_ANNOTATIONS} more failures are not annotated; the job summary lists them`)}`,
    );
  return lines;
}

export const onGitHubActions = (env: NodeJS.ProcessEnv = process.env): boolean => env.GITHUB_ACTIONS === 'true';
