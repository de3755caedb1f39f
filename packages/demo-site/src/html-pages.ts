// HTML for people (and for the crawlers' list → detail configuration). Pages carry the furniture real government
// and forum sites have — navigation, breadcrumbs, share bar, related articles, footer, forum replies — so article
// extraction has something to leave out. Pure functions: content in, markup out.
import { CITY } from './content/city.ts';
import type { BoardMessageView, ForumPost, NewsArticle } from './content-items.ts';
import { formatChineseDateTime, formatDate, formatDateTime } from './time-format.ts';

const SITE_NAME = `${CITY}人力资源和社会保障局`;
const FORUM_NAME = '江澜论坛·民生杂谈';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{margin:0;font:15px/1.7 "PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f4f5f7}
header,nav,main,footer{max-width:980px;margin:0 auto;padding:0 16px}header{background:#b71c1c;color:#fff;padding:18px 16px;font-size:22px}
nav ul{list-style:none;margin:0;padding:0;display:flex;gap:18px;background:#fff;border-bottom:2px solid #b71c1c}nav a{display:block;padding:10px 4px;color:#333;text-decoration:none}
main{background:#fff;padding:16px;display:flex;gap:24px}.primary{flex:1;min-width:0}aside{width:260px;font-size:14px}
ul.news-list,ul.board-list{list-style:none;padding:0}ul.news-list li,ul.board-list li{display:flex;justify-content:space-between;gap:12px;border-bottom:1px dashed #ddd;padding:6px 0}
.date,.meta,.status{color:#888;font-size:13px}.meta span{margin-right:16px}.share-bar a{margin:0 6px}.article-body p{text-indent:2em}
.official-reply{background:#fff8e1;padding:12px;border-left:4px solid #f9a825}.pager a{margin-right:12px}footer{color:#777;font-size:13px;padding:16px}`;

interface Layout {
  title: string;
  /** `utf-8` or `gbk`: written into `<meta charset>`. */
  charset: 'utf-8' | 'gbk';
  primary: string;
  aside?: string;
  forum?: boolean;
}

function layout({ title, charset, primary, aside, forum }: Layout): string {
  const brand = forum ? FORUM_NAME : SITE_NAME;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="${charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} - ${escapeHtml(brand)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="site-header"><span class="logo">${escapeHtml(brand)}</span></header>
<nav class="site-nav"><ul>
<li><a href="/">首页</a></li><li><a href="/news/">新闻动态</a></li><li><a href="/board/">政民互动</a></li><li><a href="/gbk/">江澜论坛</a></li><li><a href="/rss.xml">RSS订阅</a></li>
</ul></nav>
<main>
<div class="primary">
${primary}
</div>
${aside ? `<aside class="sidebar">\n${aside}\n</aside>` : ''}
</main>
<footer class="site-footer">
<p>主办单位：${escapeHtml(SITE_NAME)}　地址：${CITY}云溪区澜湖东路88号　人社服务热线：12333</p>
<p>网站标识码：DEMO000001　本站是舆情监测系统内置的演示站点，所有单位、地点、人物和事件均为虚构。</p>
</footer>
</body>
</html>
`;
}

function breadcrumb(...trail: [label: string, href?: string][]): string {
  const parts = trail.map(([label, href]) => (href ? `<a href="${href}">${escapeHtml(label)}</a>` : escapeHtml(label)));
  return `<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; ${parts.join(' &gt; ')}</div>`;
}

function pager(basePath: string, page: number, pageCount: number): string {
  const links = [`<span class="page-info">第${page}页 / 共${pageCount}页</span>`];
  if (page > 1)
    links.push(
      `<a class="first" href="${basePath}">首页</a>`,
      `<a class="prev" href="${basePath}?page=${page - 1}">上一页</a>`,
    );
  if (page < pageCount)
    links.push(
      `<a class="next" href="${basePath}?page=${page + 1}">下一页</a>`,
      `<a class="last" href="${basePath}?page=${pageCount}">尾页</a>`,
    );
  return `<div class="pager">${links.join(' ')}</div>`;
}

/** One list entry in the markup the contract fixes: `<li><a href>title</a><span class="date">`. */
function listItem(href: string, title: string, at: Date): string {
  return `<li><a href="${href}">${escapeHtml(title)}</a><span class="date">${formatDate(at)}</span></li>`;
}

function linkList(className: string, items: { href: string; title: string }[]): string {
  return `<ul class="${className}">${items.map((i) => `<li><a href="${i.href}">${escapeHtml(i.title)}</a></li>`).join('')}</ul>`;
}

export function renderHome(input: { news: NewsArticle[]; board: BoardMessageView[] }): string {
  const primary = `<h2 class="section-title">欢迎访问${escapeHtml(SITE_NAME)}</h2>
<section class="home-news"><h3><a href="/news/">新闻动态</a></h3>
${linkList(
  'home-news-list',
  input.news.map((a) => ({ href: `/news/${a.id}.html`, title: a.title })),
)}
</section>
<section class="home-board"><h3><a href="/board/">政民互动</a></h3>
${linkList(
  'home-board-list',
  input.board.map((v) => ({ href: `/board/${v.message.id}`, title: v.message.title })),
)}
</section>
<p class="more">更多：<a href="/gbk/">江澜论坛（GBK 编码）</a>　<a href="/rss.xml">RSS 订阅</a>　<a href="/api/board/messages?page=1">留言 JSON 接口</a></p>`;
  return layout({ title: '首页', charset: 'utf-8', primary });
}

export function renderNewsList(input: {
  items: NewsArticle[];
  page: number;
  pageCount: number;
  hot: NewsArticle[];
}): string {
  const primary = `${breadcrumb(['新闻动态'])}
<h2 class="section-title">新闻动态</h2>
<ul class="news-list">
${input.items.map((a) => listItem(`/news/${a.id}.html`, a.title, a.publishedAt)).join('\n')}
</ul>
${pager('/news/', input.page, input.pageCount)}`;
  const aside = `<h2>热点关注</h2>\n${linkList(
    'hot-list',
    input.hot.map((a) => ({ href: `/news/${a.id}.html`, title: a.title })),
  )}`;
  return layout({
    title: input.page > 1 ? `新闻动态 第${input.page}页` : '新闻动态',
    charset: 'utf-8',
    primary,
    aside,
  });
}

export function renderNewsArticle(input: {
  article: NewsArticle;
  previous?: NewsArticle;
  next?: NewsArticle;
  related: NewsArticle[];
}): string {
  const { article } = input;
  const body = article.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
  const primary = `${breadcrumb(['新闻动态', '/news/'], ['正文'])}
<article class="article">
<h1 class="title">${escapeHtml(article.title)}</h1>
<div class="meta"><span class="pubtime">${formatChineseDateTime(article.publishedAt)}</span><span class="author">来源：${escapeHtml(article.source)}</span><span class="font-size">字号：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></span><a class="print" href="#">打印本页</a></div>
<div class="share-bar">分享到：<a class="share-wechat" href="#">微信</a><a class="share-weibo" href="#">微博</a><a class="share-qzone" href="#">QQ空间</a><a class="share-copy" href="#">复制链接</a></div>
<div class="article-body">
${body}
</div>
<p class="editor">责任编辑：${escapeHtml(article.editor)}</p>
<div class="article-nav">${input.previous ? `<a class="prev-article" href="/news/${input.previous.id}.html">上一篇：${escapeHtml(input.previous.title)}</a>` : ''}${input.next ? ` <a class="next-article" href="/news/${input.next.id}.html">下一篇：${escapeHtml(input.next.title)}</a>` : ''}</div>
</article>`;
  const aside = `<div class="related"><h2>相关文章</h2>\n${linkList(
    'related-list',
    input.related.map((a) => ({ href: `/news/${a.id}.html`, title: a.title })),
  )}</div>`;
  return layout({ title: article.title, charset: 'utf-8', primary, aside });
}

export function renderBoardList(input: { items: BoardMessageView[]; page: number; pageCount: number }): string {
  const items = input.items.map(
    (v) =>
      `<li><a href="/board/${v.message.id}">${escapeHtml(v.message.title)}</a><span class="status">${v.reply ? '已回复' : '办理中'}</span><span class="likes">赞 ${v.likes}</span><span class="date">${formatDate(v.message.postedAt)}</span></li>`,
  );
  const primary = `${breadcrumb(['政民互动'])}
<h2 class="section-title">政民互动 · 网民留言</h2>
<p class="board-intro">留言数据也可通过 <a href="/api/board/messages?page=${input.page}">JSON 接口</a> 获取。</p>
<ul class="board-list">
${items.join('\n')}
</ul>
${pager('/board/', input.page, input.pageCount)}`;
  return layout({ title: input.page > 1 ? `政民互动 第${input.page}页` : '政民互动', charset: 'utf-8', primary });
}

export function renderBoardMessage(view: BoardMessageView): string {
  const { message, reply } = view;
  const replyHtml = reply
    ? `<section class="official-reply"><h2>官方回复</h2><p class="department">答复单位：${escapeHtml(reply.department)}</p><p class="reply-time">答复时间：${formatDateTime(reply.repliedAt)}</p><div class="reply-body"><p>${escapeHtml(reply.content)}</p></div></section>`
    : '<section class="official-reply pending"><h2>官方回复</h2><p>该留言正在办理中，请耐心等待。</p></section>';
  const primary = `${breadcrumb(['政民互动', '/board/'], ['留言详情'])}
<article class="message">
<h1 class="title">${escapeHtml(message.title)}</h1>
<div class="meta"><span class="author">留言人：${escapeHtml(message.user)}</span><span class="pubtime">${formatChineseDateTime(message.postedAt)}</span><span class="likes">点赞 ${view.likes}</span><span class="comments">评论 ${view.comments}</span></div>
<div class="article-body message-body"><p>${escapeHtml(message.content)}</p></div>
</article>
${replyHtml}`;
  return layout({ title: message.title, charset: 'utf-8', primary });
}

export function renderForumList(input: { items: ForumPost[]; page: number; pageCount: number }): string {
  const primary = `${breadcrumb(['江澜论坛', '/gbk/'], ['民生杂谈'])}
<h2 class="section-title">民生杂谈</h2>
<ul class="news-list">
${input.items.map((p) => listItem(`/gbk/${p.id}.html`, p.title, p.publishedAt)).join('\n')}
</ul>
${pager('/gbk/', input.page, input.pageCount)}`;
  const aside = '<h2>版规</h2><p>文明发言，理性讨论。涉及个人隐私的内容将被删除。</p>';
  return layout({
    title: input.page > 1 ? `民生杂谈 第${input.page}页` : '民生杂谈',
    charset: 'gbk',
    primary,
    aside,
    forum: true,
  });
}

export function renderForumPost(post: ForumPost): string {
  const comments = post.comments
    .map(
      (c, i) =>
        `<li class="comment"><span class="floor">${i + 2}楼</span> <span class="nick">${escapeHtml(c.author)}</span>：${escapeHtml(c.text)}</li>`,
    )
    .join('\n');
  const primary = `${breadcrumb(['江澜论坛', '/gbk/'], ['帖子'])}
<article class="article">
<h1 class="title">${escapeHtml(post.title)}</h1>
<div class="meta"><span class="pubtime">${formatChineseDateTime(post.publishedAt)}</span><span class="author">作者：${escapeHtml(post.author)}</span></div>
<div class="article-body">
${post.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</div>
</article>
<section class="replies"><h2>网友回复</h2><ul class="reply-list">
${comments}
</ul></section>`;
  return layout({ title: post.title, charset: 'gbk', primary, forum: true });
}

export function renderNotFound(path: string): string {
  return layout({
    title: '页面不存在',
    charset: 'utf-8',
    primary: `<h1 class="title">404 页面不存在</h1><p>您访问的地址 ${escapeHtml(path)} 不存在或已被删除。</p><p><a href="/">返回首页</a></p>`,
  });
}

export function renderPrivate(): string {
  return layout({
    title: '内部资料',
    charset: 'utf-8',
    primary: '<h1 class="title">内部资料</h1><p>本栏目仅供内部使用，robots.txt 已禁止抓取。</p>',
  });
}
