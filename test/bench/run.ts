// `pnpm bench <name> [args]` runs test/bench/<name>.ts; `pnpm bench` alone lists them.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: pnpm bench <${available.join('|')}> [options]\n`);
  process.exit(name ? 2 : 0);
}
process.argv = [process.argv[0]!, `${here}${name}.ts`, ...rest];
process.env.DOTENV_CONFIG_QUIET ??= 'true';
await import(pathToFileURL(`${here}${name}.ts`).href);
