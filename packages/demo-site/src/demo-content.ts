// Pure content model of the demo site: which news articles, board messages and forum posts exist at a given instant,
// and what they say. Everything is a function of (seed, anchor, interval, sequence number, now), so two sites
// built with the same clock serve the same bytes, and a test can move the clock to make new posts appear.
import { BoundedCache } from './bounded-cache.ts';
import {
  EDITOR_GIVEN_NAMES,
  FORUM_CLOSERS,
  FORUM_REPLIES,
  FORUM_TAGS,
  REPOST_PREFIXES,
} from './content/forum-and-bylines.ts';
import { HOT_EVENT, HOT_FORUM_POST } from './content/hot-event.ts';
import {
  viewBoardMessage,
  type BoardMessage,
  type BoardMessageView,
  type ForumPost,
  type NewsArticle,
} from './content-items.ts';
import {
  FEATURED_NEWS_SEQUENCE,
  FORUM_POST_COUNT,
  FORUM_REPOSTS,
  HOT_FORUM_REPOST_SEQUENCE,
  HOT_FORUM_SEQUENCE,
  HOT_NEWS_TICKS,
  INITIAL_BOARD_COUNT,
  INITIAL_BOARD_REPOSTS,
  INITIAL_HOT_BOARD,
  INITIAL_NEWS_COUNT,
  INITIAL_NEWS_REPOSTS,
  MINUTE_MS,
  boardHotClusterIndex,
  hotBoardSequence,
  initialOffsets,
} from './content-schedule.ts';
import { createRandom, type Random } from './prng.ts';
import { CASE_ENTRIES, STORY_ENTRIES, StoryDecks, topicByKey } from './story-decks.ts';
import { fillTemplate, forumNick, makeVars, maskedUser } from './template-fill.ts';

/** Ordinary posts stop gaining likes after this many post intervals; the hot cluster keeps going much longer. */
const NORMAL_GROWTH_CAP_TICKS = 600;
const HOT_GROWTH_CAP_TICKS = 3_000;

const ID_OFFSET = 1_000;
const FORUM_ID_OFFSET = 5_000;

export interface DemoContentOptions {
  /** Instant the site started (ms since epoch); new items appear at anchor + k × interval. */
  anchorMs: number;
  intervalMs: number;
  seed: number;
}

/** All demo content; cheap to construct, items are generated on first use. */
export class DemoContent {
  readonly anchorMs: number;
  readonly intervalMs: number;
  readonly seed: number;
  private readonly anchorMinuteMs: number;
  private readonly newsOffsets: number[];
  private readonly boardOffsets: number[];
  private readonly forumOffsets: number[];
  private readonly newsCache = new BoundedCache<NewsArticle>();
  private readonly boardCache = new BoundedCache<BoardMessage>();
  private readonly forumCache = new BoundedCache<ForumPost>();
  private readonly decks: StoryDecks;

  constructor(options: DemoContentOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError(`postIntervalMs must be positive, got ${options.intervalMs}`);
    this.anchorMs = options.anchorMs;
    this.intervalMs = options.intervalMs;
    this.seed = options.seed;
    this.anchorMinuteMs = Math.floor(options.anchorMs / MINUTE_MS) * MINUTE_MS;
    this.newsOffsets = initialOffsets(this.seed, 'news-gap', INITIAL_NEWS_COUNT, 40, 200, this.anchorMinuteMs, true);
    this.boardOffsets = initialOffsets(this.seed, 'board-gap', INITIAL_BOARD_COUNT, 10, 90, this.anchorMinuteMs, false);
    this.forumOffsets = initialOffsets(this.seed, 'forum-gap', FORUM_POST_COUNT, 20, 300, this.anchorMinuteMs, false);
    this.decks = new StoryDecks(this.seed);
  }

  /** Post intervals elapsed since the start (new items so far). */
  ticksAt(now: Date): number {
    return Math.max(0, Math.floor((now.getTime() - this.anchorMs) / this.intervalMs));
  }

  newsCountAt(now: Date): number {
    return INITIAL_NEWS_COUNT + this.ticksAt(now);
  }

  boardCountAt(now: Date): number {
    return INITIAL_BOARD_COUNT + this.ticksAt(now);
  }

  forumCount(): number {
    return FORUM_POST_COUNT;
  }

  private timeOf(sequence: number, initialCount: number, offsets: number[]): Date {
    if (sequence <= initialCount) return new Date(this.anchorMinuteMs - (offsets[sequence] ?? 0) * MINUTE_MS);
    return new Date(this.anchorMs + (sequence - initialCount) * this.intervalMs);
  }

  // ------------------------------------------------------------------------------------------------ news

  static newsId(sequence: number): string {
    return String(ID_OFFSET + sequence);
  }

