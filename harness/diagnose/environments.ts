// Environment causes: another backend (half precision for webgl-f16), quantized weights. Each is a way
// of loading and running the golden bundle; model-side causes run inside it to make pairs.
import { readBundleDir } from '../bundle/bundle-dir.ts';
import type { GoldenLoadOptions, ScenarioContext } from '../checks/scenario-context.ts';
import { crossLevel, type ToleranceLevel } from '../compare/tolerance.ts';
import type { LoadedModel } from '../executor/executor.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { CauseFamily, Unavailable } from './hypothesis.ts';
import {
  quantizationNames as quantizationDtypes,
  quantizeBundle,
  type QuantizationName as QuantizationDtype,
} from '../checks/quantize-weights.ts';

export interface Environment {
  id: string;
  label: string;
  family: CauseFamily;
  backend: BackendName;
  level: ToleranceLevel;
  fix: string;
  quantize?: QuantizationDtype;
}

export interface EnvironmentOptions {
  base: BackendName;
  /** Backends to try besides the base (unusable ones are reported, not fatal). */
  backends: BackendName[];
  quantize: boolean;
}

function backendEnv(b: BackendName, base: BackendName): Environment {
  const half = b === 'webgl-f16';
  return {
    id: `backend:${b}`,
    label: half
      ? 'half-precision textures (webgl-f16, a phone GPU without float32 textures)'
      : `predicted on the ${b} backend instead of ${base}`,
    family: half ? 'half-precision' : 'backend',
    backend: b,
    level: crossLevel(b),
    fix: half
      ? 'the GPU stores float16 only: judge these predictions under the halfPrecision tolerance, or make sure inputs fit in float16 (README "In the browser")'
      : `compare with the golden of the backend that predicted (goldens/<scenario>/outputs/${b}.json), or call tf.setBackend('${base}') before predicting; backends differ by round-off (README "Tolerances")`,
  };
}

export function environments(ctx: ScenarioContext, o: EnvironmentOptions): { envs: Environment[]; unavailable: Unavailable[] } {
  const envs: Environment[] = [backendEnv(o.base, o.base)];
  const unavailable: Unavailable[] = [];
  for (const b of o.backends) {
    if (b === o.base) continue;
    const status = ctx.runtime.backends[b];
    if (status.usable) envs.push(backendEnv(b, o.base));
    else unavailable.push({ label: `backend ${b}`, reason: status.reason ?? 'not usable' });
  }
  if (o.quantize)
    for (const q of quantizationDtypes)
      envs.push({
        id: `quantized:${q}`,
        label: `weights quantized to ${q} (tensorflowjs_converter --quantize_${q})`,
        family: 'quantized',
        backend: o.base,
        level: crossLevel(o.base),
        quantize: q,
        fix: `convert the model without --quantize_${q}, or accept the quantization error with a tolerance measured for it`,
      });
  return { envs, unavailable };
}

const quantized = new WeakMap<ScenarioContext, Map<QuantizationDtype, Promise<Awaited<ReturnType<typeof readBundleDir>>['files']>>>();

/** Loads the golden bundle as the environment does (quantized when it says so), runs fn, disposes. */
export async function loadIn<T>(
  ctx: ScenarioContext,
  env: Environment,
  fn: (l: LoadedModel) => Promise<T>,
  o: GoldenLoadOptions = {},
): Promise<T> {
  const q = env.quantize;
  if (!q) return ctx.withGolden(env.backend, fn, o);
  const dir = ctx.store.bundleDir(ctx.scenario.name);
  let cache = quantized.get(ctx);
  if (!cache) quantized.set(ctx, (cache = new Map()));
  let files = cache.get(q);
  if (!files) cache.set(q, (files = readBundleDir(dir).then((b) => quantizeBundle(b.files, q))));
  const exec = ctx.executor(env.backend);
  const loaded = await exec.load(await files, {
    format: 'memory',
    scenario: o.scenario ?? ctx.scenario.definition,
    where: `${dir} (weights quantized to ${q})`,
    ...(o.customObjects ? { customObjects: o.customObjects } : {}),
  });
  try {
    return await fn(loaded);
  } finally {
    await exec.dispose(loaded.model);
  }
}
