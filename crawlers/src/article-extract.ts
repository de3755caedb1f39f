import { load, type Cheerio, type CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Clock } from '@yuqing/core';
import { parseDateText } from './date-parse.ts';

/** Result of automatic main-content extraction. */
export interface ExtractedArticle {
  title: string;
  /** ISO 8601 with the bureau's offset. */
  publishedAt?: string;
  /** Paragraphs joined by newlines; navigation, footers, share bars and related lists left out. */
  body: string;
  /** Author, or the 来源 (outlet) when no author is named. */
  author?: string;
  siteName?: string;
  /** `<link rel="canonical">`, resolved. */
  canonicalUrl?: string;
}

/** Options for {@link extractArticle}. */
export interface ExtractOptions {
  url: string;
  timeZone?: string;
  clock?: Clock;
}

/** Tags that never hold article text. */
const DROP_TAGS = 'script, style, noscript, iframe, svg, canvas, object, embed, input, select, textarea, button, nav, footer, aside, template, link, meta';
/** class/id words of page furniture: navigation, footers, share bars, related lists, ads, QR codes. */
const FURNITURE = /(^|[\s_-])(nav|navbar|menu|footer|foot|bottom|copyright|share|sharebar|social|related|relate|recommend|tuijian|xgxw|xgwz|comment|comments|sidebar|side|breadcrumb|crumb|position|location|toolbar|tools|print|qrcode|qcode|ewm|ad|ads|advert|banner|hot|rank|ranking|tags|pager|pagination|login|search|weixin|wechat|jiathis|bdshare|fx|topbar|header-nav|subnav|friend-?links?|links)([\s_-]|$)/i;
const BLOCK_TAGS = new Set(['p', 'div', 'section', 'article', 'main', 'table', 'tbody', 'tr', 'td', 'th', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dl', 'dd', 'dt', 'blockquote', 'pre', 'form', 'header', 'center', 'figure', 'figcaption', 'hr']);
const PARAGRAPH_TAGS = new Set(['p', 'div', 'td', 'section', 'article', 'li', 'pre', 'blockquote', 'dd', 'center', 'span', 'font', 'figcaption']);
/** Sentence punctuation; ASCII marks count only before a space, so URLs and numbers do not look like prose. */
const PUNCTUATION = /[，。！？；、：“”]|[,.;!?](?=\s)/g;
const META_LINE = /^[\s【\[（(]*(发布时间|发布日期|时间|日期|来源|稿源|作者|编辑|责任编辑|责编|浏览次数|点击数|阅读|字体|字号|打印|关闭|分享到?|扫一扫)[:：\s]/;
const DATE_WITH_TIME = /\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?/;
const DATE_ONLY = /\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?/;
const TITLE_SEPARATORS = /\s*(?:--|——|—|–|_|\||｜|\s-\s|-)\s*/;

interface NodeStats {
  textLen: number;
  linkLen: number;
  punct: number;
  hasBlockChild: boolean;
}

function textLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c !== 0xa0 && c !== 0x3000) n++;
  }
  return n;
}

function clean(s: string | undefined): string {
  return (s ?? '').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}

function metaMap($: CheerioAPI): Map<string, string> {
  const map = new Map<string, string>();
  $('meta').each((_, el) => {
    const key = (el.attribs.name ?? el.attribs.property ?? el.attribs.itemprop ?? '').toLowerCase().trim();
    const content = clean(el.attribs.content);
    if (key && content && !map.has(key)) map.set(key, content);
  });
  return map;
}

function firstMeta(meta: Map<string, string>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = meta.get(k);
    if (v) return v;
  }
  return undefined;
}

function titleSegments(docTitle: string): string[] {
  return docTitle.split(TITLE_SEPARATORS).map(clean).filter(Boolean);
}