  /** Sequence number of a news id that exists at `now`, else undefined. */
  newsSequence(id: string, now: Date): number | undefined {
    return parseSequence(id, '', ID_OFFSET, this.newsCountAt(now));
  }

  news(sequence: number): NewsArticle {
    return this.newsCache.get(sequence, () => this.makeNews(sequence));
  }

  private makeNews(sequence: number): NewsArticle {
    const random = createRandom(this.seed, 'news', sequence);
    const publishedAt = this.timeOf(sequence, INITIAL_NEWS_COUNT, this.newsOffsets);
    const tick = sequence - INITIAL_NEWS_COUNT;
    const id = DemoContent.newsId(sequence);
    const vars = makeVars(random, publishedAt);
    const editor = `${vars.surname}${random.pick(EDITOR_GIVEN_NAMES)}`;

    const hotIndex = tick > 0 ? HOT_NEWS_TICKS.indexOf(tick) : -1;
    const hotStory = hotIndex >= 0 ? HOT_EVENT.stories[hotIndex] : undefined;
    if (hotStory) {
      return {
        sequence,
        id,
        publishedAt,
        editor,
        topic: HOT_EVENT.topicKey,
        onTopic: true,
        hot: true,
        title: random.pick(hotStory.titles),
        paragraphs: [...hotStory.paragraphs],
        source: random.pick(['江澜日报', '江澜新闻网', '云溪区融媒体中心']),
      };
    }

    const isRepost = sequence > 1 && (tick > 0 ? tick % 9 === 5 : INITIAL_NEWS_REPOSTS.has(sequence));
    if (isRepost) {
      const original = this.news(random.int(Math.max(1, sequence - 25), sequence - 1));
      const outlet = random.pick(['江澜新闻网', '江澜晚报', '澜江在线']);
      return {
        ...original,
        sequence,
        id,
        publishedAt,
        editor,
        paragraphs: [...original.paragraphs],
        source: `${outlet}（转载自${original.source}）`,
        repostOf: original.repostOf ?? original.id,
      };
    }

    const entry =
      sequence === FEATURED_NEWS_SEQUENCE
        ? { topic: topicByKey('pension'), index: 0 }
        : this.decks.entry('news', STORY_ENTRIES, sequence);
    const { topic } = entry;
    const story = topic.stories[entry.index];
    if (!story) throw new Error(`demo topic ${topic.key} has no stories`);
    const paragraphs = [...story.paragraphs];
    // Drop one middle paragraph now and then so two articles from one story differ in shape, not only in numbers.
    if (paragraphs.length >= 4 && random.chance(0.4)) paragraphs.splice(random.int(1, paragraphs.length - 2), 1);
    if (random.chance(0.7)) paragraphs.push(random.pick(topic.closings));
    return {
      sequence,
      id,
      publishedAt,
      editor,
      topic: topic.key,
      onTopic: topic.onTopic,
      hot: false,
      title: fillTemplate(random.pick(story.titles), vars, random),
      paragraphs: paragraphs.map((p) => fillTemplate(p, vars, random)),
      source: fillTemplate(random.pick(topic.newsSources), vars, random),
    };
  }

  /** Sequences of up to `count` earlier articles, for the related-articles box (stable over time). */
  relatedNews(sequence: number, count: number): number[] {
    const random = createRandom(this.seed, 'related', sequence);
    const earlier = Array.from({ length: Math.min(30, sequence - 1) }, (_, i) => sequence - 1 - i);
    const pool =
      earlier.length >= count
        ? earlier
        : Array.from({ length: INITIAL_NEWS_COUNT }, (_, i) => i + 1).filter((s) => s !== sequence);
    return random.sample(pool, count);
  }

  // ------------------------------------------------------------------------------------------------ board

  static boardId(sequence: number): string {
    return `m${ID_OFFSET + sequence}`;
  }

  boardSequence(id: string, now: Date): number | undefined {
    return parseSequence(id, 'm', ID_OFFSET, this.boardCountAt(now));
  }

  /** Position of a board message in the hot cluster (0 = first), or undefined when it is not part of it. */
  hotClusterIndex(sequence: number): number | undefined {
    return boardHotClusterIndex(sequence);
  }

  board(sequence: number): BoardMessage {
    return this.boardCache.get(sequence, () => this.makeBoard(sequence));
  }

  private replyDelayMs(random: Random, postedAt: Date, sequence: number, minTicks: number, maxTicks: number): number {
    if (sequence > INITIAL_BOARD_COUNT) return random.int(minTicks, maxTicks) * this.intervalMs;
    // Older initial messages were answered before the site started (about half the initial set shows a reply);
    // the newest ones get theirs a few intervals after the start, so replies also arrive live.
    const ageMinutes = Math.floor((this.anchorMs - postedAt.getTime()) / MINUTE_MS);
    if (ageMinutes >= 60) return random.int(30, Math.min(2_880, ageMinutes - 10)) * MINUTE_MS;
    return this.anchorMs - postedAt.getTime() + random.int(minTicks, maxTicks) * this.intervalMs;
  }

