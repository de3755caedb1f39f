// `pnpm bench cluster`: issue clustering quality and HotIssueEngine speed. Reads ../shared data (never shipped);
// prints figures only.
//
// Quality: ../shared/data/teddy2020/hot_messages.csv carries no cluster or issue id, so two ground truths are
// built here, both independent of the engine:
//  - events: the silver standard of 15 events in silver-events.ts. Scored with B-cubed precision/recall over the messages of those events: a message of an event merged
//    with anything outside its event costs precision (a lower bound: the rules may miss a few true members),
//    an event split over several issues costs recall.
//  - duplicates: messages whose title + text are identical once spaces and punctuation are dropped (the board
//    holds the same complaint posted again, days or weeks apart): the share of such pairs put in one issue.
// The replay uses the messages' own times (some events run for months with gaps of a week or more).
//
// Speed: 20,000 realistic mentions — the 4,326 messages plus variants generated from them (reposts, rewordings,
// the same complaint about a renamed estate) — squeezed into 14 days so the engine holds thousands of active
// issues. Rates are per second of this process's CPU time (process.cpuUsage, so "one core" even on a shared
// machine), median of REPEATS; analyseMention (text → features) is timed apart from the engine.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '@yuqing/core';
import {
  HotIssueEngine,
  analyseMention,
  parseCsvRecords,
  parseSourceTime,
  prepareTexts,
  seededRandom,
  type AnalysedMention,
  type HotIssueState,
  type MentionInput,
  type PreparedText,
} from '@yuqing/nlp';
import { silverEventOf } from './silver-events.ts';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const REPEATS = 3;
const SPEED_MENTIONS = 20_000;
const SPEED_SPAN_MS = 14 * 24 * 3600_000;
/** Mentions per restore → ingest → snapshot cycle, as the analysis worker groups them. */
const WORKER_BATCH = 1000;
const HOUR_MS = 3600_000;
/** As packages/analysis classifies: the opening of long texts only. */
const CLASSIFY_MAX_CHARS = 3000;

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function loadMessages(): MentionInput[] {
  const rows = parseCsvRecords(readFileSync(`${DATA}teddy2020/hot_messages.csv`, 'utf8'));
  return rows.map((r) => ({
    id: r['留言编号']!,
    title: r['留言主题'] ?? '',
    text: r['留言详情'] ?? '',
    time: parseSourceTime(r['留言时间']!),
    likes: Number(r['点赞数']) || 0,
    source: 'board',
  }));
}

function replay(mentions: readonly AnalysedMention[]): HotIssueEngine {
  const clock = new ManualClock(mentions[0]?.time ?? 0);
  const engine = new HotIssueEngine(clock);
  for (const m of mentions) {
    clock.set(m.time);
    engine.ingest(m);
  }
  return engine;
}

