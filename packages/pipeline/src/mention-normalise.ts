import { sha256Hex } from '@yuqing/core';
import type { MentionInsert } from '@yuqing/db';
import { canonicaliseItemUrl, canonicaliseUrl, fallbackSearchTokens, urlHash, type RawMention } from '@yuqing/domain';

/** Longest stored body; longer pages are cut (a mention is for reading, not archiving). */
export const MAX_BODY_CHARS = 100_000;
export const MAX_TITLE_CHARS = 500;

/**
 * HR and social-security vocabulary for the thin slice's relevance mark (replaced by the NLP classifier later).
 * Deliberately specific: generic words such as 工作 or 服务 would mark almost everything.
 */
const HR_KEYWORDS = [
  '人社',
  '人力资源',
  '社会保障',
  '社保',
  '养老金',
  '养老保险',
  '医保',
  '医疗保险',
  '报销',
  '工伤',
  '欠薪',
  '拖欠工资',
  '讨薪',
  '工资',
  '薪资',
  '招聘',
  '就业',
  '失业',
  '再就业',
  '职业技能',
  '技能培训',
  '职业培训',
  '劳动合同',
  '劳动仲裁',
  '劳动争议',
  '劳动监察',
  '用人单位',
  '农民工',
  '灵活就业',
  '社保卡',
  '异地就医',
  '生育保险',
  '退休',
  '最低工资',
  '公积金',
  '人才',
  '职称',
  '事业单位',
  '公务员考试',
  '劳务派遣',
  '裁员',
  '加班费',
  '五险一金',
  '缴费基数',
  '参保',
  '待遇',
  '补贴',
  '稳岗',
];

/** True when the text mentions HR/social-security matters (simple keyword mark for the thin slice). */
export function hrKeywordMark(text: string): boolean {
  return HR_KEYWORDS.some((k) => text.includes(k));
}

function collapse(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\t \u00a0\u3000]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/** sha256 over title + body with whitespace and punctuation removed and width folded: reposts hash alike. */
export function contentHash(title: string, body: string): string {
  const norm = `${title}\n${body}`
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
  return sha256Hex(norm);
}

/** A mention ready to store: the database row without the source, run and fetch time that ingest adds. */
export type NormalisedMention = Omit<MentionInsert, 'sourceId' | 'crawlRunId' | 'fetchedAt'>;

function optionalText(v: string | undefined, max = 500): string | null {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t.slice(0, max) : null;
}

/**
 * Normalises what a crawler found: canonical URL and its hash, collapsed whitespace, length caps, content hash,
 * simple search tokens and the HR keyword mark. Pure. Returns undefined for an item with neither title nor body.
 */
export function normaliseMention(
  item: RawMention,
  defaults: { region?: string | null } = {},
): NormalisedMention | undefined {
  const title = collapse(item.title).replace(/\n/g, ' ').slice(0, MAX_TITLE_CHARS);
  const body = collapse(item.body).slice(0, MAX_BODY_CHARS);
  if (!title && !body) return undefined;
  const pageUrl = item.canonicalUrl ?? item.url;
  const canonicalUrl = item.itemKey ? canonicaliseItemUrl(pageUrl, item.itemKey) : canonicaliseUrl(pageUrl);
  const replyText = item.replyText ? collapse(item.replyText).slice(0, MAX_BODY_CHARS) : null;
  return {
    url: item.url,
    canonicalUrl,
    urlHash: urlHash(canonicalUrl),
    contentHash: contentHash(title, body),
    title: title || body.slice(0, 60),
    body,
    author: optionalText(item.author, 200),
    siteName: optionalText(item.siteName, 200),
    publishedAt: item.publishedAt ? new Date(item.publishedAt) : null,
    likes: item.likes ?? 0,
    comments: item.comments ?? 0,
    reposts: item.reposts ?? 0,
    views: item.views ?? 0,
    region: optionalText(item.region, 100) ?? defaults.region ?? null,
    rawEncoding: optionalText(item.rawEncoding, 40),
    replyText: replyText || null,
    replyDepartment: optionalText(item.replyDepartment, 200),
    replyAt: item.replyAt ? new Date(item.replyAt) : null,
    tags: [...new Set(item.tags ?? [])],
    searchTokens: fallbackSearchTokens(`${title} ${body}`),
    relevant: hrKeywordMark(`${title} ${body}`),
  };
}