  private makeBoard(sequence: number): BoardMessage {
    const random = createRandom(this.seed, 'board', sequence);
    const postedAt = this.timeOf(sequence, INITIAL_BOARD_COUNT, this.boardOffsets);
    const id = DemoContent.boardId(sequence);
    const user = maskedUser(random);
    const tick = sequence - INITIAL_BOARD_COUNT;

    const clusterIndex = this.hotClusterIndex(sequence);
    if (clusterIndex !== undefined) {
      const engagement = {
        baseLikes: 40 + 25 * clusterIndex,
        likesPerTick: 2 + 0.4 * clusterIndex,
        capTicks: HOT_GROWTH_CAP_TICKS,
        commentRatio: 0.3,
      };
      if (clusterIndex >= 3 && clusterIndex % 4 === 3) {
        // Reposts inside the cluster: the same complaint passed on, which the analysis should merge.
        const original = this.board(hotBoardSequence(clusterIndex - 1 - random.int(0, 2)));
        return {
          sequence,
          id,
          user,
          postedAt,
          engagement,
          topic: HOT_EVENT.topicKey,
          onTopic: true,
          hot: true,
          title: `${random.pick(REPOST_PREFIXES)}${original.title}`,
          content: original.content,
          repostOf: original.repostOf ?? original.id,
        };
      }
      const phase = clusterIndex < 4 ? HOT_EVENT.early : clusterIndex < 12 ? HOT_EVENT.middle : HOT_EVENT.late;
      const content = [
        random.pick(HOT_EVENT.openings),
        ...random.sample(phase, random.int(1, 2)),
        random.pick(HOT_EVENT.asks),
      ].join('');
      const replyIndex = clusterIndex < 4 ? 0 : clusterIndex < 12 ? 1 : 2;
      const reply =
        clusterIndex >= 1 && random.chance(0.6)
          ? {
              department: HOT_EVENT.department,
              content: HOT_EVENT.replies[replyIndex] as string,
              repliedAt: new Date(postedAt.getTime() + this.replyDelayMs(random, postedAt, sequence, 4, 15)),
            }
          : undefined;
      return {
        sequence,
        id,
        user,
        postedAt,
        engagement,
        content,
        topic: HOT_EVENT.topicKey,
        onTopic: true,
        hot: true,
        title: HOT_EVENT.titles[clusterIndex % HOT_EVENT.titles.length] as string,
        ...(reply ? { reply } : {}),
      };
    }

    const isRepost = sequence > 1 && (tick > 0 ? tick % 7 === 4 : INITIAL_BOARD_REPOSTS.has(sequence));
    if (isRepost) {
      const original = this.board(random.int(Math.max(1, sequence - 40), sequence - 1));
      return {
        sequence,
        id,
        user,
        postedAt,
        topic: original.topic,
        onTopic: original.onTopic,
        hot: original.hot,
        title: `${random.pick(REPOST_PREFIXES)}${original.title}`,
        content: original.content,
        repostOf: original.repostOf ?? original.id,
        engagement: {
          baseLikes: random.int(0, 6),
          likesPerTick: random.next() * 0.02,
          capTicks: NORMAL_GROWTH_CAP_TICKS,
          commentRatio: 0.1,
        },
      };
    }

    const { topic, index } = this.decks.entry('board', CASE_ENTRIES, sequence);
    const vars = makeVars(random, postedAt);
    const boardCase = topic.cases[index];
    if (!boardCase) throw new Error(`demo topic ${topic.key} has no case ${index}`);
    const content = `${fillTemplate(random.pick(boardCase.situations), vars, random)}${fillTemplate(random.pick(boardCase.asks), vars, random)}`;
    const reply = random.chance(0.5)
      ? {
          department: fillTemplate(topic.department, vars, random),
          content: fillTemplate(random.pick(boardCase.replies), vars, random),
          repliedAt: new Date(postedAt.getTime() + this.replyDelayMs(random, postedAt, sequence, 3, 30)),
        }
      : undefined;
    return {
      sequence,
      id,
      user,
      postedAt,
      content,
      topic: topic.key,
      onTopic: topic.onTopic,
      hot: false,
      title: fillTemplate(random.pick(boardCase.titles), vars, random),
      engagement: {
        baseLikes: random.int(0, 25),
        likesPerTick: random.next() * 0.05,
        capTicks: NORMAL_GROWTH_CAP_TICKS,
        commentRatio: 0.1 + random.next() * 0.2,
      },
      ...(reply ? { reply } : {}),
    };
  }

