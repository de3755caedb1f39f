// The draft check on real replies (test/fixtures/replies, rows of the Teddy 2020 replies with their messages)
// and on drafts written to hit one rule each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDraft, extractQuestions, findDepartment, findRiskyPhrases } from './draft-check.ts';

const FIXTURE = new URL('../../../test/fixtures/replies/teddy-replies-sample.csv', import.meta.url);

/** The fixture's rows by 留言编号 (a minimal reader: the fixture is RFC 4180 with quoted multi-line fields). */
function fixtureRows(): Map<string, { title: string; detail: string; answer: string }> {
  const text = readFileSync(FIXTURE, 'utf8');
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  const out = new Map<string, { title: string; detail: string; answer: string }>();
  for (const r of rows.slice(1)) out.set(r[0]!, { title: r[2]!, detail: r[4]!, answer: r[5]! });
  return out;
}

const NOW = new Date('2026-12-05T02:00:00Z');

describe('draft check', () => {
  const rows = fixtureRows();

  it('scores real complete replies above real stub replies', () => {
    const score = (id: string, draftOf = id): number => {
      const r = rows.get(id)!;
      return checkDraft({ draft: rows.get(draftOf)!.answer, mentions: [{ title: r.title, body: r.detail }], now: NOW })
        .score;
    };
    const complete = ['24974', '24695', '4043'].map((id) => score(id));
    const stubs = ['11974', '114346'].map((id) => score(id));
    expect(Math.min(...complete)).toBeGreaterThan(Math.max(...stubs) + 30);
  });

  it('marks the asked question answered by its own reply and not by another message’s reply', () => {
    const r = rows.get('4043')!;
    const own = checkDraft({ draft: r.answer, mentions: [{ title: r.title, body: r.detail }], now: NOW });
    const other = checkDraft({
      draft: rows.get('24974')!.answer,
      mentions: [{ title: r.title, body: r.detail }],
      now: NOW,
    });
    expect(own.questions.length).toBeGreaterThan(0);
    expect(own.questions.some((q) => q.answered)).toBe(true);
    expect(other.questions.every((q) => !q.answered)).toBe(true);
    expect(own.policyBasis.join(' ')).toContain('《A市公益性岗位管理办法》');
    expect(other.hints.some((h) => h.startsWith('网民问到'))).toBe(true);
  });

  it('finds the department, time limit, contact and policy basis, and hints at what is missing', () => {
    const full = checkDraft({
      draft:
        '经市人力资源和社会保障局核实，该公司拖欠的工资将于5个工作日内足额支付。依据《保障农民工工资支付条例》第三十条，' +
        '如有疑问请拨打12333咨询。',
      mentions: [{ title: '公司拖欠工资什么时候能发？', body: '' }],
      deadlineAt: new Date(NOW.getTime() + 86_400_000),
      now: NOW,
    });
    expect(full.department).toBe('市人力资源和社会保障局');
    expect(full.timeLimit).toBe('5个工作日内');
    expect(full.contact).toBe('12333');
    expect(full.policyBasis).toEqual(['《保障农民工工资支付条例》', '第三十条']);
    expect(full.timeliness).toBe('on-time');
    expect(full.items.find((i) => i.key === 'questions')!.passed).toBe(true);

    const bare = checkDraft({
      draft: '已收悉，正在处理。',
      mentions: [],
      deadlineAt: new Date(NOW.getTime() - 1),
      now: NOW,
    });
    expect(bare.timeliness).toBe('overdue');
    expect(bare.hints).toEqual(
      expect.arrayContaining([
        '写明办理时限（如“5个工作日内”“6月30日前”）。',
        '留下咨询方式（12333 或咨询电话）。',
        '已超过回应时限，请尽快提交审批。',
      ]),
    );
    expect(bare.score).toBeLessThan(full.score);
  });

  it('flags dismissive phrases and absolute promises but not 一定程度 or 保证金', () => {
    expect(findRiskyPhrases('此事无可奉告，当事人是临时工。').map((r) => r.phrase)).toEqual(['无可奉告', '临时工']);
    expect(findRiskyPhrases('我们保证100%解决，绝不拖延').map((r) => r.kind)).toEqual([
      'absolute',
      'absolute',
      'absolute',
    ]);
    expect(findRiskyPhrases('在一定程度上缓解了压力，保证金已退还。')).toEqual([]);
  });

  it('extracts each question once and falls back to the title', () => {
    const qs = extractQuestions([
      { title: '养老金什么时候发放？', body: '我想问养老金什么时候发放？另外医保卡能否异地使用？谢谢。' },
      { title: '转发：养老金什么时候发放？', body: '' },
    ]);
    expect(qs).toEqual(['养老金什么时候发放？', '另外医保卡能否异地使用？']);
    expect(extractQuestions([{ title: '反映A7县龙塘小区的几个问题', body: '小区路灯不亮。' }])).toEqual([
      '反映A7县龙塘小区的几个问题',
    ]);
    expect(findDepartment('这是大局所在')).toBeNull();
  });
});

describe('answered-or-not reads numbers however they are written', () => {
  const mentions = [{ title: '缴满三年能领失业金吗？', body: '' }];
  const draft = (years: string) =>
    `经市社保中心核实，失业人员失业前所在单位和本人累计缴费满${years}年的，可以按规定申领失业保险金。`;

  it('takes 3年 and ３年 as an answer to 三年', () => {
    const arabic = checkDraft({ draft: draft('3'), mentions, now: NOW });
    const fullWidth = checkDraft({ draft: draft('３'), mentions, now: NOW });
    const chinese = checkDraft({ draft: draft('三'), mentions, now: NOW });
    expect(chinese.questions[0]!.answered).toBe(true);
    expect(arabic.questions[0]!.coverage).toBe(chinese.questions[0]!.coverage);
    expect(fullWidth.questions[0]!.coverage).toBe(chinese.questions[0]!.coverage);
    expect(arabic.questions[0]!.answered).toBe(true);
  });

  it('does not take another quantity as the same one', () => {
    const five = checkDraft({ draft: draft('5'), mentions, now: NOW });
    const three = checkDraft({ draft: draft('3'), mentions, now: NOW });
    expect(five.questions[0]!.coverage).toBeLessThan(three.questions[0]!.coverage);
  });
});
