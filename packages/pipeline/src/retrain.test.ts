import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@yuqing/core';
import { getPromotedModel, insertMentions, labelMention } from '@yuqing/db';
import { createTestDatabase, mentionInsertFixture, type TestDatabase } from '@yuqing/testkit';
import { ModelSet } from './model-set.ts';
import { retrainModels } from './retrain.ts';

let test: TestDatabase;

beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

/** Stores mentions and labels their sentiment as an analyst would in triage. */
async function labelSentiments(examples: readonly [string, 'negative' | 'neutral'][]): Promise<void> {
  const rows = examples.map(([text], k) => {
    const url = `https://weibo.example.cn/${k}-${randomUUID()}`;
    return mentionInsertFixture({ url, contentHash: sha256Hex(url), title: '', body: text, relevant: true });
  });
  const inserted = await insertMentions(test.db, rows);
  for (const [k, row] of inserted.entries())
    await labelMention(test.db, row.id, 'sentiment', examples[k]![1], { actorId: null });
}

describe('retrain from analysts’ corrections', () => {
  it('skips a task with too few labels', async () => {
    const outcomes = await retrainModels(test.db, { tasks: ['relevance'] });
    expect(outcomes).toEqual([expect.objectContaining({ task: 'relevance', status: 'skipped' })]);
    expect(await getPromotedModel(test.db, 'relevance')).toBeNull();
  });

  it('trains a candidate, scores it against the current model on held-out labels, and promotes only if no worse', async () => {
    const negative = [
      '社保窗口办事效率太低，排队一上午还没办成，气死了',
      '工资拖欠半年没人管，投诉也没用，太寒心',
      '养老金又没按时到账，老人生活怎么办，非常失望',
      '医保报销被拒还不说明理由，简直欺负人',
      '工伤认定拖了三个月，跑了十几趟，心累',
    ];
    const neutral = [
      '请问社保卡在哪里可以补办，需要带什么材料',
      '今年职业技能培训补贴标准是多少',
      '灵活就业人员怎样参加养老保险',
      '失业保险金申领需要什么手续',
      '异地就医备案可以网上办理吗',
    ];
    const examples: [string, 'negative' | 'neutral'][] = [];
    for (let round = 0; round < 4; round++) {
      negative.forEach((t) => examples.push([`${t}（第${round + 1}次反映）`, 'negative']));
      neutral.forEach((t) => examples.push([`${t}？（咨询${round + 1}）`, 'neutral']));
    }
    await labelSentiments(examples);
    const [outcome] = await retrainModels(test.db, { tasks: ['sentiment'] });
    expect(outcome!.status === 'promoted' || outcome!.status === 'kept').toBe(true);
    expect(outcome!.labels).toBe(40);
    expect(outcome!.candidateMacroF1).toBeGreaterThanOrEqual(0);
    const promoted = await getPromotedModel(test.db, 'sentiment');
    if (outcome!.status === 'promoted') {
      expect(outcome!.candidateMacroF1! + 0.02).toBeGreaterThanOrEqual(outcome!.currentMacroF1!);
      expect(promoted?.version).toBe(outcome!.version);
      const models = await new ModelSet(test.db).get();
      expect(models.sentiment.version).toBe(`sentiment@${outcome!.version}`);
    } else {
      expect(outcome!.candidateMacroF1!).toBeLessThan(outcome!.currentMacroF1!);
      expect(promoted).toBeNull();
    }
  });
});
