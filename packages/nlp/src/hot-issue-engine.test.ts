import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { hasSharedData, SHARED_DATA_DIR } from '@yuqing/testkit';
import { parseCsvRecords } from './csv.ts';
import { prepareText } from './feature-hashing.ts';
import { normaliseText } from './text-normalise.ts';
import { extractPlaceNames, segment } from './tokeniser.ts';
import type { HotIssueEvent } from './burst-detector.ts';
import { HotIssueEngine } from './hot-issue-engine.ts';
import { MemoryHotIssueStore, type AnalysedMention, type HotIssueState } from './hot-issue-state.ts';
import { analyseMention, canonicalPlace, placeNamesOf, type MentionInput } from './mention-analysis.ts';
import { hammingDistance, simHash, charShingles, simHashToHex, textSimHash } from './simhash.ts';

const HOUR = 3600_000;
const START = Date.UTC(2024, 0, 8, 0, 0, 0);

/** Ordinary, unrelated posts: one every ~20 minutes, each about something different. */
const BACKGROUND = [
  '请问灵活就业人员社保在哪里缴费',
  '小区门口的路灯坏了很久',
  '孩子上学的学区怎么划分',
  '咨询职称评审的申报时间',
  '公交站台被占用',
  '失业保险金申领需要什么材料',
  '河道有人偷排污水',
  '医院挂号排队太久',
  '人才引进补贴什么时候发',
  '道路施工噪音扰民',
  '退休手续办理要多久',
  '景区门票太贵',
  '工伤认定的流程是什么',
  '建议增加公交线路',
  '公积金提取为什么这么难',
  '菜市场卫生条件差',
  '技能培训补贴怎么申请',
  '学校食堂饭菜质量差',
  '社保卡丢了在哪补办',
  '停车位不够用',
  '居民医保缴费标准',
  '电梯经常故障',
  '创业担保贷款条件',
  '快递乱收费',
  '病退条件和流程',
];

const SUFFIXES = ['', '，谢谢', '？', '，望尽快处理'];

function background(hours: number): MentionInput[] {
  const out: MentionInput[] = [];
  for (let i = 0; i < hours * 3; i++) {
    out.push({
      id: `bg${i}`,
      text: `${BACKGROUND[i % BACKGROUND.length]}${SUFFIXES[i % SUFFIXES.length]}`,
      time: START + i * 20 * 60_000,
      likes: i % 5,
    });
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
    const a = simHash(
      charShingles('A市某建筑公司拖欠三百名农民工工资已经半年，工人多次讨薪无果，请劳动监察部门尽快介入处理'),
    );
    const repost = simHash(
      charShingles('转发：A市某建筑公司拖欠三百名农民工工资已经半年，工人多次讨薪无果，请劳动监察部门尽快介入处理！'),
    );
    const other = simHash(charShingles('小区门口的路灯坏了很久，晚上出行很不方便，希望有关部门尽快修复'));
    expect(hammingDistance(a, repost)).toBeLessThanOrEqual(6);
    expect(hammingDistance(a, other)).toBeGreaterThan(12);
  });

  it('textSimHash gives the same bits as simHash over character shingles', () => {
    for (const text of [...BACKGROUND, 'A市宏达建筑公司拖欠三百名农民工工资！！Ａ３区', 'ab', '']) {
      expect(simHashToHex(textSimHash(text))).toBe(simHashToHex(simHash(charShingles(text))));
    }
  });
});

