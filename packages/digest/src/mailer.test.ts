import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { headlineFrom, type DigestContent } from './digest-content.ts';
import { renderDigestEmail, TREND_CHART_CID } from './digest-email.ts';
import { classifyMailError, composeDigestMessage, createDigestMailer, digestMessageId } from './mailer.ts';
import { renderTrendChart } from './trend-chart.ts';

const content: DigestContent = {
  date: '2026-11-26',
  previousDate: '2026-11-25',
  timeZone: 'Asia/Shanghai',
  serial: '〔2026〕第330期',
  generatedAt: new Date('2026-11-27T00:30:00Z'),
  filter: { categories: [], minLevel: 'none' },
  headline: headlineFrom({ mentions: 0, relevant: 0, negative: 0 }, { mentions: 0, relevant: 0, negative: 0 }),
  issues: [],
  pending: [],
  published: [],
  trend: [{ date: '2026-11-26', mentions: 0, negative: 0 }],
  dashboardUrl: 'https://yuqing.example.gov.cn',
  isEmpty: true,
};

/** Decodes RFC 2047 encoded words (B encoding), as a mail client shows a header. */
function decodeHeader(value: string): string {
  return value
    .replace(/\r?\n\s+/g, '')
    .replace(/=\?UTF-8\?B\?([^?]+)\?=/gi, (_, b64: string) => Buffer.from(b64, 'base64').toString('utf8'));
}

describe('digest mailer', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('writes a complete .eml to <dataDir>/outbox when no SMTP server is configured', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'yq-outbox-'));
    dirs.push(dataDir);
    const mailer = createDigestMailer({ smtpUrl: undefined, dataDir });
    expect(mailer.kind).toBe('outbox');
    const message = composeDigestMessage({
      content,
      rendered: renderDigestEmail(content),
      chartPng: renderTrendChart(content.trend),
      from: '舆情监测 <yuqing@localhost>',
      to: { name: '王局长', address: 'leader@example.gov.cn' },
      messageId: digestMessageId(content.dashboardUrl, content.date, 'u1'),
    });
    const result = await mailer.send(message, 'digest-2026-11-26-u1');
    expect(result.outboxPath).toBe(join(dataDir, 'outbox', 'digest-2026-11-26-u1.eml'));
    expect(await readdir(join(dataDir, 'outbox'))).toEqual(['digest-2026-11-26-u1.eml']);
    const eml = await readFile(result.outboxPath!, 'utf8');
    const headers = eml.slice(0, eml.indexOf('\r\n\r\n'));
    expect(decodeHeader(/^Subject: (.*(?:\r\n\s.*)*)/m.exec(headers)![1]!)).toBe(
      '【舆情日报】2026年11月26日 无新增舆情',
    );
    expect(decodeHeader(/^To: (.*)/m.exec(headers)![1]!)).toBe('王局长 <leader@example.gov.cn>');
    expect(headers).toContain('Message-ID: <digest.2026-11-26.u1@yuqing.example.gov.cn>');
    expect(eml).toContain('multipart/alternative');
    expect(eml).toContain(`Content-ID: <${TREND_CHART_CID}>`);
    // CRLF throughout, as RFC 5322 files are exchanged.
    expect(eml.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('tells retryable delivery failures from permanent ones', () => {
    const refused = classifyMailError(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }),
    );
    expect([refused.code, refused.retryable]).toEqual(['SMTP_UNAVAILABLE', true]);
    const greylisted = classifyMailError(
      Object.assign(new Error('451 try later'), { code: 'EENVELOPE', responseCode: 451 }),
    );
    expect([greylisted.code, greylisted.retryable]).toEqual(['SMTP_DEFERRED', true]);
    const rejected = classifyMailError(
      Object.assign(new Error('550 no such user'), { code: 'EENVELOPE', responseCode: 550 }),
    );
    expect([rejected.code, rejected.retryable]).toEqual(['SMTP_REJECTED', false]);
    const auth = classifyMailError(
      Object.assign(new Error('535 bad credentials'), { code: 'EAUTH', responseCode: 535 }),
    );
    expect([auth.code, auth.retryable]).toEqual(['SMTP_AUTH_FAILED', false]);
    const full = classifyMailError(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
    expect([full.code, full.retryable]).toEqual(['OUTBOX_DISK_FULL', true]);
  });
});
