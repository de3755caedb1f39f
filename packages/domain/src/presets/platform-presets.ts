// Presets for platform sources: 微博 (search, user timelines) and platform hot lists (热榜).
import { HOTLIST_PLATFORMS, type HotListPlatform } from '../source-config.ts';
import type { SourcePreset } from '../source-presets.ts';

/** Origin of 微博's public mobile JSON API; a source stores it as its URL so a mirror can stand in. */
export const WEIBO_MOBILE_ORIGIN = 'https://m.weibo.cn';

// 微博 answers an anonymous client with `ok: -100` (a login redirect) or HTTP 418 when it is asked too often: one
// request every 3 seconds to m.weibo.cn stays well below what scrapers report being cut off at.
const WEIBO_REQUESTS_PER_SECOND = 1 / 3;

const cookieParam = {
  key: 'cookie',
  label: '登录 Cookie（可选）',
  required: false,
  secret: true,
  help: '在浏览器登录 m.weibo.cn 后复制请求头中的 Cookie（含 SUB=…）；未登录时部分搜索会要求登录。',
} as const;

// A hot list changes by the minute, but a poll every 15 minutes sees every entry that stays long enough to matter
// (an entry lives hours on a list) and is one request per platform per quarter hour: nowhere near what gets a
// client cut off. Requests are spaced 5 s apart per host besides.
const HOTLIST_SCHEDULE = '*/15 * * * *';
const HOTLIST_REQUESTS_PER_SECOND = 1 / 5;

/**
 * 微博 keyword search and user timelines through m.weibo.cn/api/container/getIndex; platform hot lists (微博热搜,
 * 知乎热榜, 百度热搜) through their public JSON endpoints.
 */
export const PLATFORM_PRESETS: readonly SourcePreset[] = [
  {
    name: 'weibo-search',
    label: '微博关键词搜索',
    description: '按关键词读取微博实时搜索结果（m.weibo.cn 公开接口），含转发、评论、点赞数与发布地区。',
    params: [
      {
        key: 'keyword',
        label: '关键词',
        required: true,
        example: '社保卡',
        help: '与微博搜索框中输入的相同，例如 社保卡、欠薪。',
      },
      cookieParam,
    ],
    build: (params) => ({
      kind: 'weibo',
      name: `微博搜索：${params.keyword}`,
      url: WEIBO_MOBILE_ORIGIN,
      schedule: '*/30 * * * *',
      config: {
        mode: 'search',
        keyword: params.keyword,
        ...(params.cookie ? { cookie: params.cookie } : {}),
        limits: { requestsPerSecond: WEIBO_REQUESTS_PER_SECOND, concurrency: 1 },
      },
    }),
  },
  {
    name: 'weibo-user',
    label: '微博用户主页',
    description: '读取一个微博账号发布的微博（如人社局官方微博、本地媒体），转发的原微博一并采集并关联。',
    params: [
      {
        key: 'uid',
        label: '用户 UID',
        required: true,
        example: '1669879400',
        help: '打开该用户主页，地址 m.weibo.cn/u/ 后面的数字即 UID。',
      },
      cookieParam,
    ],
    build: (params) => ({
      kind: 'weibo',
      name: `微博用户：${params.uid}`,
      url: WEIBO_MOBILE_ORIGIN,
      schedule: '*/30 * * * *',
      config: {
        mode: 'user',
        uid: params.uid,
        ...(params.cookie ? { cookie: params.cookie } : {}),
        limits: { requestsPerSecond: WEIBO_REQUESTS_PER_SECOND, concurrency: 1 },
      },
    }),
  },
  {
    name: 'hotlist',
    label: '平台热榜',
    description:
      '定时读取平台热榜（微博热搜、知乎热榜、百度热搜、抖音热点、今日头条热榜），记录每个条目的排名与热度变化；只有监测方案或相关性模型判定与人社业务相关的条目才成为舆情信息，并带上平台、排名和热度。无需登录。',
    params: [
      {
        key: 'platform',
        label: '平台',
        required: true,
        example: 'weibo',
        help: '选择要跟踪的热榜。',
        choices: (Object.keys(HOTLIST_PLATFORMS) as HotListPlatform[]).map((value) => ({
          value,
          label: HOTLIST_PLATFORMS[value].label,
        })),
      },
    ],
    build: (params) => {
      const platform = params.platform as HotListPlatform;
      return {
        kind: 'hotlist',
        name: HOTLIST_PLATFORMS[platform].label,
        url: HOTLIST_PLATFORMS[platform].origin,
        schedule: HOTLIST_SCHEDULE,
        config: { platform, limits: { requestsPerSecond: HOTLIST_REQUESTS_PER_SECOND, concurrency: 1 } },
      };
    },
  },
];
