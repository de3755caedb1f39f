// `pnpm bench replies [--seed N]`: the reply library's ranking and the draft check on the Teddy replies
// (../shared/data/teddy2020/replies.csv, never shipped). Prints figures and examples only.
//
// Ranking: a quarter of the messages is held out (fixed seed). The library holds every reply; the other three
// quarters with their messages (title, question, answer), the held-out ones by their answer only, as a new message
// would meet them. For each held-out message (title + detail as the query) the rank of its own reply among ALL
// replies gives MRR, recall@1 and recall@5, for ours (ReplyIndex: BM25F + bigram backoff) and plain BM25 over the
// same jieba tokens (k1 1.2, b 0.75) on the same split.
//
// Draft check: every reply checked against its own message with a deadline 15 days after the message (the
// board's rule for replies) at the reply's time; the score distribution, the same replies checked against a
// shuffled message (a reply to another question must lose the questions' points), and 10 high / 10 low examples.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkDraft } from '@yuqing/domain';
import {
  PlainBm25,
  ReplyIndex,
  parseCsvRecords,
  parseSourceTime,
  rankOf,
  seededRandom,
  tokenise,
  type ReplyIndexDoc,
} from '@yuqing/nlp';

const FILE = fileURLToPath(new URL('../../../shared/data/teddy2020/replies.csv', import.meta.url));
const HELD_OUT_SHARE = 0.25;
const EXAMPLES = 20;
const REPLY_DEADLINE_DAYS = 15;
const DAY_MS = 86_400_000;

const seedArg = process.argv.indexOf('--seed');
const seed = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 18;

interface Row {
  id: string;
  title: string;
  detail: string;
  answer: string;
  askedAt: Date | null;
  repliedAt: Date | null;
}

function short(text: string, chars: number): string {
  const t = text.replace(/\s+/gu, ' ').trim();
  return t.length > chars ? `${t.slice(0, chars)}…` : t;
}

/** The answer without its greeting and "已收悉" opening, which every reply shares. */
function answerGist(answer: string, chars: number): string {
  const t = answer.replace(/\s+/gu, '');
  const cut = t.search(/(?:答复|回复)如下[:：]|经(?:调查|核实|了解|查)/u);
  return short(cut > 0 ? t.slice(cut).replace(/^(?:答复|回复)如下[:：]/u, '') : t, chars);
}

const rows: Row[] = parseCsvRecords(readFileSync(FILE, 'utf8'))
  .map((r) => ({
    id: r['留言编号'] ?? '',
    title: r['留言主题'] ?? '',
    detail: r['留言详情'] ?? '',
    answer: r['答复意见'] ?? '',
    askedAt: r['留言时间'] ? new Date(parseSourceTime(r['留言时间'])) : null,
    repliedAt: r['答复时间'] ? new Date(parseSourceTime(r['答复时间'])) : null,
  }))
  .filter((r) => r.answer.trim() !== '');

const random = seededRandom(seed);
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const heldOut = new Set(order.slice(0, Math.round(rows.length * HELD_OUT_SHARE)));

const started = performance.now();
const titleTokens = rows.map((r) => tokenise(r.title));
const detailTokens = rows.map((r) => tokenise(r.detail));
const answerTokens = rows.map((r) => tokenise(r.answer));
const tokeniseMs = performance.now() - started;

const docs: ReplyIndexDoc[] = rows.map((r, i) =>
  heldOut.has(i)
    ? { id: i, titleTokens: [], questionTokens: [], answerTokens: answerTokens[i]!, text: r.answer }
    : {
        id: i,
        titleTokens: titleTokens[i]!,
        questionTokens: detailTokens[i]!,
        answerTokens: answerTokens[i]!,
        text: `${r.title}\n${r.detail}\n${r.answer}`,
      },
);
const buildStart = performance.now();
const ours = new ReplyIndex(docs);
const plain = new PlainBm25(
  rows.map((_, i) =>
    heldOut.has(i) ? answerTokens[i]! : [...titleTokens[i]!, ...detailTokens[i]!, ...answerTokens[i]!],
  ),
);
const buildMs = performance.now() - buildStart;

interface Metrics {
  mrr: number;
  r1: number;
  r5: number;
}
const sums = { ours: { mrr: 0, r1: 0, r5: 0 }, plain: { mrr: 0, r1: 0, r5: 0 } };
const add = (m: Metrics, rank: number): void => {
  m.mrr += 1 / rank;
  if (rank === 1) m.r1 += 1;
  if (rank <= 5) m.r5 += 1;
};
const held = [...heldOut].sort((a, b) => a - b);
const queryStart = performance.now();
for (const i of held) {
  const r = rows[i]!;
  add(
    sums.ours,
    rankOf(ours.scores({ titleTokens: titleTokens[i]!, tokens: detailTokens[i]!, text: `${r.title}\n${r.detail}` }), i),
  );
  add(sums.plain, rankOf(plain.scores([...titleTokens[i]!, ...detailTokens[i]!]), i));
}
const queryMs = performance.now() - queryStart;
const fmt = (m: Metrics): string =>
  `MRR ${(m.mrr / held.length).toFixed(3)}  recall@1 ${(m.r1 / held.length).toFixed(3)}  recall@5 ${(m.r5 / held.length).toFixed(3)}`;

