// Rows of an import file → RawMentions: MediaCrawler's post and comment records (each platform's field names, as
// its store modules write them to JSON, CSV and SQLite) and vendor exports mapped with `--columns`. Pure.
import { sha256Hex } from '@yuqing/core';
import { parseDateText } from '@yuqing/crawlers';
import type { RawMention } from '@yuqing/domain';

/** MediaCrawler's platforms, by the directory and table prefix it writes them under. */
export const MEDIACRAWLER_PLATFORMS = ['xhs', 'douyin', 'kuaishou', 'bilibili', 'weibo', 'tieba', 'zhihu'] as const;
/** A MediaCrawler platform. */
export type MediaCrawlerPlatform = (typeof MEDIACRAWLER_PLATFORMS)[number];
/** A record's kind: a post (note, video, answer, thread) or a comment under one. */
export type RecordKind = 'content' | 'comment';

/** Names used in the platform's tag and the import source's name. */
export const PLATFORM_NAMES: Record<MediaCrawlerPlatform, string> = {
  xhs: '小红书',
  douyin: '抖音',
  kuaishou: '快手',
  bilibili: '哔哩哔哩',
  weibo: '微博',
  tieba: '百度贴吧',
  zhihu: '知乎',
};

/** The post's own page, from its id: MediaCrawler's URLs carry per-session tokens (xsec_token), these do not. */
const POST_URL: Record<MediaCrawlerPlatform, (id: string) => string> = {
  xhs: (id) => `https://www.xiaohongshu.com/explore/${id}`,
  douyin: (id) => `https://www.douyin.com/video/${id}`,
  kuaishou: (id) => `https://www.kuaishou.com/short-video/${id}`,
  bilibili: (id) => `https://www.bilibili.com/video/av${id}`,
  weibo: (id) => `https://m.weibo.cn/detail/${id}`,
  tieba: (id) => `https://tieba.baidu.com/p/${id}`,
  zhihu: (id) => `https://www.zhihu.com/answer/${id}`,
};

/** A row the import could not use, with its 1-based line (CSV/XLSX row, JSON array index + 1, SQLite rowid). */
export interface ImportRejection {
  line: number;
  field: string;
  reason: string;
}

/** Either a mention or why not. */
export type MappedRow = { mention: RawMention } | { rejection: ImportRejection };

type Row = Record<string, unknown>;

function first(row: Row, names: readonly string[]): { name: string; value: unknown } | undefined {
  for (const name of names) {
    const value = row[name];
    if (value !== undefined && value !== null && String(value).trim() !== '') return { name, value };
  }
  return undefined;
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).trim();
}

/**
 * Reads a platform's count as written: `1234`, `"1,234"`, `"1.2万"`, `"3.5w"`, `"10万+"`, `"10+"`, `"1.1亿"`.
 * Undefined when there is no number in it (a count is never a reason to refuse a row).
 */
export function parseCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.round(value) : undefined;
  const m = /^([\d.,]+)\s*(万|w|W|亿|k|K|千)?\+?$/.exec(str(value));
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ''));
  if (!Number.isFinite(n)) return undefined;
  const unit = { 万: 1e4, w: 1e4, W: 1e4, 亿: 1e8, k: 1e3, K: 1e3, 千: 1e3 }[m[2] ?? ''] ?? 1;
  return Math.round(n * unit);
}

/**
 * A record's time as ISO 8601: Unix seconds or milliseconds (MediaCrawler stores both, by platform), or any date
 * text the crawlers read (`2024-01-01 10:00:00` in the bureau's time zone, RFC 822, `3小时前`).
 */