  /** The message as visitors see it at `now`. */
  boardView(sequence: number, now: Date): BoardMessageView {
    return viewBoardMessage(this.board(sequence), now, this.intervalMs);
  }

  // ------------------------------------------------------------------------------------------------ forum

  static forumId(sequence: number): string {
    return String(FORUM_ID_OFFSET + sequence);
  }

  forumSequence(id: string): number | undefined {
    return parseSequence(id, '', FORUM_ID_OFFSET, FORUM_POST_COUNT);
  }

  forum(sequence: number): ForumPost {
    return this.forumCache.get(sequence, () => this.makeForum(sequence));
  }

  private makeForum(sequence: number): ForumPost {
    const random = createRandom(this.seed, 'forum', sequence);
    const publishedAt = this.timeOf(sequence, FORUM_POST_COUNT, this.forumOffsets);
    const id = DemoContent.forumId(sequence);
    const author = forumNick(random);
    const comments = Array.from({ length: random.int(1, 4) }, () => ({
      author: forumNick(random),
      text: random.pick(FORUM_REPLIES),
    }));
    const base = { sequence, id, author, publishedAt, comments };

    if (sequence === HOT_FORUM_SEQUENCE) {
      return {
        ...base,
        title: HOT_FORUM_POST.title,
        paragraphs: [...HOT_FORUM_POST.paragraphs],
        topic: HOT_EVENT.topicKey,
        onTopic: true,
        hot: true,
      };
    }
    if (sequence === HOT_FORUM_REPOST_SEQUENCE || FORUM_REPOSTS.has(sequence)) {
      const reposted =
        sequence === HOT_FORUM_REPOST_SEQUENCE
          ? this.hotBoardBefore(publishedAt)
          : this.anyItemBefore(random, publishedAt);
      if (reposted) {
        return {
          ...base,
          title: `${random.pick(['转：', '【转】'])}${reposted.title}`,
          paragraphs: reposted.paragraphs,
          topic: reposted.topic,
          onTopic: reposted.onTopic,
          hot: reposted.hot,
          repostOf: reposted.id,
        };
      }
    }

    const { topic, index } = this.decks.entry('forum', CASE_ENTRIES, sequence);
    const vars = makeVars(random, publishedAt);
    const boardCase = topic.cases[index];
    if (!boardCase) throw new Error(`demo topic ${topic.key} has no case ${index}`);
    const paragraphs = [
      fillTemplate(random.pick(boardCase.situations), vars, random),
      `${fillTemplate(random.pick(boardCase.asks), vars, random)}${random.pick(FORUM_CLOSERS)}`,
    ];
    return {
      ...base,
      paragraphs,
      topic: topic.key,
      onTopic: topic.onTopic,
      hot: false,
      title: `${random.pick(FORUM_TAGS)}${fillTemplate(random.pick(boardCase.titles), vars, random)}`,
    };
  }

  private hotBoardBefore(at: Date): RepostSource | undefined {
    for (const sequence of [...INITIAL_HOT_BOARD].reverse()) {
      const message = this.board(sequence);
      if (message.postedAt < at)
        return {
          id: message.id,
          title: message.title,
          paragraphs: [message.content],
          topic: message.topic,
          onTopic: true,
          hot: true,
        };
    }
    return undefined;
  }

  /** A news article or board message from before `at`: forum users pass those on. */
  private anyItemBefore(random: Random, at: Date): RepostSource | undefined {
    if (random.chance(0.5)) {
      for (let s = INITIAL_NEWS_COUNT; s >= 1; s -= 1) {
        const article = this.news(s);
        if (article.publishedAt < at && !article.repostOf)
          return {
            id: article.id,
            title: article.title,
            paragraphs: article.paragraphs,
            topic: article.topic,
            onTopic: article.onTopic,
            hot: article.hot,
          };
      }
    }
    for (let s = INITIAL_BOARD_COUNT; s >= 1; s -= 1) {
      const message = this.board(s);
      if (message.postedAt < at && !message.repostOf)
        return {
          id: message.id,
          title: message.title,
          paragraphs: [message.content],
          topic: message.topic,
          onTopic: message.onTopic,
          hot: message.hot,
        };
    }
    return undefined;
  }
}

interface RepostSource {
  id: string;
  title: string;
  paragraphs: string[];
  topic: string;
  onTopic: boolean;
  hot: boolean;
}

/** `prefix` + decimal id → sequence in [1, max], or undefined (unknown ids are 404s, never guesses). */
function parseSequence(id: string, prefix: string, offset: number, max: number): number | undefined {
  if (!id.startsWith(prefix)) return undefined;
  const digits = id.slice(prefix.length);
  if (!/^[1-9]\d{0,9}$/.test(digits)) return undefined;
  const sequence = Number(digits) - offset;
  return sequence >= 1 && sequence <= max ? sequence : undefined;
}
