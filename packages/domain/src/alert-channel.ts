// Alert channels: where a hot-issue flag is pushed (企业微信 / 钉钉 / 飞书 group robots, any webhook, e-mail, an SMS
// gateway), each kind's
// config schema and the rule deciding which alerts a channel takes. Pure: packages/alerts builds and sends the
// requests, packages/db stores the channels, the CLI and the API validate with these schemas.
import { z } from 'zod';
import { NonRetryableError, zoneOffsetMinutes } from '@yuqing/core';
import { ISSUE_LEVEL_RANK, type IssueLevel } from './issue-rules.ts';
import { describeIssues, httpUrlSchema } from './source-config.ts';
import { channelTriggerSettingsShape } from './alert-triggers.ts';
import type { HotListAlertFacts } from './hot-list-triggers.ts';

/** Channel kinds, one request builder each in packages/alerts. */
export const ALERT_CHANNEL_KINDS = ['wecom', 'dingtalk', 'feishu', 'webhook', 'email', 'sms'] as const;
/** One of {@link ALERT_CHANNEL_KINDS}. */
export type AlertChannelKind = (typeof ALERT_CHANNEL_KINDS)[number];

/** Levels an alert can carry (a flag is never 未分级). */
export const ALERT_LEVELS = ['general', 'major', 'severe'] as const;
/** One of {@link ALERT_LEVELS}. */
export type AlertLevelCode = (typeof ALERT_LEVELS)[number];

const mobiles = z.array(
  z
    .string()
    .trim()
    .regex(/^\+?\d{5,15}$/, 'expected a mobile number such as 13800000000'),
);

/** Per kind: the config a channel needs. Secrets (signing keys) are part of the config and never printed. */
export const alertChannelConfigSchemas = {
  /** 企业微信 group robot: the webhook address with its key; markdown messages of at most 4,096 bytes. */
  wecom: z.object({ url: httpUrlSchema, mentionedMobiles: mobiles.optional() }).strict(),
  /** 钉钉 custom robot: webhook address with access_token; `secret` for 加签, `keyword` for the 自定义关键词 check. */
  dingtalk: z
    .object({
      url: httpUrlSchema,
      secret: z.string().trim().min(1).optional(),
      keyword: z.string().trim().min(1).max(20).optional(),
      atMobiles: mobiles.optional(),
    })
    .strict(),
  /** 飞书 custom bot: webhook address; `secret` for 签名校验. */
  feishu: z.object({ url: httpUrlSchema, secret: z.string().trim().min(1).optional() }).strict(),
  /**
   * Any URL: a JSON body built from `bodyTemplate` (placeholders such as `{{issue.title}}`, `{{issue.level}}`,
   * `{{issue.url}}`; the default body carries every field) and, with `hmacSecret`, an HMAC-SHA256 of the body.
   */
  webhook: z
    .object({
      url: httpUrlSchema,
      bodyTemplate: z.string().max(10_000).optional(),
      hmacSecret: z.string().min(1).optional(),
      hmacHeader: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]+$/, 'expected a header name')
        .default('X-Yuqing-Signature'),
    })
    .strict(),
  /** Instant alert mail to the addresses in `to`, sent through the digest's mailer (SMTP_URL, or the outbox). */
  email: z
    .object({
      to: z.array(z.email('expected an e-mail address such as duty@example.gov.cn')).min(1).max(50),
      /** Put before the subject, e.g. 【值班】. */
      subjectPrefix: z.string().trim().max(40).optional(),
    })
    .strict(),
  /**
   * A generic HTTP SMS gateway: `url` (for GET, a template too), `method`, extra `headers` (an API key …) and a
   * `bodyTemplate` with `{{mobile}}` and `{{text}}`; the alert is cut into parts of {@link SMS_PART_CHARS}
   * characters, one request per part and mobile.
   */
  sms: z
    .object({
      url: httpUrlSchema,
      method: z.enum(['POST', 'GET']).default('POST'),
      headers: z
        .record(
          z
            .string()
            .trim()
            .regex(/^[A-Za-z0-9-]+$/, 'expected a header name'),
          z.string().max(2000),
        )
        .default({}),
      bodyTemplate: z
        .string()
        .max(10_000)
        .refine((t) => t.includes('{{text}}'), 'expected a template containing {{text}}')
        .default('{"mobile":"{{mobile}}","content":"{{text}}"}'),
      /** How values go into the body: JSON-escaped, or URL-encoded for an `application/x-www-form-urlencoded` body. */
      bodyEncoding: z.enum(['json', 'form']).default('json'),
      mobiles: mobiles.min(1, 'expected at least one mobile number').max(50),
    })
    .strict()
    .refine((c) => c.method === 'POST' || c.url.includes('{{text}}'), {
      message: 'a GET gateway needs {{text}} in its URL',
      path: ['url'],
    }),
} as const satisfies Record<AlertChannelKind, z.ZodType>;

