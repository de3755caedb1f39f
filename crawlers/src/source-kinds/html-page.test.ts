import { describe, expect, it } from 'vitest';
import type { PageContext } from './source-kind.ts';
import { loadHtml, MAX_PARSED_HTML_CHARS } from './html-page.ts';

function context(html: string): Pick<PageContext, 'page' | 'decoded'> {
  return { page: { url: 'http://127.0.0.1/big.html' }, decoded: { text: html } } as unknown as Pick<
    PageContext,
    'page' | 'decoded'
  >;
}

describe('loadHtml on a page larger than the parse cap', () => {
  it('parses the beginning only: what lies within the cap is read, what lies beyond is not', () => {
    const paragraph = '<p>各区人社局要做好欠薪治理工作，保障农民工工资按时足额发放。</p>\n';
    const filler = paragraph.repeat(Math.ceil(MAX_PARSED_HTML_CHARS / paragraph.length));
    const html = `<html><head><title>大页面</title></head><body><h1 id="early">开头</h1>${filler}<h2 id="late">结尾</h2></body></html>`;
    expect(html.length).toBeGreaterThan(MAX_PARSED_HTML_CHARS);
    const $ = loadHtml(context(html));
    expect($('#early').text()).toBe('开头');
    expect($('#late')).toHaveLength(0);
    expect($('title').text()).toBe('大页面');
  });

  it('parses a page within the cap whole', () => {
    const $ = loadHtml(context('<html><body><p id="a">一</p><p id="b">二</p></body></html>'));
    expect($('#b').text()).toBe('二');
  });
});
