// The step a job is in ("data()", "training", "read bundle …"), reported to whoever listens: a host
// records it for its parent before the step starts, so a step that never returns can still be named.
type Listener = (step: string) => void;
let listener: Listener | undefined;
let current = 'starting';

export function onStep(fn: Listener | undefined): void {
  listener = fn;
}

/** Marks the start of a step; returns the previous one so callers can restore it. */
export function enterStep(step: string): string {
  const previous = current;
  current = step;
  listener?.(step);
  return previous;
}

/** Runs fn as a named step, then returns to the step it was called from. */
export async function inStep<T>(step: string, fn: () => Promise<T> | T): Promise<T> {
  const previous = enterStep(step);
  try {
    return await fn();
  } catch (err) {
    throw markStep(err, step);
  } finally {
    enterStep(previous);
  }
}

export function inStepSync<T>(step: string, fn: () => T): T {
  const previous = enterStep(step);
  try {
    return fn();
  } catch (err) {
    throw markStep(err, step);
  } finally {
    enterStep(previous);
  }
}

export const currentStep = (): string => current;

/** The innermost step an error was thrown in, kept on the error so a report can name it. */
function markStep(err: unknown, step: string): unknown {
  if (err && typeof err === 'object' && !Object.hasOwn(err, 'step')) Object.defineProperty(err, 'step', { value: step, enumerable: false });
  return err;
}
export const stepOf = (err: unknown): string | undefined => (err && typeof err === 'object' ? (err as { step?: string }).step : undefined);
