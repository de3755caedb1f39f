// The zh-CN interface in real Chromium: corrections picked from Chinese labels, audit details in Chinese with
// objects by name, the source form's schedule picker and per-kind fields, the 403 page naming the roles, the
// 舆情日报 page in 北京时间, and Bull Board in Chinese without Google Fonts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { appendAudit, listAudit, listSourcesWithHealth } from '@yuqing/db';
import { seedIssue, seedMention, seedSource, sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';

/** Generous: two cores shared with other test runs. */
const SLOW_MS = 30_000;

const OVERVIEW_CATEGORIES = [
  '退休政策及待遇调整咨询',
  '城镇职工基本养老保险',
  '城乡居民基本医疗保险',
  '失业保险金申领',
  '工伤认定与劳动能力鉴定',
  '生育保险待遇',
  '就业创业扶持政策',
  '职业技能培训补贴',
  '欠薪与劳动关系',
  '人才引进与落户',
  '社会保障卡服务',
];

/** Every category of the seeded mentions and issues, as the correction lists offer them (sorted here). */
const ALL_CATEGORIES = ['养老保险', '工伤保险', ...OVERVIEW_CATEGORIES].sort();

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
let issueId: number;
let issueTitle: string;

async function pageAs(role: 'analyst' | 'leader' | 'admin') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  const watched = await newWatchedPage(context);
  const user = t.users[role];
  await loginThroughUi(watched.page, t.url, user.username, user.password);
  return watched;
}

/** The texts of a select's options, in order. */
async function optionTexts(page: Page, selector: string): Promise<string[]> {
  return page.locator(`${selector} option`).allInnerTexts();
}

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const source = await seedSource(t.db, { name: '市民论坛' });
  issueTitle = '某区养老金发放延迟';
  const seeded = await seedIssue(t.db, {
    title: issueTitle,
    category: '养老保险',
    mentions: [
      { title: '养老金这个月还没到账', body: '退休职工反映养老金延迟发放', sentiment: 'negative', sourceId: source.id },
    ],
  });
  issueId = seeded.issue.id;
  await seedIssue(t.db, {
    title: '工伤认定咨询',
    category: '工伤保险',
    mentions: [{ title: '工伤认定要多久', body: '咨询工伤认定流程', sentiment: 'neutral', sourceId: source.id }],
  });
  // Many categories, some with long names: the overview's legend must show them all, whole.
  for (const [i, category] of OVERVIEW_CATEGORIES.entries())
    await seedMention(t.db, {
      sourceId: source.id,
      title: `${category}相关留言`,
      body: '市民留言',
      category,
      sentiment: 'neutral',
      publishedAt: new Date(Date.now() - (i % 3) * 86400_000),
    });
  // A flag audited before the pipeline wrote Chinese reasons: the audit view translates it.
  await appendAudit(t.db, {
    action: 'issue.flagged',
    entityType: 'issue',
    entityId: issueId,
    details: { level: 'general', reason: 'flagged: hotness 74.8 is 34.6× the 养老保险 baseline' },
  });
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

