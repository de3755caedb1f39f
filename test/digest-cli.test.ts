// `yq digest` as a user runs it: a separate process, on a fresh embedded database and on PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, digestFixtures, type TestDatabase } from '@yuqing/testkit';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
/** A fresh PGlite data dir is created and migrated on first use: allow for it on a busy 2-core machine. */
const EMBEDDED_RUN_TIMEOUT_MS = 150_000;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function yq(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const childEnv: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) childEnv[k] = v;
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['packages/cli/src/main.ts', 'digest', ...args],
      { cwd: ROOT, env: childEnv, timeout: EMBEDDED_RUN_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** word/document.xml of a .docx, read with the zip format's central directory. */
function documentXml(zip: Buffer): string {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let p = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < zip.readUInt16LE(eocd + 10); i++) {
    const [nameLen, extraLen, commentLen] = [
      zip.readUInt16LE(p + 28),
      zip.readUInt16LE(p + 30),
      zip.readUInt16LE(p + 32),
    ];
    if (zip.toString('utf8', p + 46, p + 46 + nameLen) === 'word/document.xml') {
      const local = zip.readUInt32LE(p + 42);
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + zip.readUInt32LE(p + 20));
      return (zip.readUInt16LE(p + 10) === 0 ? data : inflateRawSync(data)).toString('utf8');
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error('word/document.xml not found');
}

describe('yq digest', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'yq-digest-cli-'));
  });

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(
    'works on a fresh embedded data dir, says the day had nothing new, and saves the .eml and .docx',
    async () => {
      const dataDir = join(workDir, 'fresh-data');
      const eml = join(workDir, 'out', 'digest.eml');
      const docx = join(workDir, 'out', 'digest.docx');
      const result = await yq(['--date', '2026-11-26', '--dry-run', '--out', eml, '--docx', docx], {
        YQ_DATA_DIR: dataDir,
        DATABASE_URL: undefined,
        SMTP_URL: undefined,
        TZ: 'Asia/Shanghai',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('2026-11-26：当日没有新的舆情');
      expect(result.stdout).toContain('演练模式：未发送邮件');

      const mail = await simpleParser(await readFile(eml), { keepCidLinks: true });
      expect(mail.subject).toBe('【舆情日报】2026年11月26日 无新增舆情');
      expect(mail.text).toContain('未监测到新的相关信息');
      expect(mail.html).toContain('cid:');
      expect(mail.attachments.map((a) => a.contentType).sort()).toEqual([
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'image/png',
      ]);
      const text = documentXml(await readFile(docx)).replace(/<[^>]+>/g, '');
      expect(text).toContain('舆情日报');
      expect(text).toContain('〔2026〕第330期');
    },
    EMBEDDED_RUN_TIMEOUT_MS + 10_000,
  );

  it('rejects an impossible date with a usage error', async () => {
    const result = await yq(['--date', '2026-02-30'], {
      YQ_DATA_DIR: join(workDir, 'unused'),
      DATABASE_URL: undefined,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--date expects a calendar date/);
  });

  describe('on PostgreSQL with an SMTP server', () => {
    let testDb: TestDatabase;
    let smtp: SmtpCapture | undefined;
    let smtpPort: number;
    const received: ReceivedMail[] = [];

    beforeAll(async () => {
      testDb = await createTestDatabase();
      const issue = await digestFixtures.issue(testDb.db, {
        title: '失业保险金申领系统故障引发集中投诉',
        category: '社会保险',
        level: 'major',
        hotness: 58,
        mentionCount: 15,
        firstSeenAt: new Date('2026-11-26T01:00:00Z'),
        flaggedAt: new Date('2026-11-26T02:00:00Z'),
      });
      await digestFixtures.flag(testDb.db, {
        issueId: issue.id,
        level: 'major',
        reason: '投诉量快速上升',
        createdAt: new Date('2026-11-26T02:00:00Z'),
      });
      await digestFixtures.mention(testDb.db, {
        title: '失业金申领页面打不开',
        publishedAt: new Date('2026-11-26T03:00:00Z'),
        relevant: true,
        sentiment: 'negative',
        category: '社会保险',
        issueId: issue.id,
      });
      smtp = await startSmtpCapture({ received });
      smtpPort = smtp.port;
    });

    afterAll(async () => {
      await smtp?.close();
      await testDb?.drop();
    });

    it('summarises the day and sends the digest to --to', async () => {
      const result = await yq(['--date', '2026-11-26', '--to', 'duty@example.gov.cn'], {
        DATABASE_URL: testDb.url,
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        PUBLIC_URL: 'https://yuqing.example.gov.cn',
        YQ_DATA_DIR: join(workDir, 'pg-data'),
        TZ: 'Asia/Shanghai',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('[较大] 失业保险金申领系统故障引发集中投诉');
      expect(result.stdout).toContain('已发送至 duty@example.gov.cn');
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['duty@example.gov.cn']);
      const mail = await simpleParser(received[0]!.raw);
      expect(mail.subject).toBe('【舆情日报】2026年11月26日 热点1起（较大1起） 信息1条 负面占比100%');
      expect(mail.text).toMatch(/https:\/\/yuqing\.example\.gov\.cn\/issues\/\d+/);
    });
  });
});