/** Characters per SMS part: one UCS-2 message holds 70 (Chinese text is sent as UCS-2). */
export const SMS_PART_CHARS = 70;

/** Channel kinds that are HTTP requests (every kind but e-mail). */
export type HttpAlertChannelKind = Exclude<AlertChannelKind, 'email'>;

/** Config of each kind, as parsed. */
export type AlertChannelConfig = { [K in AlertChannelKind]: z.output<(typeof alertChannelConfigSchemas)[K]> };

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time of day such as 22:00');

/** Which alerts a channel takes. */
export const alertChannelFilterSchema = z
  .object({
    /** Lowest level sent. */
    minLevel: z.enum(ALERT_LEVELS).default('general'),
    /** Categories sent (empty: all). */
    categories: z.array(z.string().trim().min(1)).default([]),
    /** Sent only when the issue's title or category contains one of them (empty: all). */
    keywords: z.array(z.string().trim().min(1)).default([]),
    /**
     * Quiet hours in the bureau's time zone (`22:00`–`07:00`; may wrap midnight): alerts below 重大 wait until they
     * end, 重大 goes out at once.
     */
    quietHours: z
      .object({ start: clockTime, end: clockTime })
      .strict()
      .refine((q) => q.start !== q.end, 'start and end must differ')
      .optional(),
    /** Trigger kinds, on-duty periods, office hours, alerts per minute (alert-triggers.ts). */
    ...channelTriggerSettingsShape,
  })
  .strict();

/** A channel as defined by an admin: name, kind, config, filter. */
export const alertChannelDefinitionSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    kind: z.enum(ALERT_CHANNEL_KINDS),
    enabled: z.boolean().default(true),
    config: z.record(z.string(), z.unknown()),
    filter: alertChannelFilterSchema.prefault({}),
  })
  .strict();

/** A validated channel definition. */
export interface AlertChannelDefinition<K extends AlertChannelKind = AlertChannelKind> {
  name: string;
  kind: K;
  enabled: boolean;
  config: AlertChannelConfig[K];
  filter: z.output<typeof alertChannelFilterSchema>;
}

/**
 * Validates a channel definition, the kind's config included; throws a non-retryable `ALERT_CHANNEL_INVALID` error
 * naming each bad field (`channel.config.url: expected an http(s) URL …`).
 */
export function parseAlertChannelDefinition(input: unknown): AlertChannelDefinition {
  const outer = alertChannelDefinitionSchema.safeParse(input);
  if (!outer.success) throw invalid(describeIssues(outer.error, 'channel'));
  const config = alertChannelConfigSchemas[outer.data.kind].safeParse(outer.data.config);
  if (!config.success) throw invalid(describeIssues(config.error, 'channel.config'));
  return { ...outer.data, config: config.data } as AlertChannelDefinition;
}

function invalid(details: string): NonRetryableError {
  // One line: the CLI and the API show the first line of an error.
  const fields = details
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return new NonRetryableError('ALERT_CHANNEL_INVALID', `invalid alert channel: ${fields.join('; ')}`);
}

/** What an alert tells: one issue crossing a level (or raised to a higher one). */
export interface IssueAlert {
  issueId: number;
  title: string;
  level: AlertLevelCode;
  /** The level before, when the issue was raised rather than newly flagged. */
  previousLevel?: IssueLevel | null;
  category: string;
  /** Why it was flagged, in Chinese (hotness against the baseline …). */
  reason: string;
  mentionCount: number;
  /** When the flag was raised. */
  at: Date;
  /** The issue page on the dashboard. */
  url: string;
  /** A resolved issue reopened by a new burst. */
  reopened?: boolean;
  /** The hot-list entry a `hotlist.entry` alert is about. */
  hotList?: HotListAlertFacts;
  /** The signed, expiring 已知悉 link of this delivery (no login needed); absent where no key is held. */
  ackUrl?: string;
}

