import { describe, expect, it } from 'vitest';
import { NeighbourIndex, buildMemory, type ExampleMemory } from './neighbour-index.ts';

const DIMS = 64;

/** Unit-length sparse vector over the given buckets. */
function vector(buckets: number[]): { indices: Int32Array; values: Float32Array } {
  const value = 1 / Math.sqrt(buckets.length);
  return { indices: Int32Array.from(buckets), values: Float32Array.from(buckets, () => value) };
}

function memoryOf(examples: number[][], labels: number[], k: number): ExampleMemory {
  return buildMemory(examples.map(vector), Int32Array.from(labels), k);
}

describe('buildMemory', () => {
  it('stores each example with its buckets in increasing order and its label', () => {
    const m = memoryOf([[5, 1, 3], [2]], [1, 0], 3);
    expect(Array.from(m.offsets)).toEqual([0, 3, 4]);
    expect(Array.from(m.buckets)).toEqual([1, 3, 5, 2]);
    expect(Array.from(m.labels)).toEqual([1, 0]);
    expect(m.k).toBe(3);
  });
});

describe('NeighbourIndex', () => {
  const examples = [
    [1, 2, 3, 4],
    [1, 2, 3, 5],
    [10, 11, 12, 13],
    [10, 11, 12, 14],
  ];
  const labels = [0, 0, 1, 1];

  it('pulls the probabilities towards the label of the nearest examples, by the vote weight', () => {
    const memory = memoryOf(examples, labels, 2);
    const index = new NeighbourIndex(memory, DIMS, 2);
    const text = vector([10, 11, 12, 13]);
    const p = Float64Array.from([0.6, 0.4]);
    index.vote(text.indices, text.values, text.indices.length, p);
    expect(p[1]).toBeCloseTo(0.5 * 0.4 + 0.5, 3);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 9);
    expect(index.voteFor(1)).toBeCloseTo(0.5, 3);
    expect(index.voteFor(0)).toBeCloseTo(0, 9);
    index.skip();
    expect(index.voteFor(1)).toBe(0);
  });

  it('leaves the probabilities alone for a text sharing no feature with any example', () => {
    const index = new NeighbourIndex(memoryOf(examples, labels, 2), DIMS, 2);
    const text = vector([40, 41]);
    const p = Float64Array.from([0.7, 0.3]);
    index.vote(text.indices, text.values, text.indices.length, p);
    expect(Array.from(p)).toEqual([0.7, 0.3]);
    expect(index.voteFor(0)).toBe(0);
  });

  it('refuses an inconsistent memory with MODEL_INVALID', () => {
    const good = memoryOf(examples, labels, 2);
    const broken: ExampleMemory[] = [
      { ...good, offsets: good.offsets.slice(0, 3) },
      { ...good, k: 0 },
      { ...good, labels: Uint16Array.from([0, 0, 1, 2]) },
      { ...good, buckets: Int32Array.from(good.buckets, (b) => b + DIMS) },
    ];
    for (const memory of broken)
      expect(() => new NeighbourIndex(memory, DIMS, 2)).toThrow(expect.objectContaining({ code: 'MODEL_INVALID' }));
  });
});
