import { describe, expect, it } from 'vitest';
import { assertParsableHtml, MAX_HTML_DEPTH } from './html-guard.ts';

describe('assertParsableHtml', () => {
  it('accepts ordinary and sloppy pages (unclosed <p>/<li>, void elements, markup-like text in scripts)', () => {
    const sloppy = `<html><body>${'<p>段落'.repeat(5000)}${'<li>条目'.repeat(3000)}<br><img src=x><script>${'<div>'.repeat(5000)}</script></body></html>`;
    expect(() => assertParsableHtml(sloppy, 'http://x/')).not.toThrow();
    expect(() => assertParsableHtml('正文\u0000有一个空字符', 'http://x/')).not.toThrow();
  });

  it('refuses nesting deeper than the limit and binary text, with codes', () => {
    expect(() => assertParsableHtml(`${'<div>'.repeat(MAX_HTML_DEPTH + 1)}x`, 'http://x/deep')).toThrow(
      expect.objectContaining({ code: 'HTML_TOO_DEEP', retryable: false }),
    );
    expect(() =>
      assertParsableHtml(`${'<div>'.repeat(MAX_HTML_DEPTH - 1)}x${'</div>'.repeat(MAX_HTML_DEPTH - 1)}`, 'http://x/'),
    ).not.toThrow();
    const binary = Array.from({ length: 4000 }, (_, i) => String.fromCharCode(i % 32)).join('');
    expect(() => assertParsableHtml(binary, 'http://x/bin')).toThrow(
      expect.objectContaining({ code: 'CONTENT_BINARY' }),
    );
  });
});
