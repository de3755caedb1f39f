// The response workspace's reply library and the 报告 page in real Chromium: the five similar past replies (real
// Teddy 2020 replies from test/fixtures/replies) with the words they share, 「以此为起点」 putting a reply into the
// draft box, the draft check scoring it; and the 报告 page downloading a 月报 and a 专报 and previewing the e-mail.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { importReplyArchive, parseReplyColumns } from '@yuqing/pipeline';
import { ApiClient, seedIssue, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';

/** Generous: two cores shared with other test runs. */
const SLOW_MS = 30_000;
const FIXTURE = fileURLToPath(new URL('./fixtures/replies/teddy-replies-sample.csv', import.meta.url));

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
let issueId: number;
let responseId: number;

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  contexts.push(context);
  return context;
}

async function ready(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: SLOW_MS });
}

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const summary = await importReplyArchive(
    t.db,
    FIXTURE,
    parseReplyColumns('question=留言详情,answer=答复意见,title=留言主题,time=答复时间'),
  );
  expect(summary.stored).toBe(26);
  const { issue } = await seedIssue(t.db, {
    title: '公益性岗位社保补贴到期问题',
    level: 'general',
    mentions: [
      {
        title: '公益性岗位的社保补贴为什么只给三年？',
        body: '我在A2区做公益性岗位，单位说社保补贴只能享受三年，到期以后社保补贴怎么办？能否延长到退休？',
        publishedAt: new Date('2026-11-10T02:00:00Z'),
      },
    ],
  });
  issueId = issue.id;
  const spokesperson = await ApiClient.login(t.url, t.users.spokesperson);
  const created = await spokesperson.post('/api/responses', { issueId, body: '已收悉。' });
  expect(created.status).toBe(201);
  responseId = created.body.id;
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('reply library in the response workspace', () => {
  it(
    'lists five similar replies with the words they share, and 「以此为起点」 puts one into the draft for the check',
    async () => {
      // The button asks before replacing the draft: this page accepts the question (and records it).
      const context = await newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('dialog', (d) => {
        dialogs.push(`${d.type()}: ${d.message()}`);
        void d.accept();
      });
      await loginThroughUi(page, t.url, t.users.spokesperson.username, t.users.spokesperson.password);
      await ready(page, `${t.url}/responses/${responseId}`);

      const items = page.locator('#similar-replies li');
      await expect.poll(() => items.count(), { timeout: SLOW_MS }).toBe(5);
      const first = items.first();
      expect(await first.innerText()).toContain('咨询A2区公益性岗位补贴和社保补贴的有关问题');
      expect(await first.locator('.why').innerText()).toMatch(/^匹配词：.*公益性岗位/);
      expect(await page.locator('#similar-replies .use-reply').count()).toBe(5);

      await expect.poll(() => page.locator('#draft-score').innerText(), { timeout: SLOW_MS }).toMatch(/^\d+$/);
      const before = Number(await page.locator('#draft-score').innerText());
      await first.locator('.use-reply').click();
      expect(dialogs).toEqual(['confirm: 用这条历史答复替换输入框中的口径？（保存前不会生效）']);
      const draft = await page.locator('textarea[name="body"]').inputValue();
      expect(draft).toContain('公益性岗位');
      expect(draft).not.toBe('已收悉。');

      await page.click('#run-draft-check');
      await expect
        .poll(async () => Number(await page.locator('#draft-score').innerText()), { timeout: SLOW_MS })
        .toBeGreaterThan(before);
      expect(await page.locator('#draft-check').innerText()).toContain('网民提出的问题');
      await screenshot(page, 'reply-library');
      expect(errors).toEqual([]);
    },
    SLOW_MS * 3,
  );

  it('shows the leader the draft check but not the similar replies', async () => {
    const context = await newContext();
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, t.users.leader.username, t.users.leader.password);
    await ready(page, `${t.url}/responses/${responseId}`);
    await expect.poll(() => page.locator('#draft-score').innerText(), { timeout: SLOW_MS }).toMatch(/^\d+$/);
    expect(await page.locator('#similar-replies').count()).toBe(0);
    expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
  });
});

describe('报告 page', () => {
  it(
    'downloads a 月报 and a 专报 as Word files and previews the report e-mail',
    async () => {
      const context = await newContext();
      const { page, problems } = await newWatchedPage(context);
      await loginThroughUi(page, t.url, t.users.leader.username, t.users.leader.password);
      await page.click('#nav a:text-is("报告")');
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#report-schedule').innerText()).toContain('每周一 08:00');

      await page.selectOption('#periodic-report-form select[name=period]', 'month');
      await page.fill('#periodic-report-form input[name=key]', '2026-11');
      expect(await page.locator('#report-preview').getAttribute('href')).toBe(
        '/api/reports/periodic/preview?period=month&key=2026-11',
      );
      const [monthly] = await Promise.all([
        page.waitForEvent('download', { timeout: SLOW_MS }),
        page.click('#periodic-report-form button[type=submit]'),
      ]);
      expect(monthly.suggestedFilename()).toMatch(/月报.*\.docx$/);
      const monthlyBytes = await readFile((await monthly.path())!);
      expect(monthlyBytes.subarray(0, 2).toString('latin1')).toBe('PK');

      const preview = await page.request.get(`${t.url}/api/reports/periodic/preview?period=month&key=2026-11`);
      expect(preview.status()).toBe(200);
      const html = await preview.text();
      expect(html).toContain('2026年11月');
      // The seeded mention of 2026-11-10 is the month's one mention (the issue was never flagged, so no hot issue).
      expect(html).toContain('共监测到网络信息1条');

      await page.fill('#issue-report-form input[name=id]', String(issueId));
      expect(await page.locator('#issue-report-preview').getAttribute('href')).toBe(
        `/api/reports/issues/${issueId}/preview`,
      );
      const [special] = await Promise.all([
        page.waitForEvent('download', { timeout: SLOW_MS }),
        page.click('#issue-report-form button[type=submit]'),
      ]);
      expect(special.suggestedFilename()).toMatch(/\.docx$/);
      expect((await readFile((await special.path())!)).subarray(0, 2).toString('latin1')).toBe('PK');
      await screenshot(page, 'reports');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    },
    SLOW_MS * 4,
  );

  it(
    'offers the 专报 on the issue page to those who may write reports, not to the spokesperson',
    async () => {
      const leaderPage = (await newWatchedPage(await newContext())).page;
      await loginThroughUi(leaderPage, t.url, t.users.leader.username, t.users.leader.password);
      await ready(leaderPage, `${t.url}/issues/${issueId}`);
      const links = leaderPage.locator('#issue-report a');
      expect(await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([
        `${t.url}/api/reports/issues/${issueId}/docx`,
        `${t.url}/api/reports/issues/${issueId}/preview`,
      ]);
      const [special] = await Promise.all([
        leaderPage.waitForEvent('download', { timeout: SLOW_MS }),
        links.first().click(),
      ]);
      expect(special.suggestedFilename()).toMatch(/专报.*\.docx$/);

      const spokesPage = (await newWatchedPage(await newContext())).page;
      await loginThroughUi(spokesPage, t.url, t.users.spokesperson.username, t.users.spokesperson.password);
      await ready(spokesPage, `${t.url}/issues/${issueId}`);
      expect(await spokesPage.locator('#issue-report').count()).toBe(0);
    },
    SLOW_MS * 3,
  );
});
