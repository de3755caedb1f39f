// `yq detect`: the backtesting CLI end to end (a real yq process, the shipped default models, no database).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvField } from '@yuqing/nlp';
import { runYq } from './helpers/yq.ts';

const HOUR = 3600_000;
const START = Date.parse('2026-03-02T00:00:00+08:00');
const TIMEOUT_MS = 120_000;

/** Ordinary posts, one every 20 minutes for a day, each about something different. */
const BACKGROUND = [
  '请问灵活就业人员社保在哪里缴费',
  '小区门口的路灯坏了很久',
  '咨询职称评审的申报时间',
  '失业保险金申领需要什么材料',
  '医院挂号排队太久',
  '人才引进补贴什么时候发',
  '退休手续办理要多久',
  '工伤认定的流程是什么',
  '公积金提取为什么这么难',
  '技能培训补贴怎么申请',
  '社保卡丢了在哪补办',
  '居民医保缴费标准',
  '创业担保贷款条件',
  '病退条件和流程',
];

interface Line {
  id: string;
  text: string;
  time: string;
  title?: string;
  likes?: number;
  reposts?: number;
}

function stream(): { background: Line[]; burst: Line[] } {
  const background: Line[] = Array.from({ length: 72 }, (_, i) => ({
    id: `bg${i}`,
    text: `${BACKGROUND[i % BACKGROUND.length]}${['', '，谢谢', '？', '，望尽快处理'][i % 4]}`,
    time: new Date(START + i * 20 * 60_000).toISOString(),
    likes: i % 5,
  }));
  // Twenty posts in forty minutes about one company's unpaid wages, three of them reposts of the first.
  const burst: Line[] = Array.from({ length: 20 }, (_, i) => ({
    id: `burst${i}`,
    title: '宏达建筑公司拖欠农民工工资',
    text:
      i > 0 && i < 4
        ? '宏达建筑公司拖欠农民工工资，工人们聚集讨薪，劳动监察部门还没有回应，情况0'
        : `宏达建筑公司拖欠农民工工资，${i % 2 ? '上百名工人' : '工人们'}聚集讨薪，劳动监察部门还没有回应，情况${i}`,
    time: new Date(START + 24 * HOUR + i * 2 * 60_000).toISOString(),
    likes: 50 + i * 10,
    reposts: 20,
  }));
  return { background, burst };
}

interface IssueLine {
  issueId: string;
  title: string;
  keywords: string[];
  mentionIds: string[];
  firstSeen: string;
  flaggedAt: string | null;
  level: string | null;
  hotness: number;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'yq-detect-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function parseIssues(stdout: string): IssueLine[] {
  return stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as IssueLine);
}

describe('yq detect', () => {
  it(
    'replays a stream: the planted burst is one flagged issue within its hour, the background is never flagged',
    async () => {
      const { background, burst } = stream();
      const file = join(dir, 'stream.jsonl');
      // Out of order on purpose (an export is not always sorted), plus a broken line that must be skipped, not fatal.
      const lines = [...burst, ...background].map((l) => JSON.stringify(l));
      lines.splice(5, 0, '{"id": "broken", "text": ');
      await writeFile(file, `${lines.join('\n')}\n`);
      const result = await runYq(['detect', '--input', file], { timeoutMs: TIMEOUT_MS });
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/line 6 skipped/);
      const issues = parseIssues(result.stdout);
      for (const issue of issues) {
        expect(Object.keys(issue).sort()).toEqual(
          ['firstSeen', 'flaggedAt', 'hotness', 'issueId', 'keywords', 'level', 'mentionIds', 'title'].sort(),
        );
      }
      const flagged = issues.filter((i) => i.flaggedAt !== null);
      expect(flagged).toHaveLength(1);
      const hot = flagged[0]!;
      // Every burst post, reposts included, in the one issue, and nothing of the background.
      expect(hot.mentionIds.sort()).toEqual(burst.map((b) => b.id).sort());
      expect(hot.level).toMatch(/一般|较大|重大/);
      expect(Date.parse(hot.flaggedAt!) - Date.parse(burst[0]!.time)).toBeLessThan(HOUR);
      expect(hot.firstSeen).toBe(new Date(burst[0]!.time).toISOString());
      expect(hot.keywords.join(' ')).toMatch(/宏达/);
      // Hottest issue first.
      expect(issues[0]!.issueId).toBe(hot.issueId);
      expect(issues.flatMap((i) => i.mentionIds).sort()).toEqual([...background, ...burst].map((l) => l.id).sort());
      const summary = JSON.parse(result.stderr.trim().split('\n').pop()!) as {
        mentions: number;
        rejectedLines: number;
        flagged: number;
      };
      expect(summary).toMatchObject({ mentions: 92, rejectedLines: 1, flagged: 1 });
    },
    TIMEOUT_MS,
  );

  it(
    'reads a CSV export with --columns and finds the same issues as from JSON lines',
    async () => {
      const { background, burst } = stream();
      const all = [...background, ...burst];
      const jsonl = join(dir, 'same.jsonl');
      await writeFile(jsonl, all.map((l) => JSON.stringify(l)).join('\n'));
      const csv = join(dir, 'board.csv');
      const header = ['留言编号', '留言主题', '留言详情', '留言时间', '点赞数', '转发数'];
      const rows = all.map((l) => [
        l.id,
        l.title ?? '',
        l.text,
        l.time,
        String(l.likes ?? ''),
        String(l.reposts ?? ''),
      ]);
      await writeFile(csv, [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n'));
      const columns = 'id=留言编号,title=留言主题,text=留言详情,time=留言时间,likes=点赞数,reposts=转发数';
      const [fromCsv, fromJsonl] = await Promise.all([
        runYq(['detect', '--input', csv, '--columns', columns], { timeoutMs: TIMEOUT_MS }),
        runYq(['detect', '--input', jsonl], { timeoutMs: TIMEOUT_MS }),
      ]);
      expect(fromCsv.code).toBe(0);
      expect(fromCsv.stdout).toBe(fromJsonl.stdout);
      expect(parseIssues(fromCsv.stdout).filter((i) => i.flaggedAt !== null)).toHaveLength(1);

      const wrongColumns = await runYq(['detect', '--input', csv, '--columns', 'id=编号'], { timeoutMs: TIMEOUT_MS });
      expect(wrongColumns.code).not.toBe(0);
      expect(wrongColumns.stderr).toMatch(/no column "编号" \(id\)/);
      expect(wrongColumns.stderr).toMatch(/留言编号/);
    },
    TIMEOUT_MS,
  );

  it(
    'says clearly when the input cannot be read or the flags are wrong',
    async () => {
      const missing = await runYq(['detect', '--input', join(dir, 'nowhere.jsonl')]);
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/INPUT_UNREADABLE|cannot read/);
      const noInput = await runYq(['detect']);
      expect(noInput.code).not.toBe(0);
      expect(noInput.stderr).toMatch(/--input is required/);
      const badColumns = await runYq(['detect', '--input', join(dir, 'x.csv'), '--columns', 'author=留言用户']);
      expect(badColumns.code).not.toBe(0);
      expect(badColumns.stderr).toMatch(/field=column pairs/);
    },
    TIMEOUT_MS,
  );
});
