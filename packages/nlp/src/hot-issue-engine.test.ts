import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { HotIssueEngine, MemoryHotIssueStore, type HotIssueEvent } from './hot-issue-engine.ts';
import { analyseMention, type MentionInput } from './mention-analysis.ts';
import { hammingDistance, simHash, charShingles } from './simhash.ts';

const HOUR = 3600_000;
const START = Date.UTC(2024, 0, 8, 0, 0, 0);

/** Ordinary, unrelated posts: one every ~20 minutes, each about something different. */
const BACKGROUND = [
  '请问灵活就业人员社保在哪里缴费', '小区门口的路灯坏了很久', '孩子上学的学区怎么划分', '咨询职称评审的申报时间', '公交站台被占用',
  '失业保险金申领需要什么材料', '河道有人偷排污水', '医院挂号排队太久', '人才引进补贴什么时候发', '道路施工噪音扰民',
  '退休手续办理要多久', '景区门票太贵', '工伤认定的流程是什么', '建议增加公交线路', '公积金提取为什么这么难',
  '菜市场卫生条件差', '技能培训补贴怎么申请', '学校食堂饭菜质量差', '社保卡丢了在哪补办', '停车位不够用',
  '居民医保缴费标准', '电梯经常故障', '创业担保贷款条件', '快递乱收费', '病退条件和流程',
];

const SUFFIXES = ['', '，谢谢', '？', '，望尽快处理'];

function background(hours: number): MentionInput[] {
  const out: MentionInput[] = [];
  for (let i = 0; i < hours * 3; i++) {
    out.push({ id: `bg${i}`, text: `${BACKGROUND[i % BACKGROUND.length]}${SUFFIXES[i % SUFFIXES.length]}`, time: START + i * 20 * 60_000, likes: i % 5 });
  }
  return out;
}

function replay(engine: HotIssueEngine, clock: ManualClock, mentions: MentionInput[]): HotIssueEvent[] {
  const events: HotIssueEvent[] = [];
  for (const m of [...mentions].sort((a, b) => Number(a.time) - Number(b.time))) {
    clock.set(Number(m.time));
    events.push(...engine.ingest(analyseMention(m, { category: 'default', negativity: 0.2 })).events);
  }
  return events;
}

describe('simhash', () => {
  it('is close for a repost and far for a different text', () => {
    const a = simHash(charShingles('A市某建筑公司拖欠三百名农民工工资已经半年，工人多次讨薪无果，请劳动监察部门尽快介入处理'));
    const repost = simHash(charShingles('转发：A市某建筑公司拖欠三百名农民工工资已经半年，工人多次讨薪无果，请劳动监察部门尽快介入处理！'));
    const other = simHash(charShingles('小区门口的路灯坏了很久，晚上出行很不方便，希望有关部门尽快修复'));
    expect(hammingDistance(a, repost)).toBeLessThanOrEqual(6);
    expect(hammingDistance(a, other)).toBeGreaterThan(12);
  });
});

describe('HotIssueEngine', () => {
  it('merges planted reposts and same-event posts into one issue, apart from unrelated posts', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const base = 'A市宏达建筑公司拖欠三百名农民工工资已经半年，工人多次讨薪无果，请劳动监察部门尽快介入处理';
    const planted: MentionInput[] = [
      { id: 'p0', text: base, time: START + HOUR },
      { id: 'p1', text: `转发微博 ${base}`, time: START + HOUR + 60_000 },
      { id: 'p2', text: `${base}！！大家帮忙转发`, time: START + HOUR + 120_000 },
      { id: 'p3', text: '宏达建筑公司的农民工今天又去讨薪，拖欠的工资还是没有着落，劳动监察说在处理', time: START + 2 * HOUR },
    ];
    replay(engine, clock, [...background(4), ...planted]);
    const issueOf = (id: string) => engine.listIssues().find((i) => i.mentionIds.includes(id))!;
    expect(issueOf('p1').id).toBe(issueOf('p0').id);
    expect(issueOf('p2').id).toBe(issueOf('p0').id);
    expect(issueOf('p3').id).toBe(issueOf('p0').id);
    expect(issueOf('p0').mentionIds).toHaveLength(4);
    expect(issueOf('bg0').id).not.toBe(issueOf('p0').id);
    expect(engine.keywords(issueOf('p0'))).toEqual(expect.arrayContaining(['宏达建筑公司']));
  });

  it('does not flag a flat background', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const events = replay(engine, clock, background(48));
    clock.advance(HOUR);
    events.push(...engine.tick());
    expect(events).toEqual([]);
    expect(engine.listIssues().every((i) => i.level === null)).toBe(true);
  });

  it('flags a planted burst within one window, escalates while it grows, and survives a store round trip', async () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    replay(engine, clock, background(24));
    const burstStart = START + 24 * HOUR;
    const burst: MentionInput[] = [];
    for (let i = 0; i < 20; i++) {
      burst.push({
        id: `b${i}`,
        text: `宏达建筑公司拖欠农民工工资，${i % 2 ? '上百名工人' : '工人们'}聚集讨薪，劳动监察部门还没有回应，情况${i}`,
        time: burstStart + i * 2 * 60_000,
        likes: 50 + i * 10,
        reposts: 20,
      });
    }
    const events = replay(engine, clock, burst);
    const first = events.find((e) => e.type === 'flagged');
    expect(first).toBeDefined();
    expect(first!.level).toBe('一般');
    expect(Date.parse(first!.at) - burstStart).toBeLessThan(engine.options.windowMs);

    const store = new MemoryHotIssueStore();
    await store.save(engine.snapshot());
    const resumed = HotIssueEngine.restore((await store.load())!, clock);
    // It keeps growing for several windows: 40 more posts per hour for three hours.
    const growth: MentionInput[] = [];
    for (let h = 1; h <= 4; h++) {
      for (let i = 0; i < 10 * h; i++) {
        growth.push({ id: `g${h}-${i}`, text: `宏达建筑公司欠薪事件第${h}天，农民工继续讨薪，工资仍未发放 ${i}`, time: burstStart + h * HOUR + i * 60_000, likes: 100, reposts: 30 });
      }
    }
    const later = replay(resumed, clock, growth);
    clock.advance(HOUR);
    later.push(...resumed.tick());
    const escalations = later.filter((e) => e.type === 'escalated');
    expect(escalations.length).toBeGreaterThan(0);
    const issue = resumed.listIssues().find((i) => i.mentionIds.includes('b0'))!;
    expect(issue.mentionIds).toContain('g4-0');
    expect(issue.level).not.toBe('一般');
    expect(issue.history.length).toBeGreaterThan(1);
  });
});
