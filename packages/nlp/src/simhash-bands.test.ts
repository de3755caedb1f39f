import { analysedMentionFixture } from '@yuqing/testkit';
import { describe, expect, it } from 'vitest';
import { newIssue, emptyState, type IssueState } from './hot-issue-state.ts';
import { SimHashBandIndex, bandLayout, hashBits } from './simhash-bands.ts';
import { seededRandom } from './classifier-training.ts';

function bit(hi: number, lo: number, i: number): number {
  return i >= 32 ? (hi >>> (i - 32)) & 1 : (lo >>> i) & 1;
}

function distance(a: { hi: number; lo: number }, b: { hi: number; lo: number }): number {
  let d = 0;
  for (let i = 0; i < 64; i++) d += bit(a.hi, a.lo, i) ^ bit(b.hi, b.lo, i);
  return d;
}

function issueAt(lastSeen: number): IssueState {
  const issue = newIssue(emptyState(), analysedMentionFixture({ id: 'm', time: lastSeen, source: 'x' }), lastSeen);
  return issue;
}

describe('bandLayout', () => {
  it('covers the 64 bits with bits + 1 disjoint bands of at most 32 bits (for 1 bit or more)', () => {
    for (const bits of [1, 3, 6, 10, 63]) {
      const { starts, widths } = bandLayout(bits);
      expect(starts).toHaveLength(bits + 1);
      let next = 0;
      starts.forEach((s, b) => {
        expect(s).toBe(next);
        expect(widths[b]).toBeLessThanOrEqual(32);
        next += widths[b]!;
      });
      expect(next).toBe(64);
    }
  });
});

describe('hashBits', () => {
  it('reads the same bits as a bit-by-bit reading, across the word boundary too', () => {
    const rand = seededRandom(5);
    for (let t = 0; t < 200; t++) {
      const hi = Math.floor(rand() * 2 ** 32) | 0;
      const lo = Math.floor(rand() * 2 ** 32) | 0;
      const width = 1 + Math.floor(rand() * 32);
      const start = Math.floor(rand() * (65 - width));
      let expected = 0;
      for (let i = width - 1; i >= 0; i--) expected = expected * 2 + bit(hi, lo, start + i);
      expect(hashBits(hi, lo, start, width)).toBe(expected);
    }
  });
});

describe('SimHashBandIndex', () => {
  it('finds the nearest hash within the distance exactly as a full scan does', () => {
    const rand = seededRandom(9);
    const index = new SimHashBandIndex(6);
    const base = { hi: 0x12345678, lo: 0x9abcdef0 | 0 };
    const held: { hi: number; lo: number; issue: IssueState }[] = [];
    for (let n = 0; n < 300; n++) {
      // Flip a few random bits of the base, so distances spread around the limit.
      let { hi, lo } = base;
      const flips = Math.floor(rand() * 12);
      for (let f = 0; f < flips; f++) {
        const i = Math.floor(rand() * 64);
        if (i >= 32) hi ^= 1 << (i - 32);
        else lo ^= 1 << i;
      }
      const issue = issueAt(n);
      held.push({ hi, lo, issue });
      index.add(issue, hi, lo);
    }
    for (let q = 0; q < 100; q++) {
      const query = held[Math.floor(rand() * held.length)]!;
      const probe = { hi: query.hi ^ (1 << Math.floor(rand() * 32)), lo: query.lo };
      let best: (typeof held)[number] | undefined;
      let bestDistance = 7;
      for (const h of held) {
        const d = distance(h, probe);
        if (d < bestDistance || (d === bestDistance && best && h.issue.lastSeen > best.issue.lastSeen)) {
          bestDistance = d;
          best = h;
        }
      }
      expect(index.nearest(probe.hi, probe.lo, 1000, 10_000)?.issue).toBe(best?.issue);
    }
  });

  it('skips hashes of issues outside the window and forgets removed issues', () => {
    const index = new SimHashBandIndex(6);
    const old = issueAt(0);
    const recent = issueAt(900);
    const oldEntry = index.add(old, 1, 1);
    index.add(recent, 1, 3);
    expect(index.nearest(1, 1, 1000, 5000)?.issue).toBe(old);
    expect(index.nearest(1, 1, 1000, 500)?.issue).toBe(recent);
    index.remove(old, [oldEntry]);
    expect(index.nearest(1, 1, 1000, 5000)?.issue).toBe(recent);
    index.remove(recent, []);
    expect(index.nearest(1, 1, 1000, 5000)?.issue).toBe(recent);
  });
});
