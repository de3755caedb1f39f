// Pure content model of the demo site: which news articles, board messages and forum posts exist at a given instant,
// and what they say. Everything is a function of (seed, anchor, interval, sequence number, now), so two sites
// built with the same clock serve the same bytes, and a test can move the clock to make new posts appear.
import { createRandom, type Random } from './prng.ts';
import { CITY, NUMBER_SLOTS, SLOT_LISTS } from './content/city.ts';
import { EDITOR_GIVEN_NAMES, FORUM_CLOSERS, FORUM_NICK_PARTS, FORUM_REPLIES, FORUM_TAGS, REPOST_PREFIXES } from './content/forum-and-bylines.ts';
import { HOT_EVENT, HOT_FORUM_POST } from './content/hot-event.ts';
import type { TopicTemplate } from './content/topic-template.ts';
import { TOPICS } from './content/topics.ts';
import { localTime } from './time-format.ts';

/** News articles that exist when the site starts. */
export const INITIAL_NEWS_COUNT = 40;
/** Board messages that exist when the site starts. */
export const INITIAL_BOARD_COUNT = 60;
/** GBK forum posts (the forum does not grow). */
export const FORUM_POST_COUNT = 30;
/** The news article the `article` demo source points at; always exists and is always on topic. */
export const FEATURED_NEWS_SEQUENCE = 12;

const MINUTE_MS = 60_000;
/** News are published between these local hours; the initial history skips the night. */
const NEWS_FIRST_HOUR = 7;
/** Cached items per kind; generation is cheap, the cache only spares repost chains and list pages. */
const MAX_CACHED_ITEMS = 5_000;
/** Ordinary posts stop gaining likes after this many post intervals; the hot cluster keeps going much longer. */
const NORMAL_GROWTH_CAP_TICKS = 600;
const HOT_GROWTH_CAP_TICKS = 3_000;

const ID_OFFSET = 1_000;
const FORUM_ID_OFFSET = 5_000;

/** Initial news that are reprints of an earlier article (same text, another outlet). */
const INITIAL_NEWS_REPOSTS = new Set([18, 33]);
/** Initial board messages that repeat an earlier message. */
const INITIAL_BOARD_REPOSTS = new Set([23, 41, 52]);
/** Initial board messages already about the hot event (it started a few hours before the site). */
const INITIAL_HOT_BOARD = [54, 58];
/** New-news ticks (1 = first article after start) that carry the hot event's follow-up reports, in story order. */
const HOT_NEWS_TICKS = [6, 20, 45];
/** For the first ticks the hot cluster gets every third board message, later every twelfth. */
const HOT_DENSE_UNTIL_TICK = 90;
/** Forum posts that repost a news article or board message published before them. */
const FORUM_REPOSTS = new Set([12, 19, 24]);
const HOT_FORUM_SEQUENCE = 27;
const HOT_FORUM_REPOST_SEQUENCE = 30;

export interface NewsArticle {
  sequence: number;
  id: string;
  title: string;
  paragraphs: string[];
  /** Outlet shown as 来源. */
  source: string;
  editor: string;
  publishedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
}

export interface OfficialReply {
  department: string;
  content: string;
  repliedAt: Date;
}

export interface BoardMessage {
  sequence: number;
  id: string;
  title: string;
  content: string;
  user: string;
  postedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
  /** The reply the message will get; shown only once `repliedAt` has passed. */
  reply?: OfficialReply;
  engagement: { baseLikes: number; likesPerTick: number; capTicks: number; commentRatio: number };
}

/** A board message as it looks at one instant: engagement counted, reply shown only once given. */
export interface BoardMessageView {
  message: BoardMessage;
  likes: number;
  comments: number;
  reply: OfficialReply | null;
}

export interface ForumPost {
  sequence: number;
  id: string;
  title: string;
  paragraphs: string[];
  author: string;
  publishedAt: Date;
  topic: string;
  onTopic: boolean;
  hot: boolean;
  repostOf?: string;
  /** Other users' replies under the post (page furniture the extractor must leave out). */
  comments: { author: string; text: string }[];
}

export interface DemoContentOptions {
  /** Instant the site started (ms since epoch); new items appear at anchor + k × interval. */
  anchorMs: number;
  intervalMs: number;
  seed: number;
}

type Vars = Record<string, string>;

