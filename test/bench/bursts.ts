// `pnpm bench bursts`: how early and how completely the hot-issue engine flags real bursts planted in a flat
// background of ordinary posts. Reads ../shared data (never shipped); prints figures only.
//
// Background: the Teddy 2020 board's ordinary messages (messages_details_train.csv + messages_unlabeled.csv, minus
// any message of a silver event), shuffled and spread evenly over 14 days at 20 posts an hour, a flat stream that
// must never flag. Bursts: per seed, four silver events of hot_messages.csv (silver-events.ts; events with at least
// MIN_BURST_MESSAGES messages) are compressed into bursts: each starts at a random time in days 3–12 and lasts a
// random 2–6 h (`--burst-hours a-b`), its messages at random times inside it, likes kept (`--no-likes` drops them).
// The stream is replayed through HotIssueEngine at the planted times with a tick every 5 minutes (the analysis
// worker's periodic run), all mentions in one category (no classifier here, so the baseline is the whole board's).
//
// Figures per configuration, over every seed: bursts flagged; delay from a burst's start to the first flag of an
// issue whose members are mostly that burst's messages (median, worst); the share of each burst's messages in its
// largest issue (bursts at 90 % or more); flags on issues holding no burst message (background) and on issues where
// a burst's messages are fewer than half (mixed: the burst was merged into a broader issue); purity (of the members
// of the issues holding most of each burst, the share that are its messages); issues folded into a sibling. Three
// configurations run side by side on the same streams: the previous thresholds (1 h burst window only), the current
// defaults without sibling folding, and the current defaults (1 h or the 6 h slow window, sibling folding).
// `--options JSON` adds a fourth with partial HotIssueOptions.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@yuqing/core';
import {
  DEFAULT_HOT_ISSUE_OPTIONS,
  HotIssueEngine,
  analyseMention,
  parseCsvRecords,
  seededRandom,
  type AnalysedMention,
  type HotIssueOptions,
} from '@yuqing/nlp';
import { silverEventOf } from './silver-events.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/teddy2020/', import.meta.url));
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const SPAN_MS = 14 * DAY_MS;
const BACKGROUND_PER_HOUR = 20;
const TICK_MS = 5 * 60_000;
const BURSTS_PER_SEED = 4;
const MIN_BURST_MESSAGES = 12;
const START = Date.UTC(2024, 2, 1);

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seeds = Number(argValue('--seeds') ?? 4);
const [minHours, maxHours] = (argValue('--burst-hours') ?? '2-6').split('-').map(Number) as [number, number];
const noLikes = process.argv.includes('--no-likes');
const extraOptions = argValue('--options');
const showBackground = process.argv.includes('--show-background');
const showSplits = process.argv.includes('--show-splits');

interface Message {
  id: string;
  title: string;
  text: string;
  likes: number;
  event: string | undefined;
}

function read(file: string, prefix: string): Message[] {
  // Ids by row: a few rows of the training file have no 留言编号 (and no title).
  return parseCsvRecords(readFileSync(`${DATA}${file}`, 'utf8')).flatMap((r, row) => {
    const m = { title: r['留言主题'] ?? '', text: r['留言详情'] ?? '' };
    if (!m.text.trim()) return [];
    return [{ id: `${prefix}${row}`, ...m, likes: Number(r['点赞数']) || 0, event: silverEventOf(m) }];
  });
}

function analyse(messages: readonly Message[]): Map<string, AnalysedMention> {
  const out = new Map<string, AnalysedMention>();
  for (const m of messages) {
    const a = analyseMention(
      { id: m.id, title: m.title, text: m.text, time: START, likes: noLikes ? 0 : m.likes, source: 'board' },
      { category: 'board' },
    );
    out.set(m.id, a);
  }
  return out;
}

interface Burst {
  event: string;
  start: number;
  ids: Set<string>;
}

interface Outcome {
  delays: number[];
  missed: string[];
  completeness: number[];
  /** Flags on issues holding no burst message. */
  backgroundFlags: number;
  /** Flags on issues where burst messages are present but fewer than half (a burst merged into a broader issue). */
  mixedFlags: number;
  /** Per burst, the size of the issue holding most of its messages (purity: burst messages there / this). */
  issueSizes: number[];
  /** Per burst, its messages in that issue. */
  inIssue: number[];
  /** Issues folded into a sibling. */
  folds: number;
}

