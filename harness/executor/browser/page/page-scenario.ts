// Scenario files bundled for the page (bundle-for-page.ts) are imported by URL; their customObjects(tf)
// are registered with the page's tfjs before a model is built or loaded, as in Node.
import { registerCustomObjects } from '../../../bundle/model-lifecycle.ts';
import type { TrainedScenario } from '../../../scenario/define-scenario.ts';
import { pageTf } from './page-tf.ts';

const NOT_APPLICABLE = 'not applicable in the browser';

// Each scenario bundle carries its own copy of the harness, whose built-in preprocessing steps would be
// defined again from another URL (defineStep refuses that). Preprocessing never runs in the page, so the
// step registry is emptied before each new scenario module evaluates.
const STEPS = Symbol.for('tfjs-repro.preprocessing-steps');

export async function importScenario(url: string): Promise<TrainedScenario> {
  let mod: { default?: TrainedScenario };
  try {
    ((globalThis as Record<symbol, unknown>)[STEPS] as Map<string, unknown> | undefined)?.clear();
    mod = (await import(/* @vite-ignore */ url)) as { default?: TrainedScenario };
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    throw new Error(message.startsWith(NOT_APPLICABLE) ? message : `${NOT_APPLICABLE}: importing the scenario failed: ${message}`, {
      cause: err,
    });
  }
  // A saved-model scenario (source: 'saved', issue 10) has no model(): its model comes from models/<name>/.
  const saved = (mod.default as { source?: string } | undefined)?.source === 'saved';
  if (!mod.default || (!saved && typeof mod.default.model !== 'function'))
    throw new Error(`${url}: the default export must be a scenario with model() or source: 'saved'; the bundled file is not a scenario`);
  return mod.default;
}

export async function registerScenarioObjects(url: string | undefined): Promise<TrainedScenario | undefined> {
  if (!url) return undefined;
  const scenario = await importScenario(url);
  registerCustomObjects(pageTf(), scenario);
  return scenario;
}
