import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { resolveHotIssueOptions } from './hot-issue-config.ts';
import { HotIssueEngine } from './hot-issue-engine.ts';
import { emptyState, newIssue, type AnalysedMention, type IssueState } from './hot-issue-state.ts';
import {
  centroidCosine,
  foldDirection,
  foldIssueInto,
  isFoldable,
  sharedPlace,
  siblingSimilarity,
} from './issue-merging.ts';
import { analyseMention } from './mention-analysis.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const START = Date.UTC(2024, 0, 8, 1, 0, 0);
const options = resolveHotIssueOptions();

/** An issue with the given content, as clustering would hold it. */
function issue(
  fields: Partial<IssueState> & { terms: Record<string, number>; mentionCount: number },
  id = 'I000001',
): IssueState {
  const base = newIssue(emptyState(), { title: 't', time: START } as AnalysedMention, START);
  const mentionIds = fields.mentionIds ?? Array.from({ length: fields.mentionCount }, (_, i) => `${id}-${i}`);
  return { ...base, id, mentionIds, ...fields };
}

describe('sibling rule', () => {
  it('only folds an issue nobody acted on: not flagged, held, set by hand, resolved or merged', () => {
    const plain = issue({ terms: { a: 1 }, mentionCount: 2 });
    expect(isFoldable(plain)).toBe(true);
    expect(isFoldable({ ...plain, level: '一般', flaggedAt: START })).toBe(false);
    expect(isFoldable({ ...plain, held: true })).toBe(false);
    expect(isFoldable({ ...plain, fixed: { title: '分析员改的标题' } })).toBe(false);
    expect(isFoldable({ ...plain, resolvedAt: START })).toBe(false);
    expect(isFoldable({ ...plain, mergedInto: 'I000009' })).toBe(false);
  });

  it('folds the smaller into the larger, a foldable one into one that is not, and never two held ones', () => {
    const big = issue({ terms: { a: 1 }, mentionCount: 9 }, 'I000001');
    const small = issue({ terms: { a: 1 }, mentionCount: 3 }, 'I000002');
    expect(foldDirection(small, big)).toEqual({ source: small, target: big });
    expect(foldDirection(big, small)).toEqual({ source: small, target: big });
    // The larger one was touched by an analyst: it takes the smaller in; a flagged small one takes the larger in.
    const heldBig = { ...big, held: true as const };
    expect(foldDirection(heldBig, small)).toEqual({ source: small, target: heldBig });
    const flaggedSmall = { ...small, level: '一般' as const, flaggedAt: START };
    expect(foldDirection(big, flaggedSmall)).toEqual({ source: big, target: flaggedSmall });
    expect(foldDirection(heldBig, flaggedSmall)).toBeUndefined();
    // Same size: the younger into the older.
    const twin = issue({ terms: { a: 1 }, mentionCount: 9, firstSeen: START + HOUR }, 'I000003');
    expect(foldDirection(twin, big)).toEqual({ source: twin, target: big });
  });

  it('scores two issues by centroid cosine, plus a shared place, minus different places of their own', () => {
    const terms = { 油烟: 2, 扰民: 1, 商铺: 1 };
    const other = { 油烟: 1, 噪音: 2, 夜宵: 1 };
    const cosine = centroidCosine(terms, other);
    expect(cosine).toBeCloseTo(2 / Math.sqrt(6 * 6), 6);
    // 万科魅力之城 and 魅力之城 name one estate: the bonus applies.
    const a = issue({ terms, mentionCount: 4, places: { 魅力之城: 3 } }, 'I000001');
    const b = issue({ terms: other, mentionCount: 2, places: { 万科魅力之城: 2 } }, 'I000002');
    expect(sharedPlace(a, b)).toEqual({ strength: 1, different: false });
    expect(siblingSimilarity(a, b, options)).toBeCloseTo(cosine + options.sharedPlaceBonus, 6);
    // Two estates of their own, none shared: the penalty applies.
    const c = issue({ terms: other, mentionCount: 2, places: { 润芳园: 2 } }, 'I000003');
    expect(sharedPlace(a, c)).toEqual({ strength: 0, different: true });
    expect(siblingSimilarity(a, c, options)).toBeCloseTo(cosine - options.differentPlacePenalty, 6);
    // A place one mention of ten names is incidental: neither a bonus nor a penalty.
    const d = issue({ terms: other, mentionCount: 10, places: { 魅力之城: 1 } }, 'I000004');
    expect(sharedPlace(a, d)).toEqual({ strength: 0, different: false });
  });

  it('adds up members, counts, centroids, places and hotness when folding', () => {
    const target = issue(
      {
        terms: { 欠薪: 2, 工地: 1 },
        mentionCount: 3,
        places: { 宏达建筑公司: 3 },
        categoryCounts: { 劳动关系: 3 },
        negativeMentions: 2,
        engagement: { likes: 10, comments: 1, reposts: 0 },
        decayedScore: 8,
        hotnessAt: START,
        recentTimes: [START - 20 * MIN, START - 10 * MIN, START],
        history: [{ at: START, hotness: 8, velocity: 3 }],
        peakHotness: 9,
        level: '一般',
        flaggedAt: START,
      },
      'I000001',
    );
    const source = issue(
      {
        terms: { 欠薪: 1, 老板跑路: 2 },
        mentionCount: 2,
        places: { 宏达建筑公司: 1, 工地老板跑路: 2 },
        categoryCounts: { 劳动关系: 2 },
        negativeMentions: 2,
        engagement: { likes: 4, comments: 0, reposts: 1 },
        decayedScore: 4,
        hotnessAt: START - options.hotnessHalfLifeMs,
        recentTimes: [START - 15 * MIN, START - 5 * MIN],
        history: [{ at: START, hotness: 2, velocity: 2 }],
        peakHotness: 5,
      },
      'I000002',
    );
    foldIssueInto(target, source, START, options);
    expect(target.mentionIds).toEqual(['I000001-0', 'I000001-1', 'I000001-2', 'I000002-0', 'I000002-1']);
    expect(target.mentionCount).toBe(5);
    expect(target.terms).toEqual({ 欠薪: 3, 工地: 1, 老板跑路: 2 });
    expect(target.places).toEqual({ 宏达建筑公司: 4, 工地老板跑路: 2 });
    expect(target.categoryCounts).toEqual({ 劳动关系: 5 });
    expect(target.negativeMentions).toBe(4);
    expect(target.engagement).toEqual({ likes: 14, comments: 1, reposts: 1 });
    // The source's score was one half-life old: it adds half.
    expect(target.decayedScore).toBeCloseTo(8 + 2, 6);
    expect(target.recentTimes).toEqual([START - 20 * MIN, START - 15 * MIN, START - 10 * MIN, START - 5 * MIN, START]);
    expect(target.history).toEqual([{ at: START, hotness: 10, velocity: 5 }]);
    expect(target.level).toBe('一般');
    expect(target.id).toBe('I000001');
  });
});

