// tfjs-node's own API (tf.node.*), which the plain tfjs package of a runtime does not have: taken from
// the @tensorflow/tfjs-node module that registered this runtime's `tensorflow` backend.
import { createRequire } from 'node:module';
import type { Runtime } from './load-runtime.ts';

export type TfjsNode = typeof import('@tensorflow/tfjs-node');
export type TFSavedModel = Awaited<ReturnType<TfjsNode['node']['loadSavedModel']>>;

const TFJS_NODE_INDEX = /[\\/]@tensorflow[\\/]tfjs-node[\\/]dist[\\/]index\.js$/;

/**
 * The tfjs-node of this runtime. Several runtimes (tfjs versions) can live in one process, each with its
 * own tfjs-node; the right one re-exports this runtime's tfjs, so its `engine` is the runtime's own.
 */
export function tfjsNode(runtime: Runtime): TfjsNode {
  const cache = createRequire(import.meta.url).cache;
  for (const [file, mod] of Object.entries(cache)) {
    const api = mod?.exports as Partial<TfjsNode> | undefined;
    if (TFJS_NODE_INDEX.test(file) && api?.engine === runtime.tf.engine && api.node) return api as TfjsNode;
  }
  throw new Error(
    `${runtime.name}: tf.node.loadSavedModel exists only in @tensorflow/tfjs-node, which this runtime has not loaded; the tensorflow backend must be usable (npm run setup:native)`,
  );
}
