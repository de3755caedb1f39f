// Whole-system alert runs (test/alert-system.test.ts, `pnpm bench alerts`) and the alert end-to-end tests: a
// loopback webhook receiver that keeps every request it got, and planted bursts sent to the ingest queue one post
// per job, as a crawler's sink does.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAlertChannel, type Db } from '@yuqing/db';
import { parseAlertChannelDefinition, type RawMention } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { sqlRows, type SqlTarget } from '@yuqing/testkit';
import { expect } from 'vitest';
import { waitUntil } from './net.ts';

/** The body template the whole-system runs give their webhook channel: the receiver reads the issue id from it. */
export const RECEIVER_BODY_TEMPLATE =
  '{"issueId":"{{issue.id}}","level":"{{issue.level}}","title":"{{issue.title}}","url":"{{issue.url}}"}';

/** One alert as the receiver got it, read from a body sent with {@link RECEIVER_BODY_TEMPLATE}. */
export interface ReceivedAlert {
  issueId: number;
  level: string;
  title: string;
  url: string;
  /** Wall-clock arrival (ms). */
  arrivedAt: number;
}

/** One request as the receiver got it: whatever template the channel used, its JSON body parsed. */
export interface ReceivedRequest<Body = Record<string, unknown>> {
  method: string;
  /** Path and query as sent (`/hooks/duty`): tests give each channel its own path to tell them apart. */
  path: string;
  headers: IncomingHttpHeaders;
  body: Body;
  /** Wall-clock arrival (ms). */
  arrivedAt: number;
}

/**
 * A loopback webhook answering 200 to every request with a JSON body (400 to any other), keeping what came in
 * arrival order.
 */
export interface WebhookReceiver<Body = Record<string, unknown>> {
  /** `http://127.0.0.1:port/hooks/yuqing`, for a single channel. */
  url: string;
  /** `http://127.0.0.1:port`, to give several channels paths of their own. */
  base: string;
  /** `host:port`, for YQ_ALLOWED_PRIVATE_HOSTS. */
  host: string;
  /** Every request with a JSON body, as sent. */
  requests: ReceivedRequest<Body>[];
  /** The same requests read as {@link RECEIVER_BODY_TEMPLATE} bodies (fields absent from a body read as empty). */
  received: ReceivedAlert[];
  /**
   * Requests refused (400) because their body was not JSON: a template filled without escaping. The delivery fails
   * and is retried, so a test waiting for its alert would only time out; tests check this stays empty instead.
   */
  refused: { path: string; body: string }[];
  close(): Promise<void>;
}

/**
 * Starts a {@link WebhookReceiver} on 127.0.0.1. `Body` is the shape the caller's body template gives; the
 * receiver does not check it.
 */
export function startWebhookReceiver<Body = Record<string, unknown>>(): Promise<WebhookReceiver<Body>> {
  const requests: ReceivedRequest<Body>[] = [];
  const received: ReceivedAlert[] = [];
  const refused: { path: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = Date.now();
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        // A body that is not JSON is a broken template: refusing it fails the delivery, so the test sees no alert.
        refused.push({ path: req.url ?? '', body: raw });
        res.writeHead(400).end();
        return;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: body as Body,
        arrivedAt,
      });
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const text = (value: unknown) => (typeof value === 'string' ? value : '');
      received.push({
        issueId: Number(fields.issueId),
        level: text(fields.level),
        title: text(fields.title),
        url: text(fields.url),
        arrivedAt,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const base = `http://127.0.0.1:${port}`;
      resolve({
        url: `${base}/hooks/yuqing`,
        base,
        host: `127.0.0.1:${port}`,
        requests,
        received,
        refused,
        close: () => new Promise((r) => server.close(() => r())),
      });
    }),
  );
}

/** One post of a burst, sent at `sentAt` (ms) with that time as its publication time. */
export interface SentPost {
  url: string;
  sentAt: number;
}

/**
 * Sends one post of a burst as its own `ingest-mentions` job, published now: reposts of one message with a
 * growing count of likes (a thread catching on). Returns its URL and when it was sent.
 */
export async function sendBurstPost(
  queues: JobQueues,
  post: { title: string; body: string; index: number; burst: string },
): Promise<SentPost> {
  const sentAt = Date.now();
  const url = `https://bbs.example.cn/thread/${post.burst}-${post.index}-${randomUUID()}`;
  const prefix = post.index === 0 ? '' : `转发（${post.index}）：`;
  const item: RawMention = {
    url,
    title: `${prefix}${post.title}`,
    body: `${prefix}${post.body}`,
    publishedAt: new Date(sentAt).toISOString(),
    likes: 5 + 5 * post.index,
    comments: post.index,
    siteName: '网络问政平台',
  };
  await queues.add('ingest-mentions', { items: [item] });
  return { url, sentAt };
}

/**
 * For an issue that was alerted: the post that made it cross its first level. The flag's time is the engine's
 * clock when the threshold was passed, which is the publication time of the post being filed (capped at the wall
 * clock, and never behind an earlier post of the same batch): the latest post of the issue published at or before it.
 */
export async function crossingPostUrl(target: SqlTarget, issueId: number): Promise<string | undefined> {
  const rows = await sqlRows<{ url: string }>(
    target,
    `SELECT m.url FROM "Mention" m
       JOIN LATERAL (SELECT min("createdAt") AS at FROM "IssueFlag" WHERE "issueId" = $1) f ON true
      WHERE m."issueId" = $1 AND m."publishedAt" <= f.at
      ORDER BY m."publishedAt" DESC LIMIT 1`,
    [issueId],
  );
  return rows[0]?.url;
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Adds a webhook channel posting `bodyTemplate` to `path` on `receiver`, through the same parsing the API and
 * `yq alert channel add` use (so a filter the product would refuse fails the test here).
 */
export function addWebhookChannel(
  db: Db,
  receiver: Pick<WebhookReceiver, 'base'>,
  channel: { name: string; path: string; bodyTemplate: string; filter: Record<string, unknown> },
) {
  return createAlertChannel(
    db,
    parseAlertChannelDefinition({
      name: channel.name,
      kind: 'webhook',
      config: { url: `${receiver.base}${channel.path}`, bodyTemplate: channel.bodyTemplate },
      filter: channel.filter,
    }),
    { actorId: null, ip: 'test' },
  );
}

/**
 * Runs one job of the alert queue (`evaluate-alert-triggers`, `escalate-alerts`), as the every-minute scheduler
 * adds it, waits until it has ended and returns its result; it expects the job completed (a failed one fails the
 * test with its reason).
 */
export async function runAlertJob<Result = unknown>(
  queues: JobQueues,
  name: 'evaluate-alert-triggers' | 'escalate-alerts',
  timeoutMs = 60_000,
): Promise<Result> {
  const id = await queues.add(name, {}, { jobId: `${name}-${randomUUID()}` });
  const state = await waitUntil(
    name,
    async () => (await queues.queue('alert').getJob(id!))?.getState(),
    (s) => s === 'completed' || s === 'failed',
    timeoutMs,
  );
  // Read again after the state check: the object fetched before it may show the job still running (no result yet).
  const job = await queues.queue('alert').getJob(id!);
  expect(state, `${name} ended ${state}: ${job?.failedReason ?? 'no reason recorded'}`).toBe('completed');
  return job!.returnvalue as Result;
}
