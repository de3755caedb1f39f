// Whole-system alert runs (test/alert-system.test.ts, `pnpm bench alerts`): a loopback webhook receiver that notes
// when each alert arrives, and planted bursts sent to the ingest queue one post per job, as a crawler's sink does.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RawMention } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { sqlRows, type SqlTarget } from '@yuqing/testkit';

/** The body template the whole-system runs give their webhook channel: the receiver reads the issue id from it. */
export const RECEIVER_BODY_TEMPLATE =
  '{"issueId":"{{issue.id}}","level":"{{issue.level}}","title":"{{issue.title}}","url":"{{issue.url}}"}';

/** One alert as the receiver got it. */
export interface ReceivedAlert {
  issueId: number;
  level: string;
  title: string;
  url: string;
  /** Wall-clock arrival (ms). */
  arrivedAt: number;
}

/** A loopback webhook answering 200 to every POST, keeping what came in arrival order. */
export interface WebhookReceiver {
  url: string;
  /** `host:port`, for YQ_ALLOWED_PRIVATE_HOSTS. */
  host: string;
  received: ReceivedAlert[];
  close(): Promise<void>;
}

/** Starts a {@link WebhookReceiver} on 127.0.0.1. */
export function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedAlert[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const arrivedAt = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
        received.push({
          issueId: Number(body.issueId),
          level: body.level ?? '',
          title: body.title ?? '',
          url: body.url ?? '',
          arrivedAt,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hooks/yuqing`,
        host: `127.0.0.1:${port}`,
        received,
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
