// The 日报订阅 / 舆情日报 page in real Chromium, on the digest router mounted as `yq start` mounts it.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { dateInZone, zonedTimeToUtc } from '@yuqing/core';
import { claimSentDigest, findDigestRecipient, listAudit, markSentDigestFailed, updateUserAudited } from '@yuqing/db';
import { digestFixtures, startTestDashboard, type TestDashboard } from '@yuqing/testkit';
import { launchBrowser, loginThroughUi, newWatchedPage, screenshot } from './helpers/browser.ts';
import { readZipEntry } from './helpers/zip.ts';

const ZONE = 'Asia/Shanghai';
const ISSUE_TITLE = '某区社保卡补办排长队引发不满';
const SMTP_ERROR = '[SMTP_UNAVAILABLE] connect ECONNREFUSED 127.0.0.1:2525';

let t: TestDashboard;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Yesterday in the bureau's zone: the page's default date. */
let yesterday: string;
/** A digest date as the page shows it, in the form of every other date there (2026/12/03). */
const shownDate = (day: string) => day.replaceAll('-', '/');

async function contextFor() {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  contexts.push(context);
  return context;
}

beforeAll(async () => {
  t = await startTestDashboard();
  browser = await launchBrowser();
  yesterday = dateInZone(new Date(Date.now() - 86400_000), ZONE);
  const [y, m, d] = yesterday.split('-').map(Number) as [number, number, number];
  const tenAm = zonedTimeToUtc(y, m, d, 10, 0, 0, ZONE);
  await updateUserAudited(
    t.db,
    t.users.leader.id,
    { email: 'leader@example.gov.cn' },
    { actorId: t.users.admin.id, ip: null },
  );
  const issue = await digestFixtures.issue(t.db, {
    title: ISSUE_TITLE,
    category: '社会保险',
    level: 'major',
    hotness: 55,
    mentionCount: 12,
    firstSeenAt: tenAm,
    flaggedAt: tenAm,
  });
  await digestFixtures.flag(t.db, {
    issueId: issue.id,
    level: 'major',
    reason: '半日内相关信息12条',
    createdAt: tenAm,
  });
  // The leader's digest for yesterday failed once (SMTP down).
  const claim = await claimSentDigest(t.db, { userId: t.users.leader.id, digestDate: yesterday, staleAfterMs: 60_000 });
  await markSentDigestFailed(t.db, { id: claim.row.id, attempt: claim.row.attempts, error: SMTP_ERROR });
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await t?.close();
});

