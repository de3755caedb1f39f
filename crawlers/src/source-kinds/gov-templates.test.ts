// The government CMS presets (TRS WCM, Hanweb 大汉, 人社部) on real saved pages: their list selectors find the
// article links, their detail selectors the text (test/fixtures/boards; the TRS list pages in ../shared).
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { buildSourceFromPreset } from '@yuqing/domain';
import { hasSharedPages, readBoardFixture, readShared } from '@yuqing/testkit';
import { decodeBody } from '../encoding.ts';
import { extractDetail, extractListLinks } from './html.ts';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));

describe('government CMS templates on real pages', () => {
  const detailOf = (presetName: string, params: Record<string, string>) => {
    const source = buildSourceFromPreset(presetName, params);
    if (source.kind !== 'html') throw new Error(`${presetName} is not an html preset`);
    return source.config;
  };
  const dates = { timeZone: 'Asia/Shanghai', clock };

  it('Hanweb (大汉): the #zoom body and the page’s PubDate', () => {
    const config = detailOf('gov-hanweb', { listUrl: 'https://fgw.zj.gov.cn/col/col1621004/index.html' });
    const $ = load(decodeBody(readBoardFixture('hanweb-zj-fgw-article.html'), 'text/html').text);
    const a = extractDetail($, config.detail, {
      url: 'https://fgw.zj.gov.cn/art/2016/11/22/art_1621004_30332664.html',
      ...dates,
    });
    expect(a.title).toBe('1-10月德清县固定资产投资结构趋稳趋优');
    expect(a.publishedAt).toBe('2016-11-22T09:53:00+08:00');
    expect(a.body).toContain('全县固定资产投资完成246.79亿元');
    expect(a.body).not.toContain('网站标识码');
  });

  it('TRS WCM: the .TRS_Editor body', () => {
    const config = detailOf('gov-trs', { listUrl: 'http://www.cmse.gov.cn/xwzx/' });
    const $ = load(decodeBody(readBoardFixture('trs-cmse-article.html'), 'text/html').text);
    const a = extractDetail($, config.detail, {
      url: 'http://www.cmse.gov.cn/xwzx/201206/t20120624_43188.html',
      ...dates,
    });
    expect(a.title).toContain('天宫一号与神舟九号载人交会对接任务第二场新闻发布会');
    expect(a.body.startsWith('2012年6月24日')).toBe(true);
    expect(a.body).toContain('女士们、先生们');
  });

  it.runIf(hasSharedPages())(
    'TRS list selectors find the article links of the 人社部 and 北京人社局 pages (../shared)',
    () => {
      const config = detailOf('mohrss', { column: 'buneiyaowen' });
      const mohrss = load(decodeBody(readShared('mohrss_home_list_excerpt.html'), 'text/html').text);
      const links = extractListLinks(mohrss, config.list.itemLinks, 'https://www.mohrss.gov.cn/');
      expect(links).toHaveLength(11);
      expect(links[0]).toBe(
        'https://www.mohrss.gov.cn/SYrlzyhshbzb/dongtaixinwen/buneiyaowen/201803/t20180319_290004.html',
      );
      const bj = load(decodeBody(readShared('bjrbj_hrss_home_list_gbk.html'), 'text/html').text);
      const bjLinks = extractListLinks(
        bj,
        detailOf('gov-trs', { listUrl: 'http://www.bjrbj.gov.cn/' }).list.itemLinks,
        'http://www.bjrbj.gov.cn/',
      );
      expect(bjLinks.length).toBeGreaterThan(10);
      expect(bjLinks.every((l) => /\/t20\d{6}_\d+\.html$/.test(l))).toBe(true);
      expect(bjLinks).toContain('http://www.bjrbj.gov.cn/xxgk/zcjd/201712/t20171229_70092.html');
    },
  );
});