/**
 * One wage case told two ways: first as unpaid wages (公司拖欠工资), then as the boss who ran off and the labour
 * inspectors who did nothing (老板跑路, 劳动监察不作为); posts that tell both bring the two issues together.
 */
const WAGES = [
  '宏达建筑公司拖欠农民工工资，工人聚集讨薪',
  '宏达建筑公司拖欠农民工工资三个月，工人讨薪无门',
  '宏达建筑公司欠农民工工资，上百名工人聚集讨薪',
];
const BOSS_GONE = [
  '宏达建筑工地老板跑路，劳动监察大队不作为，农民工过年回不了家',
  '宏达建筑工地老板跑路了，劳动监察大队一直不作为',
  '宏达建筑工地老板跑路，农民工过年回不了家，劳动监察大队推诿',
];
const BOTH = [
  '宏达建筑公司拖欠农民工工资，工地老板跑路，劳动监察大队不作为',
  '宏达建筑公司工地老板跑路，拖欠农民工工资，讨薪无门',
  '宏达建筑公司拖欠农民工工资，工地老板跑路，劳动监察大队不作为，请领导关注',
  '宏达建筑公司工地老板跑路，拖欠农民工工资，讨薪无门，请领导关注',
  '宏达建筑工地老板跑路，劳动监察大队不作为，农民工拿不到工资',
];
/** Unrelated posts at the same time: nothing of them may be folded into the wage case. */
const UNRELATED = ['小区门口的路灯坏了很久', '居民医保缴费标准是多少', '公交站台被占用'];

