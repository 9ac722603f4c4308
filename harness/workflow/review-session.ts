// The insta-style review: each obtained file is shown beside its golden, then, in a terminal, accepted,
// rejected (the obtained file is deleted) or skipped. Without `ask`, it only shows.
import type { GoldenStore } from '../golden/golden-store.ts';
import { removeObtained } from '../golden/obtained-outputs.ts';
import { acceptObtained, acceptProblem, type AcceptOptions, type AcceptOutcome } from './accept-obtained.ts';
import { formatReview } from '../report/format-review.ts';
import type { ReviewItem } from './obtained-review.ts';

export type ReviewAnswer = 'accept' | 'reject' | 'skip' | 'quit';
export interface ReviewSessionOptions extends AcceptOptions {
  store: GoldenStore;
  results: string;
  /** Asks what to do with an item; absent when there is no terminal, and then nothing changes. */
  ask?: (question: string, choices: ReviewAnswer[]) => Promise<ReviewAnswer>;
  write: (text: string) => void;
}
export interface ReviewSessionOutcome {
  accepted: AcceptOutcome[];
  rejected: string[];
  skipped: string[];
}

export async function reviewSession(items: ReviewItem[], o: ReviewSessionOptions): Promise<ReviewSessionOutcome> {
  const outcome: ReviewSessionOutcome = { accepted: [], rejected: [], skipped: [] };
  let quit = false;
  for (const item of items) {
    const verdict = acceptProblem(item, o);
    o.write(`${formatReview(item, verdict)}\n`);
    if (!o.ask || quit) {
      outcome.skipped.push(item.file);
      continue;
    }
    const choices: ReviewAnswer[] = verdict ? ['reject', 'skip', 'quit'] : ['accept', 'reject', 'skip', 'quit'];
    const answer = await o.ask(`${item.scenario} on ${item.backend}: ${choices.join(', ')}?`, choices);
    if (answer === 'accept') {
      const a = await acceptObtained(item, o.store, o.results, o);
      outcome.accepted.push(a);
      o.write(`  ${a.status === 'accepted' ? '✔ accepted' : `✘ ${a.status}`}: ${a.reason}\n`);
    } else if (answer === 'reject') {
      await removeObtained(o.results, item.scenario, item.backend);
      outcome.rejected.push(item.file);
      o.write(`  rejected: ${item.file} deleted\n`);
    } else {
      outcome.skipped.push(item.file);
      quit = answer === 'quit';
    }
  }
  return outcome;
}

/** Reads one answer by its first letter (a, r, s, q), asking again until it is one of the choices. */
export function answerOf(text: string, choices: ReviewAnswer[]): ReviewAnswer | undefined {
  const t = text.trim().toLowerCase();
  return choices.find((c) => t.length > 0 && c.startsWith(t));
}
