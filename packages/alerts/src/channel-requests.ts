import { createHmac } from 'node:crypto';
import type {
  AlertChannelConfig,
  AlertChannelDefinition,
  AlertChannelKind,
  HttpAlertChannelKind,
  IssueAlert,
} from '@yuqing/domain';
import { hotListPlatformLabel, LEVEL_LABELS, SMS_PART_CHARS } from '@yuqing/domain';
import { alertSmsText, alertText, cutKeepingTail, cutToBytes } from './alert-message.ts';

/** One HTTP request to a channel (POST unless said otherwise; a GET has no body). */
export interface AlertRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body: string;
}

/** The chat robots and the webhook: one POST each. */
type RobotKind = Exclude<AlertChannelKind, 'email' | 'sms'>;

/** Settings every request builder gets. */
export interface AlertRequestContext {
  /** Signing time (钉钉 and 飞书 check it is within an hour of theirs). */
  now: Date;
  /** Time zone of the times shown. */
  timeZone: string;
}

/** 企业微信 group robots refuse markdown content longer than this many bytes. */
export const WECOM_MAX_MARKDOWN_BYTES = 4096;
/** 钉钉 custom robots accept messages up to 20,000 bytes; kept well below. */
const DINGTALK_MAX_TEXT_BYTES = 18_000;

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/**
 * 钉钉 加签: base64(HMAC-SHA256(key = secret, data = `${timestamp}\n${secret}`)), timestamp in milliseconds; both go
 * into the webhook URL's query (the signature URL-encoded).
 */
