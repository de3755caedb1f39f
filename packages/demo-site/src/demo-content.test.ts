import { describe, expect, it } from 'vitest';
import { FORUM_POST_COUNT, INITIAL_BOARD_COUNT, INITIAL_NEWS_COUNT } from './content-schedule.ts';
import { DemoContent } from './demo-content.ts';
import { encodeGbkHtml } from './gbk.ts';
import { formatChineseDateTime, formatDate, formatDateTime, formatRfc822 } from './time-format.ts';

const START = Date.parse('2026-11-27T01:30:00Z'); // 09:30 in Shanghai
const INTERVAL_MS = 60_000;
const content = () => new DemoContent({ anchorMs: START, intervalMs: INTERVAL_MS, seed: 7 });
const at = (ticks: number) => new Date(START + ticks * INTERVAL_MS);

describe('time formats (Asia/Shanghai)', () => {
  it('formats the same instant the way each page shows it', () => {
    const instant = new Date('2026-11-27T01:30:05Z');
    expect(formatDate(instant)).toBe('2026-11-27');
    expect(formatDateTime(instant)).toBe('2026-11-27 09:30:05');
    expect(formatChineseDateTime(instant)).toBe('2026年11月27日 09:30');
    expect(formatRfc822(instant)).toBe('Fri, 27 Nov 2026 09:30:05 +0800');
    // Just before midnight UTC is already the next day in Shanghai.
    expect(formatDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });
});

describe('DemoContent', () => {
  it('starts with 40 news, 60 board messages and 30 forum posts, and grows one news + one message per interval', () => {
    const c = content();
    expect(c.newsCountAt(at(0))).toBe(INITIAL_NEWS_COUNT);
    expect(c.boardCountAt(at(0))).toBe(INITIAL_BOARD_COUNT);
    expect(c.forumCount()).toBe(FORUM_POST_COUNT);
    expect(c.newsCountAt(new Date(START + INTERVAL_MS - 1))).toBe(40);
    expect(c.newsCountAt(at(1))).toBe(41);
    expect(c.boardCountAt(at(25))).toBe(85);
    // A clock set before the start shows the initial site, not a negative count.
    expect(c.newsCountAt(new Date(START - 3_600_000))).toBe(40);
  });

  it('fills every template slot and keeps ids unique, times ordered', () => {
    const c = content();
    const texts: string[] = [];
    const ids = new Set<string>();
    let previous = -Infinity;
    for (let s = 1; s <= 300; s += 1) {
      const a = c.news(s);
      texts.push(a.title, ...a.paragraphs, a.source, a.editor);
      ids.add(a.id);
      expect(a.publishedAt.getTime()).toBeGreaterThan(previous);
      previous = a.publishedAt.getTime();
    }
    previous = -Infinity;
    for (let s = 1; s <= 300; s += 1) {
      const m = c.board(s);
      texts.push(m.title, m.content, m.user, m.reply?.content ?? '', m.reply?.department ?? '');
      ids.add(m.id);
      expect(m.postedAt.getTime()).toBeGreaterThan(previous);
      previous = m.postedAt.getTime();
      if (m.reply) expect(m.reply.repliedAt.getTime()).toBeGreaterThan(m.postedAt.getTime());
    }
    for (let s = 1; s <= FORUM_POST_COUNT; s += 1) {
      const p = c.forum(s);
      texts.push(p.title, ...p.paragraphs, p.author, ...p.comments.map((x) => x.text));
      ids.add(`forum-${p.id}`);
    }
    expect(ids.size).toBe(300 + 300 + FORUM_POST_COUNT);
    for (const text of texts) expect(text).not.toMatch(/[{}[\]|]/);
    // Initial news are published in the daytime (07:00–23:59 Shanghai).
    for (let s = 1; s <= INITIAL_NEWS_COUNT; s += 1)
      expect(Number(formatDateTime(c.news(s).publishedAt).slice(11, 13))).toBeGreaterThanOrEqual(7);
  });

  it('mixes in about 20% off-topic items and does not repeat a story back to back', () => {
    const c = content();
    const news = Array.from({ length: 200 }, (_, i) => c.news(i + 1)).filter((a) => !a.repostOf && !a.hot);
    const board = Array.from({ length: 200 }, (_, i) => c.board(i + 1)).filter((m) => !m.repostOf && !m.hot);
    const share = (items: { onTopic: boolean }[]) => items.filter((x) => !x.onTopic).length / items.length;
    expect(share(news)).toBeGreaterThan(0.12);
    expect(share(news)).toBeLessThan(0.3);
    expect(share(board)).toBeGreaterThan(0.12);
    expect(share(board)).toBeLessThan(0.3);
    // Any page-full of original articles tells ten different stories, also across the deck's round boundaries.
    for (let i = 0; i + 10 <= news.length; i += 1) {
      const window = news.slice(i, i + 10).map((a) => a.title);
      expect(new Set(window).size, `articles ${news[i]!.id}…`).toBe(10);
    }
  });

  it('has reposts that repeat an earlier item word for word', () => {
    const c = content();
    const reposts = Array.from({ length: 120 }, (_, i) => c.board(i + 1)).filter((m) => m.repostOf);
    expect(reposts.length).toBeGreaterThanOrEqual(5);
    for (const repost of reposts) {
      const original = c.board(Number(repost.repostOf!.slice(1)) - 1000);
      expect(repost.content).toBe(original.content);
      expect(repost.title.endsWith(original.title.replace(/^(转：|【转】|转发：)/, ''))).toBe(true);
      expect(original.postedAt.getTime()).toBeLessThan(repost.postedAt.getTime());
    }
    const newsReposts = Array.from({ length: 80 }, (_, i) => c.news(i + 1)).filter((a) => a.repostOf);
    expect(newsReposts.length).toBeGreaterThanOrEqual(3);
    for (const repost of newsReposts) {
      const original = c.news(Number(repost.repostOf) - 1000);
      expect(repost.paragraphs).toEqual(original.paragraphs);
      expect(repost.title).toBe(original.title);
    }
    expect(
      Array.from({ length: FORUM_POST_COUNT }, (_, i) => c.forum(i + 1)).filter((p) => p.repostOf).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('grows one hot cluster over time with rising likes', () => {
    const c = content();
    const hotAt = (ticks: number) =>
      Array.from({ length: c.boardCountAt(at(ticks)) }, (_, i) => c.board(i + 1)).filter((m) => m.hot);
    const initial = hotAt(0);
    const later = hotAt(60);
    expect(initial.length).toBeGreaterThanOrEqual(2);
    expect(later.length).toBeGreaterThanOrEqual(initial.length + 15);
    for (const message of later) expect(`${message.title}${message.content}`).toContain('青禾速运');
    const first = initial[0]!;
    const likes = [0, 10, 60].map((t) => c.boardView(first.sequence, at(t)).likes);
    expect(likes[1]).toBeGreaterThan(likes[0]!);
    expect(likes[2]).toBeGreaterThan(likes[1]!);
    // Hot messages end up far more liked than ordinary ones.
    const ordinary = Array.from({ length: 60 }, (_, i) => c.boardView(i + 1, at(60))).filter((v) => !v.message.hot);
    expect(c.boardView(first.sequence, at(60)).likes).toBeGreaterThan(Math.max(...ordinary.map((v) => v.likes)));
    // The news side follows the story too.
    const hotNews = Array.from({ length: c.newsCountAt(at(60)) }, (_, i) => c.news(i + 1)).filter((a) => a.hot);
    expect(hotNews.length).toBeGreaterThanOrEqual(3);
  });

  it('shows about half of the initial messages answered and lets replies arrive later', () => {
    const c = content();
    const answered = Array.from({ length: INITIAL_BOARD_COUNT }, (_, i) => c.boardView(i + 1, at(0))).filter(
      (v) => v.reply,
    ).length;
    expect(answered).toBeGreaterThanOrEqual(20);
    expect(answered).toBeLessThanOrEqual(40);
    const pending = Array.from({ length: 100 }, (_, i) => c.board(INITIAL_BOARD_COUNT + i + 1)).find((m) => m.reply);
    expect(pending).toBeDefined();
    const repliedAt = pending!.reply!.repliedAt;
    expect(c.boardView(pending!.sequence, new Date(repliedAt.getTime() - 1)).reply).toBeNull();
    expect(c.boardView(pending!.sequence, repliedAt).reply?.content).toBe(pending!.reply!.content);
  });

  it('is deterministic per seed and differs across seeds', () => {
    const a = content();
    const b = content();
    const other = new DemoContent({ anchorMs: START, intervalMs: INTERVAL_MS, seed: 8 });
    const dump = (c: DemoContent) =>
      JSON.stringify([
        Array.from({ length: 50 }, (_, i) => c.news(i + 1)),
        Array.from({ length: 80 }, (_, i) => c.boardView(i + 1, at(20))),
      ]);
    expect(dump(a)).toBe(dump(b));
    expect(dump(other)).not.toBe(dump(a));
  });

  it('produces forum text GBK can hold without substitutions', () => {
    const c = content();
    for (let s = 1; s <= FORUM_POST_COUNT; s += 1) {
      const p = c.forum(s);
      const text = [p.title, ...p.paragraphs, p.author, ...p.comments.flatMap((x) => [x.author, x.text])].join('\n');
      expect(encodeGbkHtml(text).toString('latin1')).not.toContain('&#');
    }
    // A character outside GBK becomes a character reference instead of a lossy '?'.
    expect(encodeGbkHtml('社保😀').toString('latin1')).toContain('&#128512;');
  });
});
