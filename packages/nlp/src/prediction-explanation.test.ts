import { describe, expect, it } from 'vitest';
import { NEIGHBOUR_EXPLANATION } from './neighbour-index.ts';
import { explainPrediction, round4, type PackedModel } from './prediction-explanation.ts';

const DIMS = 8;
/** Bucket 5 stands for a fragment or a stopword: no readable name. */
const hasher = {
  describe: (bucket: number) => `feature${bucket}`,
  describeReadable: (bucket: number) => (bucket === 5 ? undefined : `feature${bucket}`),
};

/** Two labels; row b = [idf, w0, w1]. */
function model(rows: [number, number][]): PackedModel {
  const packed = new Float32Array(DIMS * 3);
  rows.forEach(([w0, w1], b) => {
    packed[b * 3] = 1;
    packed[b * 3 + 1] = w0;
    packed[b * 3 + 2] = w1;
  });
  return { packed, stride: 3, hasher };
}

describe('explainPrediction', () => {
  const m = model([
    [0, 2],
    [0, 1],
    [1, 1],
    [3, 0],
  ]);
  const indices = Int32Array.from([0, 1, 2, 3]);
  const values = Float32Array.from([0.5, 0.5, 0.5, 0.5]);

  it('names what pushed towards the label (+) first, strongest first, then what held it back (−)', () => {
    const top = explainPrediction(m, 1, indices, values, 4, 5, 0.7, 0);
    // Bucket 0: 0.5 × (2 − 1); bucket 1: 0.5 × (1 − 0.5); bucket 2 explains nothing, bucket 3 pushes away.
    expect(top).toEqual([
      [hasher.describe(0), round4(0.5)],
      [hasher.describe(1), round4(0.25)],
      [hasher.describe(3), round4(-0.75)],
    ]);
    expect(explainPrediction(m, 0, indices, values, 4, 5, 0.7, 0)[0]).toEqual([hasher.describe(3), round4(0.75)]);
    expect(explainPrediction(m, 1, indices, values, 4, 1, 0.7, 0)).toEqual([[hasher.describe(0), round4(0.5)]]);
  });

  it('leaves out buckets without a readable name', () => {
    const withFragment = model([
      [0, 2],
      [0, 1],
      [1, 1],
      [3, 0],
      [0, 0],
      [0, 9],
    ]);
    const idx = Int32Array.from([0, 1, 5]);
    const top = explainPrediction(withFragment, 1, idx, Float32Array.from([0.5, 0.5, 0.5]), 3, 5, 0.7, 0);
    expect(top.map(([name]) => name)).toEqual([hasher.describe(0), hasher.describe(1)]);
  });

  it('puts the neighbours vote first when it gave the label more than the words did', () => {
    expect(explainPrediction(m, 1, indices, values, 4, 2, 0.8, 0.5)).toEqual([
      [NEIGHBOUR_EXPLANATION, 0.5],
      [hasher.describe(0), 0.5],
    ]);
    expect(explainPrediction(m, 1, indices, values, 4, 2, 0.8, 0.3)[0]![0]).not.toBe(NEIGHBOUR_EXPLANATION);
  });
});