export function parseImportTime(value: unknown, timeZone: string): string | undefined {
  const text = str(value);
  if (/^\d{9,13}(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return new Date(n >= 1e12 ? n : n * 1000).toISOString();
  }
  return parseDateText(text, { timeZone });
}

function optionalCounts(row: Row, fields: Record<'likes' | 'comments' | 'reposts' | 'views', readonly string[]>) {
  const out: Partial<Record<'likes' | 'comments' | 'reposts' | 'views', number>> = {};
  for (const [key, names] of Object.entries(fields) as Array<[keyof typeof out, readonly string[]]>) {
    const n = parseCount(first(row, names)?.value);
    if (n !== undefined) out[key] = n;
  }
  return out;
}

const CONTENT_ID = ['note_id', 'aweme_id', 'video_id', 'content_id', 'photo_id', 'dynamic_id'];
const TIME = ['create_time', 'time', 'created_time', 'publish_time', 'create_date_time', 'pub_ts'];
const AUTHOR = ['nickname', 'user_nickname', 'user_name'];

/**
 * One MediaCrawler record → a mention. Posts keep their own URL (the platform's page by id as the dedupe key, so
 * the same note exported twice with different session tokens is one mention); comments are items of their post's
 * page (`itemKey` comment-<id>). The IP 属地 and the platform become tags.
 */
export function mapMediaCrawlerRow(
  platform: MediaCrawlerPlatform,
  kind: RecordKind,
  row: Row,
  line: number,
  options: { timeZone: string },
): MappedRow {
  const reject = (field: string, reason: string): MappedRow => ({ rejection: { line, field, reason } });
  const textField = first(row, kind === 'comment' ? ['content'] : ['content', 'desc', 'content_text', 'text']);
  const title = str(row.title);
  if (!textField && !title) return reject(kind === 'comment' ? 'content' : 'title/desc', 'empty: no text to store');
  const timeField = first(row, TIME);
  let publishedAt: string | undefined;
  if (timeField) {
    publishedAt = parseImportTime(timeField.value, options.timeZone);
    if (!publishedAt) return reject(timeField.name, `not a time: ${JSON.stringify(str(timeField.value))}`);
  }
  const postId = str(first(row, CONTENT_ID)?.value);
  const givenUrl = str(first(row, ['note_url', 'aweme_url', 'video_url', 'content_url', 'url'])?.value);
  let url = givenUrl;
  if (url && !/^https?:\/\//i.test(url)) return reject('note_url', `not a web address: ${JSON.stringify(url)}`);
  if (!url && postId) url = POST_URL[platform](postId);
  if (!url) return reject(CONTENT_ID.join('/'), 'missing: no post id or URL to identify the record');
  const canonicalUrl = postId ? POST_URL[platform](postId) : url;
  const tags = [`平台:${PLATFORM_NAMES[platform]}`];
  const ip = str(row.ip_location);
  if (ip) tags.push(`IP属地:${ip}`);
  const author = str(first(row, AUTHOR)?.value);
  const base = {
    url,
    canonicalUrl,
    title: kind === 'comment' ? '' : title,
    body: str(textField?.value),
    ...(author ? { author } : {}),
    siteName: PLATFORM_NAMES[platform],
    ...(publishedAt ? { publishedAt } : {}),
    tags,
  };
  if (kind === 'comment') {
    const commentId = str(row.comment_id ?? row.id);
    if (!commentId) return reject('comment_id', 'missing: a comment needs its id');
    return {
      mention: {
        ...base,
        itemKey: `comment-${commentId}`,
        ...optionalCounts(row, {
          likes: ['like_count', 'comment_like_count', 'voteup_count'],
          comments: ['sub_comment_count'],
          reposts: [],
          views: [],
        }),
      },
    };
  }
  return {
    mention: {
      ...base,
      ...optionalCounts(row, {
        likes: ['liked_count', 'voteup_count', 'like_count', 'total_liked'],
        comments: ['comments_count', 'comment_count', 'video_comment', 'total_replay_num', 'total_comments'],
        reposts: ['shared_count', 'share_count', 'video_share_count', 'total_forwards'],
        views: ['video_play_count', 'viewd_count'],
      }),
    },
  };
}

/** Fields `--columns` maps for vendor exports. */
export const COLUMN_FIELDS = ['title', 'text', 'time', 'url', 'author', 'likes', 'comments', 'reposts'] as const;
/** A field `--columns` maps. */
export type ColumnField = (typeof COLUMN_FIELDS)[number];

/** Field → column name of the file. */
export type ColumnMapping = Partial<Record<ColumnField, string>>;

/**
 * One vendor export row → a mention. Rows without a URL column get an identity from their own content within the
 * file's import source (`itemKey` row-<hash of title, text, time, author>), so importing the file again stores
 * nothing twice.
 */
export function mapColumnsRow(
  mapping: ColumnMapping,
  row: Row,
  line: number,
  options: { timeZone: string; sourceUrl: string },
): MappedRow {
  const reject = (field: ColumnField, reason: string): MappedRow => ({
    rejection: { line, field: mapping[field] ?? field, reason },
  });
  const get = (field: ColumnField) => (mapping[field] ? str(row[mapping[field]]) : '');
  const title = get('title');
  const text = get('text');
  if (!title && !text) return reject(mapping.text ? 'text' : 'title', 'empty: no text to store');
  let publishedAt: string | undefined;
  const time = get('time');
  if (time) {
    publishedAt = parseImportTime(time, options.timeZone);
    if (!publishedAt) return reject('time', `not a time: ${JSON.stringify(time)}`);
  }
  const url = get('url');
  if (url && !/^https?:\/\/[^\s/]+/i.test(url)) return reject('url', `not a web address: ${JSON.stringify(url)}`);
  const counts: Partial<Record<'likes' | 'comments' | 'reposts', number>> = {};
  for (const field of ['likes', 'comments', 'reposts'] as const) {
    const raw = get(field);
    if (!raw) continue;
    const n = parseCount(raw);
    if (n === undefined) return reject(field, `not a count: ${JSON.stringify(raw)}`);
    counts[field] = n;
  }
  const author = get('author');
  return {
    mention: {
      url: url || options.sourceUrl,
      title,
      body: text,
      ...(author ? { author } : {}),
      ...(publishedAt ? { publishedAt } : {}),
      ...(url ? {} : { itemKey: `row-${sha256Hex([title, text, time, author].join('\u0000')).slice(0, 24)}` }),
      ...counts,
    },
  };
}