describe('canonicalPlace', () => {
  it('drops administrative prefixes but keeps names that would be too short without them', () => {
    expect(canonicalPlace('a2区丽发新城')).toBe('丽发新城');
    expect(canonicalPlace('a市a2区丽发新城')).toBe('丽发新城');
    expect(canonicalPlace('投诉a市伊景园')).toBe('伊景园');
    expect(canonicalPlace('a7县泉塘街道')).toBe('泉塘街道');
    expect(canonicalPlace('c5市路')).toBe('c5市路');
    expect(canonicalPlace('a3区')).toBe('a3区');
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
      {
        id: 'p3',
        text: '宏达建筑公司的农民工今天又去讨薪，拖欠的工资还是没有着落，劳动监察说在处理',
        time: START + 2 * HOUR,
      },
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
        growth.push({
          id: `g${h}-${i}`,
          text: `宏达建筑公司欠薪事件第${h}天，农民工继续讨薪，工资仍未发放 ${i}`,
          time: burstStart + h * HOUR + i * 60_000,
          likes: 100,
          reposts: 30,
        });
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

  it('merges differently worded posts about one estate over weeks, with or without the district prefix', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const DAY = 24 * HOUR;
    const estate: MentionInput[] = [
      {
        id: 'e0',
        title: 'A2区金桂苑小区附近搅拌站噪音扰民',
        text: 'A2区金桂苑小区旁边新建了一个搅拌站，每天晚上施工到凌晨，噪音很大，居民无法休息。',
        time: START + DAY,
      },
      {
        id: 'e1',
        title: '金桂苑小区旁搅拌站粉尘太大',
        text: '金桂苑小区的业主反映，搅拌站的粉尘飘进家里，窗户都不敢开，孩子咳嗽不止，请环保部门查处。',
        time: START + 6 * DAY,
      },
      {
        id: 'e2',
        title: '再次投诉金桂苑搅拌站',
        text: '金桂苑小区附近的搅拌站仍在违规生产，大货车进出，粉尘和噪音污染严重，多次投诉没有结果。',
        time: START + 12 * DAY,
      },
    ];
    replay(engine, clock, [...background(2), ...estate]);
    const issueOf = (id: string) => engine.listIssues().find((i) => i.mentionIds.includes(id))!;
    expect(issueOf('e1').id).toBe(issueOf('e0').id);
    expect(issueOf('e2').id).toBe(issueOf('e0').id);
    expect(engine.issue(issueOf('e0').id)).toBe(issueOf('e0'));
    expect(engine.issue('no-such-issue')).toBeUndefined();
  });

  it('starts an issue for a post about one estate rather than file it under a topic about others', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const at = (minutes: number) => START + minutes * 60_000;
    const fumes = (id: string, minutes: number) => ({
      id,
      title: '楼下餐馆油烟扰民',
      text: '楼下的餐馆油烟直排，噪音也很大，居民晚上无法休息，请环保部门查处油烟扰民。',
      time: at(minutes),
    });
    // A topic: posts naming no estate, and one naming 银湖苑 (one of six: no estate is what the issue is about).
    const posts: MentionInput[] = [
      ...[0, 10, 20, 30, 40].map((m, i) => fumes(`t${i}`, m)),
      {
        id: 'silver',
        title: '银湖苑小区楼下餐馆油烟扰民',
        text: '银湖苑小区楼下餐馆油烟直排，居民无法开窗。',
        time: at(50),
      },
      {
        id: 'gold',
        title: '金桂苑小区烧烤店油烟扰民',
        text: '金桂苑小区一楼新开的烧烤店油烟熏人，每晚营业到凌晨，请城管查处。',
        time: at(60),
      },
      fumes('t5', 70),
    ];
    replay(engine, clock, posts);
    const issueOf = (id: string) => engine.listIssues().find((i) => i.mentionIds.includes(id))!.id;
    expect(issueOf('silver')).toBe(issueOf('t0'));
    expect(issueOf('t5')).toBe(issueOf('t0'));
    // Another estate's post is its own event, however alike the words.
    expect(issueOf('gold')).not.toBe(issueOf('t0'));
  });

  it('keeps two events of the same district apart, even with the same complaint', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const posts: MentionInput[] = [
      {
        id: 'x0',
        title: 'A3区泰和建筑公司拖欠农民工工资',
        text: 'A3区泰和建筑公司拖欠我们三十多名农民工半年工资，老板避而不见，请劳动监察部门帮忙讨薪。',
        time: START + HOUR,
      },
      {
        id: 'y0',
        title: 'A3区华宇电子厂拖欠员工工资',
        text: 'A3区华宇电子厂已经三个月没有发工资了，工厂说资金困难，员工生活困难，请劳动监察部门介入。',
        time: START + HOUR + 10 * 60_000,
      },
      {
        id: 'x1',
        title: '泰和建筑公司欠薪何时解决',
        text: '泰和建筑公司的农民工工资还是没有发放，我们多次讨薪无果，希望A3区有关部门尽快处理。',
        time: START + 3 * HOUR,
      },
      {
        id: 'y1',
        title: '华宇电子厂欠薪',
        text: '华宇电子厂拖欠工资的事情还没有解决，A3区的工人们都很着急，请劳动部门督促工厂发放工资。',
        time: START + 4 * HOUR,
      },
      {
        id: 'z0',
        title: 'A3区幸福路路灯不亮',
        text: 'A3区幸福路的路灯坏了一个多月，晚上行人很不安全，请尽快维修。',
        time: START + 5 * HOUR,
      },
    ];
    replay(engine, clock, posts);
    const issueOf = (id: string) => engine.listIssues().find((i) => i.mentionIds.includes(id))!.id;
    expect(issueOf('x1')).toBe(issueOf('x0'));
    expect(issueOf('y1')).toBe(issueOf('y0'));
    expect(issueOf('y0')).not.toBe(issueOf('x0'));
    expect(issueOf('z0')).not.toBe(issueOf('x0'));
    expect(issueOf('z0')).not.toBe(issueOf('y0'));
  });

  it('clusters the same after a snapshot round trip as without one', async () => {
    const mentions = [...background(12)]
      .concat(
        Array.from({ length: 12 }, (_, i) => ({
          id: `w${i}`,
          text: `宏达建筑公司拖欠农民工工资，工人第${i}次讨薪`,
          time: START + 3 * HOUR + i * 15 * 60_000,
        })),
      )
      .sort((a, b) => Number(a.time) - Number(b.time))
      .map((m) => analyseMention(m, { category: 'default', negativity: 0.2 }));
    const run = async (restoreEvery: number): Promise<string[]> => {
      const clock = new ManualClock(START);
      let engine = new HotIssueEngine(clock);
      const store = new MemoryHotIssueStore();
      const ids: string[] = [];
      for (const [n, m] of mentions.entries()) {
        if (restoreEvery > 0 && n > 0 && n % restoreEvery === 0) {
          await store.save(engine.snapshot());
          engine = HotIssueEngine.restore(await store.load(), clock);
          expect(engine.restoredFrom).toBe('state');
        }
        clock.set(m.time);
        ids.push(engine.ingest(m).issueId);
      }
      return ids;
    };
    expect(await run(7)).toEqual(await run(0));
  });

  it('restores the previous state format and starts empty on an unreadable one', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const first = analyseMention({ id: 'a', text: '宏达建筑公司拖欠农民工工资，工人讨薪无果', time: START }, {});
    clock.set(START);
    engine.ingest(first);
    // Version 1 had no mention count or title score.
    const v1 = JSON.parse(JSON.stringify(engine.snapshot())) as Record<string, unknown> & {
      issues: Record<string, unknown>[];
    };
    v1.formatVersion = 1;
    for (const issue of v1.issues) {
      delete issue.mentionCount;
      delete issue.titleScore;
    }
    const upgraded = HotIssueEngine.restore(v1, clock);
    expect(upgraded.restoredFrom).toBe('upgraded');
    expect(upgraded.listIssues()[0]!.mentionCount).toBe(1);
    const repost: AnalysedMention = { ...first, id: 'b', time: START + 60_000 };
    clock.set(repost.time);
    expect(upgraded.ingest(repost)).toMatchObject({ issueId: upgraded.listIssues()[0]!.id, match: 'near-duplicate' });
    expect(upgraded.snapshot().formatVersion).toBe(2);

    for (const junk of [undefined, null, 'x', { formatVersion: 99, issues: [] }, { formatVersion: 2 }]) {
      const reset = HotIssueEngine.restore(junk as unknown as HotIssueState, clock);
      expect(reset.restoredFrom).toBe('reset');
      expect(reset.listIssues()).toEqual([]);
    }
  });
});

