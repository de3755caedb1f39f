import { describe, expect, it } from 'vitest';
import { applySchemes, evaluateScheme, parseSchemes } from './monitoring-scheme.ts';

const rule = { all: [['海淀', '朝阳'], '欠薪|拖欠工资|讨薪'], not: ['招聘'] };

describe('evaluateScheme', () => {
  it('needs every AND group (any term of a group), and no exclusion term', () => {
    expect(evaluateScheme(rule, '朝阳区某工地拖欠工资三个月')).toMatchObject({
      matched: true,
      hits: ['朝阳', '拖欠工资'],
    });
    expect(evaluateScheme(rule, '海淀区招聘会：欠薪企业不得参加')).toMatchObject({
      matched: false,
      excludedBy: '招聘',
    });
    expect(evaluateScheme(rule, '丰台区欠薪')).toMatchObject({ matched: false, missingGroups: [['海淀', '朝阳']] });
  });
  it('supports OR-only rules and is width/case-insensitive', () => {
    expect(evaluateScheme({ any: ['ABC公司', '社保卡'] }, 'ａｂｃ公司今天发通知').matched).toBe(true);
    expect(evaluateScheme({ any: ['社保卡'] }, '无关内容').matched).toBe(false);
  });
  it('rejects an empty rule', () => {
    expect(() => evaluateScheme({ not: ['x'] }, 'x')).toThrow(/at least one group/);
  });
});

describe('applySchemes', () => {
  const schemes = [
    { id: 1, name: '欠薪', rule, tags: ['欠薪', '海淀朝阳'] },
    { id: 2, name: '医保', rule: { any: ['医保'] }, tags: [] },
  ];
  it('keeps everything when no scheme exists; otherwise keeps matches and tags them', () => {
    expect(applySchemes(parseSchemes([]), '随便什么')).toEqual({ keep: true, tags: [], unreadable: [] });
    expect(applySchemes(parseSchemes(schemes), '海淀某公司欠薪，医保也断缴')).toEqual({
      keep: true,
      tags: ['欠薪', '海淀朝阳', '医保'],
      unreadable: [],
    });
    expect(applySchemes(parseSchemes(schemes), '天气预报')).toEqual({ keep: false, tags: [], unreadable: [] });
  });
  it('names the schemes whose stored rule cannot be read instead of dropping them silently', () => {
    const broken = [...schemes, { id: 3, name: '坏规则', rule: { all: 'not-an-array' }, tags: [] }];
    const parsed = parseSchemes(broken);
    expect(parsed.unreadable).toEqual([3]);
    expect(applySchemes(parsed, '天气预报')).toEqual({ keep: false, tags: [], unreadable: [3] });
    expect(applySchemes(parseSchemes([broken[2]!]), '天气预报')).toEqual({ keep: true, tags: [], unreadable: [3] });
  });
});
