// The 预警推送 page in real Chromium: an admin adds an e-mail channel (recipients instead of a URL), and the delivery
// log shows a refused delivery with the platform's HTTP status and code, and a delivery held by an open circuit
// breaker as 熔断等待; the channel form sets trigger kinds, the on-duty schedule and the per-minute limit; an escalation
// rule is set and removed from its form, and a sent delivery is acknowledged (已知悉) with its button. An analyst,
// who cannot open that page, acknowledges an alert from the issue's page (预警推送 card).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  createAlertChannel,
  createIssue,
  listAlertChannels,
  listEscalationRules,
  noteAlertWaiting,
  openAlertDelivery,
  recordAlertAttempt,
} from '@yuqing/db';
import { parseAlertChannelDefinition } from '@yuqing/domain';
import { sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage } from './helpers/browser.ts';

let t: TestDashboard;
let browser: Browser;

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const robot = await createAlertChannel(
    t.db,
    parseAlertChannelDefinition({
      name: '钉钉值班群',
      kind: 'dingtalk',
      config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef123456', secret: 'SEC1' },
    }),
    { actorId: null, ip: 'test' },
  );
  const refused = await openAlertDelivery(t.db, {
    channelId: robot.id,
    issueId: null,
    level: 'major',
    trigger: 'test',
  });
  await recordAlertAttempt(t.db, refused.id, {
    status: 'failed',
    httpStatus: 200,
    platformCode: 310000,
    error: '[ALERT_DELIVERY_FAILED] dingtalk answered HTTP 200 code 310000: sign not match',
    at: new Date(),
  });
  const held = await openAlertDelivery(t.db, {
    channelId: robot.id,
    issueId: null,
    level: 'severe',
    trigger: 'issue.flagged',
  });
  await noteAlertWaiting(t.db, held.id, '[ALERT_CIRCUIT_OPEN] 渠道连续发送失败，已暂停，约 5 分钟后重试');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('预警推送 page', () => {
  it('adds an e-mail channel and shows platform codes and breaker waits in the delivery log', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, 'admin1', t.users.admin.password);
    await page.goto(`${t.url}/alerts`);
    const log = page.locator('#deliveries-table tbody tr');
    await expect.poll(() => log.count()).toBe(2);
    const refusedRow = log.filter({ hasText: 'sign not match' });
    await expect.poll(() => refusedRow.innerText()).toContain('HTTP 200 · code 310000');
    await expect.poll(() => log.filter({ hasText: 'ALERT_CIRCUIT_OPEN' }).innerText()).toContain('熔断等待');

    await page.selectOption('select[name=kind]', 'email');
    expect(await page.locator('#create-channel .field-label', { hasText: '收件人' }).count()).toBe(1);
    await page.fill('input[name=name]', '值班邮箱');
    await page.fill('input[name=url]', 'duty@example.gov.cn，leader@example.gov.cn');
    await page.click('#create-channel button[type=submit]');
    const row = page.locator('#channels-table tbody tr', { hasText: '值班邮箱' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('duty@example.gov.cn, leader@example.gov.cn');
    expect(await row.innerText()).toContain('邮件');
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await context.close();
  }, 120_000);

  it('sets trigger kinds, on-duty periods and the per-minute limit of a channel, naming a bad setting', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, 'admin1', t.users.admin.password);
    await page.goto(`${t.url}/alerts`);
    await page.selectOption('select[name=kind]', 'webhook');
    await page.fill('input[name=name]', '办公室');
    await page.fill('input[name=url]', 'https://duty.example.gov.cn/hooks/office');
    // Every trigger kind unchecked: refused, with the field named.
    for (const box of await page.locator('#channel-triggers input[type=checkbox]').all()) await box.uncheck();
    await page.click('#create-channel button[type=submit]');
    await expect.poll(() => page.locator('.toast').innerText()).toContain('channel.filter.triggers');
    await page.check('#channel-triggers input[value=new-flag]');
    await page.check('#channel-triggers input[value="hotlist.entry"]');
    await page.check('#channel-triggers input[value=deadline-passed]');
    await page.uncheck('#channel-onDuty input[value=after-hours]');
    await page.uncheck('#channel-onDuty input[value=holidays]');
    await page.fill('input[name=perMinute]', '5');
    await page.click('#create-channel button[type=submit]');
    const row = page.locator('#channels-table tbody tr', { hasText: '办公室' });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain(
      '触发：新热点、相关热榜条目、回应已超时；值守：工作日工作时间；每分钟至多 5 条',
    );
    const stored = (await listAlertChannels(t.db)).find((c) => c.name === '办公室')!;
    expect(stored.filter).toMatchObject({
      triggers: ['new-flag', 'hotlist.entry', 'deadline-passed'],
      onDuty: ['workday-hours'],
      officeHours: { start: '08:30', end: '17:30' },
      perMinute: 5,
    });
    // The refused submission is the one failed request (the browser logs its 400); no script error.
    expect(problems.errors).toEqual([
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
    await context.close();
  }, 120_000);

  it('sets an escalation rule and acknowledges a sent delivery from the delivery log', async () => {
    const [duty] = await listAlertChannels(t.db);
    const leader = await createAlertChannel(
      t.db,
      parseAlertChannelDefinition({
        name: '领导渠道',
        kind: 'webhook',
        config: { url: 'https://duty.example.gov.cn/hooks/leader' },
      }),
      { actorId: null, ip: 'test' },
    );
    const now = new Date();
    const issue = await createIssue(t.db, {
      title: '养老金认证系统故障',
      level: 'severe',
      firstSeenAt: now,
      lastSeenAt: now,
    });
    const sent = await openAlertDelivery(t.db, {
      channelId: duty!.id,
      issueId: issue.id,
      level: 'severe',
      trigger: 'issue.flagged',
    });
    await recordAlertAttempt(t.db, sent.id, { status: 'sent', httpStatus: 200, at: now });

    const context = await browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, 'admin1', t.users.admin.password);
    await page.goto(`${t.url}/alerts`);
    await page.selectOption('#escalation-form select[name=channelId]', String(duty!.id));
    await page.selectOption('#escalation-form select[name=level]', 'severe');
    await page.fill('#escalation-form input[name=afterMinutes]', '15');
    await page.selectOption('#escalation-form select[name=toChannelId]', String(leader.id));
    await page.click('#escalation-form button[type=submit]');
    const rule = page.locator('#escalation-table tbody tr');
    await expect.poll(() => rule.count()).toBe(1);
    expect(await rule.innerText()).toContain('15 分钟');
    expect(await rule.innerText()).toContain('领导渠道');
    expect((await listEscalationRules(t.db)).map((r) => [r.channelId, r.level, r.afterMinutes, r.toChannelId])).toEqual(
      [[duty!.id, 'severe', 15, leader.id]],
    );

    const row = page.locator('#deliveries-table tbody tr', { hasText: `#${issue.id}` });
    await row.locator('button', { hasText: '已知悉' }).click();
    await expect.poll(() => row.locator('.ack-cell').innerText()).toContain('admin 用户 · ');

    await rule.locator('button', { hasText: '删除' }).click();
    await expect.poll(() => page.locator('#escalation-table').count()).toBe(0);
    expect(await listEscalationRules(t.db)).toEqual([]);
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await context.close();
  }, 120_000);
  it('lets an analyst acknowledge an alert from the issue page, and shows by whom', async () => {
    const [duty] = await listAlertChannels(t.db);
    const now = new Date();
    const issue = await createIssue(t.db, {
      title: '失业保险金网上申领无法提交',
      level: 'major',
      firstSeenAt: now,
      lastSeenAt: now,
    });
    const sent = await openAlertDelivery(t.db, {
      channelId: duty!.id,
      issueId: issue.id,
      level: 'major',
      trigger: 'issue.flagged',
    });
    await recordAlertAttempt(t.db, sent.id, { status: 'sent', httpStatus: 200, at: now });

    const context = await browser.newContext({ locale: 'zh-CN' });
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, t.users.analyst.username, t.users.analyst.password);
    await page.goto(`${t.url}/issues/${issue.id}`);
    const card = page.locator('#issue-alerts');
    await expect.poll(() => card.innerText()).toContain('钉钉值班群 · 较大 · 已发送');
    await card.locator('button', { hasText: '已知悉' }).click();
    await expect.poll(() => page.locator('#issue-alerts').innerText()).toContain('已知悉：analyst 用户');
    expect(await page.locator('#issue-alerts button').count()).toBe(0);
    const [row] = await sqlRows<{ acknowledgedVia: string; acknowledgedById: number }>(
      t.databaseUrl,
      'SELECT "acknowledgedVia", "acknowledgedById" FROM "AlertDelivery" WHERE id = $1',
      [sent.id],
    );
    expect(row).toEqual({ acknowledgedVia: 'dashboard', acknowledgedById: t.users.analyst.id });
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    await context.close();
  }, 120_000);
});
