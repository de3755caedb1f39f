/** First and last code points of the full-width ASCII block (！ … ～) and the offset to their half-width forms. */
const FULL_WIDTH_FIRST = 0xff01;
const FULL_WIDTH_LAST = 0xff5e;
const FULL_WIDTH_OFFSET = 0xfee0;
const IDEOGRAPHIC_SPACE = 0x3000;

/** Every kind of whitespace seen in scraped Chinese text, including no-break and zero-width spaces. */
const WHITESPACE_RUN = /[\s\u00a0\u200b-\u200d\u2060\ufeff]+/g;

/**
 * Normalises text before tokenising: full-width ASCII letters, digits and punctuation become half-width
 * (Ａ３区 → A3区, ，→ ,), the ideographic space becomes a space, and whitespace runs collapse to one space.
 * Case is kept (features lowercase on their own) so titles and excerpts still read naturally.
 */
export function normaliseText(text: string): string {
  let out = '';
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= FULL_WIDTH_FIRST && code <= FULL_WIDTH_LAST) {
      out += text.slice(runStart, i) + String.fromCharCode(code - FULL_WIDTH_OFFSET);
      runStart = i + 1;
    } else if (code === IDEOGRAPHIC_SPACE) {
      out += text.slice(runStart, i) + ' ';
      runStart = i + 1;
    }
  }
  out += text.slice(runStart);
  return out.replace(WHITESPACE_RUN, ' ').trim();
}

/** True for a CJK unified ideograph (the basic block and extension A). */
export function isCjkCode(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf);
}

/** True for ASCII letters and digits. */
export function isAsciiAlnumCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}
