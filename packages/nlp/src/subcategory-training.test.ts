import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSharedTrainingData } from './default-model-data.ts';
import {
  forcedSubcategory,
  groupedFolds,
  hrDevFolds,
  HR_DEV_LISTED_GROUPS,
  subcategoryRule,
  SUBCATEGORY_CV_FOLDS,
  trustedRuleClasses,
  withoutNearDuplicates,
} from './subcategory-training.ts';

/** Characters that distinct test letters are drawn from, so that two letters share few bigrams. */
const CHARS =
  '工资社保养老医疗失业生育退休单位公司拖欠补缴仲裁合同派遣培训考试职称档案编制年假加班安全基金农合居民职工待遇认证工龄调整标准申请办理处理投诉举报政策部门';

/** A made-up letter of 60 characters drawn by a small PRNG: distinct letters share few character bigrams. */
const letter = (n: number, label: string) => {
  let x = n * 2654435761;
  const pick = () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return CHARS[x % CHARS.length]!;
  };
  return { text: `${pick()}${pick()}${pick()}${pick()}\n${Array.from({ length: 60 }, pick).join('')}`, label };
};

describe('groupedFolds', () => {
  const rows = Array.from({ length: 30 }, (_, i) => letter(i + 1, i % 3 === 0 ? 'a' : i % 3 === 1 ? 'b' : 'c'));

  it('keeps listed groups and near-duplicates in one fold and spreads each class over the folds', () => {
    const repost = { text: `转发：${rows[4]!.text.split('\n')[1]!}`, label: rows[4]!.label };
    const all = [...rows, repost];
    const folds = groupedFolds(all, 5, [[0, 7]]);
    expect(folds).toHaveLength(all.length);
    expect(folds[0]).toBe(folds[7]);
    expect(folds[30]).toBe(folds[4]);
    for (const label of ['a', 'b', 'c']) {
      const used = new Set(folds.filter((_, i) => all[i]!.label === label));
      expect(used.size, label).toBeGreaterThanOrEqual(4);
    }
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((f) => f === k).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(3);
    // The same rows give the same folds: the card's and the bench's figures come from one split.
    expect(groupedFolds(all, 5, [[0, 7]])).toEqual(folds);
  });
});

describe('withoutNearDuplicates', () => {
  it('drops pool texts that repeat a held-out letter, with or without a new first line, and keeps the rest', () => {
    const held = letter(3, 'a').text;
    const pool = [
      held.split('\n')[1]!,
      `网友转帖\n${held.split('\n')[1]!}`,
      letter(8, 'a').text,
      '小区门口的下水道堵了',
    ];
    expect(withoutNearDuplicates(pool, [held])).toEqual([letter(8, 'a').text, '小区门口的下水道堵了']);
  });
});

describe('subcategoryRule', () => {
  it('places fund fraud and long hours in their rare classes, and leaves overtime pay and maternity benefit alone', () => {
    expect(subcategoryRule('举报某县人民医院挂床住院，骗取新农合资金')).toBe('社保基金管理');
    expect(subcategoryRule('公司强迫员工加班加点，一个月只休两天')).toBe('劳动保护');
    expect(subcategoryRule('单位一直不让休年休假，请问合法吗')).toBe('劳动保护');
    expect(subcategoryRule('公司不支付加班工资')).toBeUndefined();
    expect(subcategoryRule('生育津贴什么时候能领到')).toBeUndefined();
    expect(subcategoryRule('单位拖欠养老保险两年，要求补缴')).toBeUndefined();
  });
});

describe('trustedRuleClasses and forcedSubcategory', () => {
  it('trusts a rule only where it is right on at least half the labelled letters it fires on', () => {
    const labelled = [
      { text: '医院挂床骗取医保基金', label: '社保基金管理' },
      { text: '举报诊所骗保', label: '社保基金管理' },
      { text: '骗保的人被抓了，我的医保报销呢', label: '城镇职工社会保险' },
      { text: '公司强迫员工加班，没有双休，也不签合同', label: '劳动关系' },
      { text: '每天加班加点，工资也拖欠', label: '工资福利' },
      { text: '单位没有双休日', label: '劳动保护' },
      { text: '单位拖欠养老保险', label: '城镇职工社会保险' },
    ];
    expect([...trustedRuleClasses(labelled)]).toEqual(['社保基金管理']);
    expect(trustedRuleClasses([])).toEqual(new Set());
  });

  it('forces only the fund rule: fund fraud is 社保基金管理, long hours are left to the model', () => {
    expect(forcedSubcategory('举报某县人民医院挂床住院，骗取新农合资金')).toBe('社保基金管理');
    expect(forcedSubcategory('公司强迫员工加班加点，一个月只休两天')).toBeUndefined();
    expect(forcedSubcategory('单位拖欠养老保险两年，要求补缴')).toBeUndefined();
  });
});

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

describe('HR dev set folds', () => {
  it.skipIf(!existsSync(`${DATA}teddy2020/hr_dev_labels.csv`))(
    'keeps every listed near-duplicate group of hr_dev_labels.md in one fold, folds of 78–82 letters (needs ../shared/data; skipped without it)',
    () => {
      const data = readSharedTrainingData(DATA);
      const folds = hrDevFolds(data);
      expect(folds).toHaveLength(data.dev.length);
      for (const g of HR_DEV_LISTED_GROUPS) {
        expect(new Set(g.map((i) => folds[i])).size, g.join('/')).toBe(1);
        // The listed pairs carry one label each, as the .md says.
        expect(new Set(g.map((i) => data.dev[i]!.subcategory)).size, g.join('/')).toBe(1);
      }
      for (let k = 0; k < SUBCATEGORY_CV_FOLDS; k++) {
        const n = folds.filter((f) => f === k).length;
        expect(n).toBeGreaterThanOrEqual(78);
        expect(n).toBeLessThanOrEqual(82);
      }
      // No held-out letter has a near-duplicate in another fold.
      for (let k = 0; k < SUBCATEGORY_CV_FOLDS; k++) {
        const held = data.dev.filter((_, i) => folds[i] === k).map((d) => d.text);
        const rest = data.dev.filter((_, i) => folds[i] !== k).map((d) => d.text);
        expect(withoutNearDuplicates(rest, held)).toHaveLength(rest.length);
      }
    },
  );

  it.skipIf(!existsSync(`${DATA}teddy2020/hr_dev_labels.csv`))(
    'trusts exactly the rule that forcedSubcategory ships, on all 400 dev letters (needs ../shared/data; skipped without it)',
    () => {
      const data = readSharedTrainingData(DATA);
      const trusted = trustedRuleClasses(data.dev.map((d) => ({ text: d.text, label: d.subcategory })));
      expect([...trusted]).toEqual(['社保基金管理']);
      for (const d of data.dev) {
        const ruled = subcategoryRule(d.text);
        expect(forcedSubcategory(d.text)).toBe(ruled && trusted.has(ruled) ? ruled : undefined);
      }
    },
  );
});
