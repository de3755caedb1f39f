import { FEATURED_NEWS_SEQUENCE } from './content-schedule.ts';
import { DemoContent } from './demo-content.ts';

/** A source in the file form of CONTRACTS.md ("Source configuration"). */
export interface DemoSourceDefinition {
  name: string;
  kind: 'html' | 'rss' | 'json' | 'article';
  url: string;
  schedule: string;
  enabled: boolean;
  respectRobots: boolean;
  weight: number;
  region: string;
  config: Record<string, unknown>;
}

/** The demo site posts every minute; crawling every few minutes keeps the live loop visible without hammering it. */
const LIVE_SCHEDULE = '*/2 * * * *';
const LIST_SCHEDULE = '*/5 * * * *';
const SLOW_SCHEDULE = '*/30 * * * *';
const REGION = '江澜市';

/**
 * Source definitions for the demo site at `baseUrl`: news (HTML list → detail), RSS, the GBK forum (HTML, automatic
 * article extraction), the board's JSON API, and one single article.
 */
export function demoSourceDefinitions(baseUrl: string): DemoSourceDefinition[] {
  const base = baseUrl.replace(/\/+$/, '');
  return [
    {
      name: '演示站·新闻动态',
      kind: 'html',
      url: `${base}/news/`,
      schedule: LIST_SCHEDULE,
      enabled: true,
      respectRobots: true,
      weight: 1,
      region: REGION,
      config: {
        list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 5 },
        detail: { title: 'h1.title', time: '.pubtime', body: '.article-body', author: '.author' },
      },
    },
    {
      name: '演示站·RSS',
      kind: 'rss',
      url: `${base}/rss.xml`,
      schedule: LIVE_SCHEDULE,
      enabled: true,
      respectRobots: true,
      weight: 1,
      region: REGION,
      config: {},
    },
    {
      // No detail selectors: the forum exercises GBK decoding and automatic article extraction.
      name: '演示站·江澜论坛（GBK）',
      kind: 'html',
      url: `${base}/gbk/`,
      schedule: LIST_SCHEDULE,
      enabled: true,
      respectRobots: true,
      weight: 0.8,
      region: REGION,
      config: { list: { itemLinks: 'ul.news-list a', nextPage: 'a.next', maxPages: 5 } },
    },
    {
      name: '演示站·政民互动留言',
      kind: 'json',
      url: `${base}/api/board/messages`,
      schedule: LIVE_SCHEDULE,
      enabled: true,
      respectRobots: true,
      weight: 1.2,
      region: REGION,
      config: {
        itemsPath: 'data.items',
        fields: {
          url: 'url',
          title: 'title',
          body: 'content',
          author: 'user',
          publishedAt: 'postedAt',
          likes: 'likes',
          comments: 'comments',
          replyText: 'reply.content',
          replyDepartment: 'reply.department',
          replyAt: 'reply.repliedAt',
        },
        pagination: { type: 'page', param: 'page', start: 1, maxPages: 5, totalPagesPath: 'data.pageCount' },
      },
    },
    {
      name: '演示站·单篇文章',
      kind: 'article',
      url: `${base}/news/${DemoContent.newsId(FEATURED_NEWS_SEQUENCE)}.html`,
      schedule: SLOW_SCHEDULE,
      enabled: true,
      respectRobots: true,
      weight: 1,
      region: REGION,
      config: {},
    },
  ];
}