/** Fills `[a|b]` alternatives, then `{slot}` values; a slot without a value is a template bug and throws. */
export function fillTemplate(template: string, vars: Vars, random: Random): string {
  return template
    .replace(/\[([^\]]+)\]/g, (_match, alternatives: string) => random.pick(alternatives.split('|')))
    .replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`demo template slot {${name}} has no value`);
      return value;
    });
}

function makeVars(random: Random, at: Date): Vars {
  const vars: Vars = { city: CITY };
  for (const [name, list] of Object.entries(SLOT_LISTS)) vars[name] = random.pick(list);
  for (const [name, [min, max]] of Object.entries(NUMBER_SLOTS)) vars[name] = String(random.int(min, max));
  const local = localTime(at);
  vars.year = String(local.year);
  // "Last month or so": the month an incident happened, before the month of posting.
  vars.month = String(((local.month - 1 - random.int(1, 3) + 12) % 12) + 1);
  return vars;
}

interface DeckEntry {
  topic: TopicTemplate;
  index: number;
}

/** Target share of background items (traffic, weather, sports, neighbourhood) among generated news and messages. */
const OFF_TOPIC_SHARE = 0.2;

/**
 * Every on-topic (topic, story) or (topic, case) pair once, plus enough background pairs for about 20%. Items walk
 * through a freshly shuffled deck per round, so a story does not come back before the others have had their turn.
 */
function offTopicCount(entries: readonly DeckEntry[]): number {
  const on = entries.filter((e) => e.topic.onTopic).length;
  return Math.min(entries.length - on, Math.round((on * OFF_TOPIC_SHARE) / (1 - OFF_TOPIC_SHARE)));
}

function deckSize(entries: readonly DeckEntry[]): number {
  return entries.filter((e) => e.topic.onTopic).length + offTopicCount(entries);
}

function buildDeck(random: Random, entries: readonly DeckEntry[]): DeckEntry[] {
  const on = entries.filter((e) => e.topic.onTopic);
  const off = entries.filter((e) => !e.topic.onTopic);
  const deck = [...on, ...random.sample(off, offTopicCount(entries))];
  return random.sample(deck, deck.length);
}

/** Positions at each end of a round kept apart from the neighbouring round's (no story twice within this span). */
const DECK_SEAM = 10;

const STORY_ENTRIES: readonly DeckEntry[] = TOPICS.flatMap((topic) => topic.stories.map((_, index) => ({ topic, index })));
const CASE_ENTRIES: readonly DeckEntry[] = TOPICS.flatMap((topic) => topic.cases.map((_, index) => ({ topic, index })));

function topicByKey(key: string): TopicTemplate {
  const topic = TOPICS.find((t) => t.key === key);
  if (!topic) throw new Error(`unknown demo topic ${key}`);
  return topic;
}

function maskedUser(random: Random): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz23456789';
  return `网友${random.pick([...letters])}${random.pick([...letters])}***`;
}

function forumNick(random: Random): string {
  return `${random.pick(FORUM_NICK_PARTS.first)}${random.pick(FORUM_NICK_PARTS.second)}${random.pick(FORUM_NICK_PARTS.suffix)}`;
}

/** Minutes before the (minute-aligned) anchor for each initial item: sequence 1 is the oldest. */
function initialOffsets(seed: number, stream: string, count: number, minGap: number, maxGap: number, anchorMinuteMs: number, daytimeOnly: boolean): number[] {
  const offsets = new Array<number>(count + 1).fill(0);
  let total = 0;
  for (let sequence = count; sequence >= 1; sequence -= 1) {
    // The newest initial item is recent, so the first page does not look stale.
    total += sequence === count ? createRandom(seed, stream, sequence).int(5, 40) : createRandom(seed, stream, sequence).int(minGap, maxGap);
    if (daytimeOnly) {
      // An editor publishing at 03:00 looks wrong: move such items back to the previous evening.
      const hour = localTime(new Date(anchorMinuteMs - total * MINUTE_MS)).hour;
      if (hour < NEWS_FIRST_HOUR) total += (hour + 1) * 60;
    }
    offsets[sequence] = total;
  }
  return offsets;
}

