// Which story or case each generated news article, board message and forum post tells: seeded decks of
// (topic, story) and (topic, case) entries, built from TOPICS.
import { MAX_CACHED_ITEMS } from './bounded-cache.ts';
import type { TopicTemplate } from './content/topic-template.ts';
import { TOPICS } from './content/topics.ts';
import { createRandom, type Random } from './prng.ts';

/** One story (news) or case (board, forum) of one topic. */
export interface DeckEntry {
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

/** Every news story of every topic, in {@link TOPICS} order. */
export const STORY_ENTRIES: readonly DeckEntry[] = TOPICS.flatMap((topic) =>
  topic.stories.map((_, index) => ({ topic, index })),
);
/** Every board case of every topic, in {@link TOPICS} order. */
export const CASE_ENTRIES: readonly DeckEntry[] = TOPICS.flatMap((topic) =>
  topic.cases.map((_, index) => ({ topic, index })),
);

/** The topic with this key; an unknown key is a bug in the generator and throws. */
export function topicByKey(key: string): TopicTemplate {
  const topic = TOPICS.find((t) => t.key === key);
  if (!topic) throw new Error(`unknown demo topic ${key}`);
  return topic;
}

/** The decks of one content model (one seed), built per stream and round on first use and kept. */
export class StoryDecks {
  private readonly decks = new Map<string, readonly DeckEntry[]>();

  constructor(private readonly seed: number) {}

  /** The deck entry for item `sequence` of `stream` (see {@link buildDeck}); every round's deck has the same length. */
  entry(stream: string, entries: readonly DeckEntry[], sequence: number): DeckEntry {
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
        const previousTail = new Set(
          buildDeck(createRandom(this.seed, `${stream}-deck`, round - 1), entries).slice(-DECK_SEAM),
        );
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
}
