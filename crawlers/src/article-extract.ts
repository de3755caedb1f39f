import { load, type CheerioAPI } from 'cheerio';
import { hasChildren, isTag, type AnyNode, type Element, type ParentNode } from 'domhandler';
import type { Clock } from '@yuqing/core';
import { parseDateText } from './date-parse.ts';
import {
  chooseSiteName,
  chooseTitle,
  DATE_ONLY,
  DATE_WITH_TIME,
  findDateNearTitle,
  findSource,
  firstMeta,
} from './article-metadata.ts';
import { clean, textOf } from './article-text.ts';

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
const DROP_TAGS = new Set([
  'script',
  'style',
  'noscript',
  'iframe',
  'svg',
  'canvas',
  'object',
  'embed',
  'input',
  'select',
  'textarea',
  'button',
  'nav',
  'footer',
  'aside',
  'template',
  'link',
  'meta',
]);
/** class/id words of page furniture: navigation, footers, share bars, related lists, ads, QR codes. */
const FURNITURE =
  /(^|[\s_-])(nav|navbar|menu|footer|foot|bottom|copyright|share|sharebar|social|related|relate|recommend|tuijian|xgxw|xgwz|comment|comments|sidebar|side|breadcrumb|crumb|position|location|toolbar|tools|print|qrcode|qcode|ewm|ad|ads|advert|banner|hot|rank|ranking|tags|pager|pagination|login|search|weixin|wechat|jiathis|bdshare|fx|topbar|header-nav|subnav|friend-?links?|links)([\s_-]|$)/i;
const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'table',
  'tbody',
  'tr',
  'td',
  'th',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'dl',
  'dd',
  'dt',
  'blockquote',
  'pre',
  'form',
  'header',
  'center',
  'figure',
  'figcaption',
  'hr',
]);
const PARAGRAPH_TAGS = new Set([
  'p',
  'div',
  'td',
  'section',
  'article',
  'li',
  'pre',
  'blockquote',
  'dd',
  'center',
  'span',
  'font',
  'figcaption',
]);
/** Sentence punctuation; ASCII marks count only before a space, so URLs and numbers do not look like prose. */
const PUNCTUATION = /[，。！？；、：“”]|[,.;!?](?=\s)/g;
const META_LINE =
  /^[\s【\[（(]*(发布时间|发布日期|时间|日期|来源|稿源|作者|编辑|责任编辑|责编|浏览次数|点击数|阅读|字体|字号|打印|关闭|分享到?|扫一扫)[:：\s]/;

interface NodeStats {
  textLen: number;
  linkLen: number;
  punct: number;
  hasBlockChild: boolean;
  /** Text standing directly in the element (its text nodes and inline children), not inside a block child. */
  directLen: number;
  directPunct: number;
}

/** `[hidden]`, `[style*="display:none"]`, `[style*="display: none"]`, `[style*="visibility:hidden"]`. */
function isHidden(el: Element): boolean {
  if (el.attribs.hidden !== undefined) return true;
  const style = el.attribs.style;
  return (
    style !== undefined &&
    (style.includes('display:none') || style.includes('display: none') || style.includes('visibility:hidden'))
  );
}

function textLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 32 && c !== 0xa0 && c !== 0x3000) n++;
  }
  return n;
}

/**
 * Everything extraction reads from the document before it prunes anything, gathered in one walk. The extraction
 * used to ask cheerio a dozen CSS questions per page (meta, title, headings, canonical link, date-looking classes,
 * dropped and hidden blocks, furniture); each one walked the whole tree and wrapped its hits, which cost more than
 * parsing the page. Collections keep document order, as the selectors did.
 */
interface DocumentIndex {
  meta: Map<string, string>;
  /** First `<title>`. */
  title: Element | undefined;
  /** h1, h2, h3. */
  headings: Element[];
  /** href of the first `<link rel="canonical">` (rel compared case-insensitively, as in CSS for HTML). */
  canonicalHref: string | undefined;
  /** datetime of the first `<time datetime>`. */
  timeDatetime: string | undefined;
  /** Elements whose class names a date or time (pubtime, publish, date, time) or whose id says pubtime. */
  dateLabelled: Element[];
  /** `<body>` elements, or the document itself when there is none. */
  containers: AnyNode[];
}

