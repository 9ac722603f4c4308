// The executors of one host: in-process for cpu, wasm and tensorflow; a browser page for the browser
// backends the host was asked to open (probed once, at start-up, so a plan knows which are usable).
import { browserBackendNames, isBrowserBackend, type BackendName, type BrowserBackendName } from '../runtime/backends.ts';
import type { Runtime } from '../runtime/load-runtime.ts';
import { openBrowserExecutors } from './browser/browser-executors.ts';
import { inProcessExecutors, type ExecutorSet } from './in-process-executor.ts';

export interface HostExecutorsOptions {
  /** Browser backends to open; the others stay not usable, saying how to select them. */
  browserBackends: BrowserBackendName[];
  runtimeRoot?: string;
}
export interface HostExecutors extends ExecutorSet {
  /** Tells the browser executors where a scenario's file is, to bundle it for the page. */
  useScenario(name: string, file: string): void;
  close(): Promise<void>;
}

/** Browser backends named in a comma list (other names are ignored: they are validated where they are parsed). */
export const browserBackendsIn = (...lists: (string | undefined)[]): BrowserBackendName[] => [
  ...new Set(
    lists
      .flatMap((l) => (l ?? '').split(','))
      .map((b) => b.trim())
      .filter(isBrowserBackend),
  ),
];

export async function hostExecutors(runtime: Runtime, o: HostExecutorsOptions): Promise<HostExecutors> {
  const files = new Map<string, string>();
  const inProcess = inProcessExecutors(runtime);
  const browser = await openBrowserExecutors(o.browserBackends, {
    tfjsVersion: runtime.version,
    scenarioFile: (name) => files.get(name),
    ...(o.runtimeRoot ? { runtimeRoot: o.runtimeRoot } : {}),
  });
  const backends = { ...runtime.backends };
  for (const name of browserBackendNames) backends[name] = browser.statuses[name] ?? runtime.backends[name];
  return {
    name: runtime.name,
    version: runtime.version,
    backends,
    executor(backend: BackendName) {
      if (!isBrowserBackend(backend)) return inProcess.executor(backend);
      const e = browser.executors.get(backend);
      if (!e) throw new Error(`backend ${backend} is not open in this host: ${backends[backend].reason ?? 'not selected'}`);
      return e;
    },
    useScenario(name, file) {
      files.set(name, file);
    },
    close: () => browser.close(),
  };
}