export function dingtalkSignature(timestampMs: number, secret: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * 飞书 签名校验: base64(HMAC-SHA256(key = `${timestamp}\n${secret}`, data = empty)), timestamp in seconds; both go
 * into the JSON body.
 */
export function feishuSignature(timestampSeconds: number, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Hex HMAC-SHA256 of a webhook body, sent as `sha256=<hex>` so a receiver can check it came from Yuqing. */
export function webhookSignature(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Values a webhook body template can use, by placeholder name. */
export function templateValues(alert: IssueAlert, timeZone: string): Record<string, string | number> {
  const text = alertText(alert, timeZone);
  return {
    'issue.id': alert.issueId,
    'issue.title': alert.title,
    'issue.level': LEVEL_LABELS[alert.level],
    'issue.levelCode': alert.level,
    'issue.category': alert.category,
    'issue.reason': alert.reason,
    'issue.mentionCount': alert.mentionCount,
    'issue.url': alert.url,
    'alert.at': alert.at.toISOString(),
    'alert.title': text.title,
    'alert.text': text.text,
    // Always present (empty outside hot-list alerts) so that one template serves every trigger.
    'hotList.platform': alert.hotList?.platform ?? '',
    'hotList.platformName': alert.hotList ? hotListPlatformLabel(alert.hotList.platform) : '',
    'hotList.rank': alert.hotList?.rank ?? '',
    'hotList.heat': alert.hotList?.heat ?? '',
    'hotList.title': alert.hotList?.title ?? '',
    'hotList.band': alert.hotList?.band ?? '',
    'ack.url': alert.ackUrl ?? '',
  };
}

/**
 * Fills `{{name}}` placeholders of a JSON template; each value is inserted JSON-escaped (without its quotes) so a
 * title holding quotes or newlines cannot break the body. Unknown placeholders are an error naming them.
 */
export function renderBodyTemplate(template: string, values: Record<string, string | number>): string {
  const unknown: string[] = [];
  const body = template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_all, name: string) => {
    if (!(name in values)) {
      unknown.push(name);
      return '';
    }
    return JSON.stringify(String(values[name])).slice(1, -1);
  });
  if (unknown.length > 0) throw new Error(`unknown placeholders in the body template: ${unknown.join(', ')}`);
  JSON.parse(body);
  return body;
}

type Builder<K extends RobotKind> = (
  config: AlertChannelConfig[K],
  alert: IssueAlert,
  context: AlertRequestContext,
) => AlertRequest;

const builders: { [K in RobotKind]: Builder<K> } = {
  wecom(config, alert, { timeZone }) {
    const { markdown, ackMarkdown } = alertText(alert, timeZone);
    const mentions = (config.mentionedMobiles ?? []).map((m) => `<@${m}>`).join('');
    const full = mentions ? `${markdown}\n${mentions}` : markdown;
    // The 已知悉 link (and the @ tags after it) survive the cut; a shortened reason still reads.
    const tail = ackMarkdown && (mentions ? `${ackMarkdown}\n${mentions}` : ackMarkdown);
    const content = cutKeepingTail(full, tail, WECOM_MAX_MARKDOWN_BYTES);
    return {
      url: config.url,
      headers: JSON_HEADERS,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
    };
  },
  dingtalk(config, alert, { now, timeZone }) {
    const text = alertText(alert, timeZone);
    let markdown = text.markdown;
    // 自定义关键词: the robot drops messages that do not contain one of its keywords.
    if (config.keyword && !markdown.includes(config.keyword)) markdown += `\n\n${config.keyword}`;
    const atMobiles = config.atMobiles ?? [];
    if (atMobiles.length > 0) markdown += `\n\n${atMobiles.map((m) => `@${m}`).join(' ')}`;
    const url = new URL(config.url);
    if (config.secret) {
      const timestamp = now.getTime();
      url.searchParams.set('timestamp', String(timestamp));
      url.searchParams.set('sign', dingtalkSignature(timestamp, config.secret));
    }
    const body = {
      msgtype: 'markdown',
      markdown: { title: text.title, text: cutToBytes(markdown, DINGTALK_MAX_TEXT_BYTES) },
      at: { atMobiles, isAtAll: false },
    };
    return { url: url.toString(), headers: JSON_HEADERS, body: JSON.stringify(body) };
  },
  feishu(config, alert, { now, timeZone }) {
    const { text } = alertText(alert, timeZone);
    const signed: Record<string, string> = {};
    if (config.secret) {
      const timestamp = Math.floor(now.getTime() / 1000);
      signed.timestamp = String(timestamp);
      signed.sign = feishuSignature(timestamp, config.secret);
    }
    const body = { ...signed, msg_type: 'text', content: { text } };
    return { url: config.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
  },
  webhook(config, alert, { timeZone }) {
    const values = templateValues(alert, timeZone);
    const body = config.bodyTemplate
      ? renderBodyTemplate(config.bodyTemplate, values)
      : JSON.stringify({ event: 'issue.flagged', ...Object.fromEntries(Object.entries(values)) });
    const headers: Record<string, string> = { ...JSON_HEADERS };
    if (config.hmacSecret) headers[config.hmacHeader.toLowerCase()] = webhookSignature(body, config.hmacSecret);
    return { url: config.url, headers, body };
  },
};

/** The HTTP request that tells a robot or webhook `channel` about `alert` (SMS: {@link buildAlertRequests}). */
export function buildAlertRequest(
  channel: Pick<AlertChannelDefinition, 'kind' | 'config'>,
  alert: IssueAlert,
  context: AlertRequestContext,
): AlertRequest {
  if (channel.kind === 'email' || channel.kind === 'sms')
    throw new Error(`${channel.kind} channels are not a single HTTP request`);
  const build = builders[channel.kind] as Builder<RobotKind>;
  return build(channel.config as AlertChannelConfig[RobotKind], alert, context);
}

/** Every HTTP request that tells `channel` about `alert`: one for a robot or webhook, one per SMS part and mobile. */
export function buildAlertRequests(
  channel: Pick<AlertChannelDefinition<HttpAlertChannelKind>, 'kind' | 'config'>,
  alert: IssueAlert,
  context: AlertRequestContext,
): AlertRequest[] {
  if (channel.kind === 'sms') return buildSmsRequests(channel.config as AlertChannelConfig['sms'], alert, context);
  return [buildAlertRequest(channel, alert, context)];
}

/**
 * Cuts an SMS text into parts of at most `maxChars` characters (code points, so no character is split), numbered
 * `(1/3)` when there are several, the number counted in the part's length.
 */
export function smsParts(text: string, maxChars = SMS_PART_CHARS): string[] {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return [text];
  // The "(i/n)" prefix takes room from every part; n is found by trying (it has at most a few digits).
  for (let n = 2; ; n++) {
    const room = maxChars - `(${n}/${n})`.length;
    if (Math.ceil(chars.length / room) > n) continue;
    const parts: string[] = [];
    for (let i = 0; i * room < chars.length; i++)
      parts.push(`(${i + 1}/${n})${chars.slice(i * room, (i + 1) * room).join('')}`);
    return parts.map((p) => p.replace(`/${n})`, `/${parts.length})`));
  }
}

/**
 * The requests of a generic SMS gateway: per mobile and part, the body template (or, for GET, the URL) filled with
 * `{{mobile}}` and `{{text}}`, JSON-escaped for a JSON body and URL-encoded for a form body or a URL.
 */
export function buildSmsRequests(
  config: AlertChannelConfig['sms'],
  alert: IssueAlert,
  { timeZone }: AlertRequestContext,
): AlertRequest[] {
  const parts = smsParts(alertSmsText(alert, timeZone));
  // The 已知悉 link goes whole in a part of its own: cut across two parts, no phone would open it.
  if (alert.ackUrl) parts.push(`已知悉请点 ${alert.ackUrl}`);
  const requests: AlertRequest[] = [];
  const contentType =
    config.bodyEncoding === 'form' ? 'application/x-www-form-urlencoded; charset=utf-8' : JSON_HEADERS['content-type'];
  for (const mobile of config.mobiles)
    for (const text of parts) {
      const values = { mobile, text };
      if (config.method === 'GET') {
        const url = fillTemplate(config.url, values, encodeURIComponent);
        requests.push({ url, method: 'GET', headers: { ...config.headers }, body: '' });
        continue;
      }
      const body =
        config.bodyEncoding === 'form'
          ? fillTemplate(config.bodyTemplate, values, encodeURIComponent)
          : renderBodyTemplate(config.bodyTemplate, values);
      requests.push({
        url: config.url,
        method: 'POST',
        headers: { 'content-type': contentType, ...config.headers },
        body,
      });
    }
  return requests;
}

function fillTemplate(template: string, values: Record<string, string>, encode: (value: string) => string): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, name: string) =>
    name in values ? encode(values[name]!) : all,
  );
}