function clusterMap(engine: HotIssueEngine): Map<string, string> {
  const of = new Map<string, string>();
  for (const issue of engine.listIssues()) for (const id of issue.mentionIds) of.set(id, issue.id);
  return of;
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)} %`;
}

/** The text the analysis worker classifies (packages/analysis mentionText): title, newline, body. */
function classifiedText(m: MentionInput): string {
  const title = m.title ?? '';
  return title && !m.text.startsWith(title) ? `${title}\n${m.text}` : m.text || title;
}

/** The classifier's cut of each mention (jieba without HMM, first 3,000 characters), as the worker has it. */
function classifierCuts(mentions: readonly MentionInput[]): PreparedText[] {
  return prepareTexts(mentions.map((m) => classifiedText(m).slice(0, CLASSIFY_MAX_CHARS)));
}

/** Clusters the messages and prints the quality figures; `detail` adds the per-event lines. */
function quality(
  label: string,
  messages: readonly MentionInput[],
  analysed: readonly AnalysedMention[],
  detail: boolean,
): void {
  const engine = replay(analysed);
  const of = clusterMap(engine);
  const members = new Map<string, string[]>();
  for (const [id, c] of of) members.set(c, [...(members.get(c) ?? []), id]);

  const goldOf = new Map<string, string>();
  for (const m of messages) {
    const event = silverEventOf(m);
    if (event) goldOf.set(m.id, event);
  }
  const goldMembers = new Map<string, string[]>();
  for (const [id, g] of goldOf) goldMembers.set(g, [...(goldMembers.get(g) ?? []), id]);

  let p = 0;
  let r = 0;
  for (const [id, g] of goldOf) {
    const cluster = members.get(of.get(id)!)!;
    const same = cluster.filter((x) => goldOf.get(x) === g).length;
    p += same / cluster.length;
    r += same / goldMembers.get(g)!.length;
  }
  p /= goldOf.size;
  r /= goldOf.size;
  const f = (2 * p * r) / (p + r);

  const key = (m: MentionInput) => `${m.title ?? ''}${m.text}`.replace(/[^\p{Script=Han}A-Za-z0-9]/gu, '');
  const dupGroups = new Map<string, string[]>();
  for (const m of messages) dupGroups.set(key(m), [...(dupGroups.get(key(m)) ?? []), m.id]);
  let dupPairs = 0;
  let dupTogether = 0;
  for (const ids of dupGroups.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        dupPairs++;
        if (of.get(ids[i]!) === of.get(ids[j]!)) dupTogether++;
      }
    }
  }

  const issues = engine.listIssues();
  const sizes = issues.map((i) => i.mentionIds.length).sort((a, b) => b - a);
  process.stdout.write(`\n== cluster quality, ${label}: hot_messages.csv (${messages.length} messages, own times)\n`);
  process.stdout.write(
    `issues ${issues.length}, singletons ${sizes.filter((s) => s === 1).length}, largest ${sizes.slice(0, 8).join(' ')}\n`,
  );
  process.stdout.write(`flagged ${issues.filter((i) => i.level !== null).length}\n`);
  process.stdout.write(
    `silver events (${goldMembers.size} events, ${goldOf.size} messages): B-cubed P ${pct(p)} R ${pct(r)} F1 ${pct(f)}\n`,
  );
  process.stdout.write(`duplicate pairs (${dupPairs}): together ${pct(dupTogether / Math.max(1, dupPairs))}\n`);
  if (!detail) return;
  process.stdout.write('per event: messages → issues holding them (largest share), foreign messages in those issues\n');
  for (const [name, ids] of goldMembers) {
    const clusters = new Map<string, number>();
    for (const id of ids) clusters.set(of.get(id)!, (clusters.get(of.get(id)!) ?? 0) + 1);
    let foreign = 0;
    for (const c of clusters.keys()) foreign += members.get(c)!.filter((x) => goldOf.get(x) !== name).length;
    process.stdout.write(
      `  ${name}: ${ids.length} → ${clusters.size} (${pct(Math.max(...clusters.values()) / ids.length)}), foreign ${foreign}\n`,
    );
  }
}

const PLACE_LIKE = /([\p{Script=Han}]{2,4})(小区|花园|新城|公司|集团|国际城|家园|苑|园|城)/gu;
const NAME_CHARS = '金银华泰富康宁安盛和丰瑞祥嘉裕鑫隆昌源景龙凤麒麟星辰锦绣明珠雅颂怡翠湖山水岸林';

/** 20,000 mentions: the messages plus reposts, rewordings and renamed-estate copies, over 14 days. */
function speedStream(messages: readonly MentionInput[]): MentionInput[] {
  const rand = seededRandom(7);
  const ordered = [...messages].sort((a, b) => Number(a.time) - Number(b.time));
  const start = Date.UTC(2024, 0, 1);
  const base = ordered.map((m, i) => ({ ...m, time: start + Math.floor((i / ordered.length) * SPEED_SPAN_MS) }));
  const out: MentionInput[] = [...base];
  for (let n = 0; out.length < SPEED_MENTIONS; n++) {
    const m = base[Math.floor(rand() * base.length)]!;
    const time = Number(m.time) + Math.floor(rand() * 6 * HOUR_MS);
    const kind = rand();
    const id = `g${n}`;
    if (kind < 0.35) {
      out.push({
        ...m,
        id,
        time,
        title: m.title,
        text: `转发：${m.text.slice(0, 400)}`,
        likes: Math.floor(rand() * 20),
        reposts: Math.floor(rand() * 5),
      });
    } else if (kind < 0.7) {
      const sentences = m.text.split(/(?<=[。！？!?；])/u).filter(Boolean);
      if (sentences.length > 2) sentences.splice(Math.floor(rand() * sentences.length), 1);
      if (sentences.length > 1) sentences.push(sentences.shift()!);
      out.push({
        ...m,
        id,
        time,
        title: rand() < 0.5 ? m.title : '',
        text: sentences.join(''),
        likes: Math.floor(rand() * 10),
      });
    } else {
      const rename = new Map<string, string>();
      const fresh = (name: string) => {
        let v = rename.get(name);
        if (!v) {
          v = Array.from({ length: name.length }, () => NAME_CHARS[Math.floor(rand() * NAME_CHARS.length)]).join('');
          rename.set(name, v);
        }
        return v;
      };
      const renamed = (s: string) =>
        s.replace(PLACE_LIKE, (_all, name: string, suffix: string) => fresh(name) + suffix);
      out.push({
        ...m,
        id,
        time,
        title: renamed(m.title ?? ''),
        text: renamed(m.text),
        likes: Math.floor(rand() * 10),
      });
    }
  }
  return out.sort((a, b) => Number(a.time) - Number(b.time));
}

function speed(messages: readonly MentionInput[]): void {
  const stream = speedStream(messages);
  process.stdout.write(`\n== speed: ${stream.length} mentions over 14 days\n`);
  const cuts = classifierCuts(stream);
  const chars = stream.reduce((sum, m) => sum + m.text.length + (m.title ?? '').length, 0);
  analyseMention(stream[0]!);
  let analysed: AnalysedMention[] = [];
  for (const [label, run] of [
    ['own jieba cut (HMM)', () => stream.map((m) => analyseMention(m))],
    ["classifier's cut passed in", () => stream.map((m, i) => analyseMention(m, {}, cuts[i]))],
  ] as const) {
    const cpuRates: number[] = [];
    const wallRates: number[] = [];
    for (let rep = 0; rep < REPEATS; rep++) {
      const cpu0 = cpuMs();
      const wall0 = performance.now();
      const out = run();
      cpuRates.push((stream.length / (cpuMs() - cpu0)) * 1000);
      wallRates.push((stream.length / (performance.now() - wall0)) * 1000);
      if (label.startsWith('own')) analysed = out;
    }
    const rate = median(cpuRates);
    process.stdout.write(
      `analyseMention, ${label}: ${Math.round(rate)} mentions/s CPU (median of ${REPEATS}: ${cpuRates.map((x) => Math.round(x)).join(', ')}; ${Math.round(median(wallRates))}/s wall), ${Math.round((rate * chars) / stream.length)} chars/s\n`,
    );
  }

  const rates: number[] = [];
  let engine: HotIssueEngine | undefined;
  for (let rep = 0; rep < REPEATS; rep++) {
    const c0 = cpuMs();
    engine = replay(analysed);
    rates.push((analysed.length / (cpuMs() - c0)) * 1000);
  }
  const issues = engine!.listIssues().length;
  process.stdout.write(
    `engine ingest: ${Math.round(median(rates))} mentions/s CPU (median of ${REPEATS}: ${rates.map((x) => Math.round(x)).join(', ')}), ${issues} issues\n`,
  );

  // Snapshot / restore of the final state, and the worker's cycle: restore → ingest a batch → snapshot (+ JSON).
  const times: Record<string, number[]> = { snapshot: [], json: [], restore: [] };
  let state: HotIssueState | undefined;
  let text = '';
  for (let rep = 0; rep < REPEATS; rep++) {
    let c0 = cpuMs();
    state = engine!.snapshot();
    times.snapshot!.push(cpuMs() - c0);
    c0 = cpuMs();
    text = JSON.stringify(state);
    times.json!.push(cpuMs() - c0);
    c0 = cpuMs();
    HotIssueEngine.restore(JSON.parse(text) as HotIssueState, new ManualClock(analysed.at(-1)!.time));
    times.restore!.push(cpuMs() - c0);
  }
  process.stdout.write(
    `state of ${issues} issues: ${(text.length / 1e6).toFixed(1)} MB JSON; snapshot ${median(times.snapshot!).toFixed(0)} ms, JSON.stringify ${median(times.json!).toFixed(0)} ms, parse + restore ${median(times.restore!).toFixed(0)} ms\n`,
  );

  const clock = new ManualClock(analysed[0]!.time);
  let stored: string | undefined;
  const c0 = cpuMs();
  for (let i = 0; i < analysed.length; i += WORKER_BATCH) {
    const e = stored ? HotIssueEngine.restore(JSON.parse(stored) as HotIssueState, clock) : new HotIssueEngine(clock);
    for (const m of analysed.slice(i, i + WORKER_BATCH)) {
      clock.set(m.time);
      e.ingest(m);
    }
    stored = JSON.stringify(e.snapshot());
  }
  const cycle = cpuMs() - c0;
  process.stdout.write(
    `worker cycle (restore → ${WORKER_BATCH} ingests → snapshot, state kept whole): ${Math.round((analysed.length / cycle) * 1000)} mentions/s CPU, final state ${(stored!.length / 1e6).toFixed(1)} MB\n`,
  );
}

const messages = loadMessages();
const ordered = [...messages].sort((a, b) => Number(a.time) - Number(b.time));
const c0 = cpuMs();
const analysed = ordered.map((m) => analyseMention(m));
process.stdout.write(
  `analysed ${messages.length} messages in ${((cpuMs() - c0) / 1000).toFixed(1)} s CPU (jieba load included)\n`,
);
quality('own jieba cut (HMM)', messages, analysed, true);
const cuts = classifierCuts(ordered);
quality(
  "classifier's cut passed in (no HMM), as the analysis worker does",
  messages,
  ordered.map((m, i) => analyseMention(m, {}, cuts[i])),
  false,
);
if (!process.argv.includes('--quality-only')) speed(messages);
