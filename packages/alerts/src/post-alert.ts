import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NonRetryableError, RetryableError } from '@yuqing/core';
import { pinnedLookup, type UrlGuard } from '@yuqing/crawlers';
import type { AlertChannelKind } from '@yuqing/domain';
import type { AlertRequest } from './channel-requests.ts';

/** How long one delivery may take before it counts as failed (and is retried). */
export const ALERT_POST_TIMEOUT_MS = 10_000;
/** Most of a channel's answer kept for the delivery log. */
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What a channel answered. */
export interface AlertPostResult {
  status: number;
  /** The platform's own result code (errcode / code), when it sent one. */
  platformCode: number | null;
  message: string;
}

/**
 * Platform result codes after which a retry can help (rate limits, a busy system), from the robots' documentation:
 * 钉钉 130101 (发送速度太快而限流), 企业微信 45009 (接口调用超过限制) and -1 (系统繁忙), 飞书 11232 (频率限制).
 */
const RETRYABLE_PLATFORM_CODES = new Set([130101, 45009, 11232, -1]);

/**
 * Reads a channel's answer. 企业微信 and 钉钉 answer HTTP 200 with `{"errcode":0}` on success; 飞书 `{"code":0}`
 * (also `StatusCode` in old versions); a webhook any 2xx. Throws a retryable `ALERT_DELIVERY_FAILED` for 5xx, 429
 * and rate-limit codes, a non-retryable one for anything else (bad signature, unknown robot, 4xx).
 */
export function readChannelAnswer(kind: AlertChannelKind, status: number, body: string): AlertPostResult {
  let parsed: Record<string, unknown> | undefined;
  try {
    const value = JSON.parse(body) as unknown;
    if (value && typeof value === 'object') parsed = value as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  // A webhook or an SMS gateway: any 2xx is taken (gateways differ in how they word success).
  const generic = kind === 'webhook' || kind === 'sms';
  const codeValue = generic ? undefined : (parsed?.errcode ?? parsed?.code ?? parsed?.StatusCode);
  const platformCode = typeof codeValue === 'number' ? codeValue : null;
  const message = String(parsed?.errmsg ?? parsed?.msg ?? parsed?.StatusMessage ?? body.slice(0, 300));
  const ok = status >= 200 && status < 300 && (platformCode === null ? generic : platformCode === 0);
  const result = { status, platformCode, message };
  if (ok) return result;
  const details = { kind, status, platformCode, message };
  const summary = `${kind} answered HTTP ${status}${platformCode !== null ? ` code ${platformCode}` : ''}: ${message}`;
  if (status >= 500 || status === 429 || (platformCode !== null && RETRYABLE_PLATFORM_CODES.has(platformCode)))
    throw new RetryableError('ALERT_DELIVERY_FAILED', summary, { details });
  throw new NonRetryableError('ALERT_DELIVERY_FAILED', summary, { details });
}

/**
 * Sends an alert request (POST, or GET for a gateway that wants one) to the address the SSRF guard vetted (pinned, so DNS cannot be re-pointed between the
 * check and the connection), with a timeout; no redirects are followed. Network errors and timeouts are
 * retryable; a refused address is not.
 */
export async function postAlert(
  kind: AlertChannelKind,
  req: AlertRequest,
  guard: UrlGuard,
  timeoutMs = ALERT_POST_TIMEOUT_MS,
): Promise<AlertPostResult> {
  const vetted = await guard.vet(req.url);
  const url = vetted.url;
  const method = req.method ?? 'POST';
  const body = Buffer.from(method === 'GET' ? '' : req.body, 'utf8');
  const options: RequestOptions = {
    method,
    headers: {
      ...req.headers,
      ...(method === 'GET' ? {} : { 'content-length': String(body.length) }),
      'user-agent': 'Yuqing-alerts/0.1',
    },
    timeout: timeoutMs,
    ...(vetted.addresses.length > 0 ? { lookup: pinnedLookup(vetted.addresses) as RequestOptions['lookup'] } : {}),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = send(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_RESPONSE_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) =>
      reject(
        new RetryableError('ALERT_DELIVERY_FAILED', `${kind} could not be reached: ${error.message}`, {
          cause: error,
          details: { kind },
        }),
      ),
    );
    if (method === 'GET') request.end();
    else request.end(body);
  });
  return readChannelAnswer(kind, status, text);
}
