/** One run of a diff: unchanged, inserted in the newer text, or deleted from the older one. */
export interface DiffSegment {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** Longest texts diffed token by token; beyond this the diff is line-based (Myers is O((N+M)·D)). */
const MAX_FINE_DIFF_TOKENS = 20_000;

/** Chinese is diffed per character, other scripts per word, whitespace and punctuation as their own tokens. */
export function diffTokens(text: string): string[] {
  return text.match(/[A-Za-z0-9_]+|\s+|[\s\S]/gu) ?? [];
}

/** Myers' O(ND) shortest edit script over token arrays. */
function myers(a: string[], b: string[]): DiffSegment[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  const offset = max + 1;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: DiffSegment[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1]! < vd[offset + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ op: 'equal', text: a[x - 1]! });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ op: 'insert', text: b[y - 1]! });
      else ops.push({ op: 'delete', text: a[x - 1]! });
    }
    x = prevX;
    y = prevY;
  }
  return ops.reverse();
}

/** Joins neighbouring tokens of the same kind. */
function coalesce(ops: DiffSegment[]): DiffSegment[] {
  const out: DiffSegment[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && last.op === op.op) last.text += op.text;
    else out.push({ ...op });
  }
  return out;
}

/** The differences between two versions of a response text, for the diff view. */
export function diffTexts(older: string, newer: string): DiffSegment[] {
  let a = diffTokens(older);
  let b = diffTokens(newer);
  if (a.length + b.length > MAX_FINE_DIFF_TOKENS) {
    a = older.split(/(?<=\n)/);
    b = newer.split(/(?<=\n)/);
  }
  return coalesce(myers(a, b));
}
