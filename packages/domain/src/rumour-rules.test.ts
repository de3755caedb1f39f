import { describe, expect, it } from 'vitest';
import {
  assertCanRebut,
  assertRebuttalComplete,
  citesRebuttal,
  matchOutsidePost,
  rumourOverlap,
  rumourProfile,
  missingRebuttalSections,
  rumourRebuttalTemplate,
  spreadSeries,
} from './rumour-rules.ts';

describe('rebuttal template', () => {
  it('names the issue and the rumour and lacks every section until they are filled in', () => {
    const template = rumourRebuttalTemplate({ issueTitle: '养老金停发', note: '网传下月起停发养老金' });
    expect(template.split('\n')[0]).toBe('关于“养老金停发”的辟谣说明（网传：网传下月起停发养老金）');
    expect(missingRebuttalSections(template)).toEqual(['事实', '依据', '权威来源', '联系方式']);
    expect(() => assertRebuttalComplete('rumour_rebuttal', template)).toThrow(/【事实】/);
    const filled = template
      .replace('实际情况是：……', '实际情况是：养老金按月足额发放。')
      .replace('根据《……》（文号……）第……条规定：……', '根据《社会保险法》第十五条，基本养老金按月支付。')
      .replace('微信公众号发布的信息为准：……', '微信公众号发布的信息为准。')
      .replace('或……咨询', '咨询');
    expect(missingRebuttalSections(filled.replace('第十五条', '第……条'))).toEqual(['依据']);
    expect(missingRebuttalSections(filled)).toEqual([]);
    expect(() => assertRebuttalComplete('rumour_rebuttal', filled)).not.toThrow();
    expect(missingRebuttalSections('【事实】已核实。\n【依据】\n')).toEqual(['依据', '权威来源', '联系方式']);
    expect(() => assertRebuttalComplete('statement', 'anything')).not.toThrow();
  });

  it('lets only issues marked as rumours take a rebuttal', () => {
    expect(() => assertCanRebut({ id: 3, rumourMarkedAt: null }, 'rumour_rebuttal')).toThrow(/not marked/);
    expect(() => assertCanRebut({ id: 3, rumourMarkedAt: null }, 'statement')).not.toThrow();
    expect(() => assertCanRebut({ id: 3, rumourMarkedAt: new Date() }, 'rumour_rebuttal')).not.toThrow();
  });
});

describe('spread series', () => {
  const at = (iso: string) => new Date(iso);
  const notice = { publishedAt: at('2026-12-01T04:00:00Z'), title: '关于“养老金停发”的辟谣说明' };

  it('buckets posts by hour with empty hours kept, counting citations only after the notice', () => {
    const posts = [
      { at: at('2026-12-01T01:10:00Z'), text: '听说下月养老金停发了' },
      { at: at('2026-12-01T01:50:00Z'), text: '谣言？养老金真的停发' },
      { at: at('2026-12-01T04:30:00Z'), text: '人社局辟谣：养老金按时发放' },
      { at: at('2026-12-01T04:40:00Z'), text: '关于“养老金停发”的辟谣说明 转发' },
      { at: at('2026-12-01T04:50:00Z'), text: '还是担心' },
    ];
    const { bucket, points } = spreadSeries(posts, [notice], 'hour');
    expect(bucket).toBe('hour');
    expect(points.map((p) => [p.at.toISOString(), p.mentions, p.citing])).toEqual([
      ['2026-12-01T01:00:00.000Z', 2, 0],
      ['2026-12-01T02:00:00.000Z', 0, 0],
      ['2026-12-01T03:00:00.000Z', 0, 0],
      ['2026-12-01T04:00:00.000Z', 3, 2],
    ]);
  });

  it('starts day buckets at local midnight and falls back to days for long spans', () => {
    const posts = [
      { at: at('2026-11-30T16:30:00Z'), text: 'a' }, // 00:30 on 12-01 in Beijing
      { at: at('2026-12-01T15:59:00Z'), text: '官方回应来了' },
    ];
    const days = spreadSeries(posts, [notice], 'day', 480);
    expect(days.points.map((p) => [p.at.toISOString(), p.mentions, p.citing])).toEqual([
      ['2026-11-30T16:00:00.000Z', 2, 1],
    ]);
    const long = spreadSeries([posts[0]!, { at: at('2027-03-01T00:00:00Z'), text: 'b' }], [], 'hour');
    expect(long.bucket).toBe('day');
    expect(citesRebuttal('与网传不符', [])).toBe(false);
    expect(spreadSeries([], [], 'hour').points).toEqual([]);
  });

  it('counts posts filed elsewhere that repeat the rumour or cite the notice, and no others', () => {
    const own = [{ at: at('2026-12-01T01:10:00Z'), text: '网传下月起停发养老金 群里都在传' }];
    const profile = rumourProfile(['网传下月起停发养老金', '听说下月养老金停发了', '短']);
    expect(profile).toHaveLength(2);
    const outside = [
      { at: at('2026-12-01T01:30:00Z'), text: '听说下月养老金停发了？真的假的' }, // repeat
      { at: at('2026-12-01T04:20:00Z'), text: '关于“养老金停发”的辟谣说明，大家放心' }, // names the notice
      { at: at('2026-12-01T04:25:00Z'), text: '官方辟谣了：养老金不会停发' }, // citation word, about this rumour
      { at: at('2026-12-01T04:30:00Z'), text: '交警辟谣：高速公路不会封闭' }, // citation word, another matter
      { at: at('2026-12-01T02:00:00Z'), text: '今天天气很好适合出游' },
    ];
    expect(outside.map((p) => matchOutsidePost(p, profile, [notice]))).toEqual([
      'repeat',
      'citing',
      'citing',
      null,
      null,
    ]);
    // Before any notice, a citation word alone does not make a post citing.
    expect(
      matchOutsidePost({ at: at('2026-12-01T03:00:00Z'), text: '官方辟谣了：养老金不会停发' }, profile, [notice]),
    ).toBe(null);
    expect(rumourOverlap('网传下月起停发养老金', profile)).toBe(1);
    const { points } = spreadSeries(own, [notice], 'hour', 480, { posts: outside, profile });
    expect(points.map((p) => [p.mentions, p.repeats, p.citing, p.citingOutside])).toEqual([
      [2, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 2, 2],
    ]);
  });
});
