import { loadConfig } from '@yuqing/core';
import {
  applyMigrations,
  createMigration,
  MIGRATIONS_DIR,
  openEmbeddedServer,
  probeDatabase,
  readMigrationList,
  SCHEMA_PATH,
} from '@yuqing/db';
import { parseFlags } from '../command.ts';

/** `yq db migrate` | `yq db migration <name>` | `yq db status` */
export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseFlags('db', argv, {}, true);
  const [action, name] = positionals;
  const config = loadConfig(process.env);
  if (action === 'migration') {
    if (!name) {
      process.stderr.write('usage: yq db migration <name>   (pnpm db:migration <name>)\n');
      return 2;
    }
    const created = await createMigration({ name, schemaPath: SCHEMA_PATH, migrationsDir: MIGRATIONS_DIR });
    process.stdout.write(
      created
        ? `created prisma/migrations/${created.name}/migration.sql\n`
        : 'schema.prisma and the migrations agree: nothing to create\n',
    );
    return 0;
  }
  if (action === 'migrate' || action === 'status') {
    const embedded = config.databaseUrl ? undefined : await openEmbeddedServer(config.dataDir);
    const url = config.databaseUrl ?? embedded!.url;
    try {
      await probeDatabase(url, embedded ? 'embedded database' : 'DATABASE_URL');
      if (action === 'status') {
        const list = await readMigrationList(MIGRATIONS_DIR);
        process.stdout.write(`${list.migrationDirectories.length} migrations in prisma/migrations\n`);
        return 0;
      }
      const applied = await applyMigrations(url, MIGRATIONS_DIR);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      return 0;
    } finally {
      await embedded?.close();
    }
  }
  process.stderr.write('usage: yq db migrate | yq db migration <name> | yq db status\n');
  return 2;
}