function shuffle<T>(xs: T[], rand: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** One seed's stream: background times plus four bursts. */
function plant(
  seed: number,
  background: readonly Message[],
  byEvent: Map<string, Message[]>,
): { stream: { id: string; time: number }[]; bursts: Burst[] } {
  const rand = seededRandom(seed);
  const count = Math.min(background.length, (SPAN_MS / HOUR_MS) * BACKGROUND_PER_HOUR);
  const picked = shuffle([...background], rand).slice(0, count);
  const stream = picked.map((m, i) => ({ id: m.id, time: START + Math.floor(((i + rand()) / count) * SPAN_MS) }));
  const events = shuffle([...byEvent.keys()], rand).slice(0, BURSTS_PER_SEED);
  const bursts: Burst[] = [];
  for (const event of events) {
    const start = START + 3 * DAY_MS + Math.floor(rand() * 9 * DAY_MS);
    const length = (minHours + rand() * (maxHours - minHours)) * HOUR_MS;
    const ids = new Set<string>();
    for (const m of byEvent.get(event)!) {
      ids.add(m.id);
      stream.push({ id: m.id, time: start + Math.floor(rand() * length) });
    }
    bursts.push({ event, start, ids });
  }
  stream.sort((a, b) => a.time - b.time);
  return { stream, bursts };
}

function replay(
  stream: readonly { id: string; time: number }[],
  bursts: readonly Burst[],
  analysed: Map<string, AnalysedMention>,
  options: Partial<HotIssueOptions>,
): Outcome {
  const clock = new ManualClock(stream[0]!.time);
  const engine = new HotIssueEngine(clock, options);
  const burstOf = new Map<string, Burst>();
  for (const b of bursts) for (const id of b.ids) burstOf.set(id, b);
  const flaggedAt = new Map<Burst, number>();
  const flaggedIssues = new Set<string>();
  let backgroundFlags = 0;
  let mixedFlags = 0;
  const onEvents = (events: { type: string; issueId: string }[], now: number) => {
    for (const e of events) {
      if (e.type !== 'flagged' || flaggedIssues.has(e.issueId)) continue;
      flaggedIssues.add(e.issueId);
      const members = engine.issue(e.issueId)?.mentionIds ?? [];
      const perBurst = new Map<Burst, number>();
      for (const id of members) {
        const b = burstOf.get(id);
        if (b) perBurst.set(b, (perBurst.get(b) ?? 0) + 1);
      }
      const [top, n] = [...perBurst].sort((a, b) => b[1] - a[1])[0] ?? [undefined, 0];
      if (top && n * 2 >= members.length) {
        if (!flaggedAt.has(top)) flaggedAt.set(top, now);
      } else {
        if (n === 0) backgroundFlags++;
        else mixedFlags++;
        if (showBackground) {
          const issue = engine.issue(e.issueId)!;
          process.stdout.write(
            `    background flag at ${new Date(now).toISOString()}: ${issue.title.slice(0, 40)} (${members.length} members, ${n} of a burst): ${members
              .slice(0, 8)
              .map((id) => analysed.get(id)?.title.slice(0, 20))
              .join(' | ')}\n`,
          );
        }
      }
    }
  };
  let nextTick = stream[0]!.time + TICK_MS;
  let folds = 0;
  for (const s of stream) {
    while (nextTick <= s.time) {
      clock.set(nextTick);
      onEvents(engine.tick(), nextTick);
      nextTick += TICK_MS;
    }
    clock.set(s.time);
    const result = engine.ingest({ ...analysed.get(s.id)!, time: s.time });
    folds += result.folds.length;
    onEvents(result.events, s.time);
  }
  const issueOf = new Map<string, string>();
  for (const issue of engine.listIssues()) for (const id of issue.mentionIds) issueOf.set(id, issue.id);
  const outcome: Outcome = {
    delays: [],
    missed: [],
    completeness: [],
    backgroundFlags,
    mixedFlags,
    issueSizes: [],
    inIssue: [],
    folds,
  };
  for (const b of bursts) {
    const at = flaggedAt.get(b);
    if (at === undefined) outcome.missed.push(b.event);
    else outcome.delays.push(at - b.start);
    const per = new Map<string, number>();
    for (const id of b.ids) per.set(issueOf.get(id)!, (per.get(issueOf.get(id)!) ?? 0) + 1);
    const [largest, n] = [...per].sort((x, y) => y[1] - x[1])[0]!;
    outcome.completeness.push(n / b.ids.size);
    outcome.inIssue.push(n);
    outcome.issueSizes.push(engine.issue(largest)!.mentionIds.length);
    if (showSplits && per.size > 1) {
      const parts = [...per].sort((x, y) => y[1] - x[1]);
      process.stdout.write(
        `    ${b.event}: ${parts.map(([id, n]) => `${n} in "${engine.issue(id)?.title.slice(0, 24)}"`).join(', ')}\n`,
      );
    }
  }
  return outcome;
}

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function minutes(ms: number): string {
  return Number.isNaN(ms) ? '—' : `${Math.round(ms / 60_000)} min`;
}

const background = [...read('messages_details_train.csv', 'd'), ...read('messages_unlabeled.csv', 'u')].filter(
  (m) => m.event === undefined,
);
const hot = read('hot_messages.csv', 'h');
const byEvent = new Map<string, Message[]>();
for (const m of hot) if (m.event) byEvent.set(m.event, [...(byEvent.get(m.event) ?? []), m]);
for (const [event, ms] of byEvent) if (ms.length < MIN_BURST_MESSAGES) byEvent.delete(event);
const analysed = analyse([...background, ...[...byEvent.values()].flat()]);

const configurations: [string, Partial<HotIssueOptions>][] = [
  [
    'previous thresholds (1 h window only)',
    {
      levels: [
        { level: '一般', minRatio: 6, minMentions: 5, minSlowMentions: Infinity },
        { level: '较大', minRatio: 15, minMentions: 12, minSlowMentions: Infinity },
        { level: '重大', minRatio: 40, minMentions: 30, minSlowMentions: Infinity },
      ],
      siblingSimilarity: Infinity,
    },
  ],
  ['current defaults without sibling folding', { siblingSimilarity: Infinity }],
  ['current defaults (1 h or 6 h window, sibling folding)', {}],
];
if (extraOptions) configurations.push([`--options ${extraOptions}`, JSON.parse(extraOptions)]);

process.stdout.write(
  `background ${background.length} board messages at ${BACKGROUND_PER_HOUR}/h over 14 days; ${byEvent.size} silver events with ≥ ${MIN_BURST_MESSAGES} messages; ${seeds} seeds × ${BURSTS_PER_SEED} bursts of ${minHours}–${maxHours} h${noLikes ? ', likes dropped' : ''}; tick every ${TICK_MS / 60_000} min\n`,
);
process.stdout.write(
  `default levels: ${DEFAULT_HOT_ISSUE_OPTIONS.levels.map((l) => `${l.level} ratio ≥ ${l.minRatio}, ≥ ${l.minMentions}/1 h or ≥ ${l.minSlowMentions}/6 h`).join('; ')}\n`,
);
const streams = Array.from({ length: seeds }, (_, i) => plant(11 + i, background, byEvent));
for (const [label, options] of configurations) {
  const all: Outcome = {
    delays: [],
    missed: [],
    completeness: [],
    backgroundFlags: 0,
    mixedFlags: 0,
    issueSizes: [],
    inIssue: [],
    folds: 0,
  };
  process.stdout.write(`\n== ${label}\n`);
  const perEvent = new Map<string, number[]>();
  streams.forEach(({ stream, bursts }, i) => {
    const o = replay(stream, bursts, analysed, options);
    process.stdout.write(
      `  seed ${11 + i}: flagged ${o.delays.length}/${bursts.length}, median delay ${minutes(median(o.delays))}, in one issue ${o.completeness.map((c) => `${Math.round(c * 100)} %`).join(' ')}, background flags ${o.backgroundFlags}, mixed ${o.mixedFlags}${o.missed.length ? `; missed ${o.missed.join(', ')}` : ''}\n`,
    );
    all.delays.push(...o.delays);
    all.missed.push(...o.missed);
    all.completeness.push(...o.completeness);
    all.backgroundFlags += o.backgroundFlags;
    all.mixedFlags += o.mixedFlags;
    all.issueSizes.push(...o.issueSizes);
    all.inIssue.push(...o.inIssue);
    all.folds += o.folds;
    bursts.forEach((b, k) => {
      const share = perEvent.get(b.event) ?? [];
      share.push(Math.round(o.completeness[k]! * 100));
      perEvent.set(b.event, share);
    });
  });
  const total = all.delays.length + all.missed.length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  process.stdout.write(
    `  all: flagged ${all.delays.length}/${total}, delay median ${minutes(median(all.delays))} worst ${minutes(Math.max(...all.delays))}, bursts ≥ 90 % in one issue ${all.completeness.filter((c) => c >= 0.9).length}/${total} (median ${Math.round(median(all.completeness) * 100)} %), background flags ${all.backgroundFlags}, mixed flags ${all.mixedFlags}\n`,
  );
  // Purity: of the members of the issues holding most of each burst, the share that are that burst's messages.
  process.stdout.write(
    `  purity ${((sum(all.inIssue) / sum(all.issueSizes)) * 100).toFixed(1)} % (${sum(all.inIssue)} of ${sum(all.issueSizes)} members), issues folded into a sibling ${all.folds}\n`,
  );
  process.stdout.write(
    `  per burst, share in one issue: ${[...perEvent].map(([event, shares]) => `${event} ${shares.join('/')} %`).join('; ')}\n`,
  );
}
