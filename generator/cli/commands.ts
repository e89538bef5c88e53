/**
 * Every command of the `schemabus` CLI. To add one, write
 * `generator/cli/<command>.ts` exporting a `defineCommand(...)`, and list
 * it here.
 */
import { bootstrapCommand } from './bootstrap.js';
import { checkCommand } from './check.js';
import { codegenCommand } from './codegen.js';
import type { CliCommand } from './command.js';
import { demoCommand } from './demo.js';
import { dlqCommand } from './dlq.js';
import { inspectCommand } from './inspect.js';
import { tailCommand } from './tail.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly CliCommand[] = [
  codegenCommand,
  checkCommand,
  validateCommand,
  bootstrapCommand,
  inspectCommand,
  tailCommand,
  dlqCommand,
  demoCommand,
];
