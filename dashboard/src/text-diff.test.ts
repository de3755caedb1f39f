import { describe, expect, it } from 'vitest';
import { diffTexts, type DiffSegment } from './text-diff.ts';

const older = (segs: DiffSegment[]) =>
  segs
    .filter((s) => s.op !== 'insert')
    .map((s) => s.text)
    .join('');
const newer = (segs: DiffSegment[]) =>
  segs
    .filter((s) => s.op !== 'delete')
    .map((s) => s.text)
    .join('');

describe('diffTexts', () => {
  it('marks Chinese insertions and deletions per character', () => {
    const segs = diffTexts('我局正在研究调整方案。', '我局将于一月起调整方案。');
    expect(older(segs)).toBe('我局正在研究调整方案。');
    expect(newer(segs)).toBe('我局将于一月起调整方案。');
    expect(segs[0]).toEqual({ op: 'equal', text: '我局' });
    expect(
      segs
        .filter((s) => s.op === 'insert')
        .map((s) => s.text)
        .join(''),
    ).toContain('一月起');
  });

  it('handles empty and identical texts', () => {
    expect(diffTexts('', '')).toEqual([]);
    expect(diffTexts('相同', '相同')).toEqual([{ op: 'equal', text: '相同' }]);
    expect(diffTexts('', '新')).toEqual([{ op: 'insert', text: '新' }]);
    expect(diffTexts('旧', '')).toEqual([{ op: 'delete', text: '旧' }]);
  });

  it('reconstructs both sides of random edits', () => {
    const alphabet = '养老金社保卡 医保ab12，。\n';
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let n = 0; n < 200; n++) {
      const a = Array.from(
        { length: Math.floor(rnd() * 40) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
      const b = Array.from(
        { length: Math.floor(rnd() * 40) },
        () => alphabet[Math.floor(rnd() * alphabet.length)],
      ).join('');
      const segs = diffTexts(a, b);
      expect(older(segs)).toBe(a);
      expect(newer(segs)).toBe(b);
    }
  });

  it('keeps Latin words whole', () => {
    const segs = diffTexts('call 12333 now', 'call 12345 now');
    expect(segs).toEqual([
      { op: 'equal', text: 'call ' },
      { op: 'delete', text: '12333' },
      { op: 'insert', text: '12345' },
      { op: 'equal', text: ' now' },
    ]);
  });
});
