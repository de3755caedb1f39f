// The article's metadata: title, site name, publication date and source, from meta tags, headings and the text
// around the title.
import type { Element } from 'domhandler';
import { clean, hasAncestorOrSelf, hasDescendant, textOf } from './article-text.ts';

export const DATE_WITH_TIME =
  /\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?/;

export const DATE_ONLY = /\d{4}\s*[年\-/.]\s*\d{1,2}\s*[月\-/.]\s*\d{1,2}\s*日?/;

const TITLE_SEPARATORS = /\s*(?:--|——|—|–|_|\||｜|\s-\s|-)\s*/;

export function firstMeta(meta: Map<string, string>, keys: string[]): string | undefined {
  for (const k of keys) {
    const v = meta.get(k);
    if (v) return v;
  }
  return undefined;
}

export function titleSegments(docTitle: string): string[] {
  return docTitle.split(TITLE_SEPARATORS).map(clean).filter(Boolean);
}

export function chooseTitle(headings: Element[], meta: Map<string, string>, docTitle: string): string {
  const explicit = firstMeta(meta, ['articletitle', 'og:title', 'twitter:title']);
  if (explicit && explicit.length >= 2) return explicit;
  let best: { text: string; score: number } | undefined;
  headings.forEach((el, i) => {
    const text = clean(textOf(el));
    if (text.length < 4 || text.length > 120) return;
    const tag = el.tagName.toLowerCase();
    let score = 0;
    if (docTitle.includes(text)) score += 10 + text.length / 10;
    if (tag === 'h1') score += 3;
    else if (tag === 'h2') score += 1;
    if (/title|headline|biaoti|tit/i.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`)) score += 3;
    if (hasAncestorOrSelf(el, 'a') || hasDescendant(el, 'a')) score -= 4;
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

export function chooseSiteName(
  meta: Map<string, string>,
  docTitle: string,
  title: string,
  url: string,
): string | undefined {
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

export function findDateNearTitle(bodyText: string, title: string): string | undefined {
  const at = title ? bodyText.indexOf(title) : -1;
  const window = at >= 0 ? bodyText.slice(at + title.length, at + title.length + 600) : '';
  return DATE_WITH_TIME.exec(window)?.[0] ?? DATE_ONLY.exec(window)?.[0];
}

export function findSource(text: string): string | undefined {
  const author = /(?:作者|记者|文\s*\/|撰稿)[:：\s]\s*([\u4e00-\u9fa5A-Za-z·]{2,12})/.exec(text);
  if (author?.[1]) return author[1];
  const source = /(?:来源|稿源|出处|信息来源|文章来源)\s*[:：]\s*([^\s|｜，,。<>]{2,40})/.exec(text);
  // Adjacent spans run together in text(): cut at the next label (字号, 打印, 发布时间 …).
  if (source?.[1])
    return (
      source[1]
        .replace(/(发布|时间|日期|浏览|作者|字号|字体|打印|分享|编辑|责任|点击|阅读|【|\d{4}[-年]).*$/, '')
        .trim() || undefined
    );
  return undefined;
}
