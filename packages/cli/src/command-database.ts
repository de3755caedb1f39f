import type { AppConfig } from '@yuqing/core';
import type { Database } from '@yuqing/db';

/** How a command opens the database; everything else comes from the configuration. */
export interface CommandDatabaseOptions {
  /** Connections in the pool. @defaultValue 2: a command does one thing at a time */
  poolSize?: number;
}

/**
 * Opens the configured database for a command, with the same secret key as the running system.
 *
 * Every command goes through here so that none can forget `YQ_SECRET_KEY`: a command that opened the database
 * without it sealed secrets (a source's login cookie) with the data folder's key instead, which the running system,
 * started with `YQ_SECRET_KEY`, could not open. `@yuqing/db` is loaded here, after the caller configured logging,
 * because it creates its loggers when first imported.
 */
export async function openCommandDatabase(config: AppConfig, options: CommandDatabaseOptions = {}): Promise<Database> {
  const { openDatabase } = await import('@yuqing/db');
  return openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    secretKey: config.secretKey,
    poolSize: options.poolSize ?? 2,
  });
}