const DATE_CLASS_PARTS = ['pubtime', 'pub_time', 'publish', 'date', 'time'];

function indexDocument(root: AnyNode): DocumentIndex {
  const index: DocumentIndex = {
    meta: new Map(),
    title: undefined,
    headings: [],
    canonicalHref: undefined,
    timeDatetime: undefined,
    dateLabelled: [],
    containers: [],
  };
  const visit = (node: AnyNode) => {
    if (isTag(node)) {
      const name = node.tagName;
      const attribs = node.attribs;
      if (name === 'meta') {
        const key = (attribs.name ?? attribs.property ?? attribs.itemprop ?? '').toLowerCase().trim();
        const content = clean(attribs.content);
        if (key && content && !index.meta.has(key)) index.meta.set(key, content);
      } else if (name === 'title') index.title ??= node;
      else if (name === 'h1' || name === 'h2' || name === 'h3') index.headings.push(node);
      else if (name === 'link') {
        if (
          index.canonicalHref === undefined &&
          attribs.rel?.toLowerCase() === 'canonical' &&
          attribs.href !== undefined
        )
          index.canonicalHref = attribs.href;
      } else if (name === 'time') {
        if (index.timeDatetime === undefined && attribs.datetime !== undefined) index.timeDatetime = attribs.datetime;
      } else if (name === 'body') index.containers.push(node);
      const cls = attribs.class;
      if ((cls !== undefined && DATE_CLASS_PARTS.some((part) => cls.includes(part))) || attribs.id?.includes('pubtime'))
        index.dateLabelled.push(node);
    }
    if (hasChildren(node)) for (const child of node.children) visit(child);
  };
  visit(root);
  if (index.containers.length === 0) index.containers.push(root);
  return index;
}

/** Drops child nodes for which `drop` says so, anywhere below `parent` (kept nodes are searched further). */
function prune(parent: ParentNode, drop: (el: Element) => boolean): void {
  let removed = false;
  for (const child of parent.children) {
    if (isTag(child) && drop(child)) {
      child.parent = null;
      removed = true;
    } else if (hasChildren(child)) prune(child, drop);
  }
  if (!removed) return;
  const kept = parent.children.filter((c) => c.parent === parent);
  for (const c of parent.children) {
    if (c.parent === null) c.prev = c.next = null;
  }
  kept.forEach((c, i) => {
    c.prev = kept[i - 1] ?? null;
    c.next = kept[i + 1] ?? null;
  });
  parent.children = kept;
}

/** Bottom-up text statistics for every element, in one pass. */
function computeStats(root: AnyNode, stats: Map<Element, NodeStats>): NodeStats {
  const own: NodeStats = { textLen: 0, linkLen: 0, punct: 0, hasBlockChild: false, directLen: 0, directPunct: 0 };
  const children = 'children' in root ? (root.children as AnyNode[]) : [];
  for (const child of children) {
    if (child.type === 'text') {
      const data = (child as unknown as { data: string }).data;
      const len = textLength(data);
      const punct = data.match(PUNCTUATION)?.length ?? 0;
      own.textLen += len;
      own.punct += punct;
      own.directLen += len;
      own.directPunct += punct;
    } else if (child.type === 'tag' || child.type === 'script' || child.type === 'style') {
      const el = child as Element;
      const s = computeStats(el, stats);
      own.textLen += s.textLen;
      own.punct += s.punct;
      own.linkLen += el.tagName === 'a' ? s.textLen : s.linkLen;
      const block = BLOCK_TAGS.has(el.tagName) || s.hasBlockChild;
      if (block) own.hasBlockChild = true;
      else if (el.tagName !== 'a') {
        own.directLen += s.textLen;
        own.directPunct += s.punct;
      }
    }
  }
  if (root.type === 'tag') stats.set(root as Element, own);
  return own;
}

/** Text standing directly in an element (beside its blocks) that counts as a paragraph of it. */
const MIN_DIRECT_TEXT_CHARS = 30;

