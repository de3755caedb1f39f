// Fidelity on real pages and feeds: feed entries that share one page stay apart (guid, then link fragment, then
// content), and article extraction never returns an empty body for a page with readable text (text standing in
// <br>-separated runs, or a portal page that is all navigation and lists).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicaliseUrl } from '@yuqing/domain';
import { hasSharedPages, readShared } from '@yuqing/testkit';
import { extractArticle } from './article-extract.ts';
import { decodeBody } from './encoding.ts';
import { feedItemIdentities } from './feed-identity.ts';
import { parseFeed } from './feed-parse.ts';

const fixture = (path: string) => readFileSync(new URL(`../../test/fixtures/${path}`, import.meta.url));

describe('feed entry identity', () => {
  it('two entries of a real RSS 0.92 feed sharing one link and no guid are two posts (content hash)', () => {
    const feed = parseFeed(fixture('feeds/uatsap_rss092.xml').toString('utf8'), { baseUrl: 'http://www.uatsap.com/' });
    expect(feed.items).toHaveLength(2);
    expect(new Set(feed.items.map((i) => canonicaliseUrl(i.url))).size).toBe(1);
    const ids = feedItemIdentities(feed.items);
    expect(new Set(ids.map((i) => i.canonical)).size).toBe(2);
    expect(ids.every((i) => i.itemKey?.startsWith('c') && i.canonical.startsWith('http://www.uatsap.com/#'))).toBe(
      true,
    );
    // The same feed read again gives the same identities: a second crawl finds them seen.
    expect(feedItemIdentities(feed.items)).toEqual(ids);
  });

  it('links differing only by #fragment keep the fragment; a guid names the entry first', () => {
    // The real feed's entries, moved onto one archive page as old blog feeds list posts (link#post-id).
    const feed = parseFeed(fixture('feeds/uatsap_rss092.xml').toString('utf8'), { baseUrl: 'http://www.uatsap.com/' });
    const onOnePage = feed.items.map((item, n) => ({ ...item, url: `http://www.uatsap.com/archive.html#p${n + 1}` }));
    expect(feedItemIdentities(onOnePage).map((i) => i.canonical)).toEqual([
      'http://www.uatsap.com/archive.html#p1',
      'http://www.uatsap.com/archive.html#p2',
    ]);
    const withGuid = onOnePage.map((item, n) => ({ ...item, guid: `uatsap-${n + 10}` }));
    expect(feedItemIdentities(withGuid).map((i) => i.itemKey)).toEqual(['uatsap-10', 'uatsap-11']);
  });

  it.skipIf(!hasSharedPages())('a GB2312 feed whose entries have pages of their own keeps plain canonical URLs', () => {
    const decoded = decodeBody(readShared('w3cn_rss2_gb2312.xml'));
    const feed = parseFeed(decoded.text, { baseUrl: 'http://www.w3cn.org/article/rss.xml' });
    const ids = feedItemIdentities(feed.items);
    expect(ids).toHaveLength(20);
    expect(ids.map((i) => i.canonical)).toEqual(feed.items.map((i) => canonicaliseUrl(i.url)));
    expect(ids.every((i) => i.itemKey === undefined)).toBe(true);
  });
});

describe('extraction never returns an empty body for a page with text', () => {
  it('a real Tieba thread: the <br>-separated post text, not the advert beside it', () => {
    const html = gunzipSync(fixture('extract/tieba_note_comments.html.gz')).toString('utf8');
    const article = extractArticle(html, { url: 'https://tieba.baidu.com/p/9123456789' });
    expect(article.title).toContain('全红婵陈宇汐包揽跳水女子10米台巴黎奥运金银牌');
    expect(article.body.length).toBeGreaterThan(20);
    expect(article.body).not.toContain('百度爱采购');
  });

  it.skipIf(!hasSharedPages())('a real bureau portal page that is all navigation and lists (was empty)', () => {
    const decoded = decodeBody(readShared('bjrbj_hrss_home_list_gbk.html'));
    const article = extractArticle(decoded.text, { url: 'http://www.bjrbj.gov.cn/' });
    expect(article.body).toContain('本市八成社保业务可网上申办');
  });

  it.skipIf(!hasSharedPages())('the ministry home page excerpt (was empty)', () => {
    const decoded = decodeBody(readShared('mohrss_home_list_excerpt.html'));
    const article = extractArticle(decoded.text, { url: 'http://www.mohrss.gov.cn/' });
    expect(article.body.length).toBeGreaterThan(100);
  });
});

describe('a body written as one block of text', () => {
  it('a real stcn.com article (GNE test page): the text block, not its parent with the recommendation list', () => {
    const html = decodeBody(gunzipSync(fixture('extract/gne_stcn_1.html.gz'))).text;
    const article = extractArticle(html, { url: 'http://kuaixun.stcn.com/2019/0926/15394366.shtml' });
    expect(article.body.startsWith('证券时报e公司讯，当升科技')).toBe(true);
    expect(article.body.endsWith('收购控股子公司日本伊戈尔少数股权。')).toBe(true);
    expect(article.body).not.toContain('为你推荐');
  });
});
