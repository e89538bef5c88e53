/**
 * What every `schemabus` command is: a yargs command whose work is a
 * function returning a `CommandResult` (exit code and text). Only
 * `program.ts` prints the text and sets the exit code, so commands are
 * tested by calling them.
 */
import type { ArgumentsCamelCase, Argv } from 'yargs';

/** 0 ok, 1 a finding (invalid catalogue, stale code, invalid event), 2 a usage or I/O error. */
export type ExitCode = 0 | 1 | 2;

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_USAGE = 2;

/** What a command run produced. */
export interface CommandResult {
  readonly exitCode: ExitCode;
  /** Text for stdout (the report, or JSON with `--json`), ending with a newline unless empty. */
  readonly stdout: string;
  /** Text for stderr (what went wrong and what to do), ending with a newline unless empty. */
  readonly stderr: string;
}

/** Options every command receives besides its own. */
export interface CommandContext {
  /** Directory relative paths are resolved against (and shown relative to). */
  readonly cwd: string;
  /**
   * The terminal of a command that runs on or reports as it goes (`tail`,
   * `inspect --watch`, `metrics`, progress of long operations): the CLI gives
   * the process's (`cli/support/live-io.ts`), tests their own. Without it
   * such a command collects its output into the result and shows no progress.
   */
  readonly live?: LiveIo | undefined;
}

/** Where a running command writes as it goes, what it writes to, and what stops it. */
export interface LiveIo {
  /** Writes to stdout now. */
  out(text: string): void;
  /** Writes to stderr now. */
  err(text: string): void;
  /** stdout is a terminal: redraw in place. */
  readonly stdoutIsTTY: boolean;
  /** stderr is a terminal: show progress. */
  readonly stderrIsTTY: boolean;
  /** Aborted when the user stops the command (SIGINT, SIGTERM). */
  readonly signal: AbortSignal;
}

/**
 * A `schemabus` command. `run` gets the parsed arguments and the context;
 * it must not print or exit.
 */
export interface CliCommand<Args = object> {
  /** yargs command string: `codegen`, `validate <files..>`. */
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv) => Argv<Args>;
  readonly run: (args: ArgumentsCamelCase<Args>, context: CommandContext) => Promise<CommandResult>;
}

/** Declares a command (keeps its argument types through the untyped command list). */
export function defineCommand<Args>(command: CliCommand<Args>): CliCommand<object> {
  return command as unknown as CliCommand<object>;
}

/** A result with `lines` joined as the text of one stream. */
export function result(
  exitCode: ExitCode,
  stdout: readonly string[],
  stderr: readonly string[] = [],
): CommandResult {
  return { exitCode, stdout: text(stdout), stderr: text(stderr) };
}

/** A usage or I/O failure: exit 2 with `message` on stderr. */
export function usageError(message: string): CommandResult {
  return result(EXIT_USAGE, [], [message]);
}

function text(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