/** Picks the element holding the article body: paragraph scores flow to parents and grandparents (Readability-style). */
function findContentRoot(stats: Map<Element, NodeStats>): Element | undefined {
  const scores = new Map<Element, number>();
  const depth = (el: Element) => {
    let d = 0;
    for (let p = el.parent; p; p = p.parent) d++;
    return d;
  };
  for (const [el, s] of stats) {
    let score: number;
    if (PARAGRAPH_TAGS.has(el.tagName) && !s.hasBlockChild && s.textLen >= 10) {
      const linkDensity = s.linkLen / Math.max(1, s.textLen);
      if (linkDensity > 0.5) continue;
      score = (1 + s.punct + Math.min(s.textLen / 40, 6)) * (1 - linkDensity);
    } else if (s.directLen >= MIN_DIRECT_TEXT_CHARS) {
      // Older government and forum pages put the text straight into <body> or a <td>, as <br>-separated runs
      // beside the blocks of the layout: that text is a paragraph of the element itself.
      score = 1 + s.directPunct + Math.min(s.directLen / 40, 6);
    } else continue;
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
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) < 1e-9 && d > best.depth))
      best = { el, score, depth: d };
  }
  // A body written as one block (a <div> of text, no <p>) hands its whole score to its parent, which then wins by
  // whatever a recommendation list or disclaimer beside it adds: step down to the child that holds most of it.
  let chosen = best?.el;
  for (let step = 0; chosen && step < 3; step++) {
    const total = scores.get(chosen) ?? 0;
    const child = chosen.children.find(
      (c): c is Element => isTag(c) && (scores.get(c) ?? 0) >= DOMINANT_CHILD_SHARE * total,
    );
    if (!child) break;
    chosen = child;
  }
  return chosen;
}

/** Share of a candidate's score that one child must hold for the child to be the body instead. */
const DOMINANT_CHILD_SHARE = 0.7;

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

/** Every text line below `node`, blocks and `<br>` as line breaks, nothing skipped. */
function renderAll(node: AnyNode): string[] {
  const out: string[] = [];
  let line = '';
  const flush = () => {
    const t = line.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (t) out.push(t);
    line = '';
  };
  const walk = (n: AnyNode) => {
    if (n.type === 'text') line += (n as unknown as { data: string }).data;
    else if (isTag(n)) {
      const block = n.tagName === 'br' || BLOCK_TAGS.has(n.tagName);
      if (block) flush();
      for (const child of n.children) walk(child);
      if (block) flush();
    } else if (hasChildren(n)) for (const child of n.children) walk(child);
  };
  walk(node);
  flush();
  return out;
}

/**
 * Automatic main-content extraction for any article page (Chinese government and news sites): title from
 * article meta, a heading that matches `<title>`, or the first `<title>` segment; publish time from article meta or
 * the first date after the title; body from the densest paragraph container with page furniture removed.
 * Pure: takes HTML (already decoded) or a loaded document.
 */
