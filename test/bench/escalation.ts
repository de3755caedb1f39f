// `pnpm bench escalation [--counts 100,2000] [--runs 20]`: the cost of one `escalate-alerts` tick when nothing is
// due, with N unacknowledged deliveries waiting (half 重大 sent 5 minutes ago, half 一般 sent a day ago: neither
// is due under the default YQ_ALERT_ACK_MINUTES), on a throwaway PostgreSQL database. Prints median and max.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { escalateAlerts } from '@yuqing/alerts';
import { ManualClock } from '@yuqing/core';
import { createAlertChannel, setEscalationRule } from '@yuqing/db';
import { DEFAULT_ACK_MINUTES, parseAlertChannelDefinition } from '@yuqing/domain';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createTestDatabase, withClient } from '@yuqing/testkit';

const { values } = parseArgs({
  options: { counts: { type: 'string', default: '100,2000' }, runs: { type: 'string', default: '20' } },
});
const runs = Number(values.runs);
const now = new Date('2026-12-07T06:00:00Z');
const clock = new ManualClock(now);

for (const count of values.counts.split(',').map(Number)) {
  const database = await createTestDatabase();
  const connection = createRedisConnection('redis://127.0.0.1:6379');
  const queues = new JobQueues({ connection, prefix: `yqbench-${randomUUID()}` });
  try {
    const channel = (name: string) =>
      createAlertChannel(
        database.db,
        parseAlertChannelDefinition({ name, kind: 'webhook', config: { url: `https://hooks.example.gov.cn/${name}` } }),
        { actorId: null, ip: 'bench' },
      );
    const duty = await channel('duty');
    const leader = await channel('leader');
    await setEscalationRule(
      database.db,
      { channelId: duty.id, toChannelId: leader.id },
      { actorId: null, ip: 'bench' },
    );
    await withClient(database.url, async (client) => {
      await client.query(
        `INSERT INTO "Issue" (title, keywords, places, status, level, hotness, "firstSeenAt", "lastSeenAt", "sentimentMix", "updatedAt")
         SELECT 'issue ' || g, '{}', '{}', 'new', 'severe', 0, $1::timestamp, $1::timestamp, '{}', $1::timestamp FROM generate_series(1, $2::int) g`,
        [now, count],
      );
      await client.query(
        `INSERT INTO "AlertDelivery" ("channelId", "issueId", level, trigger, status, attempts, "createdAt", "sentAt")
         SELECT $1, i.id, CASE WHEN i.id % 2 = 0 THEN 'severe' ELSE 'general' END::"IssueLevel", 'issue.flagged', 'sent', 1,
                $2::timestamp, CASE WHEN i.id % 2 = 0 THEN $2::timestamp ELSE $3::timestamp END
         FROM "Issue" i`,
        [duty.id, new Date(now.getTime() - 5 * 60_000), new Date(now.getTime() - 24 * 3600_000)],
      );
      await client.query('ANALYZE "AlertDelivery"');
    });
    const samples: number[] = [];
    for (let i = 0; i < runs + 3; i++) {
      const start = performance.now();
      const tick = await escalateAlerts({ db: database.db, queues, clock, ackMinutes: DEFAULT_ACK_MINUTES });
      if (tick.escalated !== 0 || tick.candidates !== 0) throw new Error(`something was due: ${JSON.stringify(tick)}`);
      if (i >= 3) samples.push(performance.now() - start); // the first ticks warm the connection pool
    }
    samples.sort((a, b) => a - b);
    // The candidates query alone, as PostgreSQL times it (less noisy than the wall clock on a shared machine).
    const plan = await withClient(database.url, (client) =>
      client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, FORMAT TEXT)
         SELECT d.id FROM unnest($1::int[], $2::"IssueLevel"[], $3::timestamp[]) AS w(channel, level, cutoff)
         JOIN "AlertDelivery" d ON d."channelId" = w.channel AND d.level = w.level AND d."sentAt" <= w.cutoff
         WHERE d.status = 'sent' AND d."issueId" IS NOT NULL AND d."acknowledgedAt" IS NULL AND d."escalatedAt" IS NULL
           AND NOT EXISTS (SELECT 1 FROM "AlertDelivery" a
                           WHERE a."issueId" = d."issueId" AND a.level = d.level AND a."acknowledgedAt" IS NOT NULL)
         ORDER BY d."sentAt", d.id LIMIT 500`,
        [
          [duty.id, duty.id],
          ['major', 'severe'],
          [new Date(now.getTime() - 30 * 60_000), new Date(now.getTime() - 10 * 60_000)],
        ],
      ),
    );
    if (process.env.BENCH_PLAN) console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    const execution = plan.rows.map((r) => r['QUERY PLAN']).find((l) => l.startsWith('Execution Time'));
    console.log(
      `${String(count).padStart(6)} unacknowledged deliveries: tick median ${samples[Math.floor(samples.length / 2)]!.toFixed(2)} ms, max ${samples.at(-1)!.toFixed(2)} ms (${runs} runs); candidates query ${execution}`,
    );
  } finally {
    await queues.close();
    connection.disconnect();
    await database.drop();
  }
}
