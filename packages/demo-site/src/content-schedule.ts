// When each item appears and which items are special (reprints, the hot issue, the featured article): the part of
// the content model that depends only on sequence numbers and the start, not on what the items say.
import { createRandom } from './prng.ts';
import { localTime } from './time-format.ts';

/** News articles that exist when the site starts. */
export const INITIAL_NEWS_COUNT = 40;
/** Board messages that exist when the site starts. */
export const INITIAL_BOARD_COUNT = 60;
/** GBK forum posts (the forum does not grow). */
export const FORUM_POST_COUNT = 30;
/** The news article the `article` demo source points at; always exists and is always on topic. */
export const FEATURED_NEWS_SEQUENCE = 12;

/** Initial items sit on whole minutes before the start; their offsets are counted in minutes. */
export const MINUTE_MS = 60_000;
/** News are published between these local hours; the initial history skips the night. */
const NEWS_FIRST_HOUR = 7;

/** Initial news that are reprints of an earlier article (same text, another outlet). */
export const INITIAL_NEWS_REPOSTS = new Set([18, 33]);
/** Initial board messages that repeat an earlier message. */
export const INITIAL_BOARD_REPOSTS = new Set([23, 41, 52]);
/** Initial board messages already about the hot event (it started a few hours before the site). */
export const INITIAL_HOT_BOARD = [54, 58];
/** New-news ticks (1 = first article after start) that carry the hot event's follow-up reports, in story order. */
export const HOT_NEWS_TICKS = [6, 20, 45];
/** For the first ticks the hot cluster gets every third board message, later every twelfth. */
const HOT_DENSE_UNTIL_TICK = 90;
/** Forum posts that repost a news article or board message published before them. */
export const FORUM_REPOSTS = new Set([12, 19, 24]);
/** The forum thread that starts the hot issue before the bureau's own sites mention it. */
export const HOT_FORUM_SEQUENCE = 27;
/** The forum post that passes on one of the initial hot board messages. */
export const HOT_FORUM_REPOST_SEQUENCE = 30;

/** Minutes before the (minute-aligned) anchor for each initial item: sequence 1 is the oldest. */
export function initialOffsets(
  seed: number,
  stream: string,
  count: number,
  minGap: number,
  maxGap: number,
  anchorMinuteMs: number,
  daytimeOnly: boolean,
): number[] {
  const offsets = new Array<number>(count + 1).fill(0);
  let total = 0;
  for (let sequence = count; sequence >= 1; sequence -= 1) {
    // The newest initial item is recent, so the first page does not look stale.
    total +=
      sequence === count
        ? createRandom(seed, stream, sequence).int(5, 40)
        : createRandom(seed, stream, sequence).int(minGap, maxGap);
    if (daytimeOnly) {
      // An editor publishing at 03:00 looks wrong: move such items back to the previous evening.
      const hour = localTime(new Date(anchorMinuteMs - total * MINUTE_MS)).hour;
      if (hour < NEWS_FIRST_HOUR) total += (hour + 1) * 60;
    }
    offsets[sequence] = total;
  }
  return offsets;
}

/** Position of a board message in the hot cluster (0 = first), or undefined when it is not part of it. */
export function boardHotClusterIndex(sequence: number): number | undefined {
  const initial = INITIAL_HOT_BOARD.indexOf(sequence);
  if (initial >= 0) return initial;
  const tick = sequence - INITIAL_BOARD_COUNT;
  if (tick <= 0) return undefined;
  if (tick <= HOT_DENSE_UNTIL_TICK) return tick % 3 === 1 ? INITIAL_HOT_BOARD.length + (tick - 1) / 3 : undefined;
  const denseCount = Math.ceil(HOT_DENSE_UNTIL_TICK / 3);
  return tick % 12 === 1
    ? INITIAL_HOT_BOARD.length + denseCount + Math.floor((tick - HOT_DENSE_UNTIL_TICK) / 12)
    : undefined;
}

/** Sequence of the hot message with the given cluster index (inverse of {@link boardHotClusterIndex}). */
export function hotBoardSequence(clusterIndex: number): number {
  if (clusterIndex < INITIAL_HOT_BOARD.length) return INITIAL_HOT_BOARD[clusterIndex] as number;
  const denseCount = Math.ceil(HOT_DENSE_UNTIL_TICK / 3);
  const k = clusterIndex - INITIAL_HOT_BOARD.length;
  const tick =
    k < denseCount
      ? 1 + 3 * k
      : HOT_DENSE_UNTIL_TICK + 12 * (k - denseCount) + (12 - ((HOT_DENSE_UNTIL_TICK - 1) % 12));
  return INITIAL_BOARD_COUNT + tick;
}
