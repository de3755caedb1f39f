// `yq import` on real PostgreSQL: MediaCrawler's JSON, CSV and SQLite output of one real Xiaohongshu note and its
// comments, and a vendor CSV/XLSX export with --columns, go through the ingest path as mentions of an import
// source; importing twice stores nothing twice; a bad row is reported with its line and field; only an unreadable
// file fails the command.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { importColumns, importMediaCrawler } from '@yuqing/pipeline';
import { countRows, createTestDatabase, sqlRows, type TestDatabase } from '@yuqing/testkit';

const exec = promisify(execFile);
const FIXTURES = new URL('./fixtures/imports/', import.meta.url).pathname;
const MEDIACRAWLER = join(FIXTURES, 'mediacrawler');
const VENDOR_CSV = join(FIXTURES, 'vendor/xhs_export.csv');
const TEDDY = new URL('../../shared/data/teddy2020/hot_messages.csv', import.meta.url).pathname;
const COLUMNS = {
  title: '标题',
  text: '正文',
  time: '发布时间',
  url: '链接',
  author: '作者',
  likes: '点赞数',
} as const;
const TZ = 'Asia/Shanghai';

let database: TestDatabase;
let work: string;

beforeAll(async () => {
  database = await createTestDatabase();
  work = mkdtempSync(join(tmpdir(), 'yq-import-'));
});
afterAll(async () => {
  await database?.drop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function mentionsOf(sourceUrl: string) {
  return sqlRows<{ title: string; body: string; canonicalUrl: string; likes: number; author: string | null }>(
    database.db,
    `SELECT m.title, m.body, m."canonicalUrl", m.likes, m.author, m.tags, m."publishedAt"
       FROM "Mention" m JOIN "Source" s ON s.id = m."sourceId" WHERE s.url = $1 ORDER BY m.id`,
    [sourceUrl],
  );
}

describe('yq import --format mediacrawler', () => {
  it('stores the JSON export: the note with its counts, IP 属地 and time, each comment as its own mention', async () => {
    const summary = await importMediaCrawler(join(MEDIACRAWLER, 'xhs/json'), { db: database.db, timeZone: TZ });
    expect(summary).toMatchObject({ files: 2, rows: 7, stored: 7, duplicates: 0, rejected: [] });
    const rows = await sqlRows<{
      title: string;
      body: string;
      canonicalUrl: string;
      likes: number;
      author: string;
      tags: string[];
      publishedAt: Date;
    }>(
      database.db,
      `SELECT m.title, m.body, m."canonicalUrl", m.likes, m.author, m.tags, m."publishedAt"
         FROM "Mention" m JOIN "Source" s ON s.id = m."sourceId"
        WHERE s.url = 'import://mediacrawler/xhs' AND s.kind = 'import' ORDER BY m."canonicalUrl"`,
    );
    const note = rows.find((r) => r.title === '逐本香养 | 复方精油知多少')!;
    expect(note.canonicalUrl).toBe('https://www.xiaohongshu.com/explore/67c97579000000000900f651');
    expect(note.likes).toBe(10); // "10+"
    expect(note.author).toBe('逐本');
    expect(note.tags).toEqual(expect.arrayContaining(['平台:小红书', 'IP属地:浙江']));
    expect(note.publishedAt.toISOString()).toBe(new Date(1741338078000).toISOString());
    const comment = rows.find((r) => r.body === '精油有什么功效？')!;
    expect(comment.canonicalUrl).toBe(
      'https://www.xiaohongshu.com/explore/67c97579000000000900f651#comment-67d0f1b20000000018014eaa',
    );
    expect(comment.tags).toContain('IP属地:广东');
    // Announced to nothing here (no queues), but stored unanalysed for the analysis stage to pick up.
    expect(await countRows(database.db, 'Source', `kind = 'import'`)).toBe(1);
  });

  it('the CSV and SQLite exports of the same records store nothing new; importing twice neither', async () => {
    const csv = await importMediaCrawler(join(MEDIACRAWLER, 'xhs/csv'), { db: database.db, timeZone: TZ });
    expect(csv).toMatchObject({ files: 2, rows: 7, stored: 0, duplicates: 7, rejected: [] });
    const sqlite = await importMediaCrawler(join(MEDIACRAWLER, 'sqlite/sqlite_tables.db'), {
      db: database.db,
      timeZone: TZ,
    });
    expect(sqlite).toMatchObject({ files: 2, rows: 7, stored: 0, duplicates: 7, rejected: [] });
    expect(sqlite.skipped).toEqual([expect.stringMatching(/:xhs_creator$/)]);
    const again = await importMediaCrawler(MEDIACRAWLER, { db: database.db, timeZone: TZ });
    expect(again).toMatchObject({ rows: 21, stored: 0, duplicates: 21 });
    expect((await mentionsOf('import://mediacrawler/xhs')).length).toBe(7);
  });

  it('stores the SQLite export on its own into an empty database', async () => {
    const fresh = await createTestDatabase();
    try {
      const summary = await importMediaCrawler(join(MEDIACRAWLER, 'sqlite/sqlite_tables.db'), {
        db: fresh.db,
        timeZone: TZ,
      });
      expect(summary).toMatchObject({ files: 2, rows: 7, stored: 7 });
      expect(
        await sqlRows(fresh.db, `SELECT likes FROM "Mention" WHERE body = '刚买了三瓶[哭惹R][哭惹R]没有送任何'`),
      ).toEqual([{ likes: 0 }]);
    } finally {
      await fresh.drop();
    }
  });
});

/** The MediaCrawler copy of the note stored (idempotent), so vendor tests see it as already known in any order. */
async function ensureMediaCrawlerNote(): Promise<void> {
  await importMediaCrawler(join(MEDIACRAWLER, 'xhs/json'), { db: database.db, timeZone: TZ });
}

describe('yq import --format csv|xlsx --columns', () => {
  beforeAll(ensureMediaCrawlerNote);
  it('stores a vendor CSV, reports a bad row with its line and column, and stores nothing twice', async () => {
    const file = join(work, 'export.csv');
    // The real export plus one row a vendor tool got wrong (a time that is no time) on the last line.
    const real = readFileSync(VENDOR_CSV, 'utf8').trimEnd();
    writeFileSync(file, `${real}\r\n,坏行,明天下午,,某人,3\r\n`);
    const badLine = real.split('\n').length + 1; // the note's text spans lines inside quotes
    const first = await importColumns(file, 'csv', COLUMNS, { db: database.db, timeZone: TZ });
    // The note itself is the post the MediaCrawler import stored already (same page): a duplicate, not a new one.
    expect(first).toMatchObject({ rows: 8, stored: 6, duplicates: 1 });
    expect(first.rejected).toEqual([
      { file, line: badLine, field: '发布时间', reason: expect.stringContaining('明天下午') as unknown as string },
    ]);
    const stored = await mentionsOf('import://file/export.csv');
    expect(stored.map((m) => m.author)).toContain('闪闪碎片');
    expect(stored).toHaveLength(6);
    expect(stored.some((m) => m.title === '逐本香养 | 复方精油知多少')).toBe(false);
    const second = await importColumns(file, 'csv', COLUMNS, { db: database.db, timeZone: TZ });
    expect(second).toMatchObject({ stored: 0, duplicates: 7, rows: 8 });
    expect((await mentionsOf('import://file/export.csv')).length).toBe(stored.length);
  });

  it('reads the same export as XLSX', async () => {
    const { parse } = await import('csv-parse/sync');
    const records = parse(readFileSync(VENDOR_CSV), { bom: true }) as string[][];
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('导出');
    for (const r of records) sheet.addRow(r);
    sheet.addRow(['', '', '2025-03-12 10:00:00', 'ftp://bad', '某人', '1']);
    const file = join(work, 'export.xlsx');
    await workbook.xlsx.writeFile(file);
    const summary = await importColumns(file, 'xlsx', COLUMNS, { db: database.db, timeZone: TZ });
    // Comments get their identity inside the file's own import source, so the XLSX file's are new; the note is not.
    expect(summary).toMatchObject({ rows: 8, stored: 6, duplicates: 1 });
    expect(summary.rejected).toEqual([{ file, line: 9, field: '正文', reason: 'empty: no text to store' }]);
    const again = await importColumns(file, 'xlsx', COLUMNS, { db: database.db, timeZone: TZ });
    expect(again).toMatchObject({ stored: 0, duplicates: 7 });
  });

  it.skipIf(!existsSync(TEDDY))('imports the Teddy message board export (../shared) with its columns', async () => {
    const file = join(work, 'hot_messages.csv');
    copyFileSync(TEDDY, file);
    const columns = { title: '留言主题', text: '留言详情', time: '留言时间', author: '留言用户', likes: '点赞数' };
    const summary = await importColumns(file, 'csv', columns, { db: database.db, timeZone: TZ });
    expect(summary.rows).toBe(4326);
    expect(summary.stored + summary.duplicates).toBe(4326 - summary.rejected.length);
    expect(summary.rejected.length).toBeLessThan(5);
    expect(summary.stored).toBeGreaterThan(4000);
  });
});

describe('yq import (command)', () => {
  beforeAll(ensureMediaCrawlerNote);
  async function yq(args: string[]) {
    try {
      const { stdout, stderr } = await exec('pnpm', ['--silent', 'yq', 'import', ...args], {
        cwd: new URL('..', import.meta.url).pathname,
        env: { ...process.env, DATABASE_URL: database.url },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it('prints the summary in Chinese and exits 0 with rejected rows; exits non-zero only on an unreadable file', async () => {
    const file = join(work, 'cli.csv');
    const real = readFileSync(VENDOR_CSV, 'utf8').trimEnd();
    writeFileSync(file, `${real}\r\n,坏行,明天下午,,某人,3\r\n`);
    const columns = 'title=标题,text=正文,time=发布时间,url=链接,author=作者,likes=点赞数';
    const ok = await yq(['--format', 'csv', '--columns', columns, file]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/入库 6，重复 1/);
    expect(ok.stdout).toContain(`第 ${real.split('\n').length + 1} 行，字段 发布时间`);
    const broken = join(work, 'broken.xlsx');
    writeFileSync(broken, 'not a workbook');
    const bad = await yq(['--format', 'xlsx', '--columns', columns, broken]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('IMPORT_UNREADABLE');
    // Two `yq` processes in one test: each starts jieba and Prisma, which takes over 30 s at load average 30.
  }, 180_000);
});
