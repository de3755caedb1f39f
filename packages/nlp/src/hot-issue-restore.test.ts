// A worker saves the engine state after every group of mentions and restores it for the next: where the groups
// are cut must not change any issue, level, baseline or history point.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import type { HotIssueEvent } from './burst-detector.ts';
import { HotIssueEngine } from './hot-issue-engine.ts';
import { analyseMention, type MentionInput } from './mention-analysis.ts';

const MINUTE = 60_000;
const START = Date.UTC(2024, 0, 8, 0, 0, 0);
const TOPICS = [
  '请问灵活就业人员社保在哪里缴费',
  '咨询职称评审的申报时间',
  '失业保险金申领需要什么材料',
  '人才引进补贴什么时候发',
  '退休手续办理要多久',
  '工伤认定的流程是什么',
];

function stream(): MentionInput[] {
  const posts: MentionInput[] = TOPICS.flatMap((text, k) =>
    Array.from({ length: 8 }, (_, i) => ({
      id: `bg${k}-${i}`,
      text: `${text}${i % 2 ? '，谢谢' : ''}`,
      time: START + (k * 8 + i) * 17 * MINUTE,
      likes: i % 3,
    })),
  );
  for (let i = 0; i < 14; i++) {
    posts.push({
      id: `b${i}`,
      title: '仁和医院拒收医保卡',
      text: `仁和医院门诊突然不能用医保卡结算，参保人只能自费，第${i + 1}位患者反映`,
      time: START + 6 * 60 * MINUTE + i * 5 * MINUTE,
      likes: 20 + i * 5,
      reposts: 6,
    });
  }
  return posts.sort((a, b) => Number(a.time) - Number(b.time));
}

/** Runs the stream in groups of `size`, saving and restoring the state between groups as the worker does. */
function run(size: number): { events: HotIssueEvent[]; state: ReturnType<HotIssueEngine['snapshot']> } {
  const posts = stream();
  const clock = new ManualClock(Number(posts[0]!.time));
  let state: unknown;
  const events: HotIssueEvent[] = [];
  for (let start = 0; start < posts.length; start += size) {
    const engine =
      state === undefined
        ? new HotIssueEngine(clock)
        : HotIssueEngine.restore(JSON.parse(JSON.stringify(state)), clock);
    for (const post of posts.slice(start, start + size)) {
      clock.set(Number(post.time));
      events.push(...engine.ingest(analyseMention(post, { category: 'default', negativity: 0.2 })).events);
    }
    state = engine.snapshot();
  }
  return { events, state: state as ReturnType<HotIssueEngine['snapshot']> };
}

describe('HotIssueEngine save and restore', () => {
  it('gives the same events, levels, baselines and history whatever the group size', () => {
    const whole = run(10_000);
    expect(whole.events.length).toBeGreaterThan(0);
    for (const size of [1, 5, 13]) {
      const cut = run(size);
      expect(cut.events.map((e) => [e.issueId, e.level, e.at])).toEqual(
        whole.events.map((e) => [e.issueId, e.level, e.at]),
      );
      // Stored scores are rounded to 1e-4 (a smaller state row), so baselines agree to that precision.
      expect(Object.keys(cut.state.baselines)).toEqual(Object.keys(whole.state.baselines));
      for (const [category, b] of Object.entries(whole.state.baselines)) {
        expect(cut.state.baselines[category]!.windows).toBe(b.windows);
        expect(cut.state.baselines[category]!.mean).toBeCloseTo(b.mean, 3);
      }
      expect(cut.state.issues.map((i) => [i.id, i.level, i.history.length, i.mentionCount])).toEqual(
        whole.state.issues.map((i) => [i.id, i.level, i.history.length, i.mentionCount]),
      );
    }
  });
});
