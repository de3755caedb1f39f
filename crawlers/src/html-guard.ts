import { NonRetryableError } from '@yuqing/core';

/**
 * Deepest element nesting a page may have. Real pages stay under ~100; Chromium's parser caps the tree at 512.
 * Deeper pages make the HTML parser quadratic (100,000 nested divs took minutes) and overflow the stack of
 * recursive extraction, so they are refused up front.
 */
export const MAX_HTML_DEPTH = 1000;
/** Share of control characters (besides tab, newlines, form feed, escape) above which text is really binary. */
const MAX_CONTROL_CHAR_SHARE = 0.01;
/** A few stray control characters in a short page are sloppiness, not binary. */
const MIN_CONTROL_CHARS_FOR_BINARY = 16;
/** Characters inspected for control characters. */
const BINARY_SAMPLE_CHARS = 64 * 1024;
/** Elements that never nest (void) or are closed implicitly by their next sibling in sloppy HTML. */
const NON_NESTING = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'p',
  'li',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'option',
  'optgroup',
  'thead',
  'tbody',
  'tfoot',
]);

/** Refuses binary bytes served as text (HTML, XML, JSON): more than a few control characters. */
export function assertNotBinary(text: string, url: string): void {
  const sample = Math.min(text.length, BINARY_SAMPLE_CHARS);
  let control = 0;
  for (let i = 0; i < sample; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d && c !== 0x1b) control++;
  }
  if (control >= MIN_CONTROL_CHARS_FOR_BINARY && control / sample > MAX_CONTROL_CHAR_SHARE) {
    throw new NonRetryableError(
      'CONTENT_BINARY',
      `skipped ${url}: the body is binary data, not text (${control} control characters in the first ${sample})`,
    );
  }
}

/**
 * Refuses decoded text that cannot be a web page worth parsing: binary bytes served as text (control characters),
 * or element nesting deeper than {@link MAX_HTML_DEPTH}. Linear time; runs before the HTML parser.
 */
export function assertParsableHtml(text: string, url: string): void {
  assertNotBinary(text, url);
  let depth = 0;
  const tag = /<(\/?)([a-zA-Z][\w:-]*)[^>]*?(\/?)>/g;
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const name = m[2]!.toLowerCase();
    if (NON_NESTING.has(name) || m[3] === '/') continue;
    if (name === 'script' || name === 'style') {
      // Their content is text, not markup: skip to the closing tag.
      if (m[1]) continue;
      const close = name === 'script' ? /<\/script/gi : /<\/style/gi;
      close.lastIndex = tag.lastIndex;
      if (!close.exec(text)) break;
      tag.lastIndex = close.lastIndex - name.length - 2;
      continue;
    }
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > MAX_HTML_DEPTH)
      throw new NonRetryableError('HTML_TOO_DEEP', `skipped ${url}: elements nested more than ${MAX_HTML_DEPTH} deep`);
  }
}
