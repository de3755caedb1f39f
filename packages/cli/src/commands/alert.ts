import { NonRetryableError } from '@yuqing/core';
import {
  ALERT_CHANNEL_KINDS,
  LEVEL_LABELS,
  shownAlertChannel,
  parseAlertChannelDefinition,
  type AlertLevelCode,
} from '@yuqing/domain';
import type { AuditActor } from '@yuqing/db';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';

/** Shown with usage errors: the same text as `yq alert --help`. */
const USAGE = `${COMMAND_HELP.alert.usage}\n`;

const CLI_ACTOR: AuditActor = { actorId: null, ip: 'cli' };

/** Accepts 一般 / 较大 / 重大 or general / major / severe. */
function parseLevel(value: string | undefined, flag = '--min-level'): AlertLevelCode | undefined {
  if (value === undefined) return undefined;
  const byLabel = Object.entries(LEVEL_LABELS).find(([, label]) => label === value)?.[0];
  const code = byLabel ?? value;
  if (code === 'general' || code === 'major' || code === 'severe') return code;
  throw new NonRetryableError('USAGE', `yq alert: ${flag} must be 一般, 较大 or 重大 (got ${value})`);
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(/[,，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * `yq alert channel add|list|remove`, `yq alert test`, `yq alert deliveries`, `yq alert ack ID`,
 * `yq alert escalation set|list|remove`.
 */
export async function run(argv: string[]): Promise<number> {
  const [first, second, ...rest] = argv;
  const grouped = first === 'channel' || first === 'escalation';
  const action = grouped ? `${first} ${second ?? ''}`.trim() : (first ?? '');
  const valid = [
    'channel add',
    'channel list',
    'channel remove',
    'test',
    'deliveries',
    'ack',
    'escalation set',
    'escalation list',
    'escalation remove',
  ];
  if (!valid.includes(action) || argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(USAGE);
    return argv.includes('--help') || argv.includes('-h') ? 0 : 2;
  }
  const flags = grouped ? rest : [second, ...rest].filter((x): x is string => x !== undefined);
  const { values, positionals } = parseFlags(
    `alert ${action}`,
    flags,
    {
      kind: { type: 'string' },
      url: { type: 'string' },
      name: { type: 'string' },
      'min-level': { type: 'string' },
      to: { type: 'string' },
      mobiles: { type: 'string' },
      method: { type: 'string' },
      header: { type: 'string', multiple: true },
      'body-encoding': { type: 'string' },
      secret: { type: 'string' },
      keyword: { type: 'string' },
      'at-mobiles': { type: 'string' },
      'body-template': { type: 'string' },
      'hmac-secret': { type: 'string' },
      categories: { type: 'string' },
      keywords: { type: 'string' },
      disabled: { type: 'boolean' },
      'quiet-hours': { type: 'string' },
      triggers: { type: 'string' },
      'on-duty': { type: 'string' },
      'office-hours': { type: 'string' },
      'per-minute': { type: 'string' },
      id: { type: 'string' },
      channel: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      level: { type: 'string' },
      'after-minutes': { type: 'string' },
    },
    // `yq alert ack ID` and `yq alert escalation remove ID` name their row without a flag.
    action === 'ack' || action === 'escalation remove' || action === 'channel remove',
  );
  if (positionals.length > 1) throw new NonRetryableError('USAGE', `yq alert ${action}: one id, please`);
  const idArg = positionals[0] ?? values.id;
  const config = loadCommandConfig();
  const db = await import('@yuqing/db');
  const database = await openCommandDatabase(config);
  try {
    const handle = database.db;
    if (action === 'channel add') {
      const kind = values.kind ?? '';
      if (!(ALERT_CHANNEL_KINDS as readonly string[]).includes(kind))
        throw new NonRetryableError(
          'USAGE',
          `yq alert channel add: --kind must be one of ${ALERT_CHANNEL_KINDS.join(', ')}`,
        );
      const channelConfig: Record<string, unknown> = kind === 'email' ? {} : { url: values.url };
      // E-mail: --to addresses; SMS gateway: --mobiles, --method, --header 'Name: value', --body-encoding.
      if (values.to !== undefined) channelConfig.to = list(values.to);
      if (values.mobiles !== undefined) channelConfig.mobiles = list(values.mobiles);
      if (values.method !== undefined) channelConfig.method = values.method.toUpperCase();
      if (values['body-encoding'] !== undefined) channelConfig.bodyEncoding = values['body-encoding'];
      if (values.header !== undefined)
        channelConfig.headers = Object.fromEntries(
          values.header.map((h) => [h.slice(0, h.indexOf(':')).trim(), h.slice(h.indexOf(':') + 1).trim()]),
        );
      if (values.secret !== undefined) channelConfig.secret = values.secret;
      if (values.keyword !== undefined) channelConfig.keyword = values.keyword;
      if (values['at-mobiles'] !== undefined)
        channelConfig[kind === 'wecom' ? 'mentionedMobiles' : 'atMobiles'] = list(values['at-mobiles']);
      if (values['body-template'] !== undefined) channelConfig.bodyTemplate = values['body-template'];
      if (values['hmac-secret'] !== undefined) channelConfig.hmacSecret = values['hmac-secret'];
      const minLevel = parseLevel(values['min-level']) ?? 'general';
      const definition = parseAlertChannelDefinition({
        name: values.name?.trim() || defaultChannelName(kind, values.url),
        kind,
        enabled: !values.disabled,
        config: channelConfig,
        filter: {
          minLevel,
          categories: list(values.categories) ?? [],
          keywords: list(values.keywords) ?? [],
          ...(values['quiet-hours'] ? { quietHours: quietHours(values['quiet-hours']) } : {}),
          // Trigger kinds (shorthands such as deadline expand), on-duty periods, office hours and the per-minute
          // limit: the domain's schema checks them and names the bad field.
          ...(values.triggers !== undefined ? { triggers: list(values.triggers) } : {}),
          ...(values['on-duty'] !== undefined ? { onDuty: list(values['on-duty']) } : {}),
          ...(values['office-hours'] ? { officeHours: timeRange(values['office-hours'], '--office-hours') } : {}),
          ...(values['per-minute'] !== undefined ? { perMinute: Number(values['per-minute']) } : {}),
        },
      });
      const row = await db.createAlertChannel(handle, definition, CLI_ACTOR);
      process.stdout.write(`${JSON.stringify(shownAlertChannel(row))}\n`);
      return 0;
    }
    if (action === 'channel list') {
      const rows = await db.listAlertChannels(handle);
      if (values.json) process.stdout.write(`${JSON.stringify(rows.map(shownAlertChannel))}\n`);
      else
        for (const r of rows) {
          const filter = r.filter as { minLevel?: AlertLevelCode };
          process.stdout.write(
            `${String(r.id).padStart(4)}  ${r.kind.padEnd(9)} ${r.enabled ? '启用' : '停用'}  ≥${LEVEL_LABELS[filter.minLevel ?? 'general']}  ${r.name}\n`,
          );
        }
      return 0;
    }
    if (action === 'channel remove') {
      await db.removeAlertChannel(handle, positive(idArg, '--id'), CLI_ACTOR);
      process.stderr.write(`removed alert channel ${idArg}\n`);
      return 0;
    }
    if (action === 'ack') {
      const result = await db.acknowledgeAlertDelivery(handle, positive(idArg, 'ID'), {
        via: 'cli',
        at: new Date(),
        actor: CLI_ACTOR,
      });
      process.stdout.write(`${JSON.stringify({ outcome: result.outcome, ...result.state })}\n`);
      return 0;
    }
    if (action === 'escalation set') {
      const { escalationRuleInputSchema } = await import('@yuqing/domain');
      const level = values.level === undefined ? undefined : parseLevel(values.level, '--level');
      const input = escalationRuleInputSchema.safeParse({
        channelId: positive(values.channel, '--channel'),
        toChannelId: positive(values.to, '--to'),
        ...(level ? { level } : {}),
        ...(values['after-minutes'] !== undefined ? { afterMinutes: Number(values['after-minutes']) } : {}),
      });
      if (!input.success) {
        const issue = input.error.issues[0];
        const flag = { toChannelId: '--to', afterMinutes: '--after-minutes' }[String(issue?.path[0])] ?? '';
        throw new NonRetryableError('USAGE', `yq alert escalation set: ${flag} ${issue?.message ?? ''}`.trim());
      }
      const rule = await db.setEscalationRule(handle, input.data, CLI_ACTOR);
      process.stdout.write(`${JSON.stringify(rule)}\n`);
      return 0;
    }
    if (action === 'escalation list') {
      const { parseAckMinutes } = await import('@yuqing/domain');
      const defaults = parseAckMinutes(config.alertAckMinutes);
      const rows = await db.listEscalationRules(handle);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ items: rows, defaults })}\n`);
        return 0;
      }
      for (const r of rows) {
        const level = r.level === null || r.level === 'none' ? '全部级别' : LEVEL_LABELS[r.level];
        const after = r.afterMinutes === null ? '默认分钟数' : `${r.afterMinutes} 分钟`;
        process.stdout.write(
          `${String(r.id).padStart(4)}  ${r.channel.name}（#${r.channelId}） ${level} 未确认 ${after} → ${r.toChannel.name}（#${r.toChannelId}）\n`,
        );
      }
      return 0;
    }
    if (action === 'escalation remove') {
      await db.removeEscalationRule(handle, positive(idArg, 'ID'), CLI_ACTOR);
      process.stderr.write(`removed escalation rule ${idArg}\n`);
      return 0;
    }
    if (action === 'deliveries') {
      const rows = await db.listAlertDeliveries(handle, {
        limit: values.limit ? positive(values.limit, '--limit') : 50,
      });
      for (const d of rows)
        process.stdout.write(
          `${d.createdAt.toISOString()}  ${d.channel.name}  ${d.trigger}  issue ${d.issueId ?? '—'}  ${LEVEL_LABELS[d.level]}  ${d.status}  attempts ${d.attempts}${d.acknowledgedAt ? `  已知悉 ${d.acknowledgedAt.toISOString()} (${d.acknowledgedBy?.displayName ?? d.acknowledgedVia})` : ''}${d.error ? `  ${d.error}` : ''}\n`,
        );
      return 0;
    }
    const { sendTestAlert } = await import('@yuqing/alerts');
    const mailer = (await import('@yuqing/digest')).createDigestMailer(config);
    const sent = await sendTestAlert({ db: handle, config, mailer }, positive(values.channel, '--channel')).finally(
      () => mailer.close(),
    );
    process.stdout.write(
      `${JSON.stringify({ sent: true, deliveryId: sent.deliveryId, httpStatus: sent.status, platformCode: sent.platformCode })}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

/** `22:00-07:00` → { start, end } (the domain's schema checks the times). */
function quietHours(value: string): { start: string; end: string } {
  return timeRange(value, '--quiet-hours');
}

/** `08:30-17:30` → { start, end } for `flag` (the domain's schema checks the times). */
function timeRange(value: string, flag: string): { start: string; end: string } {
  const [start, end] = value.split(/[-–~～]/).map((s) => s.trim());
  if (!start || !end) throw new NonRetryableError('USAGE', `yq alert: ${flag} expects a range such as 22:00-07:00`);
  return { start, end };
}

/** `dingtalk-oapi.dingtalk.com`, or the kind alone when the URL is unreadable (validation names it next). */
function defaultChannelName(kind: string, url: string | undefined): string {
  try {
    return `${kind}-${new URL(url ?? '').hostname}`;
  } catch {
    return kind;
  }
}

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new NonRetryableError('USAGE', `yq alert: ${flag} expects a positive number`);
  return n;
}
