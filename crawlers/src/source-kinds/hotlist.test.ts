// The hot-list adapters on real recorded responses (test/fixtures/platforms/hotlist, see its README): two polls an
// hour apart per platform.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseSourceDefinition } from '@yuqing/domain';
import {
  baiduHotList,
  douyinHotList,
  hotListMentions,
  hotListUrl,
  parseHeat,
  toutiaoHotList,
  weiboHotList,
  zhihuHotList,
} from './hotlist.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/platforms/hotlist');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('heat figures', () => {
  it.each([
    [1542565, 1542565],
    ['4910669', 4910669],
    ['剧集 1542565', 1542565],
    ['1560 万热度', 15_600_000],
    ['1.2亿', 120_000_000],
    ['', undefined],
    ['搜索上升', undefined],
    [undefined, undefined],
  ])('%s → %s', (value, heat) => {
    expect(parseHeat(value)).toBe(heat);
  });
});

describe('微博热搜 (m.weibo.cn container API)', () => {
  const first = weiboHotList.entries(fixture('weibo-realtimehot-2025-04-01T2132.json'));
  const second = weiboHotList.entries(fixture('weibo-realtimehot-2025-04-01T2222.json'));
  it('reads the 50 ranked entries, leaving out the pinned one and the advertised one', () => {
    expect(first.map((e) => e.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(second).toHaveLength(50);
    expect(first.some((e) => e.title === '习近平同印度总统互致贺电')).toBe(false);
    expect(second.some((e) => e.title === '与机器人同居的一天')).toBe(false);
  });
  it('maps title, heat (with and without a category prefix) and a stable search link', () => {
    expect(first[0]).toEqual({
      key: '真姐夫',
      title: '真姐夫',
      url: `https://s.weibo.com/weibo?q=${encodeURIComponent('#真姐夫#')}`,
      rank: 1,
      heat: 1542565,
    });
    expect(first[1]).toMatchObject({ title: '缅甸两女孩废墟里教科书式自救成功', rank: 2, heat: 626481 });
  });
  it('sees an entry move between the two polls', () => {
    expect(second.find((e) => e.key === '真姐夫')?.rank).toBe(4);
    expect(second.find((e) => e.key === '吴宣仪三公分数')?.rank).toBe(1);
  });
  it('takes ok: -100 and a missing list for refusals', () => {
    expect(weiboHotList.refusal({ ok: -100, url: 'https://passport.weibo.com/sso/signin' })).toMatch(/ok: -100/);
    expect(weiboHotList.refusal({ ok: 0, msg: '这里还没有内容' })).toMatch(/ok: 0/);
    expect(weiboHotList.refusal(fixture('weibo-realtimehot-2025-04-01T2132.json'))).toBeUndefined();
  });
});

describe('知乎热榜 (hot-lists/total)', () => {
  const first = zhihuHotList.entries(fixture('zhihu-hot-lists-total-2025-05-06T1812.json'));
  const second = zhihuHotList.entries(fixture('zhihu-hot-lists-total-2025-05-06T1910.json'));
  it('reads the 30 entries in order with the question link as key, 万热度 as heat and the excerpt', () => {
    expect(first).toHaveLength(30);
    expect(first[0]).toMatchObject({
      key: 'https://www.zhihu.com/question/1902702974792364470',
      url: 'https://www.zhihu.com/question/1902702974792364470',
      title: '贵州游船侧翻事故中，另一船人全员获救，船长的哪些操作很关键？',
      rank: 1,
      heat: 15_600_000,
    });
    expect(first[0]!.summary).toMatch(/^5 月 4 日 16 时 40 分许/);
    expect(second[0]).toMatchObject({ rank: 1, heat: 18_540_000 });
  });
  it('takes an error object for a refusal', () => {
    expect(zhihuHotList.refusal({ error: { code: 10003, message: '请求参数异常，请升级客户端后重试' } })).toMatch(
      /10003/,
    );
    expect(zhihuHotList.refusal(fixture('zhihu-hot-lists-total-2025-05-06T1812.json'))).toBeUndefined();
  });
});

describe('百度热搜 (top.baidu.com/api/board)', () => {
  const first = baiduHotList.entries(fixture('baidu-board-realtime-2026-03-16T0632.json'));
  it('reads the 50 entries by their index, leaving out the pinned topContent', () => {
    expect(first.map((e) => e.rank)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(first[0]).toMatchObject({
      key: '315晚会',
      url: 'https://www.baidu.com/s?wd=315%E6%99%9A%E4%BC%9A',
      rank: 1,
      heat: 7808104,
    });
    expect(first.some((e) => e.title === '《推动海洋经济高质量发展》')).toBe(false);
  });
  it('takes success: false for a refusal', () => {
    expect(baiduHotList.refusal({ success: false, error: { code: 1 } })).toMatch(/success: false/);
    expect(baiduHotList.refusal(fixture('baidu-board-realtime-2026-03-16T0632.json'))).toBeUndefined();
  });
});

describe('抖音热点 (aweme/v1/hot/search/list)', () => {
  // Trimmed recording: the pinned topic and positions 1–10 of 50 (see the fixtures README).
  const json = fixture('douyin-hot-search-2021-01-12T0523.json');
  const entries = douyinHotList.entries(json);
  it('reads the ranked entries by position, leaving out the pinned topic', () => {
    expect(entries.map((e) => e.rank)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(entries.some((e) => e.title.startsWith('专题'))).toBe(false);
    expect(entries[2]).toEqual({
      key: '212653',
      title: '记者走访广州上下九天价水果档',
      url: `https://www.douyin.com/search/${encodeURIComponent('记者走访广州上下九天价水果档')}`,
      rank: 3,
      heat: 7002764,
    });
  });
  it('takes a status_code other than 0, or no word_list, for a refusal', () => {
    expect(douyinHotList.refusal(json)).toBeUndefined();
    expect(douyinHotList.refusal({ status_code: 2154, status_msg: '' })).toMatch(/status_code: 2154/);
    expect(douyinHotList.refusal({ status_code: 0, data: {} })).toMatch(/word_list/);
  });
});

describe('今日头条热榜 (hot-event/hot-board)', () => {
  // Trimmed recording: the first 3 of 50 entries and the pinned fixed_top_data (see the fixtures README).
  const json = fixture('toutiao-hot-board-2026-10-06T0626.json');
  const entries = toutiaoHotList.entries(json);
  it('reads data[] in rank order, leaving out the pinned fixed_top_data, with links without tracking', () => {
    expect(entries).toEqual([
      {
        key: '7693052468208992297',
        title: '中方10分钟收网缅北四大家族重要成员',
        url: 'https://www.toutiao.com/trending/7693052468208992297/',
        rank: 1,
        heat: 35172382,
      },
      {
        key: '7693062547020398628',
        title: '金价大跌后国庆上海金店排长队',
        url: 'https://www.toutiao.com/trending/7693062547020398628/',
        rank: 2,
        heat: 31825287,
      },
      {
        key: '7693074676242759689',
        title: '假期过半，在照片中看见活力中国',
        url: 'https://www.toutiao.com/article/7693112334583087659',
        rank: 3,
        heat: 28796711,
      },
    ]);
  });
  it('takes a status other than success for a refusal', () => {
    expect(toutiaoHotList.refusal(json)).toBeUndefined();
    expect(toutiaoHotList.refusal({ status: 'error', message: 'fail' })).toMatch(/status: error/);
    expect(toutiaoHotList.refusal({ status: 'success' })).toMatch(/no data/);
  });
});

describe('entries as raw mentions', () => {
  it('carries platform, rank, heat and the poll time, the summary as body', () => {
    const entries = zhihuHotList.entries(fixture('zhihu-hot-lists-total-2025-05-06T1812.json')).slice(0, 1);
    const [mention] = hotListMentions('zhihu', entries, '2025-05-06T10:12:00.000Z');
    expect(mention).toMatchObject({
      url: 'https://www.zhihu.com/question/1902702974792364470',
      siteName: '知乎热榜',
      hotList: {
        platform: 'zhihu',
        entryKey: 'https://www.zhihu.com/question/1902702974792364470',
        rank: 1,
        heat: 15_600_000,
        observedAt: '2025-05-06T10:12:00.000Z',
      },
    });
    expect(mention!.body.length).toBeGreaterThan(100);
  });
  it('asks each platform at its endpoint under the source origin', () => {
    const source = parseSourceDefinition({
      kind: 'hotlist',
      url: 'http://127.0.0.1:9/x',
      config: { platform: 'baidu' },
    });
    if (source.kind !== 'hotlist') throw new Error('a hotlist source');
    expect(hotListUrl(source)).toBe('http://127.0.0.1:9/api/board?platform=web&tab=realtime');
  });
});
