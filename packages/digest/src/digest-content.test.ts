import { describe, expect, it } from 'vitest';
import type { DigestFlagRow, DigestIssueRow, IssueLevel } from '@yuqing/db';
import { headlineFrom, issueItemsFrom } from './digest-content.ts';

function issue(id: number, category: string | null, overrides: Partial<DigestIssueRow> = {}): DigestIssueRow {
  return {
    id,
    title: `事项${id}`,
    category,
    subcategory: null,
    status: 'new',
    level: 'general',
    hotness: 10 * id,
    mentionCount: 5,
    sentimentMix: { negative: 1, neutral: 3, positive: 0 },
    keywords: [],
    places: ['东城区'],
    deadlineAt: null,
    firstSeenAt: new Date(0),
    flaggedAt: new Date(0),
    ...overrides,
  };
}

function flag(
  id: number,
  target: DigestIssueRow,
  level: IssueLevel,
  priorLevel: IssueLevel | null,
  hour: number,
): DigestFlagRow {
  return {
    id,
    level,
    reason: `原因${id}`,
    createdAt: new Date(Date.UTC(2026, 10, 26, hour)),
    issue: target,
    priorLevel,
  };
}

describe('digest content', () => {
  const a = issue(1, '社会保险');
  const b = issue(2, '劳动关系');
  const c = issue(3, '社会保险');
  const flags = [
    flag(1, a, 'general', null, 1),
    flag(2, a, 'severe', null, 5), // new that day, ends 重大
    flag(3, b, 'major', 'general', 2), // raised above an earlier flag
    flag(4, c, 'general', 'general', 3), // flagged again at the same level
  ];

  it('lists each issue once at its highest level of the day, most serious first', () => {
    const items = issueItemsFrom(flags, new Map([[1, 42.25]]), 'https://x.gov.cn', {
      categories: [],
      minLevel: 'none',
    });
    expect(items.map((i) => [i.id, i.level, i.kind])).toEqual([
      [1, 'severe', 'new'],
      [2, 'major', 'escalated'],
      [3, 'general', 'ongoing'],
    ]);
    expect(items[0]).toMatchObject({
      url: 'https://x.gov.cn/issues/1',
      levelLabel: '重大',
      hotness: 42.3,
      reason: '原因2',
      negativePercent: 25,
    });
    expect(items[0]!.summary).toBe('原因2；相关信息5条；负面占25%；涉及东城区');
    // Without a snapshot before the day's end the issue's current hotness is shown.
    expect(items[1]!.hotness).toBe(20);
  });

  it('filters by category and minimum level', () => {
    expect(
      issueItemsFrom(flags, new Map(), '', { categories: ['社会保险'], minLevel: 'none' }).map((i) => i.id),
    ).toEqual([1, 3]);
    expect(issueItemsFrom(flags, new Map(), '', { categories: [], minLevel: 'major' }).map((i) => i.id)).toEqual([
      1, 2,
    ]);
    expect(issueItemsFrom(flags, new Map(), '', { categories: ['就业创业'], minLevel: 'none' })).toEqual([]);
  });

  it('compares the day with the one before, without dividing by zero', () => {
    const h = headlineFrom({ mentions: 30, relevant: 10, negative: 4 }, { mentions: 0, relevant: 0, negative: 0 });
    expect(h.mentions).toEqual({ value: 30, previous: 0, change: 30, changePercent: null });
    expect(h.negativeShare).toEqual({ value: 40, previous: null, changePoints: null });
    const down = headlineFrom({ mentions: 8, relevant: 4, negative: 1 }, { mentions: 10, relevant: 5, negative: 2 });
    expect(down.mentions.changePercent).toBe(-20);
    expect(down.negativeShare).toEqual({ value: 25, previous: 40, changePoints: -15 });
  });
});
