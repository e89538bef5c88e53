/**
 * Every command of the `schemabus` CLI. To add one, write
 * `generator/cli/<command>.ts` exporting a `defineCommand(...)`, and list
 * it here.
 */
import { checkCommand } from './check.js';
import { codegenCommand } from './codegen.js';
import type { CliCommand } from './command.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly CliCommand[] = [codegenCommand, checkCommand, validateCommand];
