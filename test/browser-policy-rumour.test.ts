// The 政策风险评估 page and the issue page's 辟谣 card in real Chromium: a real draft uploaded through the form shows
// its clause table and report link; an analyst marks an issue as a rumour, a spokesperson starts the rebuttal from
// its template, and after publication the page draws the spread chart with the notice's line.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { ApiClient, seedIssue, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';
import { REPO_ROOT } from './helpers/yq.ts';

/** Generous: two cores shared with other test runs. */
const SLOW_MS = 30_000;
const DRAFT = join(REPO_ROOT, 'test/fixtures/policy/rural-revitalisation-2023.docx');

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
let issueId: number;

async function pageAs(role: 'analyst' | 'spokesperson' | 'leader') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  const watched = await newWatchedPage(context);
  await loginThroughUi(watched.page, t.url, t.users[role].username, t.users[role].password);
  return watched;
}

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const { issue } = await seedIssue(t.db, {
    title: '网传社保卡将全部作废',
    mentions: [
      { title: '社保卡要作废了？', body: '群里说下月全部作废', publishedAt: new Date('2026-12-01T01:00:00Z') },
      { title: '人社局辟谣：社保卡继续有效', body: '', publishedAt: new Date('2026-12-01T05:00:00Z') },
    ],
  });
  issueId = issue.id;
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe('政策风险评估 page', () => {
  it(
    'uploads a real draft and shows the clause table, the questions and the report link',
    async () => {
      const { page, problems } = await pageAs('leader');
      await page.click('#nav a:text-is("政策评估")');
      await page.waitForSelector('#policy-upload');
      await page.setInputFiles('#policy-upload input[type=file]', DRAFT);
      await page.click('#policy-upload button[type=submit]');
      await page.waitForSelector('#clause-table tbody tr', { timeout: SLOW_MS });
      expect(await page.locator('#clause-table tbody tr').count()).toBe(15);
      expect(await page.locator('#policy-result h2').innerText()).toBe(
        '《关于学习运用千村示范、万村整治工程经验有力有效推进乡村全面振兴的意见》',
      );
      expect(await page.locator('#clause-table tbody tr').first().innerText()).toContain('低风险');
      expect(await page.locator('#policy-questions li').count()).toBeGreaterThan(0);
      expect(await page.locator('#policy-report').getAttribute('href')).toMatch(
        /\/api\/policy\/assessments\/\d+\/report$/,
      );
      await expect.poll(() => page.locator('#policy-list tbody tr').count()).toBe(1);
      await screenshot(page, 'policy-assessment');
      expect(problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    },
    SLOW_MS * 3,
  );

  it('is not in an analyst’s navigation', async () => {
    const { page } = await pageAs('analyst');
    expect(await page.locator('#nav a').allInnerTexts()).not.toContain('政策评估');
  });
});

describe('辟谣 card', () => {
  it(
    'marks a rumour, starts the rebuttal from its template and draws the spread chart once published',
    async () => {
      const analyst = await pageAs('analyst');
      await analyst.page.goto(`${t.url}/issues/${issueId}`);
      await analyst.page.fill('#rumour-form input[name=note]', '网传社保卡下月全部作废');
      await analyst.page.click('#rumour-form button[type=submit]');
      await expect.poll(() => analyst.page.locator('#rumour-status').innerText()).toContain('网传社保卡下月全部作废');
      expect(await analyst.page.locator('#start-rebuttal').count()).toBe(0);

      const spokes = await pageAs('spokesperson');
      await spokes.page.goto(`${t.url}/issues/${issueId}`);
      await Promise.all([spokes.page.waitForURL(/\/responses\/\d+$/), spokes.page.click('#start-rebuttal')]);
      await expect.poll(() => spokes.page.locator('h1').innerText()).toContain('辟谣说明');
      const responseId = Number(new URL(spokes.page.url()).pathname.split('/')[2]);

      // Fill in, approve and publish through the API (the workspace's own forms are tested elsewhere).
      const sp = await ApiClient.login(t.url, t.users.spokesperson);
      const leader = await ApiClient.login(t.url, t.users.leader);
      const body =
        '关于社保卡的辟谣说明\n【事实】社保卡继续有效。\n【依据】国家社保卡管理规定。\n【权威来源】本局官网。\n【联系方式】12333。';
      expect((await sp.post(`/api/responses/${responseId}/versions`, { body })).status).toBe(201);
      expect((await sp.post(`/api/responses/${responseId}/submit`)).status).toBe(200);
      expect((await leader.post(`/api/responses/${responseId}/approve`, {})).status).toBe(200);
      expect(
        (
          await sp.post(`/api/responses/${responseId}/publish`, {
            channel: '官网',
            publishedAt: '2026-12-01T03:00:00Z',
          })
        ).status,
      ).toBe(201);

      await analyst.page.reload();
      await analyst.page.waitForSelector('#rumour-spread-chart', { timeout: SLOW_MS });
      expect(await analyst.page.locator('#rumour-spread-chart polyline').count()).toBe(2);
      expect(await analyst.page.locator('#rumour-spread-chart .notice-line').count()).toBe(1);
      expect(await analyst.page.locator('#rumour-spread').innerText()).toContain('引用辟谣的信息 1 条');
      expect(await analyst.page.locator('#rumour-spread-rule').innerText()).toContain('统计口径');
      await screenshot(analyst.page, 'rumour-spread');
      expect(analyst.problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
      expect(spokes.problems).toEqual({ errors: [], dialogs: [], cspViolations: [] });
    },
    SLOW_MS * 4,
  );
});