describe('analyseMention with a pre-cut text', () => {
  const estate: MentionInput = {
    id: 'c0',
    title: 'A2区丽发新城小区旁搅拌站噪音扰民',
    text: '丽发新城的业主反映，小区旁边的搅拌站每天晚上施工到凌晨，噪音和粉尘很大，居民无法休息，请A市环保部门尽快查处。',
    time: START,
  };
  const joined = (m: MentionInput) => `${m.title ?? ''}\n${m.text}`;

  it("gives the same features from the classifier's cut as cutting inside", () => {
    for (const m of [estate, { ...estate, title: '' }, { id: 'c1', text: background(1)[0]!.text, time: START }]) {
      const own = analyseMention(m, { category: 'x', negativity: 0.3 });
      const cut = prepareText(m.title ? joined(m) : m.text, false);
      expect(
        analyseMention(m, { category: 'x', negativity: 0.3 }, { normalised: cut.normalised, tokens: cut.tokens }),
      ).toEqual(own);
    }
  });

  it("recovers the HMM's words from the classifier's cut without HMM", () => {
    const own = analyseMention(estate);
    const classifierCut = prepareText(joined(estate), false);
    const fromClassifier = analyseMention(estate, {}, classifierCut);
    expect(fromClassifier).toEqual(own);
    expect(own.places).toContain('丽发新城');
  });

  it('cuts by itself when the pre-cut text is of another mention', () => {
    const other = prepareText('小区门口的路灯坏了很久', false);
    expect(analyseMention(estate, {}, other)).toEqual(analyseMention(estate));
  });

  it.runIf(hasSharedData())('finds the same place names as extractPlaceNames on real posts', () => {
    const rows = parseCsvRecords(readFileSync(`${SHARED_DATA_DIR}teddy2020/hot_messages.csv`, 'utf8')).slice(0, 400);
    for (const row of rows) {
      const tokens = segment(normaliseText(row['留言详情'] ?? ''), true);
      expect(placeNamesOf(tokens, 0, tokens.length)).toEqual(extractPlaceNames(tokens));
    }
  });
});

