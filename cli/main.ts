#!/usr/bin/env node
/**
 * The `schemabus` command. Commands live in `cli/commands/<command>.ts`
 * and are listed in `cli/commands.ts`.
 */
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
