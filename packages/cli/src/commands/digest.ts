// `yq digest`: builds one day's digest from the database, prints a summary, and optionally writes the
// .docx briefing, saves the e-mail as .eml or sends it to one address. `yq digest subscription` shows and sets
// a user's subscription, including which scheduled reports (周报/月报/季报/年报) they receive.
import { dateInZone, NonRetryableError } from '@yuqing/core';
import type { AuditActor } from '@yuqing/db';
import type { DigestContent } from '@yuqing/digest';
import { loadCommandConfig } from '../app-config.ts';
import { openCommandDatabase } from '../command-database.ts';
import { parseFlags } from '../command.ts';
import { ADDRESS_PATTERN, saveAndSendMail, writeOutput } from '../mail-output.ts';

function summary(
  content: DigestContent,
  chineseDate: (date: string) => string,
  describeChange: (f: DigestContent['headline']['mentions']) => string,
): string {
  const h = content.headline;
  const lines = [`舆情日报 ${content.serial} ${chineseDate(content.date)}`];
  if (content.isEmpty) {
    lines.push(`${content.date}：当日没有新的舆情——没有监测到信息，没有新增或升级的热点，没有发布回应。`);
  } else {
    const share = h.negativeShare.value === null ? '无相关信息' : `${h.negativeShare.value}%`;
    lines.push(
      `信息 ${h.mentions.value} 条（较前日 ${describeChange(h.mentions)}），相关 ${h.relevant.value} 条，负面占比 ${share}`,
    );
    lines.push(content.issues.length === 0 ? '热点：当日无新增或升级的热点' : `热点 ${content.issues.length} 起：`);
    for (const i of content.issues) lines.push(`  [${i.levelLabel}] ${i.title}（热度 ${i.hotness}）${i.url}`);
    lines.push(`已发布回应 ${content.published.length} 次`);
  }
  const overdue = content.pending.filter((p) => p.overdue).length;
  lines.push(`待回应事项 ${content.pending.length} 项${overdue ? `，其中已超期 ${overdue} 项` : ''}`);
  return `${lines.join('\n')}\n`;
}

/** Changes made from the CLI are audited with no actor and this marker as the address. */
const CLI_ACTOR: AuditActor = { actorId: null, ip: 'cli' };

/** Words `--reports` accepts besides the kinds themselves. */
const NO_REPORTS = 'none';

/**
 * `yq digest subscription --user U [--enable|--disable] [--reports week,month,quarter,year|none] [--json]`: shows a
 * user's digest subscription and which scheduled reports (周报/月报/季报/年报) they receive, and changes them (audited,
 * like the dashboard's form). Without a change it only prints.
 */
async function subscription(argv: string[]): Promise<number> {
  const { values } = parseFlags('digest subscription', argv, {
    user: { type: 'string' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
    reports: { type: 'string' },
    json: { type: 'boolean' },
  });
  const who = values.user?.trim();
  if (!who) throw new NonRetryableError('USAGE', 'yq digest subscription: --user EMAIL-OR-NAME is required');
  if (values.enable && values.disable)
    throw new NonRetryableError('USAGE', 'yq digest subscription: give --enable or --disable, not both');
  const config = loadCommandConfig();
  const { findDigestRecipient, findUserByEmailOrUsername, saveDigestSubscriptionAudited } = await import('@yuqing/db');
  const { effectiveSubscription, SENT_LEDGER_KIND_NAMES, subscriptionInputSchema } = await import('@yuqing/digest');
  const change: Record<string, unknown> = {};
  if (values.enable || values.disable) change.enabled = values.enable === true;
  if (values.reports !== undefined) {
    const list = values.reports
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean);
    change.reportKinds = list.length === 1 && list[0] === NO_REPORTS ? [] : list;
  }
  const parsed = subscriptionInputSchema.safeParse(change);
  if (!parsed.success)
    throw new NonRetryableError(
      'USAGE',
      `yq digest subscription: --reports expects week,month,quarter,year (any of them) or ${NO_REPORTS}, got ${JSON.stringify(values.reports)}`,
    );
  const database = await openCommandDatabase(config);
  try {
    const { db } = database;
    const user = await findUserByEmailOrUsername(db, who);
    if (!user) throw new NonRetryableError('USER_NOT_FOUND', `no user with e-mail or name ${who}`);
    const recipient = await findDigestRecipient(db, user.id);
    if (!recipient) throw new NonRetryableError('USER_NOT_FOUND', `no user with e-mail or name ${who}`);
    let current = effectiveSubscription(recipient.subscription, recipient.user.role);
    const fields = Object.keys(parsed.data);
    if (fields.length > 0) {
      // The first save starts from the defaults in force (a leader's "everything"), as the dashboard's form does.
      const saved = await saveDigestSubscriptionAudited(
        db,
        user.id,
        {
          enabled: parsed.data.enabled ?? current.enabled,
          sendTime: current.sendTime,
          categories: current.categories,
          minLevel: current.minLevel,
          attachDocx: current.attachDocx,
          reportKinds: parsed.data.reportKinds ?? current.reportKinds,
        },
        fields,
        CLI_ACTOR,
      );
      current = effectiveSubscription(saved, recipient.user.role);
    }
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ user: recipient.user.username, subscription: current })}\n`);
      return 0;
    }
    const reports = current.reportKinds.map((k) => SENT_LEDGER_KIND_NAMES[k]).join('、') || '无';
    process.stdout.write(
      `${recipient.user.displayName}（${recipient.user.username}）：${current.enabled ? '已订阅' : '未订阅'}舆情日报，` +
        `${current.sendTime} 发送；定期报告：${reports}${current.isDefault ? '（默认设置）' : ''}` +
        `${recipient.user.email ? '' : '；没有登记邮箱，邮件无法送达'}\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

