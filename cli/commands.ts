/**
 * Every command of the `schemabus` CLI. To add one, write
 * `cli/commands/<command>.ts` exporting a `defineCommand(...)`, and list
 * it here.
 */

import type { CliCommand } from './command.js';
import { aclCommand } from './commands/acl.js';
import { bootstrapCommand } from './commands/bootstrap.js';
import { checkCommand } from './commands/check.js';
import { codegenCommand } from './commands/codegen.js';
import { demoCommand } from './commands/demo.js';
import { dlqCommand } from './commands/dlq.js';
import { initCommand } from './commands/init.js';
import { inspectCommand } from './commands/inspect.js';
import { metricsCommand } from './commands/metrics.js';
import { tailCommand } from './commands/tail.js';
import { validateCommand } from './commands/validate.js';

export const COMMANDS: readonly CliCommand[] = [
  initCommand,
  codegenCommand,
  checkCommand,
  validateCommand,
  bootstrapCommand,
  inspectCommand,
  metricsCommand,
  tailCommand,
  dlqCommand,
  aclCommand,
  demoCommand,
];