describe('analyseMention keywords from runs of single characters', () => {
  const analysed = (id: string, title: string, text: string) =>
    analyseMention({ id, title, text, time: START }, { category: '劳动关系' });

  it('gives posts about one case a keyword for its name however the HMM pairs the run', () => {
    // jieba has no 车贷: 58车贷 alone is cut 车贷, 58车贷案 is cut 车 | 贷案; both posts must share 车贷.
    const bare = analysed('a', '某市58车贷恶性退出，立案半年没有进展', '受害人要求公布案情。');
    const withCase = analysed('b', '请领导关注某区58车贷案', '受害人盼望案情通报。');
    expect(Object.keys(bare.terms)).toContain('车贷');
    expect(Object.keys(withCase.terms)).toContain('车贷');
    // From the title, it weighs like the title's other words.
    expect(withCase.terms['车贷']).toBe(withCase.terms['贷案']);
    // The same from the classifier's cut (the analysis worker's path).
    const cut = prepareText('请领导关注某区58车贷案\n受害人盼望案情通报。', false);
    expect(
      analyseMention(
        { id: 'b', title: '请领导关注某区58车贷案', text: '受害人盼望案情通报。', time: START },
        { category: '劳动关系' },
        cut,
      ),
    ).toEqual(withCase);
  });

  it('makes no keyword of a pair with a function character', () => {
    const post = analysed('c', '', '宏达物流仓库老板跑路，农民工过年回不了家');
    expect(Object.keys(post.terms)).not.toContain('回不');
    expect(Object.keys(post.terms)).not.toContain('不了');
  });
});

describe('near-duplicate index', () => {
  it('finds a repost whose SimHash differs in exactly nearDuplicateBits bits, and not one more', () => {
    const clock = new ManualClock(START);
    const engine = new HotIssueEngine(clock);
    const base: AnalysedMention = analyseMention({
      id: 'h0',
      text: '宏达建筑公司拖欠农民工工资，工人讨薪无果',
      time: START,
    });
    engine.ingest({ ...base, simhash: '0000000000000000' });
    // Bits spread over every band of the index (one in each of six 9–10-bit bands).
    const six = simHashToHex({ hi: (1 << 0) | (1 << 10) | (1 << 20), lo: (1 << 1) | (1 << 12) | (1 << 25) });
    const seven = simHashToHex({
      hi: (1 << 0) | (1 << 10) | (1 << 20) | (1 << 30),
      lo: (1 << 1) | (1 << 12) | (1 << 25),
    });
    const unrelated = { terms: { 路灯: 1 }, places: [], title: '路灯' };
    expect(engine.ingest({ ...base, ...unrelated, id: 'h1', simhash: six })).toMatchObject({ match: 'near-duplicate' });
    expect(engine.ingest({ ...base, ...unrelated, id: 'h2', simhash: seven }).match).not.toBe('near-duplicate');
  });
});