/** True when `channel` takes `alert`: enabled, level at least its minimum, category and keywords matching. */
export function channelTakesAlert(
  channel: Pick<AlertChannelDefinition, 'enabled' | 'filter'>,
  alert: Pick<IssueAlert, 'level' | 'category' | 'title'>,
): boolean {
  if (!channel.enabled) return false;
  const { minLevel, categories, keywords } = channel.filter;
  if (ISSUE_LEVEL_RANK[alert.level] < ISSUE_LEVEL_RANK[minLevel]) return false;
  if (categories.length > 0 && !categories.includes(alert.category)) return false;
  if (keywords.length > 0 && !keywords.some((k) => alert.title.includes(k) || alert.category.includes(k))) return false;
  return true;
}

/** A channel's config with every secret (signing keys, the robot token in its address) masked, for showing. */
export function maskAlertChannelConfig(config: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries((config ?? {}) as Record<string, unknown>)) {
    if (/secret/i.test(key) && typeof value === 'string') out[key] = '******';
    // SMS gateway headers carry API keys and tokens.
    else if (key === 'headers' && value && typeof value === 'object')
      out[key] = Object.fromEntries(Object.keys(value).map((name) => [name, '******']));
    else if (key === 'url' && typeof value === 'string') out[key] = maskUrlToken(value);
    else out[key] = value;
  }
  return out;
}

/** Robot webhook addresses carry their credential in the query (key=, access_token=): show only its end. */
function maskUrlToken(url: string): string {
  try {
    const parsed = new URL(url);
    for (const [k, v] of parsed.searchParams)
      if (/key|token/i.test(k) && v.length > 4) parsed.searchParams.set(k, `…${v.slice(-4)}`);
    // Feishu carries the token in the path (/open-apis/bot/v2/hook/<token>).
    parsed.pathname = parsed.pathname.replace(/\/hook\/([^/]{5,})$/, (_all, t: string) => `/hook/…${t.slice(-4)}`);
    return parsed.toString();
  } catch {
    return url;
  }
}

const DAY_MINUTES = 24 * 60;

function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * How long an alert at `level` raised at `at` waits for the channel's quiet hours to end, in milliseconds: 0 outside
 * quiet hours, for 重大, and for channels without quiet hours. Quiet hours are read in `timeZone`.
 */
export function quietHoursDelayMs(
  filter: Pick<AlertChannelDefinition['filter'], 'quietHours'>,
  level: AlertLevelCode,
  at: Date,
  timeZone: string,
): number {
  const quiet = filter.quietHours;
  if (!quiet || level === 'severe') return 0;
  const localMs = at.getTime() + zoneOffsetMinutes(at, timeZone) * 60_000;
  const nowMinutes = (localMs / 60_000) % DAY_MINUTES;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  const inside = start < end ? nowMinutes >= start && nowMinutes < end : nowMinutes >= start || nowMinutes < end;
  if (!inside) return 0;
  const wait = (end - nowMinutes + DAY_MINUTES) % DAY_MINUTES;
  return Math.round(wait * 60_000);
}

/** A channel as stored (the database row's fields this module reads). */
export interface StoredAlertChannel {
  id: number;
  name: string;
  kind: string;
  enabled: boolean;
  config: unknown;
  filter: unknown;
  createdAt: Date;
}

/** A stored channel read back through the schemas (throws `ALERT_CHANNEL_INVALID` for a row edited into nonsense). */
export function alertChannelFromRow(row: Omit<StoredAlertChannel, 'id' | 'createdAt'>): AlertChannelDefinition {
  const { name, kind, enabled, config, filter } = row;
  return parseAlertChannelDefinition({ name, kind, enabled, config, filter });
}

/** A stored channel as people see it (the dashboard, `yq alert`): secrets masked. */
export function shownAlertChannel(row: StoredAlertChannel) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    enabled: row.enabled,
    config: maskAlertChannelConfig(row.config),
    filter: row.filter,
    createdAt: row.createdAt.toISOString(),
  };
}
