import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { decodeBody } from './encoding.ts';
import { parseFeed } from './feed-parse.ts';
import { readEncodingCase, readShared } from './test-paths.ts';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));

describe('parseFeed', () => {
  it('parses the real GB2312 RSS 2.0 feed', () => {
    const feed = parseFeed(decodeBody(readShared('w3cn_rss2_gb2312.xml')).text, { baseUrl: 'http://www.w3cn.org/article/rss.xml', clock });
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('网页设计师 - 文章教程');
    expect(feed.items[0]).toEqual({ url: 'http://www.w3cn.org/article/translate/2005/117.html', title: '如何以及何时使用sIFR', body: expect.any(String), author: '阿宏', publishedAt: '2005-05-28T16:05:36+08:00' });
    expect(feed.items.length).toBeGreaterThan(5);
  });

  it('parses a GBK feed, Atom and RSS 0.9 (RDF)', () => {
    const gbk = parseFeed(decodeBody(readEncodingCase('gbk-feed.xml')).text, { baseUrl: 'http://example.gov.cn/rss', clock });
    expect(gbk.items[0]).toMatchObject({ title: '工伤保险待遇调整', body: '工伤保险待遇提高百分之五。', publishedAt: '2026-11-20T08:00:00+08:00' });
    const atom = parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>工伤认定</title><link rel="alternate" href="/n/5.html"/><published>2026-11-27T01:30:00Z</published><summary>&lt;p&gt;材料&lt;/p&gt;</summary><author><name>张三</name></author></entry></feed>', { baseUrl: 'http://x.cn/atom.xml', clock });
    expect(atom).toEqual({ format: 'atom', title: 'A', items: [{ url: 'http://x.cn/n/5.html', title: '工伤认定', body: '材料', author: '张三', publishedAt: '2026-11-27T09:30:00+08:00' }] });
    const rdf = parseFeed('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel><title>旧</title></channel><item><title>失业保险金</title><link>http://x.cn/6.html</link></item></rdf:RDF>', { baseUrl: 'http://x.cn/', clock });
    expect(rdf.items).toEqual([{ url: 'http://x.cn/6.html', title: '失业保险金', body: '' }]);
  });

  it('refuses a document that is not a feed', () => {
    expect(() => parseFeed('<html><body>hi</body></html>', { baseUrl: 'http://x.cn/' })).toThrow(/not an RSS or Atom feed/);
  });
});