describe('zh-CN interface in Chromium', () => {
  it('corrects a mention by Chinese labels: 负面/非负面, categories, 相关/不相关', async () => {
    const { page, problems } = await pageAs('analyst');
    await page.goto(`${t.url}/issues/${issueId}`);
    const form = page.locator('form.label-form').first();
    await form.waitFor({ timeout: SLOW_MS });
    expect(await optionTexts(page, 'form.label-form >> nth=0 >> select[name=task]')).toEqual([
      '相关性',
      '类别',
      '情感',
    ]);
    expect(await optionTexts(page, 'form.label-form >> nth=0 >> select[name=label]')).toEqual(['负面', '非负面']);
    // The seeded mention is negative: the form starts from what the mention is now.
    expect(await form.locator('select[name=label]').inputValue()).toBe('negative');

    await form.locator('select[name=task]').selectOption('category');
    expect((await optionTexts(page, 'form.label-form >> nth=0 >> select[name=label]')).sort()).toEqual(ALL_CATEGORIES);
    await form.locator('select[name=task]').selectOption('relevance');
    expect(await optionTexts(page, 'form.label-form >> nth=0 >> select[name=label]')).toEqual(['相关', '不相关']);
    await form.locator('select[name=label]').selectOption({ label: '不相关' });
    await form.locator('button[type=submit]').click();

    await expect
      .poll(async () => (await listAudit(t.db, { entityType: 'mention' })).map((a) => a.details), { timeout: SLOW_MS })
      .toContainEqual(expect.objectContaining({ task: 'relevance', to: 'irrelevant' }));
    const labels = await sqlRows<{ task: string; label: string }>(
      t.databaseUrl,
      'SELECT task, label FROM "AnalystLabel"',
    );
    expect(labels).toEqual([{ task: 'relevance', label: 'irrelevant' }]);
    // The issue's category is picked from the same list, not typed.
    expect((await optionTexts(page, 'select[name=category]')).sort()).toEqual(ALL_CATEGORIES);
    expect(problems.errors).toEqual([]);
  });

  it('shows audit details as Chinese rows with objects by name and flag reasons in Chinese', async () => {
    const { page, problems } = await pageAs('admin');
    await page.goto(`${t.url}/audit`);
    await page.waitForSelector('#audit-table tbody tr dl.kv', { timeout: SLOW_MS });
    const table = page.locator('#audit-table');
    const flagRow = table.locator('tbody tr', { hasText: '标记热点' });
    await expect.poll(() => flagRow.count()).toBe(1);
    const flagText = await flagRow.innerText();
    expect(flagText).toContain(`议题 #${issueId} ${issueTitle}`);
    expect(flagText).toContain('级别');
    expect(flagText).toContain('一般');
    expect(flagText).toContain('热度 74.8，为「养老保险」类日常水平的 34.6 倍');
    const labelRow = table.locator('tbody tr', { hasText: '更正标注' });
    const labelText = await labelRow.innerText();
    expect(labelText).toContain('标注类型');
    expect(labelText).toContain('相关性');
    expect(labelText).toContain('不相关');
    const all = await table.innerText();
    for (const english of ['issue.flagged', 'baseline', '"task"', 'relevance', 'irrelevant', 'user #'])
      expect(all).not.toContain(english);
    // The entity filter is a select of Chinese names; the number box says what goes in it.
    expect(await optionTexts(page, 'select[name=entityType]')).toContain('议题');
    expect(await page.locator('input[name=entityId]').getAttribute('placeholder')).toBe('如 12');
    await page.locator('select[name=entityType]').selectOption({ label: '提及' });
    await page.locator('form.filters button[type=submit]').click();
    await expect.poll(() => table.locator('tbody tr', { hasText: '标记热点' }).count()).toBe(0);
    await screenshot(page, 'zh-audit');
    expect(problems.errors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  it('adds a source with the schedule picker and the html kind’s own fields', async () => {
    const { page, problems } = await pageAs('admin');
    await page.goto(`${t.url}/sources`);
    const form = page.locator('#add-source');
    await form.waitFor({ timeout: SLOW_MS });
    expect(await optionTexts(page, '#add-source select[name=schedulePreset]')).toEqual([
      '每 5 分钟',
      '每 15 分钟',
      '每 30 分钟',
      '每小时',
      '每天 8:00',
      '工作日 8:00',
      '自定义 cron',
    ]);
    // No raw JSON box in view: the rss kind's fields, the JSON folded under 高级.
    expect(await form.locator('textarea[name=config]').isVisible()).toBe(false);
    expect(await page.locator('#schemes-body').innerText()).toContain('尚无监测方案');

    await form.locator('input[name=name]').fill('区人社局通知');
    await form.locator('select[name=kind]').selectOption('html');
    const links = form.locator('input[name="config.list.itemLinks"]');
    await links.waitFor();
    expect(await form.locator('fieldset.config-fields').innerText()).toContain('列表页文章链接（CSS 选择器）');
    expect(await links.getAttribute('required')).not.toBeNull();
    await links.fill('ul.news a');
    await form.locator('input[name="config.list.maxPages"]').fill('3');
    await form.locator('input[name=url]').fill('http://127.0.0.1:9/notices/');
    await form.locator('select[name=schedulePreset]').selectOption({ label: '工作日 8:00' });
    await form.locator('button[type=submit]').click();

    await page.waitForSelector('#sources-table tbody tr:has-text("区人社局通知")', { timeout: SLOW_MS });
    const sources = await listSourcesWithHealth(t.db, new Date());
    const added = sources.find((s) => s.name === '区人社局通知');
    expect(added).toMatchObject({
      kind: 'html',
      schedule: '0 8 * * 1-5',
      config: { list: { itemLinks: 'ul.news a', maxPages: 3 } },
    });
    const row = page.locator('#sources-table tbody tr', { hasText: '区人社局通知' });
    expect(await row.innerText()).toContain('工作日 8:00');

    // 自定义 cron reveals the cron box.
    await form.locator('select[name=schedulePreset]').selectOption('custom');
    expect(await form.locator('input[name=cron]').isVisible()).toBe(true);
    await screenshot(page, 'zh-sources');
    expect(problems.errors).toEqual([]);
  });

  it('shows every category of the overview chart with its full name, the legend below the plot', async () => {
    const { page, problems } = await pageAs('leader');
    await page.goto(`${t.url}/`);
    await page.waitForSelector('#volume-chart canvas', { timeout: SLOW_MS });
    const option = await page.evaluate(() => {
      const el = document.getElementById('volume-chart')!;
      const { echarts } = window as unknown as { echarts: { getInstanceByDom(el: Element): { getOption(): unknown } } };
      const o = echarts.getInstanceByDom(el).getOption() as {
        legend: { type: string; bottom: number; data: string[] }[];
        grid: { top: number; bottom: number }[];
      };
      return { legend: o.legend[0]!, grid: o.grid[0]!, height: el.clientHeight };
    });
    expect(option.legend.type).toBe('plain');
    expect(option.legend.bottom).toBe(0);
    for (const category of OVERVIEW_CATEGORIES) expect(option.legend.data).toContain(category);
    // The plot leaves room for the wrapped legend rows; the axis names sit above the plot, away from it.
    expect(option.grid.bottom).toBeGreaterThan(30 + 24);
    expect(option.height).toBeGreaterThan(260);
    await screenshot(page, 'zh-overview');
    expect(problems.errors).toEqual([]);
  });

  it('says on the 403 page which roles may open it', async () => {
    const { page } = await pageAs('analyst');
    const response = await page.goto(`${t.url}/audit`);
    expect(response?.status()).toBe(403);
    const message = page.locator('#forbidden-message');
    await message.waitFor({ timeout: SLOW_MS });
    await expect.poll(() => message.innerText()).toContain('此页面仅限分管领导、管理员查看，您当前的角色是分析员');
    const usersPage = await page.goto(`${t.url}/users`);
    expect(usersPage?.status()).toBe(403);
    await expect.poll(() => page.locator('#forbidden-message').innerText()).toContain('此页面仅限管理员查看');
  });

  it('shows the digest send time in 北京时间', async () => {
    const { page } = await pageAs('leader');
    await page.goto(`${t.url}/digests`);
    await page.waitForSelector('#subscription-state', { timeout: SLOW_MS });
    expect(await page.locator('main').innerText()).toContain('北京时间');
    expect(await page.locator('main').innerText()).not.toContain('Asia/Shanghai');
  });

  it('runs Bull Board in Chinese with named queues, a way back, and no Google Fonts', async () => {
    const { page, problems } = await pageAs('admin');
    const fontRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('fonts.googleapis.com')) fontRequests.push(r.url());
    });
    const response = await page.goto(`${t.url}/admin/queues`);
    expect(await response?.text()).not.toContain('fonts.googleapis.com');
    await expect.poll(() => page.locator('body').innerText(), { timeout: SLOW_MS }).toContain('抓取（crawl）');
    // Bull Board puts the extra links in the header's last menu.
    await page.locator('header ul[class^="actions"] > li:last-child button').click();
    const back = page.getByText('返回舆情监测');
    await back.waitFor({ timeout: SLOW_MS });
    expect(await back.evaluate((el) => el.closest('a')?.getAttribute('href'))).toBe('/');
    const text = await page.locator('body').innerText();
    for (const name of ['入库（ingest）', '分析（analyse）', '日报（digest）']) expect(text).toContain(name);
    // Bull Board's own words in its zh-CN locale.
    expect(text).toContain('已完成');
    expect(fontRequests).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    await screenshot(page, 'zh-queues');
  });
});
