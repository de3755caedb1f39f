import iconv from 'iconv-lite';

// Which code points GBK can hold, learned once per character: pages repeat the same few hundred characters.
const encodable = new Map<number, boolean>();

function isGbkEncodable(char: string): boolean {
  const codePoint = char.codePointAt(0) ?? 0;
  let known = encodable.get(codePoint);
  if (known === undefined) {
    known = iconv.decode(iconv.encode(char, 'gbk'), 'gbk') === char;
    encodable.set(codePoint, known);
  }
  return known;
}

/**
 * Encodes an HTML document as GBK. A character GBK cannot hold becomes a numeric character reference instead of
 * iconv-lite's silent `?`, so no text is lost whatever the templates contain.
 */
export function encodeGbkHtml(html: string): Buffer {
  let safe = '';
  for (const char of html) {
    safe += char.charCodeAt(0) < 0x80 || isGbkEncodable(char) ? char : `&#${char.codePointAt(0)};`;
  }
  return iconv.encode(safe, 'gbk');
}
