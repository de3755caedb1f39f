// Reply similarity on real rows (test/fixtures/replies: 26 Teddy 2020 messages with their official replies).
// A message whose reply is in the library by its answer only (as a held-out message in `pnpm bench replies`)
// must find that reply; the shared terms explain the match; plain BM25 is the baseline's contract.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCsvRecords } from './csv.ts';
import { PlainBm25, rankOf, ReplyIndex, topIndexes, type ReplyIndexDoc } from './reply-similarity.ts';
import { tokenise } from './tokeniser.ts';

const rows = parseCsvRecords(
  readFileSync(new URL('../../../test/fixtures/replies/teddy-replies-sample.csv', import.meta.url), 'utf8'),
).map((r) => ({ id: r['留言编号']!, title: r['留言主题']!, detail: r['留言详情']!, answer: r['答复意见']! }));
const tokens = rows.map((r) => ({ title: tokenise(r.title), detail: tokenise(r.detail), answer: tokenise(r.answer) }));

/** The library with the rows in `answerOnly` known by their answer alone. */
function library(answerOnly: Set<number>): ReplyIndex {
  const docs: ReplyIndexDoc[] = rows.map((r, i) =>
    answerOnly.has(i)
      ? { id: i, titleTokens: [], questionTokens: [], answerTokens: tokens[i]!.answer, text: r.answer }
      : {
          id: i,
          titleTokens: tokens[i]!.title,
          questionTokens: tokens[i]!.detail,
          answerTokens: tokens[i]!.answer,
          text: `${r.title}\n${r.detail}\n${r.answer}`,
        },
  );
  return new ReplyIndex(docs);
}

const query = (i: number) => ({
  titleTokens: tokens[i]!.title,
  tokens: tokens[i]!.detail,
  text: `${rows[i]!.title}\n${rows[i]!.detail}`,
});

describe('ReplyIndex', () => {
  it('finds a message’s own reply from the answer alone, for most messages of the fixture', () => {
    const substantive = rows.map((r, i) => i).filter((i) => rows[i]!.answer.length > 100);
    const index = library(new Set(substantive));
    const ranks = substantive.map((i) => rankOf(index.scores(query(i)), i));
    const top1 = ranks.filter((r) => r === 1).length;
    // 24 substantive replies among 26; their own reply first for at least 2 in 3, within the top 5 for 9 in 10.
    expect(top1 / ranks.length).toBeGreaterThanOrEqual(0.66);
    expect(ranks.filter((r) => r <= 5).length / ranks.length).toBeGreaterThanOrEqual(0.9);
  });

  it('explains a match with the shared key terms, the case’s subject first', () => {
    const i = rows.findIndex((r) => r.id === '4043');
    const index = library(new Set([i]));
    const [best] = index.search(query(i), 3);
    expect(best!.id).toBe(i);
    // 公益性岗位 runs through the whole reply: it outweighs the rarer words the message uses once.
    expect(best!.sharedTerms[0]).toBe('公益性岗位');
    expect(best!.sharedTerms.length).toBeGreaterThan(2);
    expect(best!.score).toBeGreaterThan(0.5);
  });

  it('ranks a similar past question first when the query is a new wording (公积金 loan questions together)', () => {
    const index = library(new Set());
    const top = index.search(
      {
        titleTokens: tokenise('异地缴存的公积金能在A市贷款买房吗'),
        tokens: [],
        text: '异地缴存的公积金能在A市贷款买房吗',
      },
      3,
    );
    for (const m of top) expect(rows[m.id]!.title + rows[m.id]!.answer).toContain('公积金');
  });

  it('scores nothing for a query sharing no word or bigram', () => {
    const index = library(new Set());
    expect(topIndexes(index.scores({ tokens: ['zzzz'], text: 'zzzz' }), 5)).toEqual([]);
  });
});

describe('PlainBm25', () => {
  it('is Okapi BM25: a rarer shared term outweighs a common one, each query token counts as often as it occurs', () => {
    const bm25 = new PlainBm25([
      ['养老金', '发放'],
      ['发放', '工资'],
      ['发放', '补贴'],
    ]);
    const s = bm25.scores(['养老金']);
    expect(s[0]).toBeGreaterThan(0);
    expect(s[1]).toBe(0);
    const common = bm25.scores(['发放']);
    expect(s[0]!).toBeGreaterThan(common[0]!);
    const once = bm25.scores(['养老金'])[0]!;
    const thrice = bm25.scores(['养老金', '养老金', '养老金'])[0]!;
    expect(thrice).toBeCloseTo(once * 3, 6);
  });
});