class BoundedCache<T> {
  private readonly map = new Map<number, T>();
  get(key: number, make: () => T): T {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.map.size >= MAX_CACHED_ITEMS) this.map.clear();
    this.map.set(key, value);
    return value;
  }
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
  private readonly decks = new Map<string, readonly DeckEntry[]>();

  constructor(options: DemoContentOptions) {
    if (!(options.intervalMs > 0)) throw new RangeError(`postIntervalMs must be positive, got ${options.intervalMs}`);
    this.anchorMs = options.anchorMs;
    this.intervalMs = options.intervalMs;
    this.seed = options.seed;
    this.anchorMinuteMs = Math.floor(options.anchorMs / MINUTE_MS) * MINUTE_MS;
    this.newsOffsets = initialOffsets(this.seed, 'news-gap', INITIAL_NEWS_COUNT, 40, 200, this.anchorMinuteMs, true);
    this.boardOffsets = initialOffsets(this.seed, 'board-gap', INITIAL_BOARD_COUNT, 10, 90, this.anchorMinuteMs, false);
    this.forumOffsets = initialOffsets(this.seed, 'forum-gap', FORUM_POST_COUNT, 20, 300, this.anchorMinuteMs, false);
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

  /** The deck entry for item `sequence` of `stream` (see {@link buildDeck}); every round's deck has the same length. */
  private deckEntry(stream: string, entries: readonly DeckEntry[], sequence: number): DeckEntry {
    const length = deckSize(entries);
    const round = Math.floor((sequence - 1) / length);
    const key = `${stream}:${round}`;
    let order = this.decks.get(key);
    if (!order) {
      if (this.decks.size >= MAX_CACHED_ITEMS) this.decks.clear();
      order = buildDeck(createRandom(this.seed, `${stream}-deck`, round), entries);
      if (round > 0) {
        // Across a round boundary the same story could follow itself: move the new round's opening entries that
        // ended the previous round into the middle. Tails are never touched, so the previous tail is the raw one.
        const previousTail = new Set(buildDeck(createRandom(this.seed, `${stream}-deck`, round - 1), entries).slice(-DECK_SEAM));
        const mutable = [...order];
        for (let i = 0; i < DECK_SEAM; i += 1) {
          if (!previousTail.has(mutable[i] as DeckEntry)) continue;
          for (let j = DECK_SEAM; j < mutable.length - DECK_SEAM; j += 1) {
            if (previousTail.has(mutable[j] as DeckEntry)) continue;
            [mutable[i], mutable[j]] = [mutable[j] as DeckEntry, mutable[i] as DeckEntry];
            break;
          }
        }
        order = mutable;
      }
      this.decks.set(key, order);
    }
    return order[(sequence - 1) % length] as DeckEntry;
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
        sequence, id, publishedAt, editor, topic: HOT_EVENT.topicKey, onTopic: true, hot: true,
        title: random.pick(hotStory.titles), paragraphs: [...hotStory.paragraphs], source: random.pick(['江澜日报', '江澜新闻网', '云溪区融媒体中心']),
      };
    }

    const isRepost = sequence > 1 && (tick > 0 ? tick % 9 === 5 : INITIAL_NEWS_REPOSTS.has(sequence));
    if (isRepost) {
      const original = this.news(random.int(Math.max(1, sequence - 25), sequence - 1));
      const outlet = random.pick(['江澜新闻网', '江澜晚报', '澜江在线']);
      return {
        ...original, sequence, id, publishedAt, editor, paragraphs: [...original.paragraphs],
        source: `${outlet}（转载自${original.source}）`, repostOf: original.repostOf ?? original.id,
      };
    }

    const entry = sequence === FEATURED_NEWS_SEQUENCE ? { topic: topicByKey('pension'), index: 0 } : this.deckEntry('news', STORY_ENTRIES, sequence);
    const { topic } = entry;
    const story = topic.stories[entry.index];
    if (!story) throw new Error(`demo topic ${topic.key} has no stories`);
    const paragraphs = [...story.paragraphs];
    // Drop one middle paragraph now and then so two articles from one story differ in shape, not only in numbers.
    if (paragraphs.length >= 4 && random.chance(0.4)) paragraphs.splice(random.int(1, paragraphs.length - 2), 1);
    if (random.chance(0.7)) paragraphs.push(random.pick(topic.closings));
    return {
      sequence, id, publishedAt, editor, topic: topic.key, onTopic: topic.onTopic, hot: false,
      title: fillTemplate(random.pick(story.titles), vars, random),
      paragraphs: paragraphs.map((p) => fillTemplate(p, vars, random)),
      source: fillTemplate(random.pick(topic.newsSources), vars, random),
    };
  }

  /** Sequences of up to `count` earlier articles, for the related-articles box (stable over time). */
  relatedNews(sequence: number, count: number): number[] {
    const random = createRandom(this.seed, 'related', sequence);
    const earlier = Array.from({ length: Math.min(30, sequence - 1) }, (_, i) => sequence - 1 - i);
    const pool = earlier.length >= count ? earlier : Array.from({ length: INITIAL_NEWS_COUNT }, (_, i) => i + 1).filter((s) => s !== sequence);
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
    const initial = INITIAL_HOT_BOARD.indexOf(sequence);
    if (initial >= 0) return initial;
    const tick = sequence - INITIAL_BOARD_COUNT;
    if (tick <= 0) return undefined;
    if (tick <= HOT_DENSE_UNTIL_TICK) return tick % 3 === 1 ? INITIAL_HOT_BOARD.length + (tick - 1) / 3 : undefined;
    const denseCount = Math.ceil(HOT_DENSE_UNTIL_TICK / 3);
    return tick % 12 === 1 ? INITIAL_HOT_BOARD.length + denseCount + Math.floor((tick - HOT_DENSE_UNTIL_TICK) / 12) : undefined;
  }

  /** Sequence of the hot message with the given cluster index (inverse of {@link hotClusterIndex}). */
  private hotSequence(clusterIndex: number): number {
    if (clusterIndex < INITIAL_HOT_BOARD.length) return INITIAL_HOT_BOARD[clusterIndex] as number;
    const denseCount = Math.ceil(HOT_DENSE_UNTIL_TICK / 3);
    const k = clusterIndex - INITIAL_HOT_BOARD.length;
    const tick = k < denseCount ? 1 + 3 * k : HOT_DENSE_UNTIL_TICK + 12 * (k - denseCount) + (12 - ((HOT_DENSE_UNTIL_TICK - 1) % 12));
    return INITIAL_BOARD_COUNT + tick;
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
      const engagement = { baseLikes: 40 + 25 * clusterIndex, likesPerTick: 2 + 0.4 * clusterIndex, capTicks: HOT_GROWTH_CAP_TICKS, commentRatio: 0.3 };
      if (clusterIndex >= 3 && clusterIndex % 4 === 3) {
        // Reposts inside the cluster: the same complaint passed on, which the analysis should merge.
        const original = this.board(this.hotSequence(clusterIndex - 1 - random.int(0, 2)));
        return {
          sequence, id, user, postedAt, engagement, topic: HOT_EVENT.topicKey, onTopic: true, hot: true,
          title: `${random.pick(REPOST_PREFIXES)}${original.title}`, content: original.content, repostOf: original.repostOf ?? original.id,
        };
      }
      const phase = clusterIndex < 4 ? HOT_EVENT.early : clusterIndex < 12 ? HOT_EVENT.middle : HOT_EVENT.late;
      const content = [random.pick(HOT_EVENT.openings), ...random.sample(phase, random.int(1, 2)), random.pick(HOT_EVENT.asks)].join('');
      const replyIndex = clusterIndex < 4 ? 0 : clusterIndex < 12 ? 1 : 2;
      const reply = clusterIndex >= 1 && random.chance(0.6)
        ? { department: HOT_EVENT.department, content: HOT_EVENT.replies[replyIndex] as string, repliedAt: new Date(postedAt.getTime() + this.replyDelayMs(random, postedAt, sequence, 4, 15)) }
        : undefined;
      return {
        sequence, id, user, postedAt, engagement, content, topic: HOT_EVENT.topicKey, onTopic: true, hot: true,
        title: HOT_EVENT.titles[clusterIndex % HOT_EVENT.titles.length] as string, ...(reply ? { reply } : {}),
      };
    }

    const isRepost = sequence > 1 && (tick > 0 ? tick % 7 === 4 : INITIAL_BOARD_REPOSTS.has(sequence));
    if (isRepost) {
      const original = this.board(random.int(Math.max(1, sequence - 40), sequence - 1));
      return {
        sequence, id, user, postedAt, topic: original.topic, onTopic: original.onTopic, hot: original.hot,
        title: `${random.pick(REPOST_PREFIXES)}${original.title}`, content: original.content, repostOf: original.repostOf ?? original.id,
        engagement: { baseLikes: random.int(0, 6), likesPerTick: random.next() * 0.02, capTicks: NORMAL_GROWTH_CAP_TICKS, commentRatio: 0.1 },
      };
    }

    const { topic, index } = this.deckEntry('board', CASE_ENTRIES, sequence);
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
      sequence, id, user, postedAt, content, topic: topic.key, onTopic: topic.onTopic, hot: false,
      title: fillTemplate(random.pick(boardCase.titles), vars, random),
      engagement: { baseLikes: random.int(0, 25), likesPerTick: random.next() * 0.05, capTicks: NORMAL_GROWTH_CAP_TICKS, commentRatio: 0.1 + random.next() * 0.2 },
      ...(reply ? { reply } : {}),
    };
  }

  /** The message as visitors see it at `now`. */
  boardView(sequence: number, now: Date): BoardMessageView {
    const message = this.board(sequence);
    const ageTicks = Math.max(0, (now.getTime() - message.postedAt.getTime()) / this.intervalMs);
    const { baseLikes, likesPerTick, capTicks, commentRatio } = message.engagement;
    const likes = baseLikes + Math.floor(likesPerTick * Math.min(ageTicks, capTicks));
    const reply = message.reply && message.reply.repliedAt.getTime() <= now.getTime() ? message.reply : null;
    return { message, likes, comments: Math.floor(likes * commentRatio), reply };
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
    const comments = Array.from({ length: random.int(1, 4) }, () => ({ author: forumNick(random), text: random.pick(FORUM_REPLIES) }));
    const base = { sequence, id, author, publishedAt, comments };

    if (sequence === HOT_FORUM_SEQUENCE) {
      return { ...base, title: HOT_FORUM_POST.title, paragraphs: [...HOT_FORUM_POST.paragraphs], topic: HOT_EVENT.topicKey, onTopic: true, hot: true };
    }
    if (sequence === HOT_FORUM_REPOST_SEQUENCE || FORUM_REPOSTS.has(sequence)) {
      const reposted = sequence === HOT_FORUM_REPOST_SEQUENCE ? this.hotBoardBefore(publishedAt) : this.anyItemBefore(random, publishedAt);
      if (reposted) {
        return {
          ...base, title: `${random.pick(['转：', '【转】'])}${reposted.title}`, paragraphs: reposted.paragraphs,
          topic: reposted.topic, onTopic: reposted.onTopic, hot: reposted.hot, repostOf: reposted.id,
        };
      }
    }

    const { topic, index } = this.deckEntry('forum', CASE_ENTRIES, sequence);
    const vars = makeVars(random, publishedAt);
    const boardCase = topic.cases[index];
    if (!boardCase) throw new Error(`demo topic ${topic.key} has no case ${index}`);
    const paragraphs = [
      fillTemplate(random.pick(boardCase.situations), vars, random),
      `${fillTemplate(random.pick(boardCase.asks), vars, random)}${random.pick(FORUM_CLOSERS)}`,
    ];
    return {
      ...base, paragraphs, topic: topic.key, onTopic: topic.onTopic, hot: false,
      title: `${random.pick(FORUM_TAGS)}${fillTemplate(random.pick(boardCase.titles), vars, random)}`,
    };
  }

  private hotBoardBefore(at: Date): RepostSource | undefined {
    for (const sequence of [...INITIAL_HOT_BOARD].reverse()) {
      const message = this.board(sequence);
      if (message.postedAt < at) return { id: message.id, title: message.title, paragraphs: [message.content], topic: message.topic, onTopic: true, hot: true };
    }
    return undefined;
  }

  /** A news article or board message from before `at`: forum users pass those on. */
  private anyItemBefore(random: Random, at: Date): RepostSource | undefined {
    if (random.chance(0.5)) {
      for (let s = INITIAL_NEWS_COUNT; s >= 1; s -= 1) {
        const article = this.news(s);
        if (article.publishedAt < at && !article.repostOf) return { id: article.id, title: article.title, paragraphs: article.paragraphs, topic: article.topic, onTopic: article.onTopic, hot: article.hot };
      }
    }
    for (let s = INITIAL_BOARD_COUNT; s >= 1; s -= 1) {
      const message = this.board(s);
      if (message.postedAt < at && !message.repostOf) return { id: message.id, title: message.title, paragraphs: [message.content], topic: message.topic, onTopic: message.onTopic, hot: message.hot };
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