// Several page loads per test: on 2 busy cores that takes longer than the default 60 s.
describe('日报订阅 / 舆情日报 in Chromium', { timeout: 240_000 }, () => {
  it('a leader changes the subscription, downloads the .docx briefing and sees the sent digests', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'leader1', t.users.leader.password);
    await page.click('#nav a:has-text("舆情日报")');
    await page.waitForSelector('#subscription-form');

    // A leader without a saved row gets everything by default.
    expect(await page.locator('#subscription-state').innerText()).toContain('默认');
    expect(await page.isChecked('input[name=enabled]')).toBe(true);
    expect(await page.isChecked('input[name=attachDocx]')).toBe(true);
    for (const kind of ['week', 'month', 'quarter', 'year'])
      expect(await page.isChecked(`input[name=reportKinds][value=${kind}]`), kind).toBe(true);
    await page.fill('input[name=sendTime]', '07:30');
    await page.selectOption('select[name=minLevel]', 'major');
    await page.check('input[name=categories][value="社会保险"]');
    await page.uncheck('input[name=attachDocx]');
    // Only the 月报 and the 季报 besides the daily digest.
    await page.uncheck('input[name=reportKinds][value=week]');
    await page.uncheck('input[name=reportKinds][value=year]');
    await page.click('#subscription-form button[type=submit]');
    // The toast hides itself after 3 s, which a loaded machine can miss; its text stays.
    await expect.poll(() => page.locator('#toast').textContent()).toBe('订阅已保存');
    await expect.poll(() => page.locator('#subscription-state').innerText()).toBe('已保存的订阅');
    const saved = await findDigestRecipient(t.db, t.users.leader.id);
    expect(saved?.subscription).toMatchObject({
      enabled: true,
      sendTime: '07:30',
      minLevel: 'major',
      categories: ['社会保险'],
      attachDocx: false,
      reportKinds: ['month', 'quarter'],
    });
    expect((await listAudit(t.db, { entityType: 'DigestSubscription' })).map((a) => a.action)).toContain(
      'digest.subscription.update',
    );

    // Saved means saved: a fresh load shows the same values.
    await page.reload();
    await page.waitForSelector('#subscription-form');
    expect(await page.inputValue('input[name=sendTime]')).toBe('07:30');
    expect(await page.inputValue('select[name=minLevel]')).toBe('major');
    expect(await page.isChecked('input[name=categories][value="社会保险"]')).toBe(true);
    expect(await page.isChecked('input[name=attachDocx]')).toBe(false);
    expect(await page.isChecked('input[name=reportKinds][value=week]')).toBe(false);
    expect(await page.isChecked('input[name=reportKinds][value=quarter]')).toBe(true);

    // The sent-digest ledger: the failed attempt with its error, and no resend button for a leader.
    const row = page.locator('#sent-table tbody tr', { hasText: shownDate(yesterday) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('发送失败');
    expect(await row.locator('td.num').innerText()).toBe('1');
    expect(await row.locator('td.error-text').innerText()).toBe(SMTP_ERROR);
    expect(await page.locator('#sent-table button.resend').count()).toBe(0);

    // The 舆情日报 for yesterday (the default date) downloads as a Word document holding the day's issue.
    expect(await page.inputValue('#briefing-form input[name=date]')).toBe(yesterday);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#briefing-form button[type=submit]'),
    ]);
    expect(download.suggestedFilename()).toBe(`舆情日报-${yesterday}.docx`);
    const docx = await readFile((await download.path())!);
    expect(docx.subarray(0, 2).toString('latin1')).toBe('PK');
    const documentXml = readZipEntry(docx, 'word/document.xml')?.toString('utf8') ?? '';
    expect(documentXml).toContain('舆情日报');
    expect(documentXml).toContain(ISSUE_TITLE);

    expect(await page.getAttribute('#digest-preview', 'href')).toBe(`/api/digests/preview?date=${yesterday}`);
    await screenshot(page, 'digest');
    expect(problems.errors).toEqual([]);
    expect(problems.cspViolations).toEqual([]);
    expect(problems.dialogs).toEqual([]);
  });

  it('opens the e-mail preview with its styles under a sandboxed CSP', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'leader1', t.users.leader.password);
    const res = await page.goto(`${t.url}/api/digests/preview?date=${yesterday}`);
    expect(res?.status()).toBe(200);
    const csp = res?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain('sandbox');
    expect(csp).not.toContain('script-src');
    expect(csp).toMatch(/default-src 'none'/);
    expect(await page.locator('body').innerText()).toContain(ISSUE_TITLE);
    expect(await page.locator('img[src^="data:image/png"]').count()).toBeGreaterThan(0);
    expect(problems.cspViolations).toEqual([]);
  });

  it('an admin sees every recipient and re-queues a failed digest', async () => {
    const { page, problems } = await newWatchedPage(await contextFor());
    await loginThroughUi(page, t.url, 'admin1', t.users.admin.password);
    await page.goto(`${t.url}/digests`);
    const row = page.locator('#sent-table tbody tr', { hasText: shownDate(yesterday) });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.innerText()).toContain('leader1');
    await row.locator('button.resend').click();
    // The button's new label stays (the toast hides itself after 3 s, which a loaded machine can miss).
    await expect.poll(() => row.locator('button.resend').innerText()).toBe('已加入队列');
    expect(await page.locator('#toast').textContent()).toBe('已重新加入发送队列');
    const jobs = await t.queues.queue('digest').getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.map((j) => ({ name: j.name, data: j.data }))).toEqual([
      { name: 'send-digest', data: { userId: t.users.leader.id, date: yesterday } },
    ]);
    expect((await listAudit(t.db, { entityType: 'SentDigest' })).map((a) => a.action)).toEqual(['digest.resend']);
    expect(problems.errors).toEqual([]);
  });
});
