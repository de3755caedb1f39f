// Machine-readable views: the RSS 2.0 feed and the board's JSON API (shapes fixed in CONTRACTS.md).
import { CITY } from './content/city.ts';
import type { BoardMessageView, NewsArticle } from './content-items.ts';
import { formatDateTime, formatRfc822 } from './time-format.ts';

/** Escapes text for XML element content. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** How many leading paragraphs of an article the feed's description carries (a summary, as most feeds do). */
const RSS_DESCRIPTION_PARAGRAPHS = 2;

/** RSS 2.0 document for `articles` (newest first); links are absolute on `origin`. */
export function renderRss(input: { origin: string; articles: NewsArticle[]; builtAt: Date }): string {
  const items = input.articles.map((a) => {
    const link = `${input.origin}/news/${a.id}.html`;
    return `<item>
<title>${escapeXml(a.title)}</title>
<link>${escapeXml(link)}</link>
<guid isPermaLink="true">${escapeXml(link)}</guid>
<description>${escapeXml(a.paragraphs.slice(0, RSS_DESCRIPTION_PARAGRAPHS).join('\n'))}</description>
<pubDate>${formatRfc822(a.publishedAt)}</pubDate>
<author>${escapeXml(a.source)}</author>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
<channel>
<title>${CITY}人社新闻</title>
<link>${escapeXml(`${input.origin}/news/`)}</link>
<description>${CITY}人力资源和社会保障局新闻动态（演示站点，内容虚构）</description>
<language>zh-cn</language>
<lastBuildDate>${formatRfc822(input.builtAt)}</lastBuildDate>
<ttl>5</ttl>
${items.join('\n')}
</channel>
</rss>
`;
}

/** One message in the board API. */
export interface BoardApiItem {
  id: string;
  url: string;
  title: string;
  content: string;
  user: string;
  postedAt: string;
  likes: number;
  comments: number;
  reply: { department: string; content: string; repliedAt: string } | null;
}

export interface BoardApiPage {
  code: 0;
  data: { page: number; pageCount: number; items: BoardApiItem[] };
}

export function boardApiItem(origin: string, view: BoardMessageView): BoardApiItem {
  const { message, reply } = view;
  return {
    id: message.id,
    url: `${origin}/board/${message.id}`,
    title: message.title,
    content: message.content,
    user: message.user,
    postedAt: formatDateTime(message.postedAt),
    likes: view.likes,
    comments: view.comments,
    reply: reply
      ? { department: reply.department, content: reply.content, repliedAt: formatDateTime(reply.repliedAt) }
      : null,
  };
}

export function boardApiPage(origin: string, page: number, pageCount: number, views: BoardMessageView[]): BoardApiPage {
  return { code: 0, data: { page, pageCount, items: views.map((v) => boardApiItem(origin, v)) } };
}
