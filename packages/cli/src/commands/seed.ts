import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { loadRuntimeConfig } from '../app-config.ts';
import { seedAdmin, seedDemoSources } from '../seed-data.ts';

/** `yq seed [--demo-url URL]`: the admin account (password printed once) and, with a URL, the demo sources. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('seed', argv, { 'demo-url': { type: 'string' } });
  const config = loadRuntimeConfig();
  const database = await openCommandDatabase(config);
  try {
    const admin = await seedAdmin(database.db, config.adminPassword, config.adminEmail);
    process.stdout.write(
      admin.created
        ? `admin account created — username: ${admin.username}  password: ${admin.password}\n`
        : 'admin account exists\n',
    );
    if (values['demo-url']) {
      const sources = await seedDemoSources(database.db, values['demo-url']);
      process.stdout.write(`demo sources: ${sources.length}\n`);
    }
  } finally {
    await database.close();
  }
  return 0;
}
