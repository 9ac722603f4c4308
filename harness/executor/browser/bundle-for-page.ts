// Bundles TypeScript for the page with esbuild: the page script, and scenario files with the harness
// modules they import. tfjs is the page's global `tf`; a Node-only import becomes a stub that throws
// "not applicable in the browser: …" when used, so a scenario fails clearly only if it really needs Node.
import { build, type Plugin } from 'esbuild';
import { isBuiltin } from 'node:module';
import path from 'node:path';

export interface BundleForPageOptions {
  /** Directory that error messages and esbuild resolve relative to. */
  root: string;
}

const TF_GLOBAL = /^@tensorflow\/tfjs(-core|-layers|-converter|-data)?$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

async function exportNames(specifier: string): Promise<string[]> {
  if (!isBuiltin(specifier)) return [];
  const mod = (await import(specifier)) as Record<string, unknown>;
  return Object.keys(mod).filter((k) => k !== 'default' && IDENTIFIER.test(k));
}

function stubModule(specifier: string, importer: string, names: string[]): string {
  const reason = `not applicable in the browser: ${importer} imports "${specifier}", which only Node has`;
  return [
    `const fail = (what) => { throw new Error(${JSON.stringify(reason)} + " (used: " + what + ")"); };`,
    `const skip = new Set(['__esModule', 'then', 'default']);`,
    `export default new Proxy({}, { get: (_, k) => (typeof k === 'symbol' || skip.has(k) ? undefined : fail(${JSON.stringify(specifier)} + "." + k)) });`,
    ...names.map((n) => `export const ${n} = (..._) => fail(${JSON.stringify(`${specifier}.${n}`)});`),
  ].join('\n');
}

function pagePlugin(root: string): Plugin {
  return {
    name: 'tfjs-repro-page',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (TF_GLOBAL.test(args.path)) return { path: args.path, namespace: 'page-tf' };
        if (isBuiltin(args.path) || args.path.startsWith('@tensorflow/')) {
          return { path: args.path, namespace: 'node-only', pluginData: { importer: path.relative(root, args.importer) || args.importer } };
        }
        return undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'page-tf' }, () => ({ contents: 'module.exports = globalThis.tf;', loader: 'js' }));
      b.onLoad({ filter: /.*/, namespace: 'node-only' }, async (args) => ({
        contents: stubModule(args.path, (args.pluginData as { importer: string }).importer, await exportNames(args.path)),
        loader: 'js',
      }));
    },
  };
}

/** One ES module of JavaScript for the page, from a TypeScript entry file. */
export async function bundleForPage(entry: string, o: BundleForPageOptions): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    absWorkingDir: o.root,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    plugins: [pagePlugin(o.root)],
  });
  return result.outputFiles[0]!.text;
}
