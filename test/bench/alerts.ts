// `pnpm bench alerts [--bursts 50] [--burst-spacing-ms 3000] [--post-spacing-ms 1500] [--posts 8]`: alert latency of
// the whole system. One `yq worker --queues ingest,analyse,alert` with default settings on a throwaway PostgreSQL
// database and Redis prefix, the schedules installed (the engine tick among them), a webhook channel to a loopback
// receiver allowed through YQ_ALLOWED_PRIVATE_HOSTS. Planted bursts: real messages of the Teddy 2020 board about
// 劳动和社会保障 (../shared, never shipped), each reposted post by post onto the ingest queue (one job per post, as a
// crawler's sink sends them), a new burst every few seconds so several are in flight at once.
// Figure: for each alerted issue, from the moment the post that made it cross its first level was put on the ingest
// queue to the moment the alert arrived at the webhook: p50, p95, max. Printed, never asserted.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@yuqing/core';
import { createAlertChannel } from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import { parseCsvRecords } from '@yuqing/nlp';
import { installSchedules } from '@yuqing/pipeline';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { countRows, createTestDatabase } from '@yuqing/testkit';
import {
  RECEIVER_BODY_TEMPLATE,
  crossingPostUrl,
  percentile,
  sendBurstPost,
  startWebhookReceiver,
  type SentPost,
} from '../helpers/alert-system.ts';
import { waitFor } from '../helpers/net.ts';
import { startWorker, tempDir } from '../fixtures/hostile/fault-kit.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TEDDY = fileURLToPath(new URL('../../../shared/data/teddy2020/messages_full_train.csv', import.meta.url));
/** How long after the last post the bench waits for late alerts. */
const SETTLE_MS = 90_000;

const { values: args } = parseArgs({
  options: {
    bursts: { type: 'string', default: '50' },
    'burst-spacing-ms': { type: 'string', default: '3000' },
    'post-spacing-ms': { type: 'string', default: '1500' },
    posts: { type: 'string', default: '8' },
  },
});
const BURSTS = Number(args.bursts);
const BURST_SPACING_MS = Number(args['burst-spacing-ms']);
const POST_SPACING_MS = Number(args['post-spacing-ms']);
const POSTS = Number(args.posts);

if (!existsSync(TEDDY)) {
  process.stderr.write(`bench alerts: ${TEDDY} not found (the ../shared data sets); nothing measured\n`);
  process.exit(0);
}

/** Distinct labour and social-security messages of moderate length, one per burst. */
function burstMessages(count: number): { title: string; body: string }[] {
  const seen = new Set<string>();
  const out: { title: string; body: string }[] = [];
  for (const r of parseCsvRecords(readFileSync(TEDDY, 'utf8'))) {
    const title = (r['留言主题'] ?? '').trim();
    const body = (r['留言详情'] ?? '').replace(/\s+/g, ' ').trim();
    if ((r['一级标签'] ?? '').trim() !== '劳动和社会保障' || !title || seen.has(title)) continue;
    if (body.length < 60 || body.length > 600) continue;
    seen.add(title);
    out.push({ title, body });
    if (out.length === count) break;
  }
  return out;
}

const messages = burstMessages(BURSTS);
const database = await createTestDatabase();
const dir = await tempDir('yq-bench-alerts-');
const receiver = await startWebhookReceiver();
const connection = createRedisConnection(REDIS_URL);
const prefix = `yqbench-${randomUUID()}`;
const queues = new JobQueues({ connection, prefix });
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
try {
  await installSchedules(queues, loadConfig({}));
  await createAlertChannel(
    database.db,
    parseAlertChannelDefinition({
      name: 'bench',
      kind: 'webhook',
      config: { url: receiver.url, bodyTemplate: RECEIVER_BODY_TEMPLATE },
    }),
    { actorId: null, ip: 'bench' },
  );
  worker = await startWorker(['ingest', 'analyse', 'alert'], {
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    prefix,
    dataDir: dir.path,
    allowedPrivateHosts: [receiver.host],
  });
  // Warm-up: jieba and the models load on the worker's first analyse job (start-up, not alert latency).
  await sendBurstPost(queues, {
    title: '社保卡补办',
    body: '社保卡丢了，补办需要带什么材料，多久能拿到？',
    index: 0,
    burst: 'warm',
  });
  await waitFor('the warm-up post analysed', async () => (await countRows(database, 'Analysis')) >= 1, 120_000);

  const sent = new Map<string, SentPost>();
  const startedAt = Date.now();
  const bursts = messages.map(async (message, b) => {
    await new Promise((r) => setTimeout(r, b * BURST_SPACING_MS));
    for (let index = 0; index < POSTS; index++) {
      const post = await sendBurstPost(queues, { ...message, index, burst: `b${b}` });
      sent.set(post.url, post);
      await new Promise((r) => setTimeout(r, POST_SPACING_MS));
    }
  });
  await Promise.all(bursts);
  const sendingSeconds = (Date.now() - startedAt) / 1000;
  // Late alerts: wait until nothing new has arrived for a while (or the settle time ends).
  const settleEnd = Date.now() + SETTLE_MS;
  let seen = -1;
  while (Date.now() < settleEnd && seen !== receiver.received.length) {
    seen = receiver.received.length;
    await new Promise((r) => setTimeout(r, 15_000));
  }

  const firstAlert = new Map<number, number>();
  for (const r of receiver.received) if (!firstAlert.has(r.issueId)) firstAlert.set(r.issueId, r.arrivedAt);
  const latencies: number[] = [];
  let unmatched = 0;
  for (const [issueId, arrivedAt] of firstAlert) {
    const url = await crossingPostUrl(database, issueId);
    const post = url ? sent.get(url) : undefined;
    if (!post) {
      unmatched++;
      continue;
    }
    latencies.push(arrivedAt - post.sentAt);
  }
  const s = (ms: number) => Math.round(ms / 100) / 10;
  const summary = {
    bursts: messages.length,
    postsPerBurst: POSTS,
    postsSent: sent.size,
    sendingSeconds: Math.round(sendingSeconds),
    issuesAlerted: firstAlert.size,
    alertsReceived: receiver.received.length,
    measured: latencies.length,
    unmatched,
    p50Seconds: s(percentile(latencies, 50)),
    p95Seconds: s(percentile(latencies, 95)),
    maxSeconds: s(Math.max(...latencies)),
    minSeconds: s(Math.min(...latencies)),
  };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
} finally {
  await worker?.stop().catch(() => undefined);
  for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => undefined);
  await queues.close();
  connection.disconnect();
  await receiver.close();
  await database.drop();
  await dir.cleanup();
}
