import { describe, expect, it } from 'vitest';
import { decodeBody, sniffDeclaredCharset } from './encoding.ts';
import { hasSharedPages, readEncodingCase, readShared } from '@yuqing/testkit';

const SIMP = '北京市人力资源和社会保障局关于调整养老金的通知';
const TRAD = '臺北市勞動局公告：關於調整基本工資與勞工保險給付的說明';

describe('decodeBody', () => {
  it.runIf(hasSharedPages())(
    'trusts UTF-8 content over a <meta> that claims GB2312 (the people.com.cn charset lie)',
    () => {
      const d = decodeBody(readShared('people_article_charset_lie.html'), 'text/html');
      expect(d.encoding).toBe('utf-8');
      expect(d.declared).toBe('gb2312');
      expect(d.declarationLied).toBe(true);
      expect(d.text).toContain('女儿出嫁，郑板桥画了几笔兰花当嫁妆');
    },
  );

  it.runIf(hasSharedPages())('decodes the GB2312 RSS declared only in the XML declaration', () => {
    const d = decodeBody(readShared('w3cn_rss2_gb2312.xml'), 'text/xml');
    expect(d.encoding).toBe('gb18030');
    expect(d.evidence).toBe('xml-declaration');
    expect(d.text).toContain('<title>网页设计师 -  文章教程</title>');
    expect(d.text).toContain('如何以及何时使用sIFR');
    expect(d.text).not.toContain('\uFFFD');
  });

  it.runIf(hasSharedPages())('decodes the GBK bureau homepage from its <meta>', () => {
    const d = decodeBody(readShared('bjrbj_hrss_home_list_gbk.html'), 'text/html');
    expect(d.encoding).toBe('gb18030');
    expect(d.text).toContain('<title>北京市人力资源和社会保障局</title>');
    expect(d.text).toContain('工作动态');
  });

  it.each([
    ['gbk-nocharset.html', 'text/html', 'gb18030', SIMP, 'detected'],
    ['gbk-meta.html', 'text/html', 'gb18030', SIMP, 'meta'],
    ['gb2312-http-equiv.html', 'text/html', 'gb18030', SIMP, 'meta'],
    ['gb18030-header.html', 'text/html; charset=GB18030', 'gb18030', '生僻字㐀䶮𠀾', 'header'],
    ['big5-nodecl.html', 'text/html', 'big5', TRAD, 'detected'],
    ['big5-meta.html', undefined, 'big5', TRAD, 'meta'],
    ['utf8-bom.html', 'text/html; charset=gbk', 'utf-8', SIMP, 'bom'],
    ['utf8-plain.html', 'text/html; charset=gbk', 'utf-8', SIMP, 'utf8-valid'],
    ['utf8-plain.html', undefined, 'utf-8', SIMP, 'utf8-valid'],
    ['gbk-meta-says-utf8.html', 'text/html', 'gb18030', SIMP, 'detected'],
  ])('%s with Content-Type %s → %s', (file, contentType, encoding, sample, evidence) => {
    const d = decodeBody(readEncodingCase(file), contentType);
    expect(d.encoding).toBe(encoding);
    expect(d.evidence).toBe(evidence);
    expect(d.text).toContain(sample);
    expect(d.text).not.toContain('\uFFFD');
    expect(d.text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('finds declarations in <meta charset>, http-equiv and the XML declaration', () => {
    expect(sniffDeclaredCharset(Buffer.from('<html><head><meta charset="GBK">'))).toEqual({
      charset: 'gbk',
      from: 'meta',
    });
    expect(
      sniffDeclaredCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />')),
    ).toEqual({ charset: 'gb2312', from: 'meta' });
    expect(sniffDeclaredCharset(Buffer.from("<?xml version='1.0' encoding='GB18030'?><rss>"))).toEqual({
      charset: 'gb18030',
      from: 'xml-declaration',
    });
    expect(sniffDeclaredCharset(Buffer.from('<html><body>no declaration'))).toBeUndefined();
  });

  it('keeps a page cut at the size limit inside a UTF-8 character as UTF-8', () => {
    const bytes = Buffer.from(`<p>${SIMP}</p>`, 'utf8');
    const d = decodeBody(bytes.subarray(0, bytes.length - 5), 'text/html; charset=gbk');
    expect(d.encoding).toBe('utf-8');
    expect(d.text).toContain('北京市人力资源');
  });
});
