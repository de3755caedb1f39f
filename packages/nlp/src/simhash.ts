/**
 * 64-bit SimHash of a token multiset, as two 32-bit halves (JS bit operations are 32-bit; BigInt would be slow).
 * Near-duplicate texts (reposts with a prefix, a changed sentence) differ in few bits.
 */
export interface SimHash {
  hi: number;
  lo: number;
}

function fnv32(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** murmur3's final avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** SimHash over features (words or shingles); each distinct feature votes with its count as weight. */
export function simHash(features: Iterable<string>): SimHash {
  const counts = new Map<string, number>();
  for (const f of features) counts.set(f, (counts.get(f) ?? 0) + 1);
  const votes = new Float64Array(64);
  for (const [f, weight] of counts) {
    const hi = fnv32(f, 0x9e3779b9);
    const lo = fnv32(f, 0x7f4a7c15);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += (hi >>> bit) & 1 ? weight : -weight;
      votes[bit + 32]! += (lo >>> bit) & 1 ? weight : -weight;
    }
  }
  return hashOfVotes(votes);
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of differing bits between two SimHashes (0–64). */
export function hammingDistance(a: SimHash, b: SimHash): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}

/** Hex form for storage and JSON state. */
export function simHashToHex(h: SimHash): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

/** Parses {@link simHashToHex}. */
export function simHashFromHex(hex: string): SimHash {
  return { hi: Number.parseInt(hex.slice(0, 8), 16) >>> 0, lo: Number.parseInt(hex.slice(8, 16), 16) >>> 0 };
}

const SHINGLE_DROPPED = /[^\p{Script=Han}a-z0-9]/gu;

/**
 * `simHash(charShingles(text, size))` computed straight from the character codes: no shingle strings, no count
 * map (a feature's weight is its count, so voting once per occurrence is the same sum). Same bits, ~4× faster;
 * stored hashes from either path compare.
 */
export function textSimHash(text: string, size = 3): SimHash {
  const chars = text.toLowerCase().replace(SHINGLE_DROPPED, '');
  if (chars.length < size) return simHash(charShingles(text, size));
  const votes = new Int32Array(64);
  for (let i = 0; i + size <= chars.length; i++) {
    let hi = (0x811c9dc5 ^ 0x9e3779b9) >>> 0;
    let lo = (0x811c9dc5 ^ 0x7f4a7c15) >>> 0;
    for (let k = i; k < i + size; k++) {
      const c = chars.charCodeAt(k);
      hi = Math.imul(hi ^ c, 0x01000193);
      lo = Math.imul(lo ^ c, 0x01000193);
    }
    hi = fmix32(hi);
    lo = fmix32(lo);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += ((hi >>> bit) & 1) * 2 - 1;
      votes[bit + 32]! += ((lo >>> bit) & 1) * 2 - 1;
    }
  }
  return hashOfVotes(votes);
}

/** Overlapping character shingles of the ideographs, letters and digits of a text (robust to re-tokenising). */
export function charShingles(text: string, size = 3): string[] {
  const chars = text.toLowerCase().replace(/[^\p{Script=Han}a-z0-9]/gu, '');
  const out: string[] = [];
  for (let i = 0; i + size <= chars.length; i++) out.push(chars.slice(i, i + size));
  if (out.length === 0 && chars.length > 0) out.push(chars);
  return out;
}

/** The 64-bit hash whose bits are set where the votes are positive. */
function hashOfVotes(votes: ArrayLike<number>): SimHash {
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit]! > 0) hi |= 1 << bit;
    if (votes[bit + 32]! > 0) lo |= 1 << bit;
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}
