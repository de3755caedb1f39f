import { checkPasswordPolicy, generatePassword, hashPassword, NonRetryableError } from '@yuqing/core';
import type { AuditActor, Role } from '@yuqing/db';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

/** Shown with usage errors: the same text as `yq user --help`. */
const USAGE = `${COMMAND_HELP.user.usage}\n`;

/** Changes made from the CLI are audited with no actor and this marker as the address. */
const CLI_ACTOR: AuditActor = { actorId: null, ip: 'cli' };

const ROLES: readonly Role[] = ['analyst', 'spokesperson', 'leader', 'admin'];

function parseRole(value: string | undefined): Role {
  const roles = ROLES as readonly string[];
  if (!value || !roles.includes(value))
    throw new NonRetryableError('USAGE', `yq user: --role must be one of ${roles.join(', ')}`);
  return value as Role;
}

/** The dashboard's password policy applies to passwords given on the command line too. */
function checkPassword(password: string | undefined, username: string): string | undefined {
  if (password === undefined) return undefined;
  const problems = checkPasswordPolicy(password, { username });
  if (problems.length > 0)
    throw new NonRetryableError(
      'USAGE',
      `yq user: --password refused: ${problems.map((p) => `${p.message} (${p.code})`).join('; ')}`,
    );
  return password;
}

/** `yq user add|passwd|list`: local accounts for the dashboard. */
export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || !['add', 'passwd', 'list'].includes(action)) {
    process.stderr.write(USAGE);
    return action === '--help' || action === '-h' ? 0 : 2;
  }
  const { values } = parseFlags(`user ${action}`, rest, {
    username: { type: 'string' },
    role: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    password: { type: 'string' },
    json: { type: 'boolean' },
  });
  const config = loadCommandConfig();
  // Loaded after the logger is configured: @yuqing/db creates its loggers when first imported.
  const { createUserAudited, findUserByUsername, listUsers, setUserPasswordAudited } = await import('@yuqing/db');
  const database = await openCommandDatabase(config);
  try {
    const { db } = database;
    if (action === 'list') {
      const users = await listUsers(db);
      if (values.json)
        process.stdout.write(
          `${JSON.stringify(users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, active: u.active })))}\n`,
        );
      else
        for (const u of users)
          process.stdout.write(
            `${String(u.id).padStart(4)}  ${u.username.padEnd(20)} ${u.role.padEnd(13)} ${u.active ? 'active' : 'inactive'}  ${u.displayName}\n`,
          );
      return 0;
    }
    const username = values.username?.trim();
    if (!username) throw new NonRetryableError('USAGE', 'yq user: --username is required');
    const given = checkPassword(values.password, username);
    const password = given ?? generatePassword();
    if (action === 'add') {
      const role = parseRole(values.role);
      if (await findUserByUsername(db, username))
        throw new NonRetryableError(
          'USER_EXISTS',
          `user ${username} already exists (use yq user passwd to reset the password)`,
        );
      const user = await createUserAudited(
        db,
        {
          username,
          displayName: values.name?.trim() || username,
          email: values.email?.trim() || null,
          role,
          passwordHash: await hashPassword(password),
        },
        CLI_ACTOR,
      );
      process.stderr.write(`created user ${user.username} (${user.role}, id ${user.id})\n`);
    } else {
      const user = await findUserByUsername(db, username);
      if (!user) throw new NonRetryableError('USER_NOT_FOUND', `no user named ${username}`);
      await setUserPasswordAudited(db, user.id, await hashPassword(password), CLI_ACTOR);
      process.stderr.write(`password changed for ${username}; their sessions were ended\n`);
    }
    if (!given) {
      // Printed once, never stored in clear: the only copy is this line.
      process.stdout.write(`${password}\n`);
      if (process.stderr.isTTY) process.stderr.write('↑ 请妥善保存此密码，仅显示一次 (shown once: store it safely)\n');
    }
    return 0;
  } finally {
    await database.close();
  }
}
