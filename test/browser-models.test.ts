// The 模型管理 page in Chromium: the shipped models' cards and figures, the retrain history with promote and roll
// back, and analysts' corrections, on real PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { labelMention, saveModelVersion } from '@yuqing/db';
import { seedMention, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';

let t: TestDashboard;
let browser: Browser;

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  const data = Buffer.from('{}');
  await saveModelVersion(t.db, {
    task: 'sentiment',
    version: '1',
    data,
    metrics: { macroF1: 0.8 },
    trainedOn: 30,
    promote: false,
  });
  await saveModelVersion(t.db, {
    task: 'sentiment',
    version: '2',
    data,
    metrics: { macroF1: 0.83 },
    trainedOn: 42,
    promote: true,
  });
  const mention = await seedMention(t.db, { title: '单位拖欠工资三个月', body: '多次讨要无果' });
  await labelMention(t.db, mention.id, 'sentiment', 'negative', { actorId: t.users.analyst.id });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe('模型管理 page', () => {
  it('shows cards, history and corrections, and rolls a task back to the shipped default', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await newWatchedPage(context);
    await loginThroughUi(page, t.url, 'admin1', t.users.admin.password);
    await page.goto(`${t.url}/models`);
    await page.waitForSelector('#model-versions tbody tr');
    const text = await page.locator('main').innerText();
    expect(text).toContain('sentiment@2');
    expect(text).toContain('default:relevance');
    expect(text).toContain('relevance F1');
    expect(text).toContain('许可说明');
    expect(await page.locator('#model-corrections').innerText()).toContain('negative');
    await screenshot(page, 'models');
    await page.click('button:has-text("回滚到内置默认模型")');
    await expect.poll(() => page.locator('main').innerText(), { timeout: 15_000 }).toContain('default:sentiment');
    expect(problems.errors).toEqual([]);
    await context.close();
  }, 120_000);
});
