// Types of scripts/python/locate.mjs, for the TypeScript side (import, doctor).
export const REQUIREMENTS_FILE: string;
export const MARKER_NAME: string;
export function cacheRoot(env?: NodeJS.ProcessEnv): string;
export function venvDir(env?: NodeJS.ProcessEnv): string;
export function venvPython(env?: NodeJS.ProcessEnv): string;
export function requirementsHash(file?: string): string;
export type PythonToolchainStatus =
  | { usable: true; python: string; venv: string; versions: Record<string, string> }
  | { usable: false; python: string; venv: string; reason: string };
export function pythonToolchainStatus(env?: NodeJS.ProcessEnv): PythonToolchainStatus;
