// `yq alert escalation set|list|remove` and `yq alert ack ID` on real PostgreSQL: a rule set from the command line
// (printed as JSON with its id; set again for the same channel and level, it replaces the first), the defaults of
// YQ_ALERT_ACK_MINUTES in the list, a channel escalating to itself refused with the flag named, an acknowledgement
// recorded once (by the CLI, audited), and a rule removed.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertChannel, createIssue, openAlertDelivery, recordAlertAttempt } from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import { createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { REPO_ROOT, yqEnv } from './helpers/yq.ts';

const exec = promisify(execFile);
let database: TestDatabase;
let dataDir: string;
let duty: { id: number };
let leader: { id: number };

async function yq(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, ['packages/cli/bin/yq.mjs', 'alert', ...args], {
      cwd: REPO_ROOT,
      env: yqEnv({ DATABASE_URL: database.url, YQ_DATA_DIR: dataDir, ...env }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'yq-cli-esc-'));
  const channel = (name: string, path: string) =>
    createAlertChannel(
      database.db,
      parseAlertChannelDefinition({ name, kind: 'webhook', config: { url: `https://hooks.example.gov.cn${path}` } }),
      { actorId: null, ip: 'test' },
    );
  duty = await channel('值班群', '/duty');
  leader = await channel('领导', '/leader');
}, 60_000);

afterAll(async () => {
  await database?.drop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('yq alert escalation and ack', () => {
  it('sets, replaces, lists and removes escalation rules', async () => {
    const first = await yq(['escalation', 'set', '--channel', String(duty.id), '--to', String(leader.id)]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ channelId: duty.id, toChannelId: leader.id, level: null });
    const severe = await yq([
      'escalation',
      'set',
      '--channel',
      String(duty.id),
      '--to',
      String(leader.id),
      '--after-minutes',
      '5',
      '--level',
      '重大',
    ]);
    expect(severe.code, severe.stderr).toBe(0);
    const rule = JSON.parse(severe.stdout) as { id: number };
    expect(rule).toMatchObject({ level: 'severe', afterMinutes: 5 });

    const self = await yq(['escalation', 'set', '--channel', String(duty.id), '--to', String(duty.id)]);
    expect(self.code).toBe(2);
    expect(self.stderr).toContain('--to a channel cannot escalate to itself');

    // Set again for 重大 (defaults this time): replaces the 5-minute rule, keeps the every-level one.
    expect(
      (await yq(['escalation', 'set', '--channel', String(duty.id), '--to', String(leader.id), '--level', 'severe']))
        .code,
    ).toBe(0);
    const listed = await yq(['escalation', 'list', '--json'], { YQ_ALERT_ACK_MINUTES: '重大=5,一般=120' });
    expect(listed.code, listed.stderr).toBe(0);
    const { items, defaults } = JSON.parse(listed.stdout) as {
      items: { id: number; level: string | null; afterMinutes: number | null; toChannel: { name: string } }[];
      defaults: Record<string, number | null>;
    };
    expect(defaults).toEqual({ severe: 5, major: 30, general: 120 });
    expect(items.map((r) => [r.level, r.afterMinutes, r.toChannel.name])).toEqual([
      [null, null, '领导'],
      ['severe', null, '领导'],
    ]);
    const text = await yq(['escalation', 'list']);
    expect(text.stdout).toContain(`值班群（#${duty.id}） 重大 未确认 默认分钟数 → 领导（#${leader.id}）`);

    const removed = await yq(['escalation', 'remove', String(items[0]!.id)]);
    expect(removed.code, removed.stderr).toBe(0);
    const after = JSON.parse((await yq(['escalation', 'list', '--json'])).stdout) as { items: { id: number }[] };
    expect(after.items.map((r) => r.id)).toEqual([items[1]!.id]);
    const audited = await sqlRows<{ action: string }>(
      database,
      `SELECT action FROM "AuditLog" WHERE action LIKE 'alert-escalation.%' ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual([
      'alert-escalation.set',
      'alert-escalation.set',
      'alert-escalation.set',
      'alert-escalation.remove',
    ]);
  }, 120_000);

  it('acknowledges a delivery once', async () => {
    const now = new Date();
    const issue = await createIssue(database.db, {
      title: '退休人员医保个人账户划入减少',
      level: 'severe',
      firstSeenAt: now,
      lastSeenAt: now,
    });
    const delivery = await openAlertDelivery(database.db, {
      channelId: duty.id,
      issueId: issue.id,
      level: 'severe',
      trigger: 'issue.flagged',
    });
    await recordAlertAttempt(database.db, delivery.id, { status: 'sent', httpStatus: 200, at: now });
    const first = await yq(['ack', String(delivery.id)]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      outcome: 'acknowledged',
      id: delivery.id,
      acknowledgedVia: 'cli',
      issueTitle: '退休人员医保个人账户划入减少',
    });
    const second = await yq(['ack', String(delivery.id)]);
    expect(JSON.parse(second.stdout)).toMatchObject({ outcome: 'already', acknowledgedVia: 'cli' });
    expect((await yq(['ack', '999999'])).code).toBe(1);
    const audited = await sqlRows<{ entityId: string; ip: string }>(
      database,
      `SELECT "entityId", ip FROM "AuditLog" WHERE action = 'alert.acknowledged'`,
    );
    expect(audited).toEqual([{ entityId: String(delivery.id), ip: 'cli' }]);
  }, 60_000);
});
