import type { CompareOutcome } from '../compare/compare-tensors.ts';
import type { FaultName } from './faults.ts';
import type { PropertyName } from './properties.ts';
import type { QuantizationName } from './quantize-weights.ts';

export const checkNames = ['replay', 'agreement', 'roundtrip', 'retrain', 'reference', 'savedmodel'] as const;
export type CheckName = (typeof checkNames)[number] | `fault ${FaultName}` | `property ${PropertyName}` | `quantized ${QuantizationName}`;
export interface Configuration {
  runtime: string;
  backend: string;
  format?: string;
}
export type Status = 'pass' | 'fail' | 'not-applicable' | 'skipped';
/** One check's result as data; front ends decide how to show it. */
export interface CheckOutcome {
  scenario: string;
  configuration: Configuration;
  check: CheckName | 'load';
  status: Status;
  /** Why it failed, was skipped or does not apply, and how to fix it. */
  reason?: string;
  /** What a pass rests on, where that is not a comparison (e.g. how a fault was detected). */
  detail?: string;
  /** What a user must see even on a pass (e.g. replay fell back to a looser tolerance, and why). */
  note?: string;
  /** Per output, the comparison behind a pass or a failure. */
  comparisons?: Record<string, CompareOutcome>;
  /** Where a failing replay, agreement or reference wrote what it obtained (golden codec), relative to the project root. */
  obtained?: string;
  durationMs: number;
}

export const configurationLabel = (c: Configuration): string => (c.format ? `${c.backend} · ${c.format}` : c.backend);
export const outcomeId = (o: Pick<CheckOutcome, 'scenario' | 'configuration' | 'check'>): string =>
  `${o.scenario} › ${configurationLabel(o.configuration)} › ${o.check}`;
