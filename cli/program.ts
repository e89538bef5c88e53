/**
 * The yargs layer of the `schemabus` CLI: parses arguments, runs the
 * command, prints its result. Usage errors (unknown command or option,
 * missing argument) exit with 2 after the help of the command.
 */
import yargs from 'yargs';
import {
  type CliCommand,
  type CommandContext,
  type CommandResult,
  EXIT_OK,
  EXIT_USAGE,
  type ExitCode,
} from './command.js';
import { COMMANDS } from './commands.js';
import { packageVersion } from './package-version.js';

/** Where the CLI writes. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** stdout and stderr of the process. */
export const PROCESS_IO: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * Help is not wrapped (`wrap(null)`): the ESM build of cliui that yargs loads
 * wraps by character count, cutting words in two (`codegen scr` / `ipts`),
 * at any width. Unwrapped, help reads the same everywhere and a long line is
 * left to the terminal or pager.
 */
const HELP_WRAP = null;

const EPILOGUE = [
  'Exit codes: 0 ok, 1 a finding (invalid catalogue, stale generated code, invalid event),',
  '2 a usage or I/O error.',
].join('\n');

/**
 * Runs the CLI on `args` (without the node and script paths) and returns
 * the exit code; never calls `process.exit`.
 */
export async function runCli(
  args: readonly string[],
  io: CliIo = PROCESS_IO,
  context: CommandContext = { cwd: process.cwd() },
  commands: readonly CliCommand[] = COMMANDS,
): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_OK;
  const parser = yargs()
    .scriptName('schemabus')
    .usage('$0 <command> [options]\n\nSchema-first event bus toolkit for TypeScript on Redis.')
    .wrap(HELP_WRAP)
    .strict()
    .demandCommand(1, 'Name a command: see the list above.')
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(packageVersion())
    .example('$0 codegen', 'generate generated/ from events.schema.yaml')
    .example('$0 codegen --check', 'in CI: fail when generated/ is stale')
    .example('$0 check --json', 'validate the catalogue, report as JSON')
    .example('$0 validate fixtures/*.json', 'check sample events against the catalogue')
    .example('$0 <command> --help', 'the options and examples of one command')
    .epilogue(EPILOGUE)
    .exitProcess(false);
  for (const command of commands) {
    parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (argv) => {
        const outcome = await runSafely(command, argv, context);
        io.out(outcome.stdout);
        io.err(outcome.stderr);
        exitCode = outcome.exitCode;
      },
    });
  }
  await parser.parseAsync([...args], {}, (error, _argv, output) => {
    if (error) {
      io.err(`${output || error.message}\n`);
      exitCode = EXIT_USAGE;
    } else if (output) {
      io.out(`${output}\n`);
    }
  });
  return exitCode;
}

async function runSafely(
  command: CliCommand,
  argv: Parameters<CliCommand['run']>[0],
  context: CommandContext,
): Promise<CommandResult> {
  try {
    return await command.run(argv, context);
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      exitCode: EXIT_USAGE,
      stdout: '',
      stderr: `schemabus ${command.command.split(' ')[0]} failed unexpectedly (a bug, please report it):\n${detail}\n`,
    };
  }
}
