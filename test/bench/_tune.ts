import { readFileSync } from 'node:fs';
import { PlainBm25, ReplyIndex, rankOf, seededRandom } from '@yuqing/nlp';
const rows = JSON.parse(readFileSync('/tmp/rp/tok.json', 'utf8')) as { title: string; detail: string; answer: string; tt: string[]; dt: string[]; at: string[] }[];
const random = seededRandom(18);
const order = rows.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j]!, order[i]!]; }
const held = new Set(order.slice(0, Math.round(rows.length * 0.25)));
const cfgs = JSON.parse(process.argv[2] ?? '[{}]');
for (const cfg of cfgs) {
  const t0 = performance.now();
  const idx = new ReplyIndex(rows.map((r, i) => held.has(i) ? { id: i, titleTokens: [], questionTokens: [], answerTokens: r.at, text: r.answer } : { id: i, titleTokens: r.tt, questionTokens: r.dt, answerTokens: r.at, text: `${r.title}\n${r.detail}\n${r.answer}` }), cfg);
  const t1 = performance.now();
  let mrr = 0, r1 = 0, r5 = 0;
  for (const i of held) { const r = rows[i]!; const k = rankOf(idx.scores({ titleTokens: r.tt, tokens: r.dt, text: `${r.title}\n${r.detail}` }), i); mrr += 1 / k; if (k === 1) r1++; if (k <= 5) r5++; }
  const n = held.size;
  console.log(JSON.stringify(cfg), `build ${(t1 - t0).toFixed(0)}ms`, `MRR ${(mrr / n).toFixed(3)} r1 ${(r1 / n).toFixed(3)} r5 ${(r5 / n).toFixed(3)}`);
}
