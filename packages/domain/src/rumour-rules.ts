// 辟谣: an analyst marks an issue as a rumour; the spokesperson answers it with a rebuttal notice (a response of
// kind `rumour_rebuttal`) that follows its own template and the same approval as any response; once published,
// the issue page compares how the rumour and the notice spread. Pure rules here; storage in packages/db.
import { NonRetryableError } from '@yuqing/core';
import { fallbackTokens } from './search-tokens.ts';

/** Kinds of response: an ordinary statement (口径) or a rumour rebuttal notice (辟谣). */
export const RESPONSE_KINDS = ['statement', 'rumour_rebuttal'] as const;
/** A response's kind. */
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/** The sections every rebuttal notice has, in order (事实 / 依据 / 权威来源 / 联系方式). */
export const REBUTTAL_SECTIONS = ['事实', '依据', '权威来源', '联系方式'] as const;

/** Longest rumour note, in characters. */
export const MAX_RUMOUR_NOTE_CHARS = 2000;

/**
 * The draft a rebuttal starts from: a heading and the four sections, each with what to write in it.
 * `【事实】` brackets mark the sections, so {@link missingRebuttalSections} can check them.
 */
export function rumourRebuttalTemplate(input: { issueTitle: string; note?: string | null }): string {
  const claim = input.note?.trim() ? `（网传：${input.note.trim()}）` : '';
  return [
    `关于“${input.issueTitle}”的辟谣说明${claim}`,
    '【事实】经核实，网传内容不实。实际情况是：……',
    '【依据】根据《……》（文号……）第……条规定：……',
    '【权威来源】以本局官方网站、政务微博、微信公众号发布的信息为准：……',
    '【联系方式】如有疑问，请拨打 12333 人力资源社会保障服务热线或……咨询。',
  ].join('\n');
}

/**
 * The template sections a rebuttal's text lacks: a section counts when its 【name】 mark has text after it and none
 * of the template's …… placeholders is left in it.
 */
export function missingRebuttalSections(body: string): string[] {
  return REBUTTAL_SECTIONS.filter((name) => {
    const at = body.indexOf(`【${name}】`);
    if (at === -1) return true;
    const rest = body.slice(at + name.length + 2);
    const next = rest.search(/【[^】]+】/);
    const section = next === -1 ? rest : rest.slice(0, next);
    return section.includes('……') || section.replace(/[\s…。.，,：:]/g, '').length === 0;
  });
}

/** A rebuttal goes to approval only with every section filled in (`VALIDATION_FAILED` names the missing ones). */
export function assertRebuttalComplete(kind: ResponseKind, body: string): void {
  if (kind !== 'rumour_rebuttal') return;
  const missing = missingRebuttalSections(body);
  if (missing.length > 0)
    throw new NonRetryableError(
      'VALIDATION_FAILED',
      `辟谣说明缺少：${missing.map((m) => `【${m}】`).join('、')} (rebuttal sections missing)`,
    );
}

/** A rebuttal answers an issue that an analyst marked as a rumour (`CONFLICT` otherwise). */
export function assertCanRebut(issue: { id: number; rumourMarkedAt: Date | null }, kind: ResponseKind): void {
  if (kind === 'rumour_rebuttal' && issue.rumourMarkedAt === null)
    throw new NonRetryableError('CONFLICT', `issue ${issue.id} is not marked as a rumour; mark it before rebutting`);
}

/** Words by which a post cites an official rebuttal. */
export const REBUTTAL_CITATION_WORDS: readonly string[] = [
  '辟谣',
  '官方回应',
  '官方辟谣',
  '官方澄清',
  '澄清',
  '不实',
  '谣言',
  '假消息',
  '系谣传',
  '并非事实',
  '不属实',
  '官方通报',
];

/** True when a post cites the rebuttal: one of the citation words, or the notice's title (first line). */
export function citesRebuttal(text: string, noticeTitles: readonly string[]): boolean {
  if (REBUTTAL_CITATION_WORDS.some((w) => text.includes(w))) return true;
  return noticeTitles.some((t) => t.length >= 6 && text.includes(t));
}

/**
 * Bigram overlap (shared / the smaller set) with one rumour text at or above which a post outside the issue
 * repeats the rumour: most of the post is the rumour, or most of the rumour is in the post.
 */
export const RUMOUR_REPEAT_OVERLAP = 0.5;
/** Overlap at or above which a post outside the issue that uses a citation word (辟谣, 不实 …) is about this rumour. */
export const CITING_TOPIC_OVERLAP = 0.25;
/** Rumour texts with fewer character bigrams than this say too little to match on. */
const MIN_PROFILE_BIGRAMS = 4;
/** Characters of a post compared with the rumour (titles and openings carry it). */
const COMPARED_CHARS = 200;
/** Most rumour texts compared with each outside post (the issue's title, the analyst's note, its earliest posts). */
export const MAX_RUMOUR_PROFILE_TEXTS = 50;

function bigrams(text: string): Set<string> {
  return new Set(fallbackTokens(text.slice(0, COMPARED_CHARS)).filter((t) => t.length === 2));
}

/** The rumour as the matcher knows it: the character bigrams of each rumour text (short texts left out). */
export type RumourProfile = ReadonlyArray<ReadonlySet<string>>;

