import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { hashPassword } from '@yuqing/core';
import { createUser, listAudit } from '@yuqing/db';
import { seedIssue, seedMention, seedSource, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const XSS_TITLE = '<img src=x onerror="window.__xss=1;alert(1)">欠薪<script>window.__xss=2;alert(2)</script>';
const XSS_BODY = '<svg onload="alert(3)"></svg><style>body{display:none}</style><a href="javascript:alert(4)">点我</a>';

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
let issueId: number;

async function contextFor() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const source = await seedSource(t.db, { name: '市民论坛' });
  for (let i = 0; i < 6; i++)
    await seedMention(t.db, {
      sourceId: source.id,
      title: `社保卡补办咨询 ${i}`,
      body: '请问社保卡丢了怎么补办',
      category: '社会保险',
      sentiment: i % 2 ? 'negative' : 'neutral',
      publishedAt: new Date(Date.now() - i * 86400_000),
    });
  const seeded = await seedIssue(t.db, {
    title: '某公司拖欠农民工工资',
    level: 'none',
    category: '劳动关系',
    keywords: ['欠薪', '农民工', '劳动监察'],
    hotness: 42,
    mentions: [
      {
        title: '某公司拖欠工资三个月',
        body: '几十名工人讨薪无果',
        sentiment: 'negative',
        sourceId: source.id,
        contentHash: 'dup',
      },
      { title: '某公司拖欠工资三个月', body: '几十名工人讨薪无果', sentiment: 'negative', contentHash: 'dup' },
      {
        title: XSS_TITLE,
        body: XSS_BODY,
        url: 'http://127.0.0.1:9/x?<script>',
        sentiment: 'negative',
        sourceId: source.id,
      },
    ],
  });
  issueId = seeded.issue.id;
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

// Each test walks several pages as several users: on 2 busy cores that takes longer than the default 60 s.
describe('dashboard in Chromium', { timeout: 240_000 }, () => {
  it('logs in, lists crawled mentions, renders a hostile mention as text', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await page.goto(`${t.url}/mentions`);
    expect(page.url()).toContain('/login?next=%2Fmentions');
    await page.fill('input[name=username]', 'analyst1');
    await page.fill('input[name=password]', t.users.analyst.password);
    await Promise.all([page.waitForURL(`${t.url}/mentions`), page.click('button[type=submit]')]);
    await page.waitForSelector('#mention-list .mention');
    expect(await page.locator('#mention-list .mention').count()).toBe(9);
    // The payload is visible as literal text, nothing of it ran or became markup.
    const hostile = page.locator('#mention-list .mention', { hasText: '欠薪' }).filter({ hasText: '<script>' });
    await expect.poll(() => hostile.count()).toBe(1);
    expect(await hostile.locator('h3').innerText()).toBe(XSS_TITLE);
    expect(
      await page.locator('#mention-list img, #mention-list script, #mention-list svg, #mention-list style').count(),
    ).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('body').isVisible()).toBe(true);
    // Search narrows the list (CJK full text).
    await page.fill('input[name=q]', '补办');
    await page.click('form.filters button[type=submit]');
    await expect.poll(() => page.locator('#mention-list .mention').count()).toBe(6);
    await screenshot(page, 'mentions');
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
  });

  it('shows the overview with charts, word cloud and source health', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'leader1', t.users.leader.password);
    await page.waitForSelector('#volume-chart canvas');
    await page.waitForSelector('#level-chart canvas');
    expect(await page.locator('#word-cloud a').count()).toBeGreaterThan(0);
    expect(await page.locator('text=市民论坛').count()).toBeGreaterThan(0);
    await screenshot(page, 'overview');
    expect(problems.errors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  it('triages an issue: confirm and set level (deadline appears), hostile timeline entry stays inert', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'analyst1', t.users.analyst.password);
    await page.goto(`${t.url}/issues`);
    await page.waitForSelector(`tr[data-id="${issueId}"]`);
    await screenshot(page, 'issues');
    await page.click(`tr[data-id="${issueId}"] a`);
    await page.waitForSelector('#triage');
    expect(await page.locator('.timeline > li').count()).toBe(2);
    expect(await page.locator('.folded summary').innerText()).toContain('另有 1 条转载');
    // Confirming asks for the level, and the deadline follows from it.
    await page.selectOption('select[name=confirmLevel]', 'major');
    await page.click('#confirm-issue');
    await expect.poll(() => page.locator('#issue-status').innerText()).toBe('已确认');
    await page.waitForSelector('#issue-deadline');
    expect(await page.locator('#issue-deadline').innerText()).toMatch(/剩余 4[78] 小时/);
    await page.selectOption('select[name=level]', 'severe');
    await page.click('form:has(select[name=level]) button[type=submit]');
    await expect.poll(() => page.locator('#issue-deadline').innerText()).toMatch(/剩余 2[34] 小时/);
    await page.waitForSelector('#hotness-chart canvas');
    await screenshot(page, 'issue-detail');
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
    const actions = (await listAudit(t.db, { entityType: 'issue', entityId: String(issueId) })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['issue.confirm', 'issue.level']));
  });

  it('runs a response from draft to publication with an attachment, visible in the audit log', async () => {
    const sp = await newWatchedPage(await contextFor());
    await loginThroughUi(sp.page, t.url, 'spokesperson1', t.users.spokesperson.password);
    await sp.page.goto(`${t.url}/issues/${issueId}`);
    await sp.page.fill('#new-response textarea[name=body]', '我局已责成劳动监察大队调查处理。');
    await Promise.all([sp.page.waitForURL(/\/responses\/\d+$/), sp.page.click('#new-response button[type=submit]')]);
    const responseUrl = sp.page.url();
    await sp.page.waitForSelector('#upload-form');
    await sp.page.setInputFiles('#upload-form input[type=file]', {
      name: '调查通报.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await sp.page.click('#upload-form button[type=submit]');
    await sp.page.waitForSelector('#materials a[href*="/api/materials/"]');
    expect(await sp.page.locator('#materials .remove-material').count()).toBe(1);
    await sp.page.click('#submit-response');
    await expect.poll(() => sp.page.locator('#response-status').innerText()).toBe('待审批');
    // Submitted: the material belongs to the version under review, so no upload or removal is offered.
    await sp.page.waitForSelector('#materials-frozen');
    expect(await sp.page.locator('#upload-form, #materials .remove-material').count()).toBe(0);

    const leader = await newWatchedPage(await contextFor());
    await loginThroughUi(leader.page, t.url, 'leader1', t.users.leader.password);
    await leader.page.goto(responseUrl);
    await leader.page.fill('#decision-form textarea[name=comment]', '请补充处理时限');
    await leader.page.click('#return-response');
    await expect.poll(() => leader.page.locator('#response-status').innerText()).toBe('已退回');

    await sp.page.reload();
    await sp.page.fill('#revise-form textarea[name=body]', '我局已责成劳动监察大队调查处理，7 日内公布结果。');
    await sp.page.click('#revise-form button[type=submit]');
    await expect.poll(() => sp.page.locator('#response-text').textContent()).toContain('7 日内');
    await sp.page.click('#show-diff');
    await sp.page.waitForSelector('#diff ins');
    expect(await sp.page.locator('#diff ins').first().innerText()).toContain('7 日内公布结果');
    await sp.page.click('#submit-response');
    await expect.poll(() => sp.page.locator('#response-status').innerText()).toBe('待审批');

    await leader.page.reload();
    await leader.page.click('#approve-response');
    await expect.poll(() => leader.page.locator('#response-status').innerText()).toBe('已批准');

    await sp.page.reload();
    await sp.page.selectOption('#publish-form select[name=channel]', '政务微博');
    await sp.page.fill('#publish-form input[name=url]', 'https://weibo.example.com/hrss/1');
    await sp.page.click('#publish-form button[type=submit]');
    await expect.poll(() => sp.page.locator('#response-status').innerText()).toBe('已发布');
    await screenshot(sp.page, 'response-workspace');
    // The issue is resolved now: its page offers none of 确认/排除/合并/拆分/创建回应草稿.
    await sp.page.goto(`${t.url}/issues/${issueId}`);
    await expect.poll(() => sp.page.locator('#issue-status').innerText()).toBe('已处置');
    expect(await sp.page.locator('#new-response, #confirm-issue').count()).toBe(0);
    expect(sp.problems.errors).toEqual([]);
    expect(leader.problems.errors).toEqual([]);

    const admin = await newWatchedPage(await contextFor());
    await loginThroughUi(admin.page, t.url, 'admin1', t.users.admin.password);
    // An admin may triage and draft, yet the resolved issue offers none of those actions (assign and level stay).
    await admin.page.goto(`${t.url}/issues/${issueId}`);
    await admin.page.waitForSelector('#triage form');
    const closedActions = '#confirm-issue, #triage input[name=reason], #triage input[name=ids], #new-response';
    expect(await admin.page.locator(closedActions).count()).toBe(0);
    await admin.page.goto(`${t.url}/audit`);
    await admin.page.waitForSelector('#audit-table tbody tr');
    const auditText = await admin.page.locator('#audit-table').innerText();
    for (const action of ['发布', '批准', '退回', '提交审批', '添加材料', '创建回应', '设置级别', '确认议题', '登录'])
      expect(auditText).toContain(action);
    await screenshot(admin.page, 'audit');
    for (const [path, name, selector] of [
      ['/responses', 'responses', 'table.data'],
      ['/sources', 'sources', '#sources-table'],
      ['/users', 'users', '#users-table'],
    ] as const) {
      await admin.page.goto(`${t.url}${path}`);
      await admin.page.waitForSelector(selector);
      await screenshot(admin.page, name);
    }
    await admin.page.goto(`${t.url}/admin/queues`);
    await admin.page.waitForSelector('text=crawl', { timeout: 15_000 });
    await screenshot(admin.page, 'bull-board');
    expect(admin.problems.errors).toEqual([]);
  });

  it('is readable on a tablet', async () => {
    const context = await browser.newContext({
      viewport: { width: 820, height: 1180 },
      locale: 'zh-CN',
      hasTouch: true,
    });
    contexts.push(context);
    const { page } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, 'analyst1', t.users.analyst.password);
    await page.goto(`${t.url}/issues/${issueId}`);
    await page.waitForSelector('#triage');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'issue-detail-tablet');
  });

  it('stays on the dashboard after login whatever next says (issue #20: /%09/host, %0A)', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    const offsite = new URL(t.url).port === '3701' ? '127.0.0.1:3702' : '127.0.0.1:3701';
    for (const next of [`/%09/${offsite}/x`, `/%0A/${offsite}/x`, `/%5C${offsite}/x`]) {
      await page.goto(`${t.url}/login?next=${encodeURIComponent(decodeURIComponent(next))}`);
      await page.fill('input[name=username]', 'leader1');
      await page.fill('input[name=password]', t.users.leader.password);
      await Promise.all([page.waitForURL(`${t.url}/`), page.click('button[type=submit]')]);
      expect(new URL(page.url()).origin).toBe(t.url);
      // Log out once the overview has its data: a logout racing its requests leaves them a 401 (seen under load).
      await page.waitForSelector('body[data-ready="true"]');
      await page.click('#whoami button');
      await page.waitForURL(`${t.url}/login`);
    }
    expect(problems.errors).toEqual([]);
  });

  it('lets any role change its own password from the menu', async () => {
    await createUser(t.db, {
      username: 'reader9',
      displayName: '读者九',
      passwordHash: await hashPassword('willow-柳树-harbor'),
      role: 'analyst',
    });
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'reader9', 'willow-柳树-harbor');
    await Promise.all([page.waitForURL(`${t.url}/password`), page.click('#whoami a[href$="/password"]')]);
    await page.fill('input[name=currentPassword]', 'willow-柳树-harbor');
    await page.fill('input[name=newPassword]', '1234567890');
    await page.fill('input[name=repeatPassword]', '1234567890');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('form [role=alert]').innerText()).toContain('过于常见');
    await page.fill('input[name=newPassword]', 'maple-枫叶-lighthouse');
    await page.fill('input[name=repeatPassword]', 'maple-枫叶-lighthouse');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#toast').innerText()).toContain('密码已修改');
    // Still logged in with the rotated session: a page that needs one loads.
    await page.goto(`${t.url}/issues`);
    expect(new URL(page.url()).pathname).toBe('/issues');
    // Log out once the page has its data: a logout racing the page's own requests leaves them a 401.
    await page.waitForSelector('body[data-ready="true"]');
    await page.click('#whoami button');
    await page.waitForURL(`${t.url}/login`);
    await loginThroughUi(page, t.url, 'reader9', 'maple-枫叶-lighthouse');
    expect(new URL(page.url()).pathname).toBe('/');
    // The refused weak password is the one logged error (the browser reports the 400); nothing else went wrong.
    expect(problems.errors).toEqual([expect.stringMatching(/400/)]);
    expect(problems.cspViolations).toEqual([]);
  });
});
