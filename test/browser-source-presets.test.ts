// The 信源 page's 按预设添加 form in Chromium: fields generated from the preset's params, a missing parameter marked
// at its own field after 检查, then a 微博 source added from the form appears in the table; a hot list chosen from
// the platform list likewise; analysts do not see it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { sqlRows, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage } from './helpers/browser.ts';

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

async function pageAs(role: 'admin' | 'analyst') {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  const watched = await newWatchedPage(context);
  await loginThroughUi(watched.page, t.url, t.users[role].username, t.users[role].password);
  await watched.page.goto(`${t.url}/sources`);
  await watched.page.waitForSelector('#sources-table');
  return watched;
}

describe('按预设添加信源', { timeout: 180_000 }, () => {
  it('generates the fields, marks the missing one, adds a 微博 user source', async () => {
    const { page, problems } = await pageAs('admin');
    await page.selectOption('#add-source-preset select[name=preset]', 'weibo-user');
    expect(
      await page.locator('#preset-params input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).name)),
    ).toEqual(['param.uid', 'param.cookie']);
    expect(await page.getAttribute('#preset-params input[name="param.cookie"]', 'type')).toBe('password');
    await page.click('#add-source-preset button:has-text("检查")');
    await page.waitForSelector('#preset-params [aria-invalid=true]');
    expect(await page.getAttribute('#preset-params [aria-invalid=true]', 'name')).toBe('param.uid');
    expect(await page.textContent('#preset-params .field-error')).toContain('请填写用户 UID');
    await page.fill('#preset-params input[name="param.uid"]', '1669879400');
    await page.click('#add-source-preset button[type=submit]');
    await page.waitForSelector('#sources-table td:has-text("微博用户：1669879400")');
    const rows = await sqlRows<{ kind: string }>(
      t.databaseUrl,
      `SELECT kind FROM "Source" WHERE name = '微博用户：1669879400'`,
    );
    expect(rows).toEqual([{ kind: 'weibo' }]);
    // The one 400 is the 检查 answer that named the missing parameter; nothing else went wrong in the page.
    expect(problems.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
  });

  it('adds a platform hot list (平台热榜) chosen from the platform list', async () => {
    const { page, problems } = await pageAs('admin');
    await page.selectOption('#add-source-preset select[name=preset]', 'hotlist');
    const platform = '#preset-params select[name="param.platform"]';
    expect(
      await page.locator(`${platform} option`).evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).label)),
    ).toEqual(['请选择', '微博热搜', '知乎热榜', '百度热搜', '抖音热点', '今日头条热榜']);
    await page.click('#add-source-preset button:has-text("检查")');
    await page.waitForSelector('#preset-params [aria-invalid=true]');
    expect(await page.textContent('#preset-params .field-error')).toContain('请填写平台');
    await page.selectOption(platform, 'zhihu');
    await page.click('#add-source-preset button[type=submit]');
    await page.waitForSelector('#sources-table td:has-text("知乎热榜")');
    const rows = await sqlRows<{ kind: string; url: string; schedule: string }>(
      t.databaseUrl,
      `SELECT kind, url, schedule FROM "Source" WHERE name = '知乎热榜'`,
    );
    expect(rows).toEqual([{ kind: 'hotlist', url: 'https://www.zhihu.com', schedule: '*/15 * * * *' }]);
    expect(problems.errors.filter((e) => !e.includes('status of 400'))).toEqual([]);
  });

  it('is not offered to analysts', async () => {
    const { page } = await pageAs('analyst');
    expect(await page.locator('#add-source-preset').count()).toBe(0);
  });
});