/** A {@link RumourProfile} from the rumour's texts: the issue's title, the analyst's note, its earliest posts. */
export function rumourProfile(texts: readonly string[]): RumourProfile {
  return texts
    .slice(0, MAX_RUMOUR_PROFILE_TEXTS)
    .map(bigrams)
    .filter((b) => b.size >= MIN_PROFILE_BIGRAMS);
}

/** The highest overlap coefficient (shared bigrams / the smaller set) of `text` with one rumour text, 0–1. */
export function rumourOverlap(text: string, profile: RumourProfile): number {
  const own = bigrams(text);
  if (own.size === 0) return 0;
  let best = 0;
  for (const p of profile) {
    let shared = 0;
    for (const b of own) if (p.has(b)) shared += 1;
    best = Math.max(best, shared / Math.min(own.size, p.size));
  }
  return best;
}

/**
 * How a post filed elsewhere (another issue, or no issue) counts in the spread chart: `citing` when it is published
 * after a notice and names the notice's title, or uses a citation word and is about this rumour (overlap ≥
 * {@link CITING_TOPIC_OVERLAP}); `repeat` when it repeats the rumour (overlap ≥ {@link RUMOUR_REPEAT_OVERLAP});
 * else null (not counted).
 */
export function matchOutsidePost(
  post: { at: Date; text: string },
  profile: RumourProfile,
  notices: ReadonlyArray<{ publishedAt: Date; title: string }>,
): 'repeat' | 'citing' | null {
  const overlap = rumourOverlap(post.text, profile);
  const afterNotice = notices.some((n) => post.at.getTime() >= n.publishedAt.getTime());
  if (afterNotice) {
    const titles = notices.map((n) => n.title);
    if (titles.some((t) => t.length >= 6 && post.text.includes(t))) return 'citing';
    if (overlap >= CITING_TOPIC_OVERLAP && citesRebuttal(post.text, [])) return 'citing';
  }
  return overlap >= RUMOUR_REPEAT_OVERLAP ? 'repeat' : null;
}

/** Time buckets of the spread chart. */
export type SpreadBucket = 'hour' | 'day';

/** One bucket of the spread chart: posts of the rumour, and those after a notice that cite it. */
export interface SpreadPoint {
  at: Date;
  /** Posts spreading the rumour: the issue's own and, among them, {@link repeats}. */
  mentions: number;
  /** Posts filed elsewhere (another issue or none) that repeat the rumour. */
  repeats: number;
  /** Posts citing a notice: the issue's own and, among them, {@link citingOutside}. */
  citing: number;
  /** Posts filed elsewhere that cite a notice. */
  citingOutside: number;
}

const BUCKET_MS: Record<SpreadBucket, number> = { hour: 3_600_000, day: 86_400_000 };
/** Most buckets in one chart (so a long-lived issue is drawn by day, not by 10,000 hours). */
export const MAX_SPREAD_BUCKETS = 400;

/**
 * Buckets the rumour's posts by time (start of the UTC hour, or of the day in the given offset), counting beside
 * each bucket's posts those that cite a notice published before them. The issue's own posts all count; posts
 * filed elsewhere (`outside`) count as {@link matchOutsidePost} says, against `profile`. Empty buckets between the
 * first and the last are kept so the chart's time axis is even. Hours fall back to days past
 * {@link MAX_SPREAD_BUCKETS}.
 */
export function spreadSeries(
  posts: ReadonlyArray<{ at: Date; text: string }>,
  notices: ReadonlyArray<{ publishedAt: Date; title: string }>,
  bucket: SpreadBucket,
  offsetMinutes = 480,
  outside: { posts: ReadonlyArray<{ at: Date; text: string }>; profile: RumourProfile } = { posts: [], profile: [] },
): { bucket: SpreadBucket; points: SpreadPoint[] } {
  const matched = outside.posts.flatMap((p) => {
    const kind = matchOutsidePost(p, outside.profile, notices);
    return kind ? [{ ...p, kind }] : [];
  });
  const all = [...posts.map((p) => ({ ...p, kind: 'own' as const })), ...matched];
  if (all.length === 0) return { bucket, points: [] };
  const offsetMs = offsetMinutes * 60_000;
  const times = all.map((p) => p.at.getTime());
  const span = Math.max(...times) - Math.min(...times);
  const size = bucket === 'hour' && span / BUCKET_MS.hour > MAX_SPREAD_BUCKETS ? 'day' : bucket;
  const width = BUCKET_MS[size];
  const keyOf = (t: number) => Math.floor((t + offsetMs) / width) * width - offsetMs;
  const first = keyOf(Math.min(...times));
  const count = Math.min(Math.floor((keyOf(Math.max(...times)) - first) / width) + 1, MAX_SPREAD_BUCKETS);
  const points: SpreadPoint[] = Array.from({ length: count }, (_, i) => ({
    at: new Date(first + i * width),
    mentions: 0,
    repeats: 0,
    citing: 0,
    citingOutside: 0,
  }));
  const titles = notices.map((n) => n.title);
  const firstNotice = Math.min(...notices.map((n) => n.publishedAt.getTime()));
  for (const post of all) {
    const i = Math.floor((keyOf(post.at.getTime()) - first) / width);
    const point = points[i];
    if (!point) continue;
    if (post.kind === 'citing') {
      point.citing++;
      point.citingOutside++;
      continue;
    }
    point.mentions++;
    if (post.kind === 'repeat') point.repeats++;
    else if (post.at.getTime() >= firstNotice && citesRebuttal(post.text, titles)) point.citing++;
  }
  return { bucket: size, points };
}
