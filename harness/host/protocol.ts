// Messages between a front end and its hosts (child processes). Everything crossing is plain data.
import type { BrokenMeta, Job, ScenarioMeta } from '../checks/plan.ts';
import type { CheckOutcome } from '../checks/outcome.ts';
import type { PropertyOptions } from '../checks/properties.ts';
import type { RecordOutcome, UpdateMode } from '../checks/record-golden.ts';
import type { BackendName } from '../runtime/backends.ts';
import type { BackendStatus } from '../runtime/load-runtime.ts';

export interface RuntimeInfo {
  name: string;
  version: string;
  backends: Record<BackendName, BackendStatus>;
}

export interface ChecksTask {
  kind: 'checks';
  goldens: string;
  /** Where failing comparisons write what they obtained (`<results>/obtained/…`); nothing is written without it. */
  results?: string;
  job: Job;
  property?: PropertyOptions;
}
export interface RecordTask {
  kind: 'record';
  goldens: string;
  scenario: string;
  file: string;
  update: UpdateMode;
  backends?: BackendName[];
  dropBackends?: boolean;
}
export interface DiscoverTask {
  kind: 'discover';
  dir: string;
  names?: string[];
  exclude?: string[];
}
export type Task = ChecksTask | RecordTask | DiscoverTask;

export type ToHost = { type: 'task'; id: number; task: Task };
export type FromHost =
  /** A light host (discovery only) loads no tfjs and reports no runtime. */
  | { type: 'ready'; runtime: RuntimeInfo | null }
  | { type: 'outcome'; id: number; outcome: CheckOutcome }
  | { type: 'recorded'; id: number; outcome: RecordOutcome }
  /** reusable: the imported files left no timer, socket or other handle behind, so the host may discover again. */
  | { type: 'discovered'; id: number; scenarios: ScenarioMeta[]; broken: BrokenMeta[]; reusable: boolean }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string }
  /** An uncaught exception or rejection, sent just before the host exits. */
  | { type: 'fatal'; message: string };
