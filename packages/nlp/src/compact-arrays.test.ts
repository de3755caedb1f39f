import { describe, expect, it } from 'vitest';
import {
  decodeBucketGaps,
  decodeFloat16,
  encodeBucketGaps,
  encodeFloat16,
  fromFloat16Bits,
  roundToFloat16,
  toFloat16Bits,
} from './compact-arrays.ts';

describe('half floats', () => {
  it('match IEEE 754 binary16 on known values, rounding to nearest even', () => {
    const known: [number, number][] = [
      [0, 0x0000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [2 ** -14, 0x0400],
      [2 ** -24, 0x0001],
      [Number.POSITIVE_INFINITY, 0x7c00],
    ];
    for (const [value, bits] of known) {
      expect(toFloat16Bits(value)).toBe(bits);
      expect(fromFloat16Bits(bits)).toBe(value);
    }
    expect(toFloat16Bits(-0)).toBe(0x8000);
    expect(toFloat16Bits(70000)).toBe(0x7c00);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1); just above goes up.
    expect(toFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    expect(toFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(toFloat16Bits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
    // Below the smallest subnormal's half: zero.
    expect(toFloat16Bits(2 ** -26)).toBe(0);
    expect(toFloat16Bits(3 * 2 ** -26)).toBe(0x0001);
  });

  it('keep unit-vector values within 0.05 % and round trip exactly once rounded', () => {
    const values = Float32Array.from({ length: 2000 }, (_, i) => Math.abs(Math.sin(i * 12.9898)) / 7 + 1e-4);
    const decoded = decodeFloat16(encodeFloat16(values));
    for (let i = 0; i < values.length; i++) {
      expect(Math.abs(decoded[i]! - values[i]!) / values[i]!).toBeLessThan(5e-4);
      expect(decoded[i]).toBe(Math.fround(roundToFloat16(values[i]!)));
    }
    expect(decodeFloat16(encodeFloat16(decoded))).toEqual(decoded);
  });
});

describe('bucket gaps', () => {
  it('round trip buckets per example in about half the bytes of Int32', () => {
    const offsets = Int32Array.from([0, 3, 3, 7]);
    const buckets = Int32Array.from([5, 300, 262_143, 0, 1, 128, 2 ** 31 - 1]);
    const bytes = encodeBucketGaps(buckets, offsets);
    expect(decodeBucketGaps(bytes, offsets)).toEqual(buckets);
    // Hashed features of a text: ~200 buckets spread over 2^18.
    const spread = Int32Array.from({ length: 200 }, (_, i) => i * 1300 + (i % 7));
    expect(encodeBucketGaps(spread, Int32Array.from([0, 200])).length).toBe(2 * 200 - 1);
  });

  it('refuses unordered buckets and broken bytes with MODEL_INVALID', () => {
    expect(() => encodeBucketGaps(Int32Array.from([3, 2]), Int32Array.from([0, 2]))).toThrow(/increase/);
    const offsets = Int32Array.from([0, 2]);
    const bytes = encodeBucketGaps(Int32Array.from([1, 200]), offsets);
    expect(() => decodeBucketGaps(bytes.subarray(0, bytes.length - 1), offsets)).toThrow(
      expect.objectContaining({ code: 'MODEL_INVALID' }),
    );
    expect(() => decodeBucketGaps(Uint8Array.from([...bytes, 1]), offsets)).toThrow(/left over/);
    expect(() =>
      decodeBucketGaps(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), Int32Array.from([0, 1])),
    ).toThrow(/broken/);
    expect(() => decodeBucketGaps(bytes, Int32Array.from([0, 2, 1]))).toThrow(/order/);
  });
});
