import { createHmac } from 'node:crypto';
import type { AlertChannelConfig, AlertChannelDefinition, AlertChannelKind, IssueAlert } from '@yuqing/domain';
import { LEVEL_LABELS } from '@yuqing/domain';
import { alertText, cutToBytes } from './alert-message.ts';

/** One HTTP POST to a channel. */
export interface AlertRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

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

type Builder<K extends AlertChannelKind> = (
  config: AlertChannelConfig[K],
  alert: IssueAlert,
  context: AlertRequestContext,
) => AlertRequest;

const builders: { [K in AlertChannelKind]: Builder<K> } = {
  wecom(config, alert, { timeZone }) {
    const { markdown } = alertText(alert, timeZone);
    const mentions = (config.mentionedMobiles ?? []).map((m) => `<@${m}>`).join('');
    const content = cutToBytes(mentions ? `${markdown}\n${mentions}` : markdown, WECOM_MAX_MARKDOWN_BYTES);
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

/** The HTTP request that tells `channel` about `alert`. */
export function buildAlertRequest(
  channel: Pick<AlertChannelDefinition, 'kind' | 'config'>,
  alert: IssueAlert,
  context: AlertRequestContext,
): AlertRequest {
  const build = builders[channel.kind] as Builder<AlertChannelKind>;
  return build(channel.config, alert, context);
}
