// Reading a WeChat official-account article (mp.weixin.qq.com/s/…). The page is rendered by scripts: the visible
// publish time (#publish_time) is filled in by JavaScript and a saved page often says only "昨天" or "前天", so the
// time, title and account come from the variables the page declares for its own scripts (`var ct = "…"`,
// `var msg_title = "…"`, `var nickname = "…"`), the DOM (#activity-name, #js_name, #js_content) second.
import type { CheerioAPI } from 'cheerio';
import { load } from 'cheerio';
import { YuqingError, type Clock } from '@yuqing/core';
import type { ExtractedArticle } from './article-extract.ts';
import { extractArticle } from './article-extract.ts';
import { formatInZone } from './date-parse.ts';
import { blockText } from './source-kinds/html.ts';

/** Host of WeChat article pages. */
export const WECHAT_ARTICLE_HOST = 'mp.weixin.qq.com';

/**
 * Notices WeChat serves in place of an article that is gone (deleted by its author, removed for a violation, or a
 * complaint). The article will not come back: not a block, not worth a retry.
 */
const GONE_NOTICE =
  /该内容已被发布者删除|此内容因违规无法查看|此内容被多人投诉|该公众号已迁移|内容已被删除|此内容发送失败无法查看/;

/** Most characters of a page searched for the script variables (they sit in the first inline scripts). */
const MAX_SCRIPT_SCAN_CHARS = 2_000_000;

/** Unix seconds before 2012 (WeChat official accounts began then) or after 2100 are not a publish time. */
const MIN_PLAUSIBLE_UNIX_S = 1_325_376_000;
const MAX_PLAUSIBLE_UNIX_S = 4_102_444_800;

/**
 * A JavaScript string literal's content as the page meant it: `\xNN` / `\uNNNN` escapes and HTML entities
 * (`\x26amp;` is how the page writes `&amp;`) decoded.
 */
function decodeJsString(raw: string): string {
  const unescaped = raw
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
    .replace(/\\(["'\\/])/g, '$1');
  return /&[#\w]+;/.test(unescaped) ? load(`<p>${unescaped}</p>`)('p').text() : unescaped;
}

/**
 * The value of `var name = "…"` (also `name: '…'`, `htmlDecode("…")` and `JsDecode('…')` wrappers) in the page's
 * scripts, decoded; undefined when absent or empty.
 */
export function wechatScriptVar(html: string, name: string): string | undefined {
  const text = html.length > MAX_SCRIPT_SCAN_CHARS ? html.slice(0, MAX_SCRIPT_SCAN_CHARS) : html;
  const pattern = new RegExp(
    `(?:var\\s+|window\\.|[{,\\s])${name}\\s*[=:]\\s*(?:\\w+\\(\\s*)?(["'])((?:\\\\.|(?!\\1)[^\\\\\\n])*)\\1`,
  );
  const match = pattern.exec(text);
  const value = match?.[2] !== undefined ? decodeJsString(match[2]).trim() : '';
  return value || undefined;
}

/** The publish time from `var ct` / `create_time` (Unix seconds), ISO 8601 in the bureau's zone. */
function scriptPublishTime(html: string, timeZone: string): string | undefined {
  for (const name of ['ct', 'create_time', 'publish_time']) {
    const value = wechatScriptVar(html, name);
    if (!value || !/^\d{10}$/.test(value)) continue;
    const seconds = Number(value);
    if (seconds < MIN_PLAUSIBLE_UNIX_S || seconds > MAX_PLAUSIBLE_UNIX_S) continue;
    return formatInZone(new Date(seconds * 1000), timeZone);
  }
  return undefined;
}

/** Options for {@link extractWechatArticle}. */
export interface WechatExtractOptions {
  url: string;
  timeZone: string;
  clock?: Clock;
}

/**
 * Title, text, publish time and account of a WeChat article page. `author` is the article's named author
 * (#js_author_name) or else the account; `siteName` is the account (公众号). Automatic extraction fills what the
 * page's own markers leave empty (a page WeChat reshaped). `parsed` is the page already parsed from `html`. Throws `WECHAT_ARTICLE_GONE` (not retryable) for the
 * notice WeChat shows instead of a deleted or removed article.
 */
export function extractWechatArticle(
  html: string,
  options: WechatExtractOptions,
  parsed?: CheerioAPI,
): ExtractedArticle {
  const $: CheerioAPI = parsed ?? load(html);
  const account = $('#js_name').first().text().replace(/\s+/g, ' ').trim() || wechatScriptVar(html, 'nickname');
  const title =
    wechatScriptVar(html, 'msg_title') ??
    ($('meta[property="og:title"]').attr('content')?.trim() || $('#activity-name').first().text().trim());
  const body = blockText($, '#js_content');
  if (!body) {
    const notice = $('.weui-msg, .global_error_msg, body').first().text().replace(/\s+/g, '');
    if (GONE_NOTICE.test(notice))
      throw new YuqingError('WECHAT_ARTICLE_GONE', `the WeChat article is gone: ${options.url}`, { retryable: false });
  }
  const publishedAt = scriptPublishTime(html, options.timeZone);
  const named = $('#js_author_name').first().text().trim() || $('meta[name="author"]').attr('content')?.trim();
  if (title && body) {
    return {
      title,
      body,
      ...(publishedAt ? { publishedAt } : {}),
      ...(named || account ? { author: named || account } : {}),
      ...(account ? { siteName: account } : {}),
    };
  }
  const auto = extractArticle($, {
    url: options.url,
    timeZone: options.timeZone,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    ...auto,
    title: title || auto.title,
    body: body || auto.body,
    ...(publishedAt ? { publishedAt } : {}),
    ...(named || account ? { author: named || account } : {}),
    ...(account ? { siteName: account } : {}),
  };
}
