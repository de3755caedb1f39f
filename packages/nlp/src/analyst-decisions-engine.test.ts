// The engine keeps to what analysts decided (HotIssueEngine.applyAnalystDecisions): pure, no storage.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { HotIssueEngine } from './hot-issue-engine.ts';
import { analyseMention } from './mention-analysis.ts';

const START = Date.UTC(2026, 11, 3, 1, 0, 0);
const MINUTE = 60_000;

function post(id: string, text: string, minutes: number, category: string) {
  return analyseMention({ id, text, title: text.slice(0, 20), time: START + minutes * MINUTE }, { category });
}

const wage = (k: number, category = '劳动关系') =>
  post(`w${k}`, `星河物流公司拖欠工资三个月，几十名员工讨薪无门，第${k}位员工反映情况。`, k * 5, category);
const medical = (k: number) =>
  post(
    `m${k}`,
    `医保异地就医备案需要什么材料？父母退休后随我来本市生活，第${k}次咨询报销比例。`,
    2 + k * 5,
    '医疗保险',
  );

describe('HotIssueEngine.applyAnalystDecisions', () => {
  it('keeps a title, category and level set by hand as mentions join', () => {
    const clock = new ManualClock(new Date(START));
    const engine = new HotIssueEngine(clock);
    const first = engine.ingest(wage(0));
    engine.ingest(wage(1));
    engine.applyAnalystDecisions([
      { issueId: first.issueId, title: '分析员标题', category: '城镇居民社会保险', level: '较大' },
    ]);
    for (let k = 2; k < 8; k++) {
      clock.set(new Date(START + k * 5 * MINUTE));
      expect(engine.ingest(wage(k)).issueId).toBe(first.issueId);
    }
    const issue = engine.issue(first.issueId)!;
    expect(issue.title).toBe('分析员标题');
    expect(engine.category(issue)).toBe('城镇居民社会保险');
    expect(issue.level).toBe('较大');
    // The decision survives the stored state.
    const restored = HotIssueEngine.restore(JSON.parse(JSON.stringify(engine.snapshot())), clock);
    expect(restored.category(restored.issue(first.issueId)!)).toBe('城镇居民社会保险');
  });

  it('passes the mentions of a merged issue to the issue it was merged into', () => {
    const clock = new ManualClock(new Date(START));
    const engine = new HotIssueEngine(clock);
    const target = engine.ingest(wage(0)).issueId;
    const source = engine.ingest(medical(0)).issueId;
    expect(source).not.toBe(target);
    engine.applyAnalystDecisions([{ issueId: source, mergedInto: target }]);
    clock.set(new Date(START + 10 * MINUTE));
    expect(engine.ingest(medical(1)).issueId).toBe(target);
  });

  it('clears the flag of a newly resolved issue and forgets the mentions before the resolution', () => {
    const clock = new ManualClock(new Date(START));
    const engine = new HotIssueEngine(clock);
    const id = engine.ingest(wage(0)).issueId;
    engine.ingest(wage(1));
    const issue = engine.issue(id)!;
    issue.level = '一般';
    const resolvedAt = START + 6 * MINUTE;
    engine.applyAnalystDecisions([{ issueId: id, resolvedAt }]);
    expect(issue).toMatchObject({ level: null, flaggedAt: null, recentTimes: [], decayedScore: 0 });
    // Applying the same resolution again changes nothing (mentions after it stay counted).
    clock.set(new Date(START + 10 * MINUTE));
    engine.ingest(wage(2));
    engine.applyAnalystDecisions([{ issueId: id, resolvedAt }]);
    expect(issue.recentTimes).toEqual([START + 10 * MINUTE]);
  });
});
