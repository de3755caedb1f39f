// Source kind `wechat_mp`: a WeChat official account (公众号) read through an RSS bridge, because WeChat itself
// offers no feed and its account history needs a logged-in client.
//
// Endpoint: the source URL is the bridge's feed — an RSSHub route (`/wechat/wechat2rss/:id`, `/wechat/feeddd/:id`
// …), a wechat2rss feed (`https://wechat2rss.xlab.app/feed/<id>.xml`) or a self-hosted WeRSS / we-mp-rss feed
// (`http://host:8001/feed/<mp_id>.xml`). Each new entry's mp.weixin.qq.com article is fetched and read with
// {@link extractWechatArticle} (bridges often carry only a summary); `fetchArticles: false` keeps the feed's text.
// Headers: none beyond the crawler's own User-Agent; article pages need no cookie. Politeness: the host throttle's
// default per host (8 requests/s, 4 at once) applies to the bridge and to mp.weixin.qq.com alike; a preset lowers
// mp.weixin.qq.com traffic by reading only new entries. A block: WeChat answers bursts with a "环境异常 / 完成验证后即可
// 继续访问" captcha page (the engine's block detection reports CRAWL_BLOCKED `CAPTCHA`); a bridge refusing us answers
// 403/429 (CRAWL_BLOCKED `HTTP_403` / `HTTP_429`). A deleted article is `WECHAT_ARTICLE_GONE` for that entry only.
import type { SourceDefinition } from '@yuqing/domain';
import { extractWechatArticle } from '../wechat-article.ts';
import { articleMention, loadHtml } from './html-page.ts';
import { unseenFeedItems } from './rss.ts';
import type { CrawlTask, SourceKindCrawler } from './source-kind.ts';

type WechatMpSource = Extract<SourceDefinition, { kind: 'wechat_mp' }>;

/** The bridge feed, then one detail page per new article (unless `fetchArticles` is off). */
export const wechatMpKind: SourceKindCrawler<WechatMpSource> = {
  initialTasks: (source) => [{ url: source.url, label: 'feed', pageIndex: 0 }],
  pages: {
    feed: async (ctx) => {
      const { feed, unseen } = await unseenFeedItems(ctx, ctx.source.config.maxItems);
      if (ctx.source.config.fetchArticles) {
        const details: CrawlTask[] = unseen.map((i) => ({ url: i.url, label: 'detail', pageIndex: 0 }));
        await ctx.enqueue(details);
        return;
      }
      for (const i of unseen)
        ctx.emit(
          {
            url: i.url,
            title: i.title,
            body: i.body,
            ...(i.publishedAt ? { publishedAt: i.publishedAt } : {}),
            ...(feed.title ? { author: i.author ?? feed.title, siteName: feed.title } : {}),
            rawEncoding: ctx.decoded.encoding,
          },
          i.canonical,
        );
    },
    detail: async (ctx) => {
      // Parsed once behind the parser guards; the extractor also reads the raw HTML for the script variables.
      const extracted = extractWechatArticle(ctx.decoded.text, { url: ctx.page.url, ...ctx.dates }, loadHtml(ctx));
      const { item, seenUrl } = articleMention(ctx, extracted);
      ctx.emit(item, seenUrl);
    },
  },
};
