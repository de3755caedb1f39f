import { describe, expect, it } from 'vitest';
import { seededRandom } from './classifier-training.ts';
import { keepFrom, majority, norm, nthLargest, topEntries } from './term-vector.ts';

function randomVector(rand: () => number, size: number): Record<string, number> {
  const v: Record<string, number> = {};
  for (let i = 0; i < size; i++) v[`t${i}`] = Math.round(rand() * 20) / 10;
  return v;
}

describe('term vectors', () => {
  it('nthLargest agrees with sorting, also past the scratch size', () => {
    const rand = seededRandom(2);
    for (const size of [0, 1, 5, 40, 300]) {
      const v = randomVector(rand, size);
      const sorted = Object.values(v).sort((a, b) => b - a);
      for (const n of [1, 3, 12, 40]) expect(nthLargest(v, n)).toBe(size <= n ? -Infinity : sorted[n - 1]);
    }
  });

  it('keepFrom keeps the terms at or above the cut-off', () => {
    const v = { a: 0.5, b: 0.2, c: 0.9, d: 0.2 };
    expect(keepFrom(v, nthLargest(v, 2))).toEqual({ a: 0.5, c: 0.9 });
    expect(keepFrom(v, 0.2)).toEqual(v);
  });

  it('topEntries orders by weight, then by term', () => {
    expect(topEntries({ b: 1, a: 1, c: 2, d: 0.5 }, 3)).toEqual([
      ['c', 2],
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('majority names the most counted key, or default', () => {
    expect(majority({ x: 2, y: 5 })).toBe('y');
    expect(majority({})).toBe('default');
  });

  it('norm is the Euclidean length', () => {
    expect(norm({ a: 3, b: 4 })).toBe(5);
    expect(norm({})).toBe(0);
  });
});
