import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineCommand, result } from '../../cli/command.js';
import { COMMANDS } from '../../cli/commands.js';
import { type CliIo, runCli } from '../../cli/program.js';
import { REPO_ROOT } from './project-copy.js';

function capture(): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: (text: string) => {
      io.stdout += text;
    },
    err: (text: string) => {
      io.stderr += text;
    },
  };
  return io;
}

const context = { cwd: REPO_ROOT };

describe('runCli', () => {
  it('runs a command and returns its exit code, printing its output', async () => {
    const io = capture();
    expect(await runCli(['check'], io, context)).toBe(0);
    expect(io.stdout).toContain('events.schema.yaml is valid');
  });

  it('exits 2 with the command help on an unknown option', async () => {
    const io = capture();
    expect(await runCli(['validate', 'x.json', '--bogus'], io, context)).toBe(2);
    expect(io.stderr).toContain('Unknown argument: bogus');
    expect(io.stderr).toContain('schemabus validate <files..>');
  });

  it('exits 2 when a required positional is missing', async () => {
    const io = capture();
    expect(await runCli(['validate'], io, context)).toBe(2);
    expect(io.stderr).toContain('Not enough non-option arguments');
  });

  it('prints help on stdout and exits 0', async () => {
    const io = capture();
    expect(await runCli(['codegen', '--help'], io, context)).toBe(0);
    expect(io.stdout).toContain('--check');
    expect(io.stdout).toContain('schemabus codegen --check');
  });

  it('says in the command list that demo runs from a source checkout only', async () => {
    const io = capture();
    expect(await runCli(['--help'], io, context)).toBe(0);
    expect(io.stdout).toMatch(/^ {2}schemabus demo +.*\(source checkout only\)$/m);
    const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
    expect(readme).toMatch(/^\| `demo \[--redis URL\]` \| \(source checkout only\)/m);
  });

  it('never cuts a word of the help in two: every description is whole on its line', async () => {
    const io = capture();
    expect(await runCli(['--help'], io, context)).toBe(0);
    for (const command of COMMANDS) {
      expect(io.stdout).toMatch(
        new RegExp(
          `^ {2}schemabus ${command.command.split(' ')[0]} .* ${literal(command.describe)}$`,
          'm',
        ),
      );
    }
    const dlq = capture();
    expect(await runCli(['dlq', '--help'], dlq, context)).toBe(0);
    expect(dlq.stdout).toMatch(
      /--redis +Redis URL, .* for a Redis Cluster \(rediss:\/\/ forms for TLS; default: REDIS_URL\) +\[string\]$/m,
    );
  });

  it('prints the package version with --version', async () => {
    const io = capture();
    const { version } = JSON.parse(readFileSync(`${REPO_ROOT}/package.json`, 'utf8')) as {
      version: string;
    };
    expect(await runCli(['--version'], io, context)).toBe(0);
    expect(io.stdout.trim()).toBe(version);
  });

  it('takes a new command from its one-file definition', async () => {
    const hello = defineCommand({
      command: 'hello <name>',
      describe: 'Say hello',
      builder: (yargs) => yargs.positional('name', { type: 'string', demandOption: true }),
      run: async (args) => result(0, [`hello ${args.name}`]),
    });
    const io = capture();
    expect(await runCli(['hello', 'bus'], io, context, [...COMMANDS, hello])).toBe(0);
    expect(io.stdout).toBe('hello bus\n');
  });

  it('turns an unexpected exception into exit 2 with the stack', async () => {
    const broken = defineCommand({
      command: 'broken',
      describe: 'Throws',
      builder: (yargs) => yargs,
      run: async () => {
        throw new Error('boom');
      },
    });
    const io = capture();
    expect(await runCli(['broken'], io, context, [broken])).toBe(2);
    expect(io.stderr).toContain('schemabus broken failed unexpectedly');
    expect(io.stderr).toContain('Error: boom');
  });
});

/** `text` as a literal in a regular expression. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
