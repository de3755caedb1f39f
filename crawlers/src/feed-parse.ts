import { load } from 'cheerio';
import type { Clock } from '@yuqing/core';
import { NonRetryableError } from '@yuqing/core';
import { parseDateText } from './date-parse.ts';
import { resolveLink } from './canonical-url.ts';

/** One feed entry. */
export interface FeedItem {
  url: string;
  title: string;
  /** Plain text of description/summary/content. */
  body: string;
  author?: string;
  publishedAt?: string;
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

/**
 * Parses RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom from decoded XML. Relative links resolve against `baseUrl`.
 * Throws `FEED_INVALID` when the document is not a feed.
 */
export function parseFeed(xml: string, options: { baseUrl: string; timeZone?: string; clock?: Clock }): ParsedFeed {
  const $ = load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  const dateOptions = { timeZone: options.timeZone ?? 'Asia/Shanghai', ...(options.clock ? { clock: options.clock } : {}) };
  const text = (el: ReturnType<typeof $>, selector: string) => el.children(selector).first().text().trim();
  if ($('feed').length > 0 && $('entry').length >= 0 && $('rss').length === 0) {
    const feed = $('feed').first();
    const items: FeedItem[] = [];
    feed.children('entry').each((_, e) => {
      const entry = $(e);
      const links = entry.children('link');
      const alternate = links.filter((_, l) => !l.attribs.rel || l.attribs.rel === 'alternate').first().attr('href') ?? links.first().attr('href');
      const url = resolveLink(alternate ?? text(entry, 'id'), options.baseUrl);
      if (!url) return;
      const published = parseDateText(text(entry, 'published') || text(entry, 'updated') || text(entry, 'issued'), dateOptions);
      const author = entry.children('author').first().children('name').first().text().trim();
      items.push({
        url,
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
  if (channel.length === 0 && !isRdf) throw new NonRetryableError('FEED_INVALID', `not an RSS or Atom feed: ${options.baseUrl}`);
  const items: FeedItem[] = [];
  $('item').each((_, e) => {
    const item = $(e);
    const guid = text(item, 'guid');
    const url = resolveLink(text(item, 'link') || item.attr('rdf:about') || (/^https?:/.test(guid) ? guid : undefined), options.baseUrl);
    if (!url) return;
    const published = parseDateText(text(item, 'pubDate') || text(item, 'dc\\:date') || text(item, 'date'), dateOptions);
    const author = text(item, 'author') || text(item, 'dc\\:creator');
    items.push({
      url,
      title: htmlToText(text(item, 'title')),
      body: htmlToText(text(item, 'content\\:encoded') || text(item, 'description')),
      ...(author ? { author } : {}),
      ...(published ? { publishedAt: published } : {}),
    });
  });
  return { format: isRdf ? 'rdf' : 'rss', title: htmlToText(text(channel, 'title')), items };
}
