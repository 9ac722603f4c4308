#!/usr/bin/env node
// Runs the TypeScript CLI directly: users never need a build step.
import { register } from 'tsx/esm/api';

register();
await import('../harness/cli/main.ts');
