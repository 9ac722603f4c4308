#!/usr/bin/env node
// Runs the TypeScript CLI directly: users never need a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../harness/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
