// Presets for message boards (留言板, 问政 / 12345), WeChat official-account articles, RSSHub routes and
// government site templates.
//
// Government templates are `html` sources whose selectors follow each CMS family's own markup, so they hold on
// every site built with it; whatever a selector misses, automatic extraction fills in:
// - TRS WCM (人社部 mohrss.gov.cn, many provincial and city 人社 portals): articles at `…/YYYYMM/tYYYYMMDD_NNN.html`,
//   text in `.TRS_Editor` (人社部: `#insMainConTxt`), list paging written by a `createPageHTML()` script (so only the
//   first list page is read: a crawl every 30 minutes sees every new article there).
// - Hanweb 大汉 and the provincial 集约化 platforms built on it: articles at `/art/YYYY/M/D/art_COL_ID.html`, text in
//   `#zoom`.
// - 集约化平台 (政府网站集约化, e.g. 广东): articles at `/content/post_NNN.html`.
// 人社部 answers unknown clients with a JavaScript challenge now and then (a `__tst_status` cookie): the crawl then
// ends CRAWL_BLOCKED `JS_CHALLENGE` with that reason instead of reading the challenge as an article.
import { NonRetryableError } from '@yuqing/core';
import type { SourcePreset, SourcePresetParam } from '../source-presets.ts';
import type { SourceDefinitionInput } from '../source-config.ts';

/** 人社部 site root. */
const MOHRSS = 'https://www.mohrss.gov.cn';

/** Detail links of a TRS WCM list: `./202411/t20241120_530001.html`. */
export const TRS_ITEM_LINKS = 'a[href*="/t20"][href$=".html"], a[href^="t20"][href$=".html"]';
/** Detail links of a Hanweb (大汉) list: `/art/2024/11/20/art_1229_5678.html`. */
export const HANWEB_ITEM_LINKS = 'a[href*="/art/"][href$=".html"]';
/** Detail links of a 集约化平台 list: `/gkmlpt/content/5/5678/post_5678.html`, `/content/post_5678.html`. */
export const JIYUE_ITEM_LINKS = 'a[href*="/post_"][href$=".html"]';

/** Requests per second a government site gets from one crawl: far below what a person clicking through does. */
const GOV_REQUESTS_PER_SECOND = 1;
/** Requests per second to mp.weixin.qq.com: WeChat answers bursts with a captcha. */
const WECHAT_REQUESTS_PER_SECOND = 0.5;

const baseUrlParam: SourcePresetParam = {
  key: 'baseUrl',
  label: 'RSSHub 实例地址',
  required: false,
  help: '本单位自建 RSSHub 的地址；不填时信源可保存，但抓取会提示先配置地址',
  example: 'http://127.0.0.1:1200',
};
const accessKeyParam: SourcePresetParam = {
  key: 'accessKey',
  label: 'RSSHub 访问密钥',
  required: false,
  help: '实例设置了 ACCESS_KEY 时填写',
  secret: true,
};

/** An `rsshub` source for one route; the URL is the feed on the instance (or the route alone until one is set). */
function rsshubSource(
  name: string,
  route: string,
  params: Readonly<Record<string, string>>,
  region?: string,
): SourceDefinitionInput {
  const baseUrl = params['baseUrl'];
  const base = baseUrl ?? 'http://rsshub.invalid';
  let url: string;
  try {
    url = new URL(`${new URL(base).pathname.replace(/\/+$/, '')}${route}`, new URL(base).origin).toString();
  } catch {
    throw new NonRetryableError('PRESET_PARAM_INVALID', `baseUrl must be an http(s) URL such as http://127.0.0.1:1200`);
  }
  return {
    kind: 'rsshub',
    name,
    url,
    // RSSHub's robots.txt disallows everything by default: meant for search engines, not for the instance's owner.
    respectRobots: false,
    ...(region ? { region } : {}),
    config: {
      route,
      ...(baseUrl ? { baseUrl } : {}),
      ...(params['accessKey'] ? { accessKey: params['accessKey'] } : {}),
    },
  };
}

/** A route segment from a user parameter: path characters escaped, so a parameter cannot add path parts. */
function segment(value: string): string {
  return encodeURIComponent(value);
}

/** An `html` source over a government CMS list page. */
function govListSource(
  name: string,
  listUrl: string,
  itemLinks: string,
  body: string | undefined,
  region: string | undefined,
): SourceDefinitionInput {
  return {
    kind: 'html',
    name,
    url: listUrl,
    ...(region ? { region } : {}),
    config: {
      list: { itemLinks, maxPages: 1 },
      ...(body ? { detail: { body } } : {}),
      limits: { requestsPerSecond: GOV_REQUESTS_PER_SECOND, concurrency: 2 },
    },
  };
}

const listUrlParam = (example: string): SourcePresetParam => ({
  key: 'listUrl',
  label: '栏目列表页地址',
  required: true,
  help: '网站上某个栏目（工作动态、政策解读、通知公告…）的列表页地址',
  example,
});
const regionParam: SourcePresetParam = {
  key: 'region',
  label: '地域',
  required: false,
  help: '该网站所属地域，用于地域统计',
  example: '杭州市',
};

