import { describe, expect, it } from 'vitest';
import { ALERT_TRIGGER_KINDS, firedKey, alertTriggerKey, parseTriggerList } from './alert-triggers.ts';
import {
  evaluateHotListTriggers,
  formatHeat,
  hotListBand,
  hotListPlatformLabel,
  unfiredHotListTriggers,
  type HotListEntryFacts,
} from './hot-list-triggers.ts';
import { parseAlertChannelDefinition } from './alert-channel.ts';

const seenAt = new Date('2025-05-06T10:12:51Z');
const entry = (over: Partial<HotListEntryFacts> = {}): HotListEntryFacts => ({
  mentionId: 7,
  issueId: 3,
  level: 'none',
  platform: 'zhihu',
  title: '老板不招保洁了，让行政打扫厕所，涨工资 500 元',
  rank: 22,
  heat: 1_542_565,
  observedAt: seenAt,
  ...over,
});
/** The delivered-key set after `triggers` were sent (as deliveredTriggerKeys reads it back). */
const delivered = (...triggers: ReturnType<typeof evaluateHotListTriggers>) =>
  new Set(triggers.map((t) => firedKey(t.issueId, t.level, alertTriggerKey(t))));

describe('hot-list rank bands', () => {
  it('puts a rank in the narrowest band it is in, else on the list', () => {
    expect([1, 3, 4, 10, 11, 50].map((r) => hotListBand(r))).toEqual([
      'top3',
      'top3',
      'top10',
      'top10',
      'listed',
      'listed',
    ]);
    expect(hotListBand(15, [20, 10, 3])).toBe('top20');
    expect(hotListBand(15, [])).toBe('listed');
  });

  it('names platforms and heat the way people read them', () => {
    expect(hotListPlatformLabel('weibo')).toBe('微博热搜');
    expect(hotListPlatformLabel('douyin')).toBe('抖音热点');
    expect(hotListPlatformLabel('bilibili')).toBe('bilibili');
    expect(formatHeat(1_542_565)).toBe('154.3万');
    expect(formatHeat(9_999)).toBe('9999');
    expect(formatHeat(210_000_000)).toBe('2.1亿');
  });
});

describe('hot-list entry triggers', () => {
  it('alerts a relevant entry with platform, rank and heat, at 一般 for an issue without a level', () => {
    const [t] = evaluateHotListTriggers([entry()]);
    expect(t).toEqual({
      kind: 'hotlist.entry',
      issueId: 3,
      level: 'general',
      at: seenAt,
      reason: '相关热榜条目登上知乎热榜：「老板不招保洁了，让行政打扫厕所，涨工资 500 元」第 22 名，热度 154.3万',
      occurrence: '7:listed',
      hotList: { platform: 'zhihu', rank: 22, heat: 1_542_565, title: entry().title, band: 'listed' },
    });
    const [major] = evaluateHotListTriggers([entry({ level: 'major', rank: 8, heat: null })]);
    expect(major!.level).toBe('major');
    expect(major!.reason).toBe(
      '相关热榜条目进入知乎热榜前 10：「老板不招保洁了，让行政打扫厕所，涨工资 500 元」第 8 名',
    );
  });

  it('alerts once per band reached: first seen, then top 10, then top 3; never again on the way down', () => {
    let sent = new Set<string>();
    const step = (rank: number) => {
      const fired = unfiredHotListTriggers(evaluateHotListTriggers([entry({ rank })]), sent);
      sent = new Set([...sent, ...delivered(...fired)]);
      return fired.map((t) => t.occurrence);
    };
    expect(step(22)).toEqual(['7:listed']);
    expect(step(14)).toEqual([]);
    expect(step(9)).toEqual(['7:top10']);
    expect(step(4)).toEqual([]);
    expect(step(2)).toEqual(['7:top3']);
    expect(step(1)).toEqual([]);
    // Fallen back down the list (the window's best rank is worse than what was alerted): nothing.
    expect(step(30)).toEqual([]);
    expect(step(6)).toEqual([]);
  });

  it('entering straight at the top alerts once, not once per band passed over', () => {
    const fired = unfiredHotListTriggers(evaluateHotListTriggers([entry({ rank: 1 })]), new Set());
    expect(fired.map((t) => t.occurrence)).toEqual(['7:top3']);
    expect(unfiredHotListTriggers(evaluateHotListTriggers([entry({ rank: 9 })]), delivered(...fired))).toEqual([]);
  });

  it('an issue flagged higher after the alert does not get the same band again; other entries are their own', () => {
    const first = evaluateHotListTriggers([entry({ rank: 5 })]);
    const sent = delivered(...first);
    const later = evaluateHotListTriggers([
      entry({ rank: 5, level: 'severe' }),
      entry({ mentionId: 8, platform: 'weibo', rank: 5, level: 'severe' }),
    ]);
    expect(unfiredHotListTriggers(later, sent).map((t) => [t.occurrence, t.level])).toEqual([['8:top10', 'severe']]);
    // Folded into another issue since: still the same entry, already alerted at this band.
    expect(unfiredHotListTriggers(evaluateHotListTriggers([entry({ rank: 5, issueId: 9 })]), sent)).toEqual([]);
  });

  it('is a trigger kind channels can choose', () => {
    expect(ALERT_TRIGGER_KINDS).toContain('hotlist.entry');
    expect(parseTriggerList('new-flag,hotlist.entry')).toEqual(['new-flag', 'hotlist.entry']);
    const channel = parseAlertChannelDefinition({
      name: '热榜群',
      kind: 'webhook',
      config: { url: 'https://hooks.example.cn/a' },
      filter: { triggers: ['hotlist.entry'] },
    });
    expect(channel.filter.triggers).toEqual(['hotlist.entry']);
  });
});
