#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout (tsx compiles on the fly).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../app/cli/main.ts');
process.exit(await runCli(process.argv.slice(2)));
