import type { IssueState } from './hot-issue-state.ts';

/** One distinct-text SimHash of an issue, as the band index holds it. */
export interface HashEntry {
  hi: number;
  lo: number;
  issue: IssueState;
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * Bands of the 64-bit SimHash index for a near-duplicate distance of `bits`: `bits + 1` disjoint bands, so two
 * hashes within `bits` differ in at most `bits` bands and share at least one whole band (pigeonhole): the index
 * finds every near-duplicate. As few and as wide bands as that allows: 7 bands of 9–10 bits for the default 6,
 * which leaves a quarter of the candidates 8-bit bands did.
 */
export function bandLayout(bits: number): { starts: number[]; widths: number[] } {
  const bands = Math.min(64, Math.max(1, Math.floor(bits) + 1));
  const starts: number[] = [];
  const widths: number[] = [];
  let start = 0;
  for (let b = 0; b < bands; b++) {
    const width = Math.floor(64 / bands) + (b < 64 % bands ? 1 : 0);
    starts.push(start);
    widths.push(width);
    start += width;
  }
  return { starts, widths };
}

/** Bits [start, start + width) of the 64-bit hash hi:lo (bit 0 = lowest of lo), width ≤ 32. */
export function hashBits(hi: number, lo: number, start: number, width: number): number {
  let v: number;
  if (start >= 32) v = hi >>> (start - 32);
  else if (start + width <= 32) v = lo >>> start;
  else v = (lo >>> start) | (hi << (32 - start));
  return width >= 32 ? v >>> 0 : v & ((1 << width) - 1);
}

/**
 * SimHash index by bands (see {@link bandLayout}): finds every hash within `nearDuplicateBits` of a query by
 * looking up its bands, instead of comparing it with every hash held.
 */
export class SimHashBandIndex {
  /** Per band: the band's bits → hashes holding them. */
  private readonly bands: Map<number, HashEntry[]>[];
  private readonly starts: number[];
  private readonly widths: number[];

  constructor(private readonly nearDuplicateBits: number) {
    const layout = bandLayout(nearDuplicateBits);
    this.starts = layout.starts;
    this.widths = layout.widths;
    this.bands = layout.starts.map(() => new Map<number, HashEntry[]>());
  }

  /** Indexes one hash of `issue`; returns its entry (the caller keeps it to {@link remove} it later). */
  add(issue: IssueState, hi: number, lo: number): HashEntry {
    const h: HashEntry = { hi, lo, issue };
    for (let b = 0; b < this.bands.length; b++) {
      const band = this.bands[b]!;
      const key = hashBits(hi, lo, this.starts[b]!, this.widths[b]!);
      const list = band.get(key);
      if (list) list.push(h);
      else band.set(key, [h]);
    }
    return h;
  }

  /** Takes the hashes of `issue` (its entries `hashes`) out of the index. */
  remove(issue: IssueState, hashes: readonly HashEntry[]): void {
    for (let b = 0; b < this.bands.length; b++) {
      const band = this.bands[b]!;
      const keys = new Set<number>();
      for (const h of hashes) keys.add(hashBits(h.hi, h.lo, this.starts[b]!, this.widths[b]!));
      for (const key of keys) {
        const list = band.get(key);
        if (!list) continue;
        const kept = list.filter((h) => h.issue !== issue);
        if (kept.length > 0) band.set(key, kept);
        else band.delete(key);
      }
    }
  }

  /**
   * The nearest hash within `nearDuplicateBits` of hi:lo whose issue saw a mention within `windowMs` of `time`; of
   * equally near ones, the one whose issue was seen last.
   */
  nearest(hi: number, lo: number, time: number, windowMs: number): HashEntry | undefined {
    let best: HashEntry | undefined;
    let bestDistance = this.nearDuplicateBits + 1;
    for (let b = 0; b < this.bands.length; b++) {
      const list = this.bands[b]!.get(hashBits(hi, lo, this.starts[b]!, this.widths[b]!));
      if (!list) continue;
      for (let k = 0; k < list.length; k++) {
        const entry = list[k]!;
        const d = popcount32((entry.hi ^ hi) >>> 0) + popcount32((entry.lo ^ lo) >>> 0);
        if (d < bestDistance || (d === bestDistance && best && entry.issue.lastSeen > best.issue.lastSeen)) {
          if (Math.abs(time - entry.issue.lastSeen) > windowMs) continue;
          bestDistance = d;
          best = entry;
        }
      }
    }
    return best;
  }
}
