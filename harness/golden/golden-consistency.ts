// What no single file can show: the outputs files must fit probes.json and each other.
import type { OutputsFile, ProbesFile } from './golden-schema.ts';

export interface ConsistencyProblem {
  backend?: string;
  field: string;
  message: string;
}

/** The first way the outputs of a golden disagree with its probes, or undefined. */
export function goldenConsistencyProblem(probes: ProbesFile, outputs: Record<string, OutputsFile>): ConsistencyProblem | undefined {
  const fix = 'restore it with git or re-record';
  if (!outputs[probes.backend]) {
    return {
      backend: probes.backend,
      field: '(file)',
      message: `is missing: probes.json was recorded on ${probes.backend}, whose outputs every golden keeps; ${fix}`,
    };
  }
  const reference = outputs[probes.backend]!.outputs;
  for (const [backend, file] of Object.entries(outputs)) {
    const names = Object.keys(file.outputs).sort().join(', ');
    if (names !== Object.keys(reference).sort().join(', ')) {
      return {
        backend,
        field: 'outputs',
        message: `must name the outputs of ${probes.backend}.json (${Object.keys(reference).sort().join(', ')}), found ${names || 'none'}; ${fix}`,
      };
    }
    for (const [name, t] of Object.entries(file.outputs)) {
      if (t.shape[0] !== probes.inputs.length) {
        return {
          backend,
          field: `outputs.${name}.shape[0]`,
          message: `must be ${probes.inputs.length} (one per row of probes.json), found ${t.shape[0]}; ${fix}`,
        };
      }
    }
  }
  return undefined;
}