function mention(id: string, text: string, time: number): AnalysedMention {
  return analyseMention({ id, text, time, likes: 3, source: 'weibo' }, { category: '劳动关系' });
}

/**
 * Replays the case, seven minutes apart, with the unrelated posts in between; `before` runs before the first post
 * that tells both.
 */
function replayCase(before?: (engine: HotIssueEngine) => void) {
  const clock = new ManualClock(START);
  const engine = new HotIssueEngine(clock);
  const posts = [
    ...WAGES.map((t, i) => [`wage${i}`, t] as const),
    ...UNRELATED.map((t, i) => [`other${i}`, t] as const),
    ...BOSS_GONE.map((t, i) => [`boss${i}`, t] as const),
    ...BOTH.map((t, i) => [`both${i}`, t] as const),
  ];
  const folds = [];
  const issueOf = new Map<string, string>();
  for (const [k, [id, text]] of posts.entries()) {
    const time = START + k * 7 * MIN;
    clock.set(time);
    if (k === posts.length - BOTH.length) before?.(engine);
    const result = engine.ingest(mention(id, text, time));
    folds.push(...result.folds);
    issueOf.set(id, result.issueId);
  }
  return { engine, folds, issueOf };
}

describe('HotIssueEngine sibling folds', () => {
  it('folds the fragment of one event into its issue, and leaves unrelated posts alone', () => {
    const { engine, folds, issueOf } = replayCase();
    // Until posts tell both, the case is two issues: the wages and the fragment; then one fold brings them together.
    expect(issueOf.get('boss0')).not.toBe(issueOf.get('wage0'));
    expect(folds).toEqual([{ from: issueOf.get('boss0'), into: issueOf.get('wage0') }]);
    const wage = engine.issue(issueOf.get('wage0')!)!;
    expect(engine.issue(issueOf.get('boss0')!)).toBeUndefined();
    expect([...wage.mentionIds].sort()).toEqual(
      [
        ...WAGES.map((_, i) => `wage${i}`),
        ...BOSS_GONE.map((_, i) => `boss${i}`),
        ...BOTH.map((_, i) => `both${i}`),
      ].sort(),
    );
    expect(wage.mentionCount).toBe(wage.mentionIds.length);
    // The unrelated posts each keep an issue of their own.
    for (const i of UNRELATED.keys())
      expect(engine.issue(issueOf.get(`other${i}`)!)!.mentionIds).toEqual([`other${i}`]);
    // The fold survives a snapshot and restore: the folded issue is gone from the state too.
    const restored = HotIssueEngine.restore(engine.snapshot(), new ManualClock(START + 2 * HOUR));
    expect(restored.listIssues().map((i) => i.id)).toEqual(engine.listIssues().map((i) => i.id));
    expect(restored.issue(issueOf.get('boss0')!)).toBeUndefined();
  });

  it('never folds away an issue an analyst acted on (it takes the rest in), and folds nothing with folding off', () => {
    const held = replayCase((engine) => {
      const fragment = engine.listIssues().find((i) => i.mentionIds.includes('boss0'))!;
      engine.applyAnalystDecisions([{ issueId: fragment.id, held: true }]);
    });
    // The analyst's issue stays whatever the sizes: the unflagged rest of the event is folded into it instead.
    const fragment = held.issueOf.get('boss0')!;
    expect(held.folds.every((f) => f.from !== fragment)).toBe(true);
    expect(held.folds).toEqual([{ from: held.issueOf.get('wage0'), into: fragment }]);
    expect(held.engine.issue(fragment)!.mentionIds).toEqual(expect.arrayContaining(['boss0', 'wage0', 'both0']));

    const clock = new ManualClock(START);
    const off = new HotIssueEngine(clock, { siblingSimilarity: Infinity });
    let folds = 0;
    [...WAGES, ...BOSS_GONE, ...BOTH].forEach((text, k) => {
      clock.set(START + k * 7 * MIN);
      folds += off.ingest(mention(`m${k}`, text, START + k * 7 * MIN)).folds.length;
    });
    expect(folds).toBe(0);
  });
});
