// The `hotlist.entry` alert trigger: a platform hot-list entry that was found relevant (it became a mention and was
// filed under an issue) alerts once when first seen and once more each time it climbs into a better rank band
// (default: top 10, then top 3). Pure: packages/db reads the entries' best recent rank, the pipeline's
// evaluate-alert-triggers job queues the triggers, packages/alerts puts platform, rank and heat in the message.
import type { AlertTrigger } from './alert-triggers.ts';
import type { IssueLevel } from './issue-rules.ts';
import { HOTLIST_PLATFORMS } from './source-config.ts';

/** What an alert about a hot-list entry says about it (message lines and webhook `{{hotList.*}}` values). */
export interface HotListAlertFacts {
  /** Platform code (`weibo`, `zhihu`, `baidu` …). */
  platform: string;
  /** Rank the band was reached at (1 = top of the list). */
  rank: number;
  /** The platform's heat figure at that rank, when it gives one. */
  heat: number | null;
  /** The entry's title on the list. */
  title: string;
  /** The band reached: `listed` (on the list), `top10`, `top3` … */
  band: string;
}

/**
 * Rank bands that alert again when an entry climbs into them, best last: 10 (top 10), then 3 (top 3). Being on the
 * list at all is the first band. Two steps because a hot list has 30–50 entries and people act differently on "it is
 * on the list", "it is on the first screen" and "it is at the top".
 */
export const HOT_LIST_RANK_BANDS: readonly number[] = [10, 3];

/** Only entries seen on their list within this window alert (an old entry is not news), in milliseconds: 2 hours. */
export const HOT_LIST_TRIGGER_WINDOW_MS = 2 * 3600_000;

/** The band of `rank`: `top<N>` for the narrowest band of `bands` it is in, else `listed`. */
export function hotListBand(rank: number, bands: readonly number[] = HOT_LIST_RANK_BANDS): string {
  const within = bands.filter((b) => rank <= b);
  return within.length === 0 ? 'listed' : `top${Math.min(...within)}`;
}

/** Chinese name of a platform's list (the code itself for a platform this build does not know). */
export function hotListPlatformLabel(platform: string): string {
  return platform in HOTLIST_PLATFORMS ? HOTLIST_PLATFORMS[platform as keyof typeof HOTLIST_PLATFORMS].label : platform;
}

/** A heat figure as people say it: 1542565 → 154.3万, 2.1亿 for the largest. */
export function formatHeat(heat: number): string {
  if (heat >= 1e8) return `${(heat / 1e8).toFixed(1)}亿`;
  if (heat >= 1e4) return `${(heat / 1e4).toFixed(1)}万`;
  return String(heat);
}

/** A relevant hot-list entry (a mention filed under an open issue) with its best rank in the recent window. */
export interface HotListEntryFacts {
  mentionId: number;
  issueId: number;
  level: IssueLevel;
  platform: string;
  title: string;
  /** Best (lowest) rank observed within the window. */
  rank: number;
  /** Heat at that observation. */
  heat: number | null;
  /** When that rank was first observed. */
  observedAt: Date;
}

/**
 * The trigger of each entry at its best band: one per entry, keyed by mention and band, so that an entry alerts
 * when first seen (at whatever band it entered the list) and again only when it reaches a better band — falling
 * back and climbing again into a band already alerted sends nothing (the key was delivered). An issue at level none
 * alerts as 一般 (a channel's minimum level still applies).
 */
export function evaluateHotListTriggers(
  entries: readonly HotListEntryFacts[],
  bands: readonly number[] = HOT_LIST_RANK_BANDS,
): AlertTrigger[] {
  return entries.map((e) => {
    const band = hotListBand(e.rank, bands);
    const list = hotListPlatformLabel(e.platform);
    const heat = e.heat === null ? '' : `，热度 ${formatHeat(e.heat)}`;
    const where = band === 'listed' ? `登上${list}` : `进入${list}前 ${band.slice(3)}`;
    return {
      kind: 'hotlist.entry',
      issueId: e.issueId,
      level: e.level === 'none' ? 'general' : e.level,
      at: e.observedAt,
      reason: `相关热榜条目${where}：「${e.title}」第 ${e.rank} 名${heat}`,
      occurrence: `${e.mentionId}:${band}`,
      hotList: { platform: e.platform, rank: e.rank, heat: e.heat, title: e.title, band },
    };
  });
}

/** A band's depth for comparison: `topN` is N, `listed` is Infinity (smaller is better). */
function bandDepth(band: string): number {
  const n = /^top(\d+)$/.exec(band);
  return n ? Number(n[1]) : Number.POSITIVE_INFINITY;
}

/**
 * The hot-list triggers that are news: a band better than every band already alerted for the same entry
 * (`fired` holds `issueId|level|triggerKey` keys, see firedKey), whatever issue it was filed under and whatever level
 * that had then. An entry that
 * fell back down the list alerts nothing (its best recent rank is in a band already alerted or worse), and an issue
 * flagged higher later gets its own flag alert, not the same hot-list alert again.
 */
export function unfiredHotListTriggers(triggers: readonly AlertTrigger[], fired: ReadonlySet<string>): AlertTrigger[] {
  /** Best band depth alerted per mention. */
  const best = new Map<string, number>();
  const note = (mention: string, band: string) =>
    best.set(mention, Math.min(best.get(mention) ?? Number.POSITIVE_INFINITY, bandDepth(band)));
  for (const key of fired) {
    const m = /\|hotlist\.entry:(\d+):(\w+)$/.exec(key);
    if (m) note(m[1]!, m[2]!);
  }
  const out: AlertTrigger[] = [];
  for (const t of triggers) {
    const [mention = '', band = ''] = (t.occurrence ?? '').split(':');
    const before = best.get(mention);
    if (before !== undefined && bandDepth(band) >= before) continue;
    note(mention, band);
    out.push(t);
  }
  return out;
}
