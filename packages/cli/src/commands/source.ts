import { NonRetryableError } from '@yuqing/core';
import {
  buildSourceFromPreset,
  maskSourceConfig,
  sourcePresetCatalog,
  sourceRowFromDefinition,
  type SourceDefinition,
} from '@yuqing/domain';
import type { AuditActor } from '@yuqing/db';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

/** Shown with usage errors: the same text as `yq source --help`. */
const USAGE = `${COMMAND_HELP.source.usage}\n`;

const CLI_ACTOR: AuditActor = { actorId: null, ip: 'cli' };

/** `--param key=value` flags as a record; a value may itself contain `=` (a cookie does). */
export function parsePresetParams(flags: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) throw new NonRetryableError('USAGE', `yq source add: --param expects key=value (got ${flag})`);
    params[flag.slice(0, at).trim()] = flag.slice(at + 1);
  }
  return params;
}

/** `yq source presets`, `yq source add --preset NAME --param k=v …`, `yq source add --file src.json`. */
export async function run(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if ((action !== 'presets' && action !== 'add') || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const { values } = parseFlags(`source ${action}`, rest, {
    preset: { type: 'string' },
    param: { type: 'string', multiple: true },
    file: { type: 'string' },
    name: { type: 'string' },
    region: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (action === 'presets') {
    const catalog = sourcePresetCatalog();
    if (values.json) process.stdout.write(`${JSON.stringify(catalog)}\n`);
    else
      for (const preset of catalog) {
        process.stdout.write(`${preset.name}  ${preset.label}\n  ${preset.description}\n`);
        for (const p of preset.params)
          process.stdout.write(
            `  --param ${p.key}=…  ${p.label}${p.required ? '（必填）' : ''}${p.choices ? `：${p.choices.map((c) => c.value).join(' | ')}` : ''}${p.example ? `  例：${p.example}` : ''}\n`,
          );
      }
    return 0;
  }
  if (Boolean(values.preset) === Boolean(values.file))
    throw new NonRetryableError('USAGE', 'yq source add: give either --preset NAME (with --param key=value) or --file');
  let definitions: SourceDefinition[];
  if (values.preset) {
    const built = buildSourceFromPreset(values.preset, parsePresetParams(values.param ?? []));
    definitions = [
      {
        ...built,
        ...(values.name ? { name: values.name.trim() } : {}),
        ...(values.region ? { region: values.region.trim() } : {}),
      },
    ];
  } else {
    const { loadSourceFile } = await import('@yuqing/pipeline');
    definitions = await loadSourceFile(values.file!);
  }
  const rows = definitions.map(sourceRowFromDefinition);
  if (values['dry-run']) {
    const shown = rows.map((r) => ({ ...r, config: maskSourceConfig(r.config) }));
    process.stdout.write(`${JSON.stringify(values.preset ? shown[0] : shown)}\n`);
    return 0;
  }
  const config = loadCommandConfig();
  const db = await import('@yuqing/db');
  const database = await openCommandDatabase(config);
  try {
    const created = [];
    for (const row of rows) {
      const source = await db.createSourceAudited(database.db, row, CLI_ACTOR);
      created.push({ ...source, config: maskSourceConfig(source.config) });
    }
    process.stdout.write(`${JSON.stringify(values.preset ? created[0] : created)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}
