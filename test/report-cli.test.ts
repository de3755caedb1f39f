// `yq report` as a user runs it (a separate process on PostgreSQL with a local SMTP server): the e-mail is saved
// as .eml with --out and sent to --to through the same helper as `yq digest` (packages/cli/src/mail-output.ts);
// a dry run saves and sends nothing.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import { runYq } from './helpers/yq.ts';
import { startSmtpCapture, type ReceivedMail, type SmtpCapture } from './helpers/smtp.ts';

/** Each case starts yq (tsx, Prisma, the report renderer): on 2 busy shared cores one start took over 100 s. */
const YQ_TEST_TIMEOUT_MS = 240_000;

let testDb: TestDatabase;
let workDir: string;
let smtp: SmtpCapture | undefined;
let smtpPort: number;
const received: ReceivedMail[] = [];

beforeAll(async () => {
  testDb = await createTestDatabase();
  workDir = await mkdtemp(join(tmpdir(), 'yq-report-cli-'));
  smtp = await startSmtpCapture({ received });
  smtpPort = smtp.port;
});

afterAll(async () => {
  await smtp?.close();
  await testDb?.drop();
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

const env = () => ({
  DATABASE_URL: testDb.url,
  SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
  PUBLIC_URL: 'https://yuqing.example.gov.cn',
  YQ_DATA_DIR: join(workDir, 'data'),
  TZ: 'Asia/Shanghai',
});

describe('yq report', () => {
  it(
    'saves the 周报 as .eml and sends the same message to --to',
    async () => {
      const eml = join(workDir, 'out', 'week.eml');
      const result = await runYq(
        ['report', '--period', 'week', '--week', '2026-W47', '--to', 'leader@example.gov.cn', '--out', eml],
        { env: env(), timeoutMs: YQ_TEST_TIMEOUT_MS },
      );
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`已保存邮件：${eml}`);
      expect(result.stdout).toContain('已发送至 leader@example.gov.cn（Message-ID <report.2026-W47.cli');
      expect(received).toHaveLength(1);
      expect(received[0]!.to).toEqual(['leader@example.gov.cn']);
      const sent = await simpleParser(received[0]!.raw);
      const saved = await simpleParser(await readFile(eml));
      expect(sent.subject).toMatch(/^【舆情周报】/);
      expect(saved.subject).toBe(sent.subject);
      expect(saved.messageId).toBe(sent.messageId);
    },
    YQ_TEST_TIMEOUT_MS + 10_000,
  );

  it(
    'a dry run saves the message and sends nothing',
    async () => {
      const before = received.length;
      const eml = join(workDir, 'out', 'dry.eml');
      const result = await runYq(
        [
          'report',
          '--period',
          'week',
          '--week',
          '2026-W47',
          '--to',
          'leader@example.gov.cn',
          '--dry-run',
          '--out',
          eml,
        ],
        { env: env(), timeoutMs: YQ_TEST_TIMEOUT_MS },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`已保存邮件：${eml}`);
      expect(result.stdout).toContain('演练模式：未发送邮件。');
      expect((await simpleParser(await readFile(eml))).subject).toMatch(/^【舆情周报】/);
      expect(received.length).toBe(before);
    },
    YQ_TEST_TIMEOUT_MS + 10_000,
  );
});