/**
 * `yq digest --date YYYY-MM-DD [--to address] [--dry-run --out file.eml] [--docx file.docx]`, or
 * `yq digest subscription …`.
 */
export async function run(argv: string[]): Promise<number> {
  if (argv[0] === 'subscription') return subscription(argv.slice(1));
  const { values } = parseFlags('digest', argv, {
    date: { type: 'string' },
    to: { type: 'string' },
    'dry-run': { type: 'boolean' },
    out: { type: 'string' },
    docx: { type: 'string' },
  });
  const config = loadCommandConfig();
  const { addDays, chineseDate, composeDigestMessage, describeChange, digestMessageId, isCalendarDate, prepareDigest } =
    await import('@yuqing/digest');
  const today = dateInZone(new Date(), config.timeZone);
  const date = values.date ?? addDays(today, -1);
  if (!isCalendarDate(date))
    throw new NonRetryableError(
      'USAGE',
      `yq digest: --date expects a calendar date as YYYY-MM-DD, got ${JSON.stringify(date)}`,
    );
  if (date > today)
    throw new NonRetryableError(
      'USAGE',
      `yq digest: ${date} is in the future (today is ${today} in ${config.timeZone})`,
    );
  if (values.to !== undefined && !ADDRESS_PATTERN.test(values.to))
    throw new NonRetryableError('USAGE', `yq digest: --to expects an e-mail address, got ${JSON.stringify(values.to)}`);
  const dryRun = values['dry-run'] === true;
  if (dryRun && values.to === undefined && values.out === undefined && values.docx === undefined) {
    process.stderr.write('yq digest: --dry-run sends nothing; add --out file.eml to save the message\n');
  }

  const database = await openCommandDatabase(config);
  try {
    const wantsMessage = values.out !== undefined || (values.to !== undefined && !dryRun);
    const prepared = await prepareDigest(database.db, config, {
      date,
      withDocx: values.docx !== undefined || wantsMessage,
    });
    process.stdout.write(summary(prepared.content, chineseDate, describeChange));
    if (values.docx !== undefined && prepared.docx) {
      process.stdout.write(`已写入 Word 日报：${await writeOutput(values.docx, prepared.docx)}\n`);
    }
    if (!wantsMessage) {
      if (!dryRun && values.to === undefined)
        process.stdout.write('未发送邮件（用 --to 地址 发送，或 --dry-run --out 文件.eml 保存）。\n');
      return 0;
    }
    const to = { name: values.to ?? '舆情日报收件人', address: values.to ?? 'recipient@example.invalid' };
    const message = composeDigestMessage({
      content: prepared.content,
      rendered: prepared.rendered,
      chartPng: prepared.chartPng,
      docx: prepared.docx,
      from: config.mailFrom,
      to,
      messageId: digestMessageId(config.publicUrl, date, `cli${Date.now().toString(36)}`),
    });
    await saveAndSendMail({
      message,
      out: values.out,
      to: values.to,
      dryRun,
      config,
      fileStem: `digest-${date}-cli-${Date.now()}`,
    });
    return 0;
  } finally {
    await database.close();
  }
}
