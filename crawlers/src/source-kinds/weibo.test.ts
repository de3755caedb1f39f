// The 微博 source kind's parsing on real recorded m.weibo.cn responses (test/fixtures/platforms/weibo, see its
// README), with only the clock fixed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import {
  parseWeiboCount,
  parseWeiboTime,
  weiboCardPosts,
  weiboHtmlToText,
  weiboIndexUrl,
  weiboMentions,
  weiboRefusal,
  weiboRegion,
  weiboWithLongText,
} from './weibo.ts';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/platforms/weibo');
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const tz = 'Asia/Shanghai';

describe('created_at in every form the API returns', () => {
  // 2024-12-05 10:00 in Shanghai.
  const clock = new ManualClock(new Date('2024-12-05T02:00:00Z'));
  it.each([
    ['刚刚', '2024-12-05T10:00:00+08:00'],
    ['5分钟前', '2024-12-05T09:55:00+08:00'],
    ['3小时前', '2024-12-05T07:00:00+08:00'],
    ['今天 09:05', '2024-12-05T09:05:00+08:00'],
    ['昨天 10:05', '2024-12-04T10:05:00+08:00'],
    ['12-03', '2024-12-03T00:00:00+08:00'],
    ['2024-12-03', '2024-12-03T00:00:00+08:00'],
    ['Tue Dec 03 10:05:00 +0800 2024', '2024-12-03T10:05:00+08:00'],
    ['Mon Dec 02 23:30:00 +0000 2024', '2024-12-03T07:30:00+08:00'],
  ])('%s', (text, iso) => {
    expect(parseWeiboTime(text, { timeZone: tz, clock })).toBe(iso);
  });
  it('a month-day later than today is last year', () => {
    expect(parseWeiboTime('12-25', { timeZone: tz, clock })).toBe('2023-12-25T00:00:00+08:00');
  });
});

describe('counts, region, text', () => {
  it('reads counts as numbers, digit strings, 万 and the 100万+ floor', () => {
    expect(parseWeiboCount(240492)).toBe(240492);
    expect(parseWeiboCount('240492')).toBe(240492);
    expect(parseWeiboCount('1.2万')).toBe(12000);
    expect(parseWeiboCount('100万+')).toBe(1_000_000);
    expect(parseWeiboCount('很多')).toBeUndefined();
  });
  it('region_name 发布于 湖南 is the region 湖南', () => {
    expect(weiboRegion('发布于 湖南')).toBe('湖南');
    expect(weiboRegion('')).toBeUndefined();
    expect(weiboRegion(undefined)).toBeUndefined();
  });
  it('turns post HTML into text: line breaks, emoticon alt text, entities', () => {
    expect(
      weiboHtmlToText('第一行<br />第二行 <span class="url-icon"><img alt=[doge] src="x.png"></span> &amp; 完'),
    ).toBe('第一行\n第二行 [doge] & 完');
  });
  it('builds the getIndex URLs of both modes', () => {
    const search = new URL(weiboIndexUrl('https://m.weibo.cn', { mode: 'search', keyword: '社保卡' }, 2));
    expect(search.pathname).toBe('/api/container/getIndex');
    expect(search.searchParams.get('containerid')).toBe('100103type=1&q=社保卡');
    expect(search.searchParams.get('page')).toBe('2');
    const user = new URL(weiboIndexUrl('https://m.weibo.cn', { mode: 'user', uid: '1669879400' }));
    expect(user.searchParams.get('containerid')).toBe('1076031669879400');
  });
  it('takes ok: -100 (login redirect) for a refusal and an ordinary answer for none', () => {
    expect(weiboRefusal({ ok: -100, url: 'https://passport.weibo.com/sso/signin' })).toMatch(/ok: -100/);
    expect(weiboRefusal(fixture('getindex-user-1669879400.json'))).toBeUndefined();
  });
});

describe('a recorded user timeline page', () => {
  const clock = new ManualClock(new Date('2019-06-15T04:00:00Z'));
  const posts = weiboCardPosts(fixture('getindex-user-1669879400.json'));
  const items = weiboMentions(posts, { timeZone: tz, clock });

  it('finds the 10 posts and the original of the one repost', () => {
    expect(posts).toHaveLength(10);
    expect(items).toHaveLength(11);
    expect(new Set(items.map((i) => i.mention.url)).size).toBe(11);
  });
  it('maps text, author, time and counts (including 100万+)', () => {
    const first = items.find((i) => i.mention.url.endsWith('/4383183661430868'))!.mention;
    expect(first.url).toBe('https://m.weibo.cn/detail/4383183661430868');
    expect(first.body.startsWith('搬完这块砖，就可以吃好吃的了')).toBe(true);
    expect(first.body).not.toMatch(/<[a-z]/i);
    expect(first.author).toBe('Dear-迪丽热巴');
    expect(first.publishedAt).toBe('2019-06-14T00:00:00+08:00');
    expect(first).toMatchObject({ reposts: 240492, comments: 95535, likes: 348872 });
    const floor = items.find((i) => i.mention.url.endsWith('/4379188905591760'))!.mention;
    expect(floor).toMatchObject({ reposts: 1_000_000, comments: 1_000_000, likes: 1049077 });
  });
  it('links the repost to its original as its parent, the original emitted first', () => {
    const i = items.findIndex((x) => x.mention.url.endsWith('/4383180406740606'));
    const repost = items[i]!.mention;
    expect(repost.parentUrl).toBe('https://m.weibo.cn/detail/4383031864995274');
    expect(items[i - 1]!.mention.url).toBe(repost.parentUrl);
    expect(items[i - 1]!.mention.parentUrl).toBeUndefined();
  });
  it('asks for no long text when no post is truncated', () => {
    expect(items.filter((i) => i.longTextId)).toEqual([]);
  });
});

describe('long text', () => {
  it('a repost whose original is truncated asks for the original by its id', () => {
    const show = fixture('statuses-show-HyZVegYAP.json') as { data: Parameters<typeof weiboMentions>[0][number] };
    const items = weiboMentions([show.data], { timeZone: tz });
    expect(items.map((i) => i.longTextId)).toEqual(['4383404751066167', undefined]);
    expect(items[0]!.mention.publishedAt).toBe('2019-06-15T11:16:35+08:00');
    expect(items[1]!.mention.parentUrl).toBe('https://m.weibo.cn/detail/4383404751066167');
  });
  it('the extend answer replaces the truncated text, line breaks kept', () => {
    const item = { url: 'https://m.weibo.cn/detail/4383487819465288', title: '', body: '截断…', likes: 5 };
    const full = weiboWithLongText(item, fixture('statuses-extend-4383487819465288.json'));
    expect(full.body).toContain('\nNature\n');
    expect(full.body).not.toContain('<br');
    expect(full.likes).toBe(5);
    expect(full.body.length).toBeGreaterThan(500);
  });
});
