import { createInterface } from 'node:readline';
import type { CommandModule } from 'yargs';
import { acceptProblem } from '../workflow/accept-obtained.ts';
import { answerOf, reviewSession, type ReviewAnswer } from '../workflow/review-session.ts';
import { itemsJson, nothingObtained, workflowItems, workflowOptions, type WorkflowArgs } from './workflow-options.ts';

/**
 * Asks on the terminal until the answer is one of the choices (a, r, s, q). One line reader for the
 * session, so lines typed ahead are kept; end of input (Ctrl+D) quits, leaving the rest as they are.
 */
function terminalAsker(): { ask: (question: string, choices: ReviewAnswer[]) => Promise<ReviewAnswer>; close: () => void } {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async ask(question, choices) {
      for (;;) {
        process.stdout.write(`${question} [${choices.map((c) => c[0]).join('/')}] `);
        const next = await lines.next();
        if (next.done) return 'quit';
        const answer = answerOf(String(next.value), choices);
        if (answer) return answer;
      }
    },
    close: () => rl.close(),
  };
}

export const reviewCommand: CommandModule<object, WorkflowArgs> = {
  command: 'review [scenario..]',
  describe: 'show what failing checks obtained beside the goldens; in a terminal, accept, reject or skip each',
  builder: (y) =>
    workflowOptions(y)
      .example('$0 review', 'every obtained file, one at a time')
      .example('$0 review scaler-regression -b wasm', 'one scenario on one backend') as never,
  handler: async (a) => {
    const { store, results, items } = await workflowItems(a);
    if (a.json) {
      const verdicts = items.map((i) => acceptProblem(i, { force: a.force, allowTfjsChange: a['allow-tfjs-change'] }));
      process.stdout.write(
        JSON.stringify(
          itemsJson(items).map((i, k) => ({ ...i, accept: verdicts[k] ?? { status: 'acceptable' } })),
          null,
          1,
        ) + '\n',
      );
      return;
    }
    if (!items.length) return void process.stdout.write(nothingObtained(a, 'review'));
    // Without a terminal (CI, a pipe) review only shows; under CI it never writes unless forced.
    const terminal = process.stdin.isTTY && process.stdout.isTTY && (process.env.CI !== 'true' || a.force);
    const asker = terminal ? terminalAsker() : undefined;
    const outcome = await reviewSession(items, {
      store,
      results,
      force: a.force,
      allowTfjsChange: a['allow-tfjs-change'],
      write: (t) => process.stdout.write(t),
      ...(asker ? { ask: asker.ask } : {}),
    }).finally(() => asker?.close());
    const accepted = outcome.accepted.filter((o) => o.status === 'accepted').length;
    process.stdout.write(
      terminal
        ? `\n${accepted} accepted, ${outcome.rejected.length} rejected, ${outcome.skipped.length} skipped\n`
        : `\n${items.length} obtained file(s) shown; nothing changed (no terminal). Accept with: npx tfjs-repro accept [scenario..]\n`,
    );
  },
};
