// Types of node-util-compat.mjs, for the TypeScript side (load-runtime).
export function patchUtilForTfjsNode(): void;