const MOHRSS_COLUMNS = [
  { value: 'buneiyaowen', label: '人社新闻（部内要闻）', path: '/SYrlzyhshbzb/dongtaixinwen/buneiyaowen/' },
  { value: 'dfdt', label: '地方动态', path: '/SYrlzyhshbzb/dongtaixinwen/dfdt/' },
  { value: 'zcjd', label: '政策解读', path: '/SYrlzyhshbzb/zcjd/' },
] as const;

const RSSHUB_GOV_ROUTES = [
  { value: '/gov/zhengce/zuixin', label: '中国政府网 最新政策' },
  { value: '/gov/zhengce/jiedu', label: '中国政府网 政策解读' },
  { value: '/gov/mohrss/sbjm', label: '人社部 社保减免 要点新闻' },
  { value: '/gov/mohrss/sbjm/zcwj', label: '人社部 社保减免 政策文件' },
] as const;

/** Board, WeChat, RSSHub and government-site presets. */
export const BOARD_PRESETS: readonly SourcePreset[] = [
  {
    name: 'rsshub-route',
    label: 'RSSHub 任意路由',
    description: '通过本单位自建的 RSSHub 抓取任意路由（见 docs.rsshub.app），每条订阅条目为一条信息',
    params: [
      {
        key: 'route',
        label: '路由',
        required: true,
        help: 'RSSHub 文档中的路由路径，参数已填好',
        example: '/weibo/user/1935396210',
      },
      baseUrlParam,
      accessKeyParam,
      regionParam,
    ],
    build: (p) => {
      const route = p['route']!.startsWith('/') ? p['route']! : `/${p['route']!}`;
      return rsshubSource(`RSSHub ${route}`, route, p, p['region']);
    },
  },
  {
    name: 'rsshub-gov',
    label: 'RSSHub 政府网站新闻',
    description: '中国政府网最新政策、政策解读，人社部社保减免专栏（经 RSSHub）',
    params: [
      {
        key: 'route',
        label: '栏目',
        required: true,
        choices: RSSHUB_GOV_ROUTES.map(({ value, label }) => ({ value, label })),
      },
      baseUrlParam,
      accessKeyParam,
    ],
    build: (p) => {
      const route = RSSHUB_GOV_ROUTES.find((r) => r.value === p['route'])!;
      return rsshubSource(route.label, route.value, p);
    },
  },
  {
    name: 'rsshub-weibo-user',
    label: '微博用户（RSSHub）',
    description: '某个微博账号（如本地政务微博）的最新微博，经 RSSHub /weibo/user/:uid',
    params: [
      {
        key: 'uid',
        label: '微博用户 ID',
        required: true,
        help: '用户主页地址 weibo.com/u/ 后的数字',
        example: '1935396210',
      },
      baseUrlParam,
      accessKeyParam,
      regionParam,
    ],
    build: (p) => rsshubSource(`微博 ${p['uid']!}`, `/weibo/user/${segment(p['uid']!)}`, p, p['region']),
  },
  {
    name: 'rsshub-zhihu-topic',
    label: '知乎话题（RSSHub）',
    description: '知乎某个话题下的最新讨论，经 RSSHub /zhihu/topic/:topicId',
    params: [
      {
        key: 'topicId',
        label: '话题 ID',
        required: true,
        help: '话题页地址 zhihu.com/topic/ 后的数字',
        example: '19551147',
      },
      baseUrlParam,
      accessKeyParam,
    ],
    build: (p) => rsshubSource(`知乎话题 ${p['topicId']!}`, `/zhihu/topic/${segment(p['topicId']!)}`, p),
  },
  {
    name: 'rsshub-bilibili-user',
    label: 'B站 UP 主视频（RSSHub）',
    description: 'B站某个 UP 主的最新投稿，经 RSSHub /bilibili/user/video/:uid',
    params: [
      {
        key: 'uid',
        label: 'UP 主 ID',
        required: true,
        help: '空间地址 space.bilibili.com/ 后的数字',
        example: '297572288',
      },
      baseUrlParam,
      accessKeyParam,
    ],
    build: (p) => rsshubSource(`B站 ${p['uid']!}`, `/bilibili/user/video/${segment(p['uid']!)}`, p),
  },
  {
    name: 'rsshub-douyin-user',
    label: '抖音用户（RSSHub）',
    description: '某个抖音账号的最新作品，经 RSSHub /douyin/user/:uid（实例需配置浏览器）',
    params: [
      {
        key: 'uid',
        label: '抖音用户 ID',
        required: true,
        help: '用户主页地址 douyin.com/user/ 后的一串字符',
        example: 'MS4wLjABAAAARcAHmmF9mAG3JEixq_CdP72APhBlGlLVbN-1eBcPqao',
      },
      baseUrlParam,
      accessKeyParam,
    ],
    build: (p) => rsshubSource(`抖音 ${p['uid']!}`, `/douyin/user/${segment(p['uid']!)}`, p),
  },
  {
    name: 'wechat-mp-feed',
    label: '微信公众号（订阅源）',
    description:
      '公众号文章：填写 RSS 桥接服务为该公众号生成的订阅地址（RSSHub /wechat/…、wechat2rss、WeRSS 等），系统逐篇打开 mp.weixin.qq.com 原文抓取正文、发布时间和公众号名称',
    params: [
      {
        key: 'feedUrl',
        label: '订阅地址',
        required: true,
        help: '桥接服务给出的 RSS 地址',
        example: 'https://wechat2rss.xlab.app/feed/51e92aad2728acdd1fda7314be32b16639353001.xml',
      },
      regionParam,
    ],
    build: (p) => ({
      kind: 'wechat_mp',
      name: `公众号 ${new URL(p['feedUrl']!).pathname.split('/').pop() ?? ''}`.trim(),
      url: p['feedUrl']!,
      ...(p['region'] ? { region: p['region'] } : {}),
      config: { fetchArticles: true, limits: { requestsPerSecond: WECHAT_REQUESTS_PER_SECOND, concurrency: 1 } },
    }),
  },
  {
    name: 'wechat-mp-rsshub',
    label: '微信公众号（RSSHub wechat2rss 路由）',
    description: '公众号文章，经自建 RSSHub 的 /wechat/wechat2rss/:id 路由，逐篇打开原文抓取',
    params: [
      {
        key: 'id',
        label: 'wechat2rss 公众号 ID',
        required: true,
        help: 'wechat2rss 列表中该公众号订阅地址 /feed/ 后的一串字符（不含 .xml）',
        example: '51e92aad2728acdd1fda7314be32b16639353001',
      },
      baseUrlParam,
      accessKeyParam,
    ],
    build: (p) => {
      if (!p['baseUrl'])
        throw new NonRetryableError(
          'PRESET_PARAM_MISSING',
          'preset wechat-mp-rsshub needs --param baseUrl=… (本单位 RSSHub 地址，如 http://127.0.0.1:1200)',
        );
      const feed = rsshubSource('', `/wechat/wechat2rss/${segment(p['id']!)}`, p);
      const url = new URL(feed.url);
      if (p['accessKey']) url.searchParams.set('key', p['accessKey']);
      return {
        kind: 'wechat_mp',
        name: `公众号 ${p['id']!}`,
        url: url.toString(),
        respectRobots: false,
        config: { fetchArticles: true, limits: { requestsPerSecond: WECHAT_REQUESTS_PER_SECOND, concurrency: 1 } },
      };
    },
  },
  {
    name: 'mohrss',
    label: '人社部网站栏目',
    description: '人力资源和社会保障部网站（mohrss.gov.cn）的人社新闻、地方动态、政策解读栏目',
    params: [
      {
        key: 'column',
        label: '栏目',
        required: true,
        choices: MOHRSS_COLUMNS.map(({ value, label }) => ({ value, label })),
      },
    ],
    build: (p) => {
      const column = MOHRSS_COLUMNS.find((c) => c.value === p['column'])!;
      return govListSource(
        `人社部 ${column.label}`,
        `${MOHRSS}${column.path}`,
        TRS_ITEM_LINKS,
        '#insMainConTxt, .TRS_Editor',
        undefined,
      );
    },
  },
  {
    name: 'gov-trs',
    label: '政府网站栏目（TRS WCM）',
    description: '用 TRS WCM 建站的人社厅（局）网站栏目：文章地址形如 …/202411/t20241120_123456.html',
    params: [listUrlParam('https://rsj.example.gov.cn/xxgk/gzdt/'), regionParam],
    build: (p) => govListSource(`TRS ${p['listUrl']!}`, p['listUrl']!, TRS_ITEM_LINKS, '.TRS_Editor', p['region']),
  },
  {
    name: 'gov-hanweb',
    label: '政府网站栏目（大汉 Hanweb）',
    description: '用大汉（Hanweb）建站的人社厅（局）网站栏目：文章地址形如 /art/2024/11/20/art_1229_5678.html',
    params: [listUrlParam('https://rlsbt.example.gov.cn/col/col1229/index.html'), regionParam],
    build: (p) => govListSource(`大汉 ${p['listUrl']!}`, p['listUrl']!, HANWEB_ITEM_LINKS, '#zoom', p['region']),
  },
  {
    name: 'gov-jiyue',
    label: '政府网站栏目（集约化平台）',
    description: '省级政府网站集约化平台上的人社栏目：文章地址形如 /content/post_1234567.html；正文自动识别',
    params: [listUrlParam('https://hrss.example.gov.cn/zwgk/gzdt/'), regionParam],
    build: (p) => govListSource(`集约化 ${p['listUrl']!}`, p['listUrl']!, JIYUE_ITEM_LINKS, undefined, p['region']),
  },
];