console.log(`replies.csv: ${rows.length} replies, ${held.length} held out (seed ${seed})`);
console.log(
  `tokenise ${(tokeniseMs / 1000).toFixed(1)} s, build both indexes ${buildMs.toFixed(0)} ms, ${held.length} queries × 2 ${queryMs.toFixed(0)} ms`,
);
console.log(`ours (BM25F title/question/answer + char-bigram backoff): ${fmt(sums.ours)}`);
console.log(`plain BM25 (same jieba tokens, k1 1.2, b 0.75):          ${fmt(sums.plain)}`);

console.log(`\n${EXAMPLES} held-out messages and their top-3 suggestions (* = its own reply):`);
for (const i of held.slice(0, EXAMPLES)) {
  const r = rows[i]!;
  const query = { titleTokens: titleTokens[i]!, tokens: detailTokens[i]!, text: `${r.title}\n${r.detail}` };
  console.log(`\n#${r.id} ${short(r.title, 40)}`);
  const top = ours.search(query, 3);
  for (const m of top) {
    const s = rows[m.id]!;
    console.log(
      `  ${m.id === i ? '*' : ' '} ${m.score.toFixed(2)} [${m.sharedTerms.slice(0, 4).join(' ')}] ${heldOut.has(m.id) ? '' : `《${short(s.title, 20)}》 `}${answerGist(s.answer, 60)}`,
    );
  }
}

// Draft check.
const checked = rows.map((r) =>
  checkDraft({
    draft: r.answer,
    mentions: [{ title: r.title, body: r.detail }],
    deadlineAt: r.askedAt ? new Date(r.askedAt.getTime() + REPLY_DEADLINE_DAYS * DAY_MS) : null,
    now: r.repliedAt ?? new Date(0),
  }),
);
const histogram = new Map<number, number>();
for (const c of checked)
  histogram.set(
    Math.min(90, Math.floor(c.score / 10) * 10),
    (histogram.get(Math.min(90, Math.floor(c.score / 10) * 10)) ?? 0) + 1,
  );
const scores = checked.map((c) => c.score).sort((a, b) => a - b);
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
console.log('\nDraft check on every reply against its own message:');
console.log(
  `  score mean ${mean(scores).toFixed(1)}, quartiles ${scores[Math.floor(scores.length / 4)]} / ${scores[Math.floor(scores.length / 2)]} / ${scores[Math.floor((scores.length * 3) / 4)]}`,
);
console.log(
  `  histogram: ${[...histogram.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, n]) => `${b}–${b === 90 ? 100 : b + 9}: ${n}`)
    .join(', ')}`,
);
const share = (key: string): string =>
  `${((100 * checked.filter((c) => c.items.find((it) => it.key === key)?.passed).length) / checked.length).toFixed(0)}%`;
console.log(
  `  passed: questions ${share('questions')}, department ${share('department')}, time limit ${share('timeLimit')}, contact ${share('contact')}, policy ${share('policyBasis')}, length ${share('length')}, no risky phrase ${share('risk')}, on time ${share('timeliness')}`,
);
const shuffled = rows.map((r, i) => {
  const other = rows[(i + 997) % rows.length]!;
  return checkDraft({ draft: r.answer, mentions: [{ title: other.title, body: other.detail }], now: new Date(0) });
});
console.log(
  `  questions answered: own message ${(100 * mean(checked.map((c) => (c.questions.length ? c.questions.filter((q) => q.answered).length / c.questions.length : 1)))).toFixed(0)}%, another message's ${(100 * mean(shuffled.map((c) => (c.questions.length ? c.questions.filter((q) => q.answered).length / c.questions.length : 1)))).toFixed(0)}%; mean score ${mean(scores).toFixed(1)} vs ${mean(shuffled.map((c) => c.score)).toFixed(1)}`,
);
const ranked = checked.map((c, i) => ({ c, i })).sort((a, b) => b.c.score - a.c.score || a.i - b.i);
const show = (label: string, list: typeof ranked): void => {
  console.log(`\n${label}:`);
  for (const { c, i } of list) {
    const failed = c.items.filter((it) => !it.passed).map((it) => it.key);
    console.log(
      `  ${c.score} #${rows[i]!.id} ${short(rows[i]!.title, 24)} | ${c.length}字 缺:${failed.join(',') || '—'} | ${answerGist(rows[i]!.answer, 50)}`,
    );
  }
};
const step = Math.max(1, Math.floor(ranked.length / 200));
show('10 high-scoring replies', ranked.filter((_, k) => k % step === 0).slice(0, 10));
show(
  '10 low-scoring replies',
  ranked
    .slice(-10 * step)
    .filter((_, k) => k % step === 0)
    .slice(-10),
);
