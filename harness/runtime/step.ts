// The step a job is in ("data()", "training", "read bundle …"), reported to whoever listens: a host
// forwards it to its parent before the step starts, so a step that never returns can still be named.
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
  } finally {
    enterStep(previous);
  }
}

export function inStepSync<T>(step: string, fn: () => T): T {
  const previous = enterStep(step);
  try {
    return fn();
  } finally {
    enterStep(previous);
  }
}

export const currentStep = (): string => current;
