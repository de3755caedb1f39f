import { analysedMentionFixture } from '@yuqing/testkit';
import { describe, expect, it } from 'vitest';
import { emptyState, newIssue, type IssueState } from './hot-issue-state.ts';
import { IssueIndexes } from './issue-indexes.ts';

function restoredIssue(
  id: number,
  lastSeen: number,
  terms: Record<string, number>,
  places: Record<string, number>,
  simhashes: string[],
): IssueState {
  const state = emptyState();
  state.nextIssueNumber = id;
  const issue = newIssue(state, analysedMentionFixture({ id: 'm', time: lastSeen, source: 'x' }), lastSeen);
  return { ...issue, terms, places, simhashes, mentionCount: 4 };
}

describe('IssueIndexes', () => {
  it('indexes a restored issue by its strongest keywords, specific places and suffixes, and hashes', () => {
    const terms: Record<string, number> = {};
    for (let i = 0; i < 20; i++) terms[`t${i}`] = i + 1;
    const issue = restoredIssue(1, 1000, terms, { A市: 4, 商品房伊景园: 3, 东六路: 1 }, ['00000000000000ff']);
    const indexes = new IssueIndexes(6);
    const entry = indexes.activate(issue);
    expect(indexes.activeCount).toBe(1);
    expect(indexes.entry(issue)).toBe(entry);
    // The 12 strongest keywords only.
    expect(indexes.issuesWithTerm('t19')?.get(entry)).toBe(20);
    expect(indexes.issuesWithTerm('t8')?.get(entry)).toBe(9);
    expect(indexes.issuesWithTerm('t7')).toBeUndefined();
    expect(indexes.issuesNaming('A市')).toBeUndefined();
    expect(indexes.issuesNaming('商品房伊景园')?.has(entry)).toBe(true);
    expect(indexes.issuesNamingLonger('伊景园')?.has(entry)).toBe(true);
    expect(indexes.issuesNaming('东六路')?.has(entry)).toBe(true);
    expect(entry.ownPlaceMentions).toBe(3);
    expect(indexes.nearDuplicate(0, 0xff, 1000, 10)?.issue).toBe(issue);
    expect(indexes.nearDuplicate(0, 0xff, 5000, 10)).toBeUndefined();
  });

  it('re-ranks keywords as weights change', () => {
    const issue = restoredIssue(1, 0, { a: 1 }, {}, []);
    const indexes = new IssueIndexes(6);
    const entry = indexes.activate(issue);
    for (let i = 0; i < 12; i++) issue.terms[`n${i}`] = 2;
    indexes.reindexTerms(entry);
    expect(indexes.issuesWithTerm('a')).toBeUndefined();
    expect(indexes.issuesWithTerm('n0')?.get(entry)).toBe(2);
  });

  it('retires issues silent since before the horizon from every index, keeping the others', () => {
    const old = restoredIssue(1, 100, { 工资: 1 }, { 丽发新城: 2 }, ['0000000000000001']);
    const recent = restoredIssue(2, 900, { 工资: 1 }, { 丽发新城: 2 }, ['0000000000000003']);
    const indexes = new IssueIndexes(6);
    indexes.activate(old);
    const kept = indexes.activate(recent);
    expect(indexes.retireBefore(500)).toEqual([old]);
    expect(indexes.activeCount).toBe(1);
    expect(indexes.entry(old)).toBeUndefined();
    expect([...indexes.issuesWithTerm('工资')!.keys()]).toEqual([kept]);
    expect([...indexes.issuesNaming('丽发新城')!]).toEqual([kept]);
    expect(indexes.nearDuplicate(0, 1, 900, 10_000)?.issue).toBe(recent);
    expect(indexes.retireBefore(1000)).toEqual([recent]);
    expect(indexes.issuesWithTerm('工资')).toBeUndefined();
    expect(indexes.issuesNaming('丽发新城')).toBeUndefined();
    expect(indexes.nearDuplicate(0, 1, 900, 10_000)).toBeUndefined();
  });

  it('gives each search a new stamp', () => {
    const indexes = new IssueIndexes(6);
    expect(indexes.nextStamp()).not.toBe(indexes.nextStamp());
  });
});
