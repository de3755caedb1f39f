import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { decodeBody } from './encoding.ts';
import { parseFeed } from './feed-parse.ts';
import { hasSharedPages, readEncodingCase, readShared } from '@yuqing/testkit';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));

describe('parseFeed', () => {
  it.runIf(hasSharedPages())('parses the real GB2312 RSS 2.0 feed', () => {
    const feed = parseFeed(decodeBody(readShared('w3cn_rss2_gb2312.xml')).text, {
      baseUrl: 'http://www.w3cn.org/article/rss.xml',
      clock,
    });
    expect(feed.format).toBe('rss');
    expect(feed.title).toBe('网页设计师 - 文章教程');
    expect(feed.items[0]).toEqual({
      url: 'http://www.w3cn.org/article/translate/2005/117.html',
      title: '如何以及何时使用sIFR',
      body: expect.any(String),
      author: '阿宏',
      publishedAt: '2005-05-28T16:05:36+08:00',
      guid: 'http://www.w3cn.org/article/translate/2005/117.html',
    });
    expect(feed.items.length).toBeGreaterThan(5);
  });

  it('parses a GBK feed, Atom and RSS 0.9 (RDF)', () => {
    const gbk = parseFeed(decodeBody(readEncodingCase('gbk-feed.xml')).text, {
      baseUrl: 'http://example.gov.cn/rss',
      clock,
    });
    expect(gbk.items[0]).toMatchObject({
      title: '工伤保险待遇调整',
      body: '工伤保险待遇提高百分之五。',
      publishedAt: '2026-11-20T08:00:00+08:00',
    });
    const atom = parseFeed(
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>工伤认定</title><link rel="alternate" href="/n/5.html"/><published>2026-11-27T01:30:00Z</published><summary>&lt;p&gt;材料&lt;/p&gt;</summary><author><name>张三</name></author></entry></feed>',
      { baseUrl: 'http://x.cn/atom.xml', clock },
    );
    expect(atom).toEqual({
      format: 'atom',
      title: 'A',
      items: [
        {
          url: 'http://x.cn/n/5.html',
          title: '工伤认定',
          body: '材料',
          author: '张三',
          publishedAt: '2026-11-27T09:30:00+08:00',
        },
      ],
    });
    const rdf = parseFeed(
      '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel><title>旧</title></channel><item><title>失业保险金</title><link>http://x.cn/6.html</link></item></rdf:RDF>',
      { baseUrl: 'http://x.cn/', clock },
    );
    expect(rdf.items).toEqual([{ url: 'http://x.cn/6.html', title: '失业保险金', body: '' }]);
  });

  it('refuses a document that is not a feed', () => {
    expect(() => parseFeed('<html><body>hi</body></html>', { baseUrl: 'http://x.cn/' })).toThrow(
      /not an RSS or Atom feed/,
    );
  });

  const WHOLE =
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>测试</title><item><title>第一条</title><link>http://x.cn/1.html</link><description><![CDATA[<p>正文<br>第二行</p>]]></description></item><item><title>第二条</title><link>http://x.cn/2.html</link></item></channel></rss>';

  it('a whole feed with no items parses to no items (nothing new is not an error)', () => {
    for (const xml of [
      '<?xml version="1.0"?><rss version="2.0"><channel><title>空</title></channel></rss>\n',
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>空</title></feed>',
      '<rss version="2.0"><channel/></rss>',
    ]) {
      expect(parseFeed(xml, { baseUrl: 'http://x.cn/', clock }).items).toEqual([]);
    }
  });

  it('refuses a feed cut off anywhere in the document with FEED_TRUNCATED', () => {
    expect(parseFeed(WHOLE, { baseUrl: 'http://x.cn/', clock }).items).toHaveLength(2);
    // Every cut between the end of the XML declaration and the closing </rss> leaves the root open.
    const rootAt = WHOLE.indexOf('<rss');
    const closeAt = WHOLE.lastIndexOf('</rss>');
    const cuts = [
      rootAt + 3,
      rootAt + 20,
      WHOLE.indexOf('<![CDATA[') + 5,
      WHOLE.indexOf('</item>') + 7,
      WHOLE.indexOf('<title>第二条') + 9,
      closeAt,
      closeAt + 4,
    ];
    for (const cut of cuts) {
      expect(() => parseFeed(WHOLE.slice(0, cut), { baseUrl: 'http://x.cn/', clock }), `cut at ${cut}`).toThrow(
        expect.objectContaining({ code: 'FEED_TRUNCATED', retryable: false }),
      );
    }
    expect(() =>
      parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><entry><title>工伤认定</title><!-- 注释', {
        baseUrl: 'http://x.cn/',
      }),
    ).toThrow(/cut off: the document ends inside a comment/);
  });

  it('refuses garbage around or inside a feed with FEED_MALFORMED', () => {
    const cases = [
      `${WHOLE}<rss><channel><item><title>多余</title></item></channel></rss>`,
      '<rss version="2.0"><channel><title>坏<标签</title><item><title <link>x</link></item></channel></rss>',
      `<rss><channel>${'<x>'.repeat(1500)}${'</x>'.repeat(1500)}</channel></rss>`,
    ];
    for (const xml of cases)
      expect(() => parseFeed(xml, { baseUrl: 'http://x.cn/' }), xml.slice(0, 80)).toThrow(
        expect.objectContaining({ code: 'FEED_MALFORMED' }),
      );
  });

  it('tolerates raw HTML in descriptions (unclosed <br>, stray closers) in a whole feed', () => {
    const xml =
      '<rss version="2.0"><channel><title>宽松</title><item><title>一</title><link>http://x.cn/1.html</link><description>第一行<br>第二行</p></description></item></channel></rss>';
    expect(parseFeed(xml, { baseUrl: 'http://x.cn/', clock }).items.map((i) => i.title)).toEqual(['一']);
  });
});
