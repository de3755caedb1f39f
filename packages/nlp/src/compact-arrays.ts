import { NonRetryableError } from '@yuqing/core';

// Compact encodings for the arrays a model file keeps of its labelled examples (format 4): bucket numbers as
// varint gaps within each example, feature values as IEEE half floats. They halve the examples' share of a model
// file; the arrays in memory stay Int32/Float32.

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

/** IEEE 754 half-precision bits of `value`, rounded to nearest, ties to even (overflow gives ±Infinity). */
export function toFloat16Bits(value: number): number {
  float32[0] = value;
  const bits = float32Bits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) {
    // Subnormal half: the implicit leading 1 becomes explicit and is shifted into the 10-bit mantissa.
    if (halfExponent < -10) return sign;
    const full = mantissa | 0x800000;
    const shift = 14 - halfExponent;
    let half = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa moves into the exponent, which is the correctly rounded result (up to Infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The number that half-precision `bits` stand for. */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** `value` rounded to the nearest half-precision number (what a format-4 model file keeps). */
export function roundToFloat16(value: number): number {
  return fromFloat16Bits(toFloat16Bits(value));
}

/** Half-precision copies of `values`. */
export function encodeFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]!);
  return out;
}

/** Every half float as a Float32, built on first use (256 KB): a model's millions of values decode by lookup. */
let float16Table: Float32Array | undefined;

/** Float32 copies of half-precision `bits`. */
export function decodeFloat16(bits: Uint16Array): Float32Array {
  if (!float16Table) {
    float16Table = new Float32Array(0x10000);
    for (let h = 0; h < 0x10000; h++) float16Table[h] = fromFloat16Bits(h);
  }
  const table = float16Table;
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]!]!;
  return out;
}

/**
 * Encodes the bucket numbers of each example (`buckets[offsets[e]] … buckets[offsets[e+1]-1]`, increasing within
 * an example) as LEB128 varints of the gap to the previous bucket of the same example (the first one from 0).
 * Hashed features of one text are spread over the table, so gaps take two bytes where an Int32 takes four.
 */
export function encodeBucketGaps(buckets: Int32Array, offsets: Int32Array): Uint8Array {
  const out = new Uint8Array(buckets.length * 5);
  let at = 0;
  for (let e = 0; e + 1 < offsets.length; e++) {
    let previous = 0;
    for (let j = offsets[e]!; j < offsets[e + 1]!; j++) {
      const bucket = buckets[j]!;
      let gap = bucket - previous;
      if (gap < 0 || (j > offsets[e]! && gap === 0))
        throw new NonRetryableError('MODEL_INVALID', `example ${e}: buckets must increase within an example`);
      previous = bucket;
      while (gap >= 0x80) {
        out[at++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      out[at++] = gap;
    }
  }
  return out.slice(0, at);
}

/** Inverse of {@link encodeBucketGaps}; refuses bytes that do not hold exactly `offsets` worth of buckets. */
export function decodeBucketGaps(bytes: Uint8Array, offsets: Int32Array): Int32Array {
  const total = offsets[offsets.length - 1] ?? 0;
  const buckets = new Int32Array(total);
  let at = 0;
  for (let e = 0; e + 1 < offsets.length; e++) {
    if (offsets[e + 1]! < offsets[e]! || offsets[e]! < 0)
      throw new NonRetryableError('MODEL_INVALID', 'model example offsets are not in order');
    let previous = 0;
    const end = offsets[e + 1]!;
    for (let j = offsets[e]!; j < end; j++) {
      if (at >= bytes.length) throw new NonRetryableError('MODEL_INVALID', 'model example buckets end early');
      let byte = bytes[at++]!;
      let gap = byte & 0x7f;
      // Integer shifts, not powers: this loop decodes millions of gaps when a model loads.
      for (let shift = 7; byte >= 0x80; shift += 7) {
        if (at >= bytes.length) throw new NonRetryableError('MODEL_INVALID', 'model example buckets end early');
        byte = bytes[at++]!;
        if (shift === 28 ? byte > 7 : shift > 28)
          throw new NonRetryableError('MODEL_INVALID', 'model example buckets hold a broken number');
        gap |= (byte & 0x7f) << shift;
      }
      previous += gap;
      if (previous > 0x7fffffff)
        throw new NonRetryableError('MODEL_INVALID', 'model example buckets hold a broken number');
      buckets[j] = previous;
    }
  }
  if (at !== bytes.length) throw new NonRetryableError('MODEL_INVALID', 'model example buckets have bytes left over');
  return buckets;
}
