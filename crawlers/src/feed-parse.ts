import { load } from 'cheerio';
import type { Clock } from '@yuqing/core';
import { NonRetryableError } from '@yuqing/core';
import { parseDateText } from './date-parse.ts';
import { resolveLink } from './resolve-link.ts';

/** One feed entry. */
export interface FeedItem {
  url: string;
  title: string;
  /** Plain text of description/summary/content. */
  body: string;
  author?: string;
  publishedAt?: string;
  /** The entry's `<guid>` (RSS) or `<id>` (Atom), as written. */
  guid?: string;
}

/** A parsed feed. */
export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf';
  title: string;
  items: FeedItem[];
}

function htmlToText(value: string): string {
  if (!/[<&]/.test(value)) return value.replace(/\s+/g, ' ').trim();
  const $ = load(value);
  $('script, style').remove();
  $('br, p, div, li').after('\n');
  return $.root()
    .text()
    .split('\n')
    .map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** Deepest element nesting a feed may have (real feeds: under 10; HTML inside descriptions adds a few). */
export const MAX_FEED_DEPTH = 1000;

/** Root elements of RSS 0.9x/2.0, RSS 1.0 and Atom. */
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:rdf', 'rdf']);

/** Index of the `>` that ends the tag whose name ends at `from`, skipping quoted attribute values; -1 if none. */
function tagEnd(xml: string, from: number): number {
  let quote = '';
  for (let i = from; i < xml.length; i++) {
    const c = xml[i]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
    else if (c === '<') return -1;
  }
  return -1;
}

/**
 * Checks that a feed document is whole. The XML parser is lenient: a feed cut off mid-document, or garbage
 * around one, parses into a tree that just has fewer (or no) items, and the crawl would "succeed" with nothing
 * new. Refused instead: a document that ends inside a tag, comment, CDATA section or an open element
 * (`FEED_TRUNCATED`); markup after the root element closed, a tag broken by another `<`, or nesting deeper than
 * {@link MAX_FEED_DEPTH} (`FEED_MALFORMED`). Closing tags that match no open element are skipped and unclosed inner
 * elements are closed by their parent, as feeds with raw HTML in their descriptions need. Linear time.
 */
export function assertWholeFeed(xml: string, url: string): void {
  const truncated = (where: string) =>
    new NonRetryableError('FEED_TRUNCATED', `feed ${url} is cut off: the document ends ${where}`);
  const malformed = (what: string) =>
    new NonRetryableError('FEED_MALFORMED', `feed ${url} is not well-formed XML: ${what}`);
  const stack: string[] = [];
  let rootClosed = false;
  const token = /<!--|<!\[CDATA\[|<\?|<!|<(\/?)([A-Za-z_][\w:.-]*)/g;
  for (let m = token.exec(xml); m; m = token.exec(xml)) {
    const opener = m[0];
    const skipTo = (terminator: string, what: string) => {
      const end = xml.indexOf(terminator, token.lastIndex);
      if (end < 0) throw truncated(`inside ${what}`);
      token.lastIndex = end + terminator.length;
    };
    if (opener === '<!--') skipTo('-->', 'a comment');
    else if (opener === '<![CDATA[') skipTo(']]>', 'a CDATA section');
    else if (opener === '<?') skipTo('?>', 'a processing instruction');
    else if (opener === '<!') skipTo('>', 'a declaration');
    else {
      const name = m[2]!.toLowerCase();
      const end = tagEnd(xml, token.lastIndex);
      if (end < 0) {
        if (xml.indexOf('<', token.lastIndex) < 0) throw truncated(`inside the tag <${m[1]}${m[2]}`);
        throw malformed(`the tag <${m[1]}${m[2]} is broken by another "<"`);
      }
      token.lastIndex = end + 1;
      if (rootClosed) throw malformed(`<${m[1]}${m[2]}> after the root element closed`);
      if (m[1]) {
        const open = stack.lastIndexOf(name);
        if (open < 0) continue;
        stack.length = open;
        if (stack.length === 0) rootClosed = true;
      } else if (xml[end - 1] === '/') {
        if (stack.length === 0) {
          if (!FEED_ROOTS.has(name)) return;
          rootClosed = true;
        }
      } else {
        // Not a feed at all (an HTML page, say): parseFeed says so with FEED_INVALID.
        if (stack.length === 0 && !FEED_ROOTS.has(name)) return;
        stack.push(name);
        if (stack.length > MAX_FEED_DEPTH) throw malformed(`elements nested more than ${MAX_FEED_DEPTH} deep`);
      }
    }
  }
  if (stack.length > 0)
    throw truncated(`inside <${stack[stack.length - 1]}> (${stack.length} element(s) never closed)`);
}

/**
 * Parses RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom from decoded XML. Relative links resolve against `baseUrl`.
 * Throws `FEED_INVALID` when the document is not a feed, `FEED_TRUNCATED` or `FEED_MALFORMED` (see
 * {@link assertWholeFeed}) when it is not whole. A whole feed with no items is fine: nothing new.
 */
export function parseFeed(xml: string, options: { baseUrl: string; timeZone?: string; clock?: Clock }): ParsedFeed {
  assertWholeFeed(xml, options.baseUrl);
  const $ = load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const dateOptions = {
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const text = (el: ReturnType<typeof $>, selector: string) => el.children(selector).first().text().trim();
  if ($('feed').length > 0 && $('entry').length >= 0 && $('rss').length === 0) {
    const feed = $('feed').first();
    const items: FeedItem[] = [];
    feed.children('entry').each((_, e) => {
      const entry = $(e);
      const links = entry.children('link');
      const alternate =
        links
          .filter((_, l) => !l.attribs.rel || l.attribs.rel === 'alternate')
          .first()
          .attr('href') ?? links.first().attr('href');
      const url = resolveLink(alternate ?? text(entry, 'id'), options.baseUrl);
      if (!url) return;
      const published = parseDateText(
        text(entry, 'published') || text(entry, 'updated') || text(entry, 'issued'),
        dateOptions,
      );
      const author = entry.children('author').first().children('name').first().text().trim();
      const id = text(entry, 'id');
      items.push({
        url,
        ...(id ? { guid: id } : {}),
        title: htmlToText(text(entry, 'title')),
        body: htmlToText(text(entry, 'content') || text(entry, 'summary')),
        ...(author ? { author } : {}),
        ...(published ? { publishedAt: published } : {}),
      });
    });
    return { format: 'atom', title: htmlToText(text(feed, 'title')), items };
  }
  const isRdf = $('rdf\\:RDF, RDF').length > 0 && $('rss').length === 0;
  const channel = $('channel').first();
  if (channel.length === 0 && !isRdf)
    throw new NonRetryableError('FEED_INVALID', `not an RSS or Atom feed: ${options.baseUrl}`);
  const items: FeedItem[] = [];
  $('item').each((_, e) => {
    const item = $(e);
    const guid = text(item, 'guid');
    const url = resolveLink(
      text(item, 'link') || item.attr('rdf:about') || (/^https?:/.test(guid) ? guid : undefined),
      options.baseUrl,
    );
    if (!url) return;
    const published = parseDateText(
      // Lower-case <pubdate>: what some WeChat bridges (Wechat-Scholar's channel files) write.
      text(item, 'pubDate') || text(item, 'pubdate') || text(item, 'dc\\:date') || text(item, 'date'),
      dateOptions,
    );
    const author = text(item, 'author') || text(item, 'dc\\:creator');
    items.push({
      url,
      ...(guid ? { guid } : {}),
      title: htmlToText(text(item, 'title')),
      body: htmlToText(text(item, 'content\\:encoded') || text(item, 'description')),
      ...(author ? { author } : {}),
      ...(published ? { publishedAt: published } : {}),
    });
  });
  return { format: isRdf ? 'rdf' : 'rss', title: htmlToText(text(channel, 'title')), items };
}
