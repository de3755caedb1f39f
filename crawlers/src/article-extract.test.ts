import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { extractArticle } from './article-extract.ts';
import { decodeBody } from './encoding.ts';
import { hasSharedPages, readShared } from '@yuqing/testkit';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));

function extractShared(name: string) {
  return extractArticle(decodeBody(readShared(name), 'text/html').text, {
    url: `http://fixture.example/${name}`,
    timeZone: 'Asia/Shanghai',
    clock,
  });
}

describe.runIf(hasSharedPages())('extractArticle on real pages (../shared/fixtures/pages)', () => {
  it('people.com.cn article (charset lie): title, time, source, body without related lists or footer', () => {
    const a = extractShared('people_article_charset_lie.html');
    expect(a.title).toBe('女儿出嫁，郑板桥画了几笔兰花当嫁妆');
    expect(a.publishedAt).toBe('2019-06-15T08:18:00+08:00');
    expect(a.author).toBe('人民网-文化频道');
    expect(a.siteName).toBe('人民网');
    expect(a.body.startsWith('父亲的教诲像一盏灯，为我们照亮前行的路')).toBe(true);
    expect(a.body).toContain('今年的6月16日是父亲节');
    expect(a.body).not.toContain('相关新闻');
    expect(a.body).not.toContain('一家人乘车赴跨国婚礼');
    expect(a.body).not.toContain('人民网版权所有');
    expect(a.body).not.toContain('分享到');
    expect(a.body).not.toContain('点击进入');
  });

  it('Shanxi government article: title and time from ArticleTitle/PubDate, source, body without nav or link lists', () => {
    const a = extractShared('shanxi_gov_article.html');
    expect(a.title).toBe('山西品牌丝路行（南美站）正式启动');
    expect(a.publishedAt).toBe('2019-09-18T06:23:00+08:00');
    expect(a.author).toBe('山西日报');
    expect(a.siteName).toBe('山西省人民政府门户网站');
    expect(a.body.split('\n')[1]?.startsWith('跨越千山万水，行程近两万公里，山西品牌丝路行首次登陆巴西')).toBe(true);
    expect(a.body).toContain('（张巨峰）');
    expect(a.body).not.toContain('http://www.');
    expect(a.body).not.toContain('扫一扫在手机打开当前页面');
    expect(a.body).not.toContain('热门搜索');
    expect(a.body).not.toContain('网站标识码');
  });
});

describe('extractArticle on typical page shapes', () => {
  it('leaves out nav, share bar, related list and footer; reads 来源 and pubtime', () => {
    const html = `<html><head><meta charset="utf-8"><title>医保报销比例提高 - 某市人社局</title></head><body>
      <div class="nav"><a href="/">首页</a><a href="/news">新闻</a><a href="/zw">政务</a></div>
      <h1 class="title">医保报销比例提高</h1>
      <div class="info"><span class="pubtime">2026年11月20日 09:30</span><span>来源：某市医保局</span></div>
      <div class="share-bar">分享到：<a>微信</a><a>微博</a></div>
      <div class="article-body"><p>自12月1日起，职工医保住院报销比例提高五个百分点，门诊报销额度同步上调。</p><p>参保人员无需另行申请，待遇由系统自动核定。</p></div>
      <div class="related"><h3>相关文章</h3><ul><li><a href="/1">养老金调整</a></li><li><a href="/2">社保卡办理</a></li></ul></div>
      <div class="footer">版权所有：某市人民政府 备案号12345</div></body></html>`;
    const a = extractArticle(html, { url: 'http://x.gov.cn/a.html', clock });
    expect(a).toMatchObject({
      title: '医保报销比例提高',
      publishedAt: '2026-11-20T09:30:00+08:00',
      author: '某市医保局',
      siteName: '某市人社局',
    });
    expect(a.body).toBe(
      '自12月1日起，职工医保住院报销比例提高五个百分点，门诊报销额度同步上调。\n参保人员无需另行申请，待遇由系统自动核定。',
    );
  });

  it('handles <br>-separated text directly in a div (common on government sites)', () => {
    const html = `<html><head><title>关于开展欠薪专项治理的通知_某区政府</title></head><body><div id="zoom">各街道：<br>为切实保障农民工合法权益，决定开展欠薪专项治理。<br>一、治理范围为全区在建工程项目。<br>二、时间为2026年12月至2027年春节前。</div><div class="bottom">主办：某区人民政府办公室</div></body></html>`;
    const a = extractArticle(html, { url: 'http://x.gov.cn/b.html', clock });
    expect(a.title).toBe('关于开展欠薪专项治理的通知');
    expect(a.body.split('\n')).toEqual([
      '各街道：',
      '为切实保障农民工合法权益，决定开展欠薪专项治理。',
      '一、治理范围为全区在建工程项目。',
      '二、时间为2026年12月至2027年春节前。',
    ]);
  });
});
