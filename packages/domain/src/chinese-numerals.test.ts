import { describe, expect, it } from 'vitest';
import { chineseNumeralValue, normaliseNumerals } from './chinese-numerals.ts';

describe('Chinese numerals', () => {
  it('reads numerals written with units, digit by digit, and with 万', () => {
    expect(chineseNumeralValue('三')).toBe(3);
    expect(chineseNumeralValue('十五')).toBe(15);
    expect(chineseNumeralValue('二十')).toBe(20);
    expect(chineseNumeralValue('一百零五')).toBe(105);
    expect(chineseNumeralValue('三千')).toBe(3000);
    expect(chineseNumeralValue('十五万')).toBe(150000);
    expect(chineseNumeralValue('二〇二六')).toBe(2026);
    expect(chineseNumeralValue('两')).toBe(2);
    expect(chineseNumeralValue('三五')).toBe(35);
    expect(chineseNumeralValue('')).toBeNull();
  });

  it('folds counted numerals and full-width digits, and keeps words that only contain a numeral', () => {
    expect(normaliseNumerals('缴满三年能领吗')).toBe('缴满3年能领吗');
    expect(normaliseNumerals('缴满３年')).toBe('缴满3年');
    expect(normaliseNumerals('两个月内办结')).toBe('2个月内办结');
    expect(normaliseNumerals('依据第十五条')).toBe('依据第15条');
    expect(normaliseNumerals('补贴十五万元')).toBe('补贴150000元');
    expect(normaliseNumerals('比例为６０％')).toBe('比例为60%');
    for (const word of ['一定办好', '统一标准', '万一出错', '一些情况', '一般来说', '唯一'])
      expect(normaliseNumerals(word)).toBe(word);
  });
});
