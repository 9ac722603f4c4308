// The scenario file `import` writes: the model from models/<name>, its preprocessing steps, a JS class
// scaffold per Python custom class (failing until someone implements it), and the probes inline.
import type { FittedStep } from '../preprocessing/pipeline.ts';

export interface ScenarioSourceOptions {
  name: string;
  from: string;
  probes: unknown[];
  steps: FittedStep[];
  customClasses: string[];
  stateful: boolean;
  /** The converted model is a tfjs graph model (a SavedModel, or a graph model.json). */
  graph?: boolean;
}

const lowerFirst = (s: string) => s[0]!.toLowerCase() + s.slice(1);

function scaffold(name: string, cls: string): string {
  return `/** The JS implementation of the Python class ${cls}: write its call() as the Python one computes. */
const ${lowerFirst(cls)} = perRuntime((tf) => {
  class ${cls} extends tf.layers.Layer {
    static className = '${cls}';
    override call(_inputs: Tensor | Tensor[]): Tensor {
      throw new Error('${name}: ${cls}.call is not implemented; implement it in scenarios/${name}.scenario.ts as the Python class ${cls} computes, then run npx tfjs-repro record ${name}');
    }
  }
  return ${cls};
});
`;
}

export function scenarioSource(o: ScenarioSourceOptions): string {
  const custom = o.customClasses.length > 0;
  const imports = ['defineScenario', ...(custom ? ['perRuntime'] : [])];
  const lines = [
    `// Imported by \`tfjs-repro import ${o.name} --from ${o.from}\`: the model, its preprocessing state and its`,
    `// reference outputs are in models/${o.name}/; nothing is trained here.`,
    `import { ${imports.join(', ')} } from '../harness/index.ts';`,
    ...(custom ? [`import type { Tensor } from '../harness/index.ts';`] : []),
    '',
    ...o.customClasses.map((c) => scaffold(o.name, c)),
    `/** Raw probe rows (before preprocessing), as models/${o.name}/probes.json. */`,
    `const probes = ${JSON.stringify(o.probes)};`,
    '',
    'export default defineScenario({',
    `  source: 'saved',`,
    `  name: '${o.name}',`,
    `  description: ${JSON.stringify(`Model imported from ${o.from}${o.graph ? ' (a tfjs graph model)' : ''}${o.stateful ? ' (stateful: predicted with batch size 1, state carried from row to row)' : ''}.`)},`,
    '  seed: 1,',
    `  modelPath: 'models/${o.name}',`,
    '  // No training rows came with the model: the probes stand for the input domain.',
    '  data: () => ({ train: { x: probes, y: [] }, probes }),',
    ...(o.steps.length
      ? [
          `  // The steps of models/${o.name}/preprocessing.json (fitted in scikit-learn), unfitted.`,
          `  preprocessing: ${JSON.stringify(o.steps.map((s) => ({ kind: s.kind, options: s.options })))},`,
        ]
      : []),
    ...(custom ? [`  customObjects: (tf) => [${o.customClasses.map((c) => `${lowerFirst(c)}(tf)`).join(', ')}],`] : []),
    ...(o.stateful ? ['  predictBatchSize: 1,'] : []),
    '});',
    '',
  ];
  return lines.join('\n');
}
