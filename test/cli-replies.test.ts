// `yq replies import` and `yq replies similar` on real PostgreSQL with real rows of the Teddy 2020 replies
// (test/fixtures/replies): a bad row is rejected with its line number while the others are stored, a second
// import stores nothing twice, and a message finds the past reply that answered the same question.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import writeExcelFile from 'write-excel-file/node';
import { parseCsvRecords } from '@yuqing/nlp';
import { countRows, createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';
import { runYq } from './helpers/yq.ts';

const FIXTURE = new URL('./fixtures/replies/teddy-replies-sample.csv', import.meta.url);
const COLUMNS = 'question=留言详情,answer=答复意见,title=留言主题,time=答复时间';
/** Each test runs yq (tsx, jieba, Prisma) up to twice: on 2 shared cores one start alone took 25 s. */
const YQ_TEST_TIMEOUT_MS = 240_000;

let database: TestDatabase;
let dir: string;
let csv: string;
/** Line numbers of the three bad rows appended to the fixture. */
let badLines: number[];

beforeAll(async () => {
  database = await createTestDatabase();
  dir = await mkdtemp(join(tmpdir(), 'yq-replies-'));
  const text = (await readFile(FIXTURE, 'utf8')).replace(/\n$/, '');
  const lines = text.split('\n').length;
  // Appended after the real rows: no answer, a time no parser reads, and a row with a column too many.
  csv = join(dir, 'archive.csv');
  await writeFile(
    csv,
    `${text}\n` +
      '900001,A0001,咨询失业保险金领取,2019/5/1 9:00:00,失业保险金怎么领取？,,2019/5/2 9:00:00\n' +
      '900002,A0002,咨询养老保险转移,2019/5/1 9:00:00,养老保险关系如何转移？,请到社保中心办理。,下周三\n' +
      '900003,A0003,咨询医保,2019/5/1 9:00:00,医保卡丢了怎么办？,请到社保中心补办。,2019/5/2 9:00:00,多余\n',
  );
  badLines = [lines + 1, lines + 2, lines + 3];
});
afterAll(async () => {
  await database?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('yq replies', () => {
  it(
    'imports an archive: bad rows rejected with line numbers, the rest stored; a second import adds nothing',
    { timeout: YQ_TEST_TIMEOUT_MS },
    async () => {
      const first = await runYq(['replies', 'import', csv, '--columns', COLUMNS, '--json'], {
        env: { DATABASE_URL: database.url },
      });
      expect(first.stderr).not.toMatch(/Error/);
      const summary = JSON.parse(first.stdout) as {
        rows: number;
        stored: number;
        duplicates: { line: number }[];
        rejected: { line: number; reason: string }[];
      };
      expect(first.code).toBe(1);
      expect(summary.rows).toBe(29);
      expect(summary.stored).toBe(26);
      expect(summary.rejected.map((r) => r.line)).toEqual(badLines);
      expect(summary.rejected.map((r) => r.reason)).toEqual([
        '答复内容为空',
        '答复时间无法识别：下周三',
        '字段数不符（8 列）',
      ]);
      expect(await countRows(database.db, 'ReplyRecord')).toBe(26);
      const [row] = await sqlRows<{ title: string; answerTokens: string; repliedAt: Date; source: string }>(
        database.db,
        `SELECT title, "answerTokens", "repliedAt", source FROM "ReplyRecord" WHERE title = '咨询A2区公益性岗位补贴和社保补贴的有关问题'`,
      );
      expect(row!.source).toBe('import');
      expect(row!.answerTokens.split(' ')).toContain('公益性岗位');
      expect(row!.repliedAt).toBeInstanceOf(Date);

      const second = await runYq(['replies', 'import', csv, '--columns', COLUMNS], {
        env: { DATABASE_URL: database.url },
      });
      expect(second.stdout).toContain('读取 29 行：入库 0，重复 26，被拒 3');
      expect(second.stdout).toContain(`被拒 第 ${badLines[0]} 行：答复内容为空`);
      expect(await countRows(database.db, 'ReplyRecord')).toBe(26);
    },
  );

  it('refuses columns the file does not have, naming them', { timeout: YQ_TEST_TIMEOUT_MS }, async () => {
    const r = await runYq(['replies', 'import', csv, '--columns', 'question=留言内容,answer=答复意见'], {
      env: { DATABASE_URL: database.url },
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('留言内容');
  });

  it(
    'prints the most similar past replies as JSON with why they matched',
    { timeout: YQ_TEST_TIMEOUT_MS },
    async () => {
      const r = await runYq(
        [
          'replies',
          'similar',
          '--text',
          '我在A2区做公益性岗位，单位说社保补贴只能享受三年，到期后怎么办？',
          '--top',
          '3',
        ],
        { env: { DATABASE_URL: database.url } },
      );
      expect(r.code).toBe(0);
      const found = JSON.parse(r.stdout) as {
        id: number;
        score: number;
        why: string[];
        excerpt: string;
        department: string | null;
        time: string | null;
        title: string;
      }[];
      expect(found).toHaveLength(3);
      expect(found[0]!.title).toBe('咨询A2区公益性岗位补贴和社保补贴的有关问题');
      expect(found[0]!.why).toContain('公益性岗位');
      expect(found[0]!.excerpt).toContain('公益性岗位');
      expect(found[0]!.time).toMatch(/^2019-/);
      expect(found[0]!.score).toBeGreaterThanOrEqual(found[1]!.score);
    },
  );

  it(
    'imports an XLSX archive the same way (first sheet, dates as dates, sheet row numbers)',
    { timeout: YQ_TEST_TIMEOUT_MS },
    async () => {
      const xlsxDatabase = await createTestDatabase();
      try {
        const records = parseCsvRecords(await readFile(FIXTURE, 'utf8')).slice(0, 5);
        const file = join(dir, 'archive.xlsx');
        await writeExcelFile(
          [
            ['留言主题', '留言详情', '答复意见', '答复时间', '承办单位'],
            ...records.map((r) => [
              r['留言主题']!,
              r['留言详情']!,
              r['答复意见']!,
              new Date('2019-05-10T06:56:53Z'),
              'A市人社局',
            ]),
            ['咨询失业保险金领取', '失业保险金怎么领取？', null, null, null],
          ],
          { dateFormat: 'yyyy-mm-dd hh:mm:ss' },
        ).toFile(file);
        const run = () =>
          runYq(
            [
              'replies',
              'import',
              file,
              '--columns',
              'question=留言详情,answer=答复意见,title=留言主题,time=答复时间,department=承办单位',
              '--json',
            ],
            { env: { DATABASE_URL: xlsxDatabase.url } },
          );
        const first = JSON.parse((await run()).stdout) as {
          stored: number;
          rejected: { line: number; reason: string }[];
        };
        expect(first.stored).toBe(5);
        expect(first.rejected).toEqual([{ line: 7, reason: '答复内容为空' }]);
        const again = JSON.parse((await run()).stdout) as { stored: number; duplicates: { line: number }[] };
        expect(again.stored).toBe(0);
        expect(again.duplicates.map((d) => d.line)).toEqual([2, 3, 4, 5, 6]);
        const rows = await sqlRows<{ department: string; repliedAt: Date }>(
          xlsxDatabase.db,
          'SELECT department, "repliedAt" FROM "ReplyRecord"',
        );
        expect(rows).toHaveLength(5);
        expect(rows[0]!.department).toBe('A市人社局');
        expect(rows[0]!.repliedAt.toISOString()).toBe('2019-05-10T06:56:53.000Z');
      } finally {
        await xlsxDatabase.drop();
      }
    },
  );
});
