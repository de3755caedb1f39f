import { describe, expect, it } from 'vitest';
import { mentionForAnalysisFixture } from '@yuqing/testkit';
import { classifyMention } from './mention-classifier.ts';
import { ModelCache, shippedModelSpecs } from './model-set.ts';

const specs = shippedModelSpecs();

const mention = mentionForAnalysisFixture;

describe('classifyMention sub-category', () => {
  // The first letter's 新农合 words pull the model alone towards 城镇居民社会保险; the fund rule decides it.
  it('gives fund fraud 社保基金管理 by the keyword rule and leaves other letters to the model', async () => {
    const models = await new ModelCache().models(specs);
    const fraud = classifyMention(
      mention(
        1,
        '新农合报销问题',
        '我父亲去年住院，新农合只报了一半。后来听说村卫生室用村民的名字套取新农合资金，请问报销比例是多少？',
      ),
      models,
    );
    expect(fraud.relevant).toBe(true);
    expect(fraud.subcategory).toBe('社保基金管理');
    expect(fraud.category).toBe('社保基金管理');
    const wage = mention(
      2,
      '公司拖欠工资',
      '星河物流公司拖欠工资三个月，几十名员工讨薪无门，劳动监察部门什么时候介入？',
    );
    const judged = classifyMention(wage, models);
    const model = models.subcategory.classifier.predict(`${wage.title}\n${wage.body}`);
    expect(judged.relevant).toBe(true);
    expect(judged.subcategory).toBe(model.label);
    // Irrelevant text gets no sub-category, rule or not.
    expect(
      classifyMention(mention(3, '周末篮球联赛', '本周末市体育中心举行业余篮球联赛决赛，欢迎市民观赛。'), models)
        .subcategory,
    ).toBeNull();
  }, 120_000);
});
