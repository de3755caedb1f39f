// The pure half of `yq import` and of feed identity: counts and times as MediaCrawler writes them, and an item key
// that keeps two items of one page apart through normalisation (the dedupe key is the canonical URL's hash).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapMediaCrawlerRow, parseCount, parseImportTime } from './import-mapping.ts';
import { normaliseMention } from './mention-normalise.ts';

const note = (
  JSON.parse(
    readFileSync(
      new URL('../../../test/fixtures/imports/mediacrawler/xhs/json/search_contents_2025-04-03.json', import.meta.url),
      'utf8',
    ),
  ) as Array<Record<string, unknown>>
)[0]!;

describe('import mapping', () => {
  it('reads counts as platforms write them', () => {
    expect(parseCount('10+')).toBe(10);
    expect(parseCount('1.2万')).toBe(12000);
    expect(parseCount('10万+')).toBe(100000);
    expect(parseCount('1,234')).toBe(1234);
    expect(parseCount('3.5w')).toBe(35000);
    expect(parseCount('赞')).toBeUndefined();
  });

  it('reads Unix seconds, milliseconds and Beijing-time text', () => {
    expect(parseImportTime(1741338078000, 'Asia/Shanghai')).toBe('2025-03-07T09:01:18.000Z');
    expect(parseImportTime('1741338078', 'Asia/Shanghai')).toBe('2025-03-07T09:01:18.000Z');
    expect(parseImportTime('2025-03-07 17:01:18', 'Asia/Shanghai')).toBe('2025-03-07T17:01:18+08:00');
    expect(parseImportTime('明天下午', 'Asia/Shanghai')).toBeUndefined();
  });

  it('a real xhs note keeps its page by id (no session token) and a rejected row names its field', () => {
    const mapped = mapMediaCrawlerRow('xhs', 'content', note, 1, { timeZone: 'Asia/Shanghai' });
    expect('mention' in mapped && mapped.mention.canonicalUrl).toBe(
      'https://www.xiaohongshu.com/explore/67c97579000000000900f651',
    );
    const bad = mapMediaCrawlerRow('xhs', 'content', { ...note, time: '明天下午' }, 7, { timeZone: 'Asia/Shanghai' });
    expect(bad).toEqual({ rejection: { line: 7, field: 'time', reason: 'not a time: "明天下午"' } });
  });

  it('two items of one page stay two after normalisation; the same item twice is one', () => {
    const base = { url: 'http://www.uatsap.com/archive.html#p1', title: 'RSS Ficheros', body: 'x' };
    const a = normaliseMention({ ...base, itemKey: 'p1' })!;
    const b = normaliseMention({ ...base, url: 'http://www.uatsap.com/archive.html#p2', itemKey: 'p2' })!;
    expect(a.canonicalUrl).toBe('http://www.uatsap.com/archive.html#p1');
    expect(a.urlHash).not.toBe(b.urlHash);
    expect(normaliseMention({ ...base, itemKey: 'p1' })!.urlHash).toBe(a.urlHash);
    // Without an item key a fragment is still dropped: an HTML page with and without #top is one page.
    expect(normaliseMention(base)!.canonicalUrl).toBe('http://www.uatsap.com/archive.html');
  });
});
