import { newApiToken, NonRetryableError } from '@yuqing/core';
import type { AuditActor } from '@yuqing/db';
import { apiTokenRequestSchema } from '@yuqing/domain';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

const USAGE = `${COMMAND_HELP.token.usage}\n`;

/** Changes made from the CLI are audited with no actor and this marker as the address. */
const CLI_ACTOR: AuditActor = { actorId: null, ip: 'cli' };

const ACTIONS = ['create', 'list', 'revoke'];

/** `yq token create|list|revoke`: personal API tokens (Bearer yqt_…) for the dashboard API and MCP. */
export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (!action || !ACTIONS.includes(action)) {
    process.stderr.write(USAGE);
    return action === '--help' || action === '-h' ? 0 : 2;
  }
  const { values, positionals } = parseFlags(
    `token ${action}`,
    rest,
    {
      user: { type: 'string' },
      scope: { type: 'string', multiple: true },
      name: { type: 'string' },
      source: { type: 'string' },
      json: { type: 'boolean' },
    },
    action === 'revoke',
  );
  const config = loadCommandConfig();
  // Loaded after the logger is configured: @yuqing/db creates its loggers when first imported.
  const { createApiTokenAudited, findUserByEmailOrUsername, listApiTokens, revokeApiTokenAudited } =
    await import('@yuqing/db');
  const database = await openCommandDatabase(config);
  try {
    const { db } = database;
    if (action === 'list') {
      let userId: number | undefined;
      if (values.user) {
        const user = await findUserByEmailOrUsername(db, values.user.trim());
        if (!user) throw new NonRetryableError('USER_NOT_FOUND', `no user with e-mail or name ${values.user}`);
        userId = user.id;
      }
      const items = await listApiTokens(db, userId === undefined ? {} : { userId });
      if (values.json) process.stdout.write(`${JSON.stringify(items)}\n`);
      else
        for (const t of items)
          process.stdout.write(
            `${String(t.id).padStart(4)}  ${`${t.prefix}…`.padEnd(12)} ${(t.username ?? '?').padEnd(16)} ${t.scopes.join(',').padEnd(12)} ${t.revokedAt ? `已吊销 ${t.revokedAt.toISOString()}` : `最近使用 ${t.lastUsedAt?.toISOString() ?? '从未'}`}  ${t.name}\n`,
          );
      return 0;
    }
    if (action === 'revoke') {
      const id = Number(positionals[0] ?? NaN);
      if (!Number.isInteger(id) || id <= 0) throw new NonRetryableError('USAGE', 'yq token revoke: give the token id');
      const item = await revokeApiTokenAudited(db, id, { at: new Date() }, CLI_ACTOR);
      process.stderr.write(`revoked token ${item.id} (${item.prefix}…, ${item.username ?? '?'})\n`);
      return 0;
    }
    const who = values.user?.trim();
    if (!who) throw new NonRetryableError('USAGE', 'yq token create: --user EMAIL is required');
    const user = await findUserByEmailOrUsername(db, who);
    if (!user || !user.active)
      throw new NonRetryableError('USER_NOT_FOUND', `no active user with e-mail or name ${who}`);
    const scopes = (values.scope ?? ['read']).flatMap((s) => s.split(',')).map((s) => s.trim());
    const parsed = apiTokenRequestSchema.safeParse({
      name: values.name?.trim() || `cli ${new Date().toISOString().slice(0, 10)}`,
      scopes,
      ...(values.source ? { sourceId: Number(values.source) } : {}),
    });
    if (!parsed.success)
      throw new NonRetryableError(
        'USAGE',
        `yq token create: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    const { token, hash, prefix } = newApiToken();
    const item = await createApiTokenAudited(
      db,
      {
        userId: user.id,
        name: parsed.data.name,
        prefix,
        tokenHash: hash,
        scopes: parsed.data.scopes,
        sourceId: parsed.data.sourceId ?? null,
      },
      CLI_ACTOR,
    );
    process.stderr.write(`created token ${item.id} for ${user.username} (${item.scopes.join(',')})\n`);
    // Printed once, stored only as its hash: this line is the only copy.
    process.stdout.write(`${token}\n`);
    if (process.stderr.isTTY) process.stderr.write('↑ 请妥善保存此令牌，仅显示一次 (shown once: store it safely)\n');
    return 0;
  } finally {
    await database.close();
  }
}
