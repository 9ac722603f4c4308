// One registry of preprocessing steps, built-in or user-defined: the kind is what preprocessing.json
// records, so kinds are global like tfjs custom classes and one kind has one definition per process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { Value } from '../types/example.ts';

/** Options every step accepts: `columns` applies it to these indices of the last axis only. */
export interface CommonStepOptions {
  columns?: number[];
}
export type StepOptionsOf<O> = O & CommonStepOptions;
/** The options of a step that has none of its own (it still takes `columns`). */
export type NoOptions = Record<never, never>;

export interface StepSpec<O = Record<string, unknown>, S = unknown> {
  /** The name preprocessing.json records; global across scenarios. */
  kind: string;
  /** Fits on the training rows (the selected columns when `columns` is set); returns JSON. Omitted: a stateless step. */
  fit?(rows: Value[], options: StepOptionsOf<O>): S;
  transform(rows: Value[], state: S, options: StepOptionsOf<O>): Value[];
  /** Validates the state when preprocessing.json is read. Omitted: any JSON. */
  state?: z.ZodType<S>;
  /** Validates the options when the scenario is loaded. Omitted: any JSON object. */
  options?: z.ZodType<O>;
  /** How the state is written to preprocessing.json; JSON keeps doubles exact, so the default is identity. */
  persist?(state: S): S;
  /**
   * A copy of the state moved by `by` (0.5 to 2, either sign) of its natural scale, for the
   * `sensitivity` property; `pick` is any natural number, to choose what to move. Omitted: the
   * property leaves this step alone.
   */
  perturb?(state: S, by: number, pick: number): S;
}
/** A registered definition: the spec and the file that defined it. */
export type StepDefinition<O = Record<string, unknown>, S = unknown> = StepSpec<O, S> & { readonly definedIn: string };
/** What a scenario lists in `preprocessing`: a kind and its options. */
export interface PreprocessingStep {
  kind: string;
  options: Record<string, unknown>;
}
/** Makes a scenario's step; `.definition` is the registered definition. */
export type StepFactory<O> = ((...options: Partial<O> extends O ? [StepOptionsOf<O>?] : [StepOptionsOf<O>]) => PreprocessingStep) & {
  definition: StepDefinition<O, unknown>;
};

// On globalThis: the harness can be loaded twice in one process (ESM and CJS copies, a second
// install), and a step defined through either copy must be found by both.
const REGISTRY = Symbol.for('tfjs-repro.preprocessing-steps');
const registry: Map<string, StepDefinition> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Map()) as Map<
  string,
  StepDefinition
>;
const KIND = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/**
 * The file that called defineStep, from the stack. A stack frame is there in every JS engine that
 * runs this harness and needs nothing from the caller; tsx keeps the .ts file name in it.
 */
function callerFile(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 20;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const asPath = (f: string) => (f.startsWith('file://') ? fileURLToPath(f.replace(/\?.*$/, '')) : f);
  const here = asPath(import.meta.url);
  const frames = stack
    .split('\n')
    .slice(1)
    .map((l) => /\(?((?:file|node):\/\/[^\s)]+?|\/[^\s)]+?):\d+:\d+\)?$/.exec(l.trim())?.[1])
    .filter((f): f is string => !!f);
  return frames.map(asPath).find((f) => f !== here) ?? 'an unknown file';
}

/** A file as errors show it: relative to the working directory when inside it. */
export function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Defines a preprocessing step: `fit` on the training rows returns JSON state, `transform` applies it,
 * `state` (a zod schema) validates it when preprocessing.json is read, `perturb` says how the
 * `sensitivity` property moves it. Returns the function a scenario calls in `preprocessing: [...]`.
 */
export function defineStep<O = NoOptions, S = unknown>(spec: StepSpec<O, S>): StepFactory<O> {
  if (typeof spec?.kind !== 'string' || !KIND.test(spec.kind)) {
    throw new Error(`defineStep: kind must be a name such as "logTransform" (letters, digits, _ . -); got ${JSON.stringify(spec?.kind)}`);
  }
  if (typeof spec.transform !== 'function')
    throw new Error(`defineStep({ kind: '${spec.kind}' }): transform must be a function (rows, state, options) => rows`);
  const file = callerFile();
  const known = registry.get(spec.kind);
  // One file defining a kind again is the same step: the module loaded twice (ESM and CJS copies), or
  // re-imported after an edit (hosts import scenarios by content), and then the newest code wins.
  if (known && known !== (spec as unknown) && known.definedIn !== file) {
    throw new Error(
      `defineStep: kind "${spec.kind}" is already defined in ${shown(known.definedIn)}; ${shown(file)} defines it again differently. ` +
        'Kinds are global (preprocessing.json names them): rename one, or import the existing step instead of defining it twice',
    );
  }
  const definition = Object.assign(spec, { definedIn: file }) as unknown as StepDefinition<O, S>;
  registry.set(spec.kind, definition as unknown as StepDefinition);
  const factory = (options: StepOptionsOf<O> = {} as StepOptionsOf<O>): PreprocessingStep => ({
    kind: spec.kind,
    options: options as Record<string, unknown>,
  });
  return Object.assign(factory, { definition }) as unknown as StepFactory<O>;
}

export function stepDefinition(kind: string): StepDefinition | undefined {
  return registry.get(kind);
}

export function definedKinds(): string[] {
  return [...registry.keys()];
}

/** The error for a kind that no loaded module defines, with how to define it. */
export function undefinedKindMessage(kind: string): string {
  return (
    `"${kind}" is not a defined preprocessing step (defined: ${definedKinds().join(', ')}); ` +
    `define it with defineStep({ kind: '${kind}', fit, transform }) (exported by harness/index.ts) in the scenario file or a module it imports`
  );
}
