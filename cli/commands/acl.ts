/**
 * `schemabus acl`: the least-privilege `ACL SETUSER` rule for the
 * catalogue, one line to paste into redis-cli as an admin: the keys of its
 * streams (DLQs and bookkeeping included), its realtime channels (the
 * literal patterns PSUBSCRIBE needs), and only the commands the bus and the
 * CLI's operations commands send (generator/acl/least-privilege.ts).
 */
import { randomBytes } from 'node:crypto';
import {
  type AclGrant,
  hasControlCharacter,
  leastPrivilege,
  setUserArgs,
  setUserLine,
} from '../../generator/acl/least-privilege.js';
import {
  type CommandContext,
  type CommandResult,
  defineCommand,
  EXIT_FINDING,
  EXIT_OK,
  result,
  usageError,
} from '../command.js';
import { DEFAULT_SCHEMA, formatIssues, readCatalogFile } from '../support/catalog-file.js';
import { jsonText } from '../support/table.js';

/** The user name when none is given. */
export const DEFAULT_ACL_USER = 'schemabus';

/** Options of `acl`. */
export interface AclOptions {
  /** The catalogue. @default `events.schema.yaml` */
  readonly schema?: string | undefined;
  /** The ACL user. @default `schemabus` */
  readonly user?: string | undefined;
  /** Its password. @default a random one (256 bits, hex, like ACL GENPASS) */
  readonly password?: string | undefined;
  /** Print `{ user, password, keys, channels, commands, rule, args, notes }`. */
  readonly json?: boolean | undefined;
}

/** What `acl --json` prints. */
export interface AclReport extends AclGrant {
  readonly user: string;
  readonly password: string;
  /** The line to paste into redis-cli. */
  readonly rule: string;
  /** The arguments of ACL SETUSER (after `SETUSER`), for a client: `redis.call('ACL', 'SETUSER', ...args)`. */
  readonly args: readonly string[];
}

/** Prints the least-privilege ACL rule of the catalogue. */
export async function runAcl(options: AclOptions, context: CommandContext): Promise<CommandResult> {
  const user = options.user ?? DEFAULT_ACL_USER;
  if (user === '' || /\s/.test(user) || hasControlCharacter(user)) {
    return usageError(
      `--user ${JSON.stringify(user)} is not an ACL user name: Redis refuses empty names and names with spaces or control characters`,
    );
  }
  if (options.password === '') {
    return usageError('--password is empty: give one, or leave it out for a random one');
  }
  const catalog = await readCatalogFile(context.cwd, options.schema ?? DEFAULT_SCHEMA);
  if (catalog.kind === 'unreadable') return usageError(catalog.message);
  if (catalog.kind === 'invalid') {
    if (options.json) {
      return {
        exitCode: EXIT_FINDING,
        stdout: jsonText({ ok: false, file: catalog.path, issues: catalog.issues }),
        stderr: '',
      };
    }
    return result(
      EXIT_FINDING,
      [],
      [...formatIssues(catalog.path, catalog.issues), 'fix the catalogue first (schemabus check)'],
    );
  }
  const generated = options.password === undefined;
  const password = options.password ?? randomBytes(32).toString('hex');
  const grant = leastPrivilege(catalog.model.catalog);
  const args = setUserArgs(user, password, grant);
  const rule = setUserLine(args);
  if (options.json) {
    const report: AclReport = { user, password, ...grant, rule, args };
    return { exitCode: EXIT_OK, stdout: jsonText(report), stderr: '' };
  }
  const notes = [
    `# paste into redis-cli as an admin; the bus then connects as redis://${encodeURIComponent(user)}:<password>@host:port`,
    ...(generated
      ? [
          '# a random password was generated (after ">" in the rule) and is kept nowhere else: store it, e.g. in your secret manager',
        ]
      : []),
    ...grant.notes.map((note) => `# note: ${note}`),
  ];
  return result(EXIT_OK, [rule], notes);
}

/** The yargs command. */
export const aclCommand = defineCommand({
  command: 'acl',
  describe: 'Print the least-privilege Redis ACL rule (ACL SETUSER) for the catalogue',
  builder: (yargs) =>
    yargs
      .option('schema', {
        type: 'string',
        default: DEFAULT_SCHEMA,
        describe: 'The event catalogue (YAML)',
      })
      .option('user', {
        type: 'string',
        default: DEFAULT_ACL_USER,
        describe: 'The ACL user name',
      })
      .option('password', {
        type: 'string',
        describe: 'Its password (default: a random 256-bit one, printed in the rule)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'Print user, password, keys, channels, commands and the rule as JSON',
      })
      .example('$0 acl', 'print the rule, with a random password')
      .example('$0 acl --user orders | redis-cli', 'create or reset the user (as an admin)')
      .epilogue(
        'Keys: every key of every stream ({ns:stream}, {ns:stream}:*). Channels: the patterns the bus ' +
          'PSUBSCRIBEs (Redis wants them literally). Commands: only those the bus and the CLI send.',
      ),
  run: (args, context) => runAcl(args, context),
});
