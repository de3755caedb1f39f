/** Helpers over sparse keyword vectors (term → weight), as mentions and issue centroids hold them. */

/** Euclidean length of a vector. */
export function norm(v: Record<string, number>): number {
  let s = 0;
  for (const k in v) s += v[k]! * v[k]!;
  return Math.sqrt(s);
}

/** The `n` strongest entries, ties broken by term so the order never depends on insertion. */
export function topEntries(v: Record<string, number>, n: number): [string, number][] {
  return Object.entries(v)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n);
}

/** Scratch of {@link nthLargest}: a typed array sorts natively, without a comparator call per comparison. */
let nthScratch = new Float64Array(256);

/** The n-th largest value of a vector (-Infinity when it has n values or fewer): a cut-off without sorting entries. */
export function nthLargest(v: Record<string, number>, n: number): number {
  let count = 0;
  for (const k in v) {
    if (count === nthScratch.length) {
      const grown = new Float64Array(count * 2);
      grown.set(nthScratch);
      nthScratch = grown;
    }
    nthScratch[count++] = v[k]!;
  }
  if (count <= n) return -Infinity;
  const values = nthScratch.subarray(0, count).sort();
  return values[count - n]!;
}

/** The terms of `v` at or above `cutoff`. */
export function keepFrom(v: Record<string, number>, cutoff: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k in v) if (v[k]! >= cutoff) out[k] = v[k]!;
  return out;
}

/** The most counted key (`default` when there is none). */
export function majority(counts: Record<string, number>): string {
  return topEntries(counts, 1)[0]?.[0] ?? 'default';
}
