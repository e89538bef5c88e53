#!/usr/bin/env node
/**
 * The `schemabus` command. Commands live in `generator/cli/<command>.ts`
 * and are listed in `generator/cli/commands.ts`.
 */
import { runCli } from './cli/program.js';

process.exitCode = await runCli(process.argv.slice(2));
