// Secrets at rest: the string values under secret-looking keys of alert channels' and sources' `config` are stored
// AES-256-GCM encrypted (packages/core SecretBox) and decrypted when read, in a Prisma query extension, so the
// repositories and every package above them keep handling plain configs. Values stored before encryption existed
// read as they are and are sealed by `sealStoredSecrets` (run when the database is opened with migrations).
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isSealed, NonRetryableError, SecretBox } from '@yuqing/core';
import type { PrismaClient } from './generated/prisma/client.ts';

/**
 * Keys whose string values are secrets. Alert channels: signing secrets, gateway keys and passwords, and `url`
 * (robot webhooks carry their access token in the address). Sources: login cookies, tokens, passwords.
 */
const ALERT_CHANNEL_SECRET_KEY = /secret|password|passwd|token|api_?key|access_?key|^url$/i;
const SOURCE_SECRET_KEY = /cookie|secret|password|passwd|token|authorization|api_?key/i;

/** Name of the generated key file in the data folder (mode 0600) when YQ_SECRET_KEY is unset. */
export const SECRET_KEY_FILE = 'secret-key';

type Transform = (value: string) => string;

/** Copies `value`, replacing the strings under keys matching `pattern` (at any depth) with `transform(string)`. */
function mapSecrets(value: unknown, pattern: RegExp, transform: Transform, underSecret = false): unknown {
  if (typeof value === 'string') return underSecret ? transform(value) : value;
  if (Array.isArray(value)) return value.map((v) => mapSecrets(v, pattern, transform, underSecret));
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      out[k] = mapSecrets(v, pattern, transform, underSecret || pattern.test(k));
    return out;
  }
  return value;
}

function opener(box: SecretBox | undefined): Transform {
  return (value) => {
    if (!isSealed(value)) return value;
    if (!box)
      throw new NonRetryableError(
        'SECRET_KEY_MISSING',
        'a stored secret is encrypted but no secret key was configured',
      );
    return box.open(value);
  };
}

/** Seals the `config` of a create/update payload (`data`, or upsert's `create` and `update`). */
function sealArgs(args: Record<string, unknown>, pattern: RegExp, seal: Transform): void {
  for (const key of ['data', 'create', 'update']) {
    const data = args[key] as Record<string, unknown> | Record<string, unknown>[] | undefined;
    if (!data || typeof data !== 'object') continue;
    for (const row of Array.isArray(data) ? data : [data])
      if (row.config !== undefined) row.config = mapSecrets(row.config, pattern, seal);
  }
}

/** Opens the `config` of every returned row (a row, a list of rows, or nothing). */
function openResult(result: unknown, pattern: RegExp, open: Transform): unknown {
  const fix = (row: unknown) => {
    if (row && typeof row === 'object' && 'config' in row)
      (row as { config: unknown }).config = mapSecrets((row as { config: unknown }).config, pattern, open);
  };
  if (Array.isArray(result)) result.forEach(fix);
  else fix(result);
  return result;
}

const WRITES = new Set([
  'create',
  'createMany',
  'createManyAndReturn',
  'update',
  'updateMany',
  'updateManyAndReturn',
  'upsert',
]);

/**
 * The client with secret fields sealed on write and opened on read. Without a box nothing is sealed (tools that
 * never hold secrets), and reading a sealed value fails with SECRET_KEY_MISSING rather than handing out ciphertext.
 */
export function withSecretFields(client: PrismaClient, box: SecretBox | undefined): PrismaClient {
  const open = opener(box);
  const seal: Transform = box ? (v) => box.seal(v) : (v) => v;
  const handler =
    (pattern: RegExp) =>
    async ({
      operation,
      args,
      query,
    }: {
      operation: string;
      args: unknown;
      query: (a: unknown) => Promise<unknown>;
    }) => {
      if (WRITES.has(operation) && args && typeof args === 'object')
        sealArgs(args as Record<string, unknown>, pattern, seal);
      return openResult(await query(args), pattern, open);
    };
  return client.$extends({
    query: {
      alertChannel: { $allOperations: handler(ALERT_CHANNEL_SECRET_KEY) },
      source: { $allOperations: handler(SOURCE_SECRET_KEY) },
    },
  }) as unknown as PrismaClient;
}

/**
 * Re-saves every alert channel's and source's config whose secrets are still plaintext (stored before encryption,
 * or while no key was set); the extension seals them. Returns how many rows changed. Idempotent.
 */
export async function sealStoredSecrets(client: PrismaClient): Promise<number> {
  const plainLeft = (config: unknown, pattern: RegExp) => {
    let plain = false;
    mapSecrets(config, pattern, (v) => {
      if (!isSealed(v)) plain = true;
      return v;
    });
    return plain;
  };
  let changed = 0;
  // Read raw rows: the extension would hide whether a value is sealed.
  const channels = await client.$queryRaw<{ id: number; config: unknown }[]>`SELECT id, config FROM "AlertChannel"`;
  for (const row of channels)
    if (plainLeft(row.config, ALERT_CHANNEL_SECRET_KEY)) {
      await client.alertChannel.update({ where: { id: row.id }, data: { config: row.config as object } });
      changed++;
    }
  const sources = await client.$queryRaw<{ id: number; config: unknown }[]>`SELECT id, config FROM "Source"`;
  for (const row of sources)
    if (plainLeft(row.config, SOURCE_SECRET_KEY)) {
      await client.source.update({ where: { id: row.id }, data: { config: row.config as object } });
      changed++;
    }
  return changed;
}

/**
 * The secret key: `configured` (YQ_SECRET_KEY, base64 32 bytes) when given, else the key file in the data folder,
 * generated (mode 0600) on first start like the embedded database's password. Every process of one installation
 * must use the same key: with several machines, set YQ_SECRET_KEY on all of them.
 */
export async function resolveSecretBox(configured: string | undefined, dataDir: string): Promise<SecretBox> {
  if (configured) return SecretBox.fromBase64(configured);
  const path = join(dataDir, SECRET_KEY_FILE);
  const read = async () => {
    try {
      const value = (await readFile(path, 'utf8')).trim();
      return value === '' ? undefined : value;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new NonRetryableError(
        'SECRET_KEY_UNREADABLE',
        `cannot read the secret key ${path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  };
  const existing = await read();
  if (existing) {
    await chmod(path, 0o600);
    return SecretBox.fromBase64(existing);
  }
  await mkdir(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting at once must not overwrite each other's key.
    await writeFile(path, `${SecretBox.generateKey()}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return SecretBox.fromBase64((await read()) ?? '');
}