export function extractArticle(input: string | CheerioAPI, options: ExtractOptions): ExtractedArticle {
  const $ = typeof input === 'string' ? load(input) : input;
  const dateOptions = {
    timeZone: options.timeZone ?? 'Asia/Shanghai',
    ...(options.clock ? { clock: options.clock } : {}),
  };
  const root = $.root().get(0);
  if (!root) return { title: '', body: '' };
  const doc = indexDocument(root);
  const meta = doc.meta;
  const docTitle = clean(doc.title ? textOf(doc.title) : '');
  const title = chooseTitle(doc.headings, meta, docTitle);
  const siteName = chooseSiteName(meta, docTitle, title, options.url);
  let canonicalUrl: string | undefined;
  try {
    if (doc.canonicalHref) canonicalUrl = new URL(doc.canonicalHref, options.url).toString();
  } catch {
    canonicalUrl = undefined;
  }

  // Time elements are read before furniture removal (some sites keep the date in an "info" bar we drop), but only
  // when article meta has no time.
  const earlyMetaDate = firstMeta(meta, ['article:published_time', 'pubdate', 'publishdate', 'ptime']);
  let timeElement = '';
  if (!(earlyMetaDate && /\d{1,2}:\d{2}/.test(earlyMetaDate))) {
    if (doc.timeDatetime !== undefined) timeElement = doc.timeDatetime;
    else {
      for (const el of doc.dateLabelled) {
        const text = textOf(el);
        if (DATE_ONLY.test(text)) {
          timeElement = text;
          break;
        }
      }
    }
  }

  // Hidden blocks (link lists kept for scripts, folded menus) are not what a reader sees.
  for (const container of doc.containers) {
    if (hasChildren(container)) prune(container, (el) => DROP_TAGS.has(el.tagName) || isHidden(el));
  }
  const fullText = clean(doc.containers.map(textOf).join(''));
  const metaDate = firstMeta(meta, [
    'article:published_time',
    'pubdate',
    'publishdate',
    'publish_date',
    'publishtime',
    'ptime',
    'datepublished',
    'og:release_date',
    'dc.date.issued',
    'dc.date',
    'firstpublishedtime',
    'releasedate',
  ]);
  const nearTitle = findDateNearTitle(fullText, title);
  let publishedText: string | undefined;
  if (metaDate && /\d{1,2}:\d{2}/.test(metaDate)) publishedText = metaDate;
  else if (nearTitle && DATE_WITH_TIME.test(nearTitle)) publishedText = nearTitle;
  else publishedText = metaDate ?? nearTitle ?? (timeElement || undefined) ?? DATE_WITH_TIME.exec(fullText)?.[0];
  const publishedAt = parseDateText(publishedText, dateOptions);

  const metaAuthor = firstMeta(meta, ['contentsource', 'source', 'author', 'article:author', 'dc.creator']);
  const textAuthor = findSource(
    title
      ? fullText.slice(Math.max(0, fullText.indexOf(title)), Math.max(0, fullText.indexOf(title)) + 800)
      : fullText.slice(0, 2000),
  );
  const cleanMetaAuthor =
    metaAuthor && !/^\d+$/.test(metaAuthor)
      ? metaAuthor.replace(/^(来源|作者)[:：]\s*/, '').split(/\s+/)[0]
      : undefined;
  const author = textAuthor ?? cleanMetaAuthor;

  // Furniture: drop share bars, related lists, footers … unless the block is text-heavy (then it is content).
  const stats = new Map<Element, NodeStats>();
  for (const container of doc.containers) computeStats(container, stats);
  /** Furniture dropped, in document order: the last resort of a page that is all furniture (a portal home). */
  const furniture: Element[] = [];
  for (const container of doc.containers) {
    if (!hasChildren(container)) continue;
    prune(container, (el) => {
      const label = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
      if (!label.trim() || !FURNITURE.test(label)) return false;
      const s = stats.get(el);
      const len = s?.textLen ?? 0;
      const drop = len < 300 || (s?.linkLen ?? 0) / Math.max(1, len) > 0.4;
      if (drop) furniture.push(el);
      return drop;
    });
  }

  stats.clear();
  const rootNode = doc.containers[0];
  if (rootNode) computeStats(rootNode, stats);
  const contentRoot = findContentRoot(stats);
  const titleCore = clean(title);
  const keep = (l: string) =>
    l !== titleCore &&
    !(l.length < 80 && META_LINE.test(l)) &&
    !(l.length < 60 && DATE_WITH_TIME.test(l) && /来源|时间|发布/.test(l));
  let lines = (contentRoot ? renderText(contentRoot, stats) : []).filter(keep);
  // Never an empty body while the page has readable text: fall back to the whole page's text, blocks as lines
  // (link lists still left out), then to every line of it. (Not <head>: its scripts are not pruned.)
  if (lines.length === 0 && rootNode && isTag(rootNode)) lines = renderText(rootNode, stats).filter(keep);
  if (lines.length === 0 && rootNode) lines = renderAll(rootNode).filter(keep);
  if (lines.length === 0) lines = furniture.flatMap(renderAll).filter(keep);
  return {
    title,
    ...(publishedAt ? { publishedAt } : {}),
    body: lines.join('\n'),
    ...(author ? { author } : {}),
    ...(siteName ? { siteName } : {}),
    ...(canonicalUrl ? { canonicalUrl } : {}),
  };
}
