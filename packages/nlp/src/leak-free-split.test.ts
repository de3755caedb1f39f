import { describe, expect, it } from 'vitest';
import { leakFreeSplit } from './leak-free-split.ts';
import type { LabelledText } from './classifier-training.ts';

const complaint = (n: number): LabelledText => ({
  text: `第${n}号投诉：A${n}区某公司\n我在A${n}区第${n}家公司工作${n}年，单位拖欠社保${n}个月，编号${n * 7919}，请求处理。`,
  label: n % 2 ? 'a' : 'b',
});

describe('leakFreeSplit', () => {
  const docs = Array.from({ length: 40 }, (_, i) => complaint(i + 1));

  it('drops training rows that repeat a held-out title or a held-out letter with a new first line', () => {
    const probe = leakFreeSplit(docs, 0.25, { seed: 3 });
    const held = probe.heldOut[0]!;
    const [title, body] = held.text.split('\n') as [string, string];
    const leaks: LabelledText[] = [
      { text: title, label: held.label },
      { text: `转发：${body}`, label: held.label },
    ];
    const honest: LabelledText = { text: '小区门口的下水道堵了好几天，希望尽快疏通', label: 'a' };
    const split = leakFreeSplit(docs, 0.25, { seed: 3, trainOnly: [...leaks, honest] });
    expect(split.heldOut.map((d) => d.text)).toEqual(probe.heldOut.map((d) => d.text));
    const trainTexts = new Set(split.train.map((d) => d.text));
    for (const leak of leaks) expect(trainTexts.has(leak.text), leak.text).toBe(false);
    expect(trainTexts.has(honest.text)).toBe(true);
    expect(split.dropped).toBeGreaterThanOrEqual(2);
    for (const d of split.train) expect(split.heldOut.map((h) => h.text)).not.toContain(d.text);
  });

  it('keeps distinct letters about similar matters in training', () => {
    const letters: LabelledText[] = [
      '某物流公司拖欠三个月工资，多次讨要无果，请劳动监察部门处理',
      '单位不给缴纳社保，离职后才发现断缴两年，要求补缴',
      '请问灵活就业人员在哪里办理养老保险参保手续',
      '工伤认定已经半年还没有结果，医药费都是自己垫付的',
      '退休金调整什么时候发放，今年比去年少了两百元',
      '建筑工地包工头跑了，二十多名农民工的工钱没有着落',
      '公务员考试报名系统一直打不开，能否延长报名时间',
      '新农合报销比例太低，住院花了三万只报了几千',
    ].map((text, i) => ({ text, label: i % 2 ? 'a' : 'b' }));
    const split = leakFreeSplit(letters, 0.25, { seed: 3 });
    expect(split.dropped).toBe(0);
    expect(split.train.length + split.heldOut.length).toBe(letters.length);
  });
});