function chooseTitle($: CheerioAPI, meta: Map<string, string>, docTitle: string): string {
  const explicit = firstMeta(meta, ['articletitle', 'og:title', 'twitter:title']);
  if (explicit && explicit.length >= 2) return explicit;
  let best: { text: string; score: number } | undefined;
  $('h1, h2, h3').each((i, el) => {
    const text = clean($(el).text());
    if (text.length < 4 || text.length > 120) return;
    const tag = el.tagName.toLowerCase();
    let score = 0;
    if (docTitle.includes(text)) score += 10 + text.length / 10;
    if (tag === 'h1') score += 3;
    else if (tag === 'h2') score += 1;
    if (/title|headline|biaoti|tit/i.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`)) score += 3;
    if ($(el).closest('a').length > 0 || $(el).find('a').length > 0) score -= 4;
    score -= i * 0.01;
    if (!best || score > best.score) best = { text, score };
  });
  const found = best as { text: string; score: number } | undefined;
  if (found && found.score >= 10) return found.text;
  const segments = titleSegments(docTitle);
  const first = segments[0];
  if (first && first.length >= 4) return first;
  if (found && found.score > 0) return found.text;
  return segments.sort((a, b) => b.length - a.length)[0] ?? docTitle;
}

function chooseSiteName(meta: Map<string, string>, docTitle: string, title: string, url: string): string | undefined {
  const explicit = firstMeta(meta, ['og:site_name', 'sitename', 'site_name', 'application-name']);
  if (explicit) return explicit;
  const segments = titleSegments(docTitle).filter((s) => s !== title && !title.includes(s));
  const last = segments[segments.length - 1];
  if (last && last.length <= 30) return last;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

/** Bottom-up text statistics for every element, in one pass. */
function computeStats(root: AnyNode, stats: Map<Element, NodeStats>): NodeStats {
  const own: NodeStats = { textLen: 0, linkLen: 0, punct: 0, hasBlockChild: false };
  const children = 'children' in root ? (root.children as AnyNode[]) : [];
  for (const child of children) {
    if (child.type === 'text') {
      const data = (child as unknown as { data: string }).data;
      own.textLen += textLength(data);
      own.punct += data.match(PUNCTUATION)?.length ?? 0;
    } else if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
      const el = child as Element;
      const s = computeStats(el, stats);
      own.textLen += s.textLen;
      own.punct += s.punct;
      own.linkLen += el.tagName === 'a' ? s.textLen : s.linkLen;
      if (BLOCK_TAGS.has(el.tagName) || s.hasBlockChild) own.hasBlockChild = true;
    }
  }
  if (root.type === 'tag') stats.set(root as Element, own);
  return own;
}

/** Picks the element holding the article body: paragraph scores flow to parents and grandparents (Readability-style). */
function findContentRoot($: CheerioAPI, stats: Map<Element, NodeStats>): Element | undefined {
  const scores = new Map<Element, number>();
  const depth = (el: Element) => {
    let d = 0;
    for (let p = el.parent; p; p = p.parent) d++;
    return d;
  };
  for (const [el, s] of stats) {
    if (!PARAGRAPH_TAGS.has(el.tagName) || s.hasBlockChild || s.textLen < 10) continue;
    const linkDensity = s.linkLen / Math.max(1, s.textLen);
    if (linkDensity > 0.5) continue;
    const score = (1 + s.punct + Math.min(s.textLen / 40, 6)) * (1 - linkDensity);
    scores.set(el, (scores.get(el) ?? 0) + score);
    let parent = el.parent as Element | null;
    for (let level = 1; parent && parent.type === 'tag' && level <= 3; level++) {
      scores.set(parent, (scores.get(parent) ?? 0) + score / level);
      parent = parent.parent as Element | null;
    }
  }
  let best: { el: Element; score: number; depth: number } | undefined;
  for (const [el, raw] of scores) {
    const s = stats.get(el);
    if (!s) continue;
    const score = raw * (1 - Math.min(0.9, s.linkLen / Math.max(1, s.textLen)));
    const d = depth(el);
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && d > best.depth)) best = { el, score, depth: d };
  }
  return best?.el;
}

/** Renders an element's text with line breaks at block boundaries and `<br>`, skipping link-heavy blocks. */
function renderText(root: Element, stats: Map<Element, NodeStats>): string[] {
  const out: string[] = [];
  let line = '';
  const flush = () => {
    const t = line.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (t) out.push(t);
    line = '';
  };
  const walk = (node: AnyNode) => {
    if (node.type === 'text') {
      line += (node as unknown as { data: string }).data;
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    if (el.tagName === 'br') {
      flush();
      return;
    }
    const s = stats.get(el);
    const block = BLOCK_TAGS.has(el.tagName);
    if (block && s && el !== root) {
      const density = s.linkLen / Math.max(1, s.textLen);
      // Lists of links inside the body (related articles, "点击进入…" banners) are not article text.
      if (density > 0.6 && s.textLen < 400) return;
    }
    if (block) flush();
    for (const child of el.children) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return out;
}

function findDateNearTitle(bodyText: string, title: string): string | undefined {
  const at = title ? bodyText.indexOf(title) : -1;
  const window = at >= 0 ? bodyText.slice(at + title.length, at + title.length + 600) : '';
  return DATE_WITH_TIME.exec(window)?.[0] ?? DATE_ONLY.exec(window)?.[0];
}

function findSource(text: string): string | undefined {
  const author = /(?:作者|记者|文\s*\/|撰稿)[:：\s]\s*([\u4e00-\u9fa5A-Za-z·]{2,12})/.exec(text);
  if (author?.[1]) return author[1];
  const source = /(?:来源|稿源|出处|信息来源|文章来源)\s*[:：]\s*([^\s|｜，,。<>]{2,40})/.exec(text);
  // Adjacent spans run together in text(): cut at the next label (字号, 打印, 发布时间 …).
  if (source?.[1]) return source[1].replace(/(发布|时间|日期|浏览|作者|字号|字体|打印|分享|编辑|责任|点击|阅读|【|\d{4}[-年]).*$/, '').trim() || undefined;
  return undefined;
}

/**
 * Automatic main-content extraction for any article page (Chinese government and news sites): title from
 * article meta, a heading that matches `<title>`, or the first `<title>` segment; publish time from article meta or
 * the first date after the title; body from the densest paragraph container with page furniture removed.
 * Pure: takes HTML (already decoded) or a loaded document.
 */
export function extractArticle(input: string | CheerioAPI, options: ExtractOptions): ExtractedArticle {
  const $ = typeof input === 'string' ? load(input) : input;
  const dateOptions = { timeZone: options.timeZone ?? 'Asia/Shanghai', ...(options.clock ? { clock: options.clock } : {}) };
  const meta = metaMap($);
  const docTitle = clean($('title').first().text());
  const title = chooseTitle($, meta, docTitle);
  const siteName = chooseSiteName(meta, docTitle, title, options.url);
  const canonicalHref = $('link[rel="canonical"]').attr('href');
  let canonicalUrl: string | undefined;
  try {
    if (canonicalHref) canonicalUrl = new URL(canonicalHref, options.url).toString();
  } catch {
    canonicalUrl = undefined;
  }

  // Time elements are read before furniture removal (some sites keep the date in an "info" bar we drop), but only
  // when article meta has no time: the attribute scan costs as much as the rest of the extraction.
  const earlyMetaDate = firstMeta(meta, ['article:published_time', 'pubdate', 'publishdate', 'ptime']);
  const timeElement = earlyMetaDate && /\d{1,2}:\d{2}/.test(earlyMetaDate)
    ? ''
    : ($('time[datetime]').first().attr('datetime') ?? $('[class*="pubtime"], [class*="pub_time"], [class*="publish"], [id*="pubtime"], [class*="date"], [class*="time"]').filter((_, el) => DATE_ONLY.test($(el).text())).first().text());

  const body$ = ($('body').length ? $('body') : $.root()) as Cheerio<AnyNode>;
  body$.find(DROP_TAGS).remove();
  // Hidden blocks (link lists kept for scripts, folded menus) are not what a reader sees.
  body$.find('[hidden], [style*="display:none"], [style*="display: none"], [style*="visibility:hidden"]').remove();
  const fullText = clean(body$.text());
  const metaDate = firstMeta(meta, ['article:published_time', 'pubdate', 'publishdate', 'publish_date', 'publishtime', 'ptime', 'datepublished', 'og:release_date', 'dc.date.issued', 'dc.date', 'firstpublishedtime', 'releasedate']);
  const nearTitle = findDateNearTitle(fullText, title);
  let publishedText: string | undefined;
  if (metaDate && /\d{1,2}:\d{2}/.test(metaDate)) publishedText = metaDate;
  else if (nearTitle && DATE_WITH_TIME.test(nearTitle)) publishedText = nearTitle;
  else publishedText = metaDate ?? nearTitle ?? (timeElement || undefined) ?? DATE_WITH_TIME.exec(fullText)?.[0];
  const publishedAt = parseDateText(publishedText, dateOptions);

  const metaAuthor = firstMeta(meta, ['contentsource', 'source', 'author', 'article:author', 'dc.creator']);
  const textAuthor = findSource(title ? fullText.slice(Math.max(0, fullText.indexOf(title)), Math.max(0, fullText.indexOf(title)) + 800) : fullText.slice(0, 2000));
  const cleanMetaAuthor = metaAuthor && !/^\d+$/.test(metaAuthor) ? metaAuthor.replace(/^(来源|作者)[:：]\s*/, '').split(/\s+/)[0] : undefined;
  const author = textAuthor ?? cleanMetaAuthor;

  // Furniture: drop share bars, related lists, footers … unless the block is text-heavy (then it is content).
  body$.find('*').each((_, el) => {
    const tag = el as Element;
    const label = `${tag.attribs.class ?? ''} ${tag.attribs.id ?? ''}`;
    if (!label.trim() || !FURNITURE.test(label)) return;
    const node = $(tag);
    const len = textLength(node.text());
    const linkLen = textLength(node.find('a').text());
    if (len < 300 || linkLen / Math.max(1, len) > 0.4) node.remove();
  });

  const stats = new Map<Element, NodeStats>();
  const rootNode = body$.get(0);
  if (rootNode) computeStats(rootNode, stats);
  const contentRoot = findContentRoot($, stats);
  let lines = contentRoot ? renderText(contentRoot, stats) : [];
  const titleCore = clean(title);
  lines = lines.filter((l) => l !== titleCore && !(l.length < 80 && META_LINE.test(l)) && !(l.length < 60 && DATE_WITH_TIME.test(l) && /来源|时间|发布/.test(l)));
  return {
    title,
    ...(publishedAt ? { publishedAt } : {}),
    body: lines.join('\n'),
    ...(author ? { author } : {}),
    ...(siteName ? { siteName } : {}),
    ...(canonicalUrl ? { canonicalUrl } : {}),
  };
}
