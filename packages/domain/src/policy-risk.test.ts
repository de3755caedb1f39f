// Clause splitting and risk rules on provisions quoted from the 失业保险条例 (State Council Order No. 258, 1999),
// a published regulation the bureau applies.
import { describe, expect, it } from 'vitest';
import {
  assessPolicy,
  rateClauseRisk,
  readClauseWording,
  splitPolicyClauses,
  type ClauseEvidence,
} from './policy-risk.ts';

const REGULATION = [
  '失业保险条例',
  '第一章 总则',
  '第一条 为了保障失业人员失业期间的基本生活，促进其再就业，制定本条例。',
  '第二章 失业保险待遇',
  '第十四条 具备下列条件的失业人员，可以领取失业保险金：',
  '（一）按照规定参加失业保险，所在单位和本人已按照规定履行缴费义务满1年的；',
  '（二）非因本人意愿中断就业的；',
  '（三）已办理失业登记，并有求职要求的。',
  '第十五条 失业人员在领取失业保险金期间有下列情形之一的，停止领取失业保险金，并同时停止享受其他失业保险待遇：',
  '（一）重新就业的；',
].join('\n');

const none: ClauseEvidence = { terms: ['失业人员'], mentions: 0, negative: 0, issues: [] };

describe('splitPolicyClauses', () => {
  it('splits 第X条 articles and （一） items, keeping chapters as sections', () => {
    const clauses = splitPolicyClauses(REGULATION);
    expect(clauses.map((c) => [c.heading, c.marker, c.section])).toEqual([
      ['第一条', 'article', '第一章 总则'],
      ['第十四条', 'article', '第二章 失业保险待遇'],
      ['（一）', 'item', '第二章 失业保险待遇'],
      ['（二）', 'item', '第二章 失业保险待遇'],
      ['（三）', 'item', '第二章 失业保险待遇'],
      ['第十五条', 'article', '第二章 失业保险待遇'],
      ['（一）', 'item', '第二章 失业保险待遇'],
    ]);
    expect(clauses[0]!.text).toBe('为了保障失业人员失业期间的基本生活，促进其再就业，制定本条例。');
  });

  it('falls back to paragraphs when a text has no markers, dropping short lines', () => {
    const clauses = splitPolicyClauses('通知\n为做好失业保险金发放工作，现将有关事项通知如下，请遵照执行。');
    expect(clauses).toEqual([
      {
        index: 1,
        heading: '',
        marker: 'paragraph',
        section: null,
        text: '为做好失业保险金发放工作，现将有关事项通知如下，请遵照执行。',
      },
    ]);
  });
});

describe('risk rules', () => {
  const [, article14, , , , article15] = splitPolicyClauses(REGULATION);

  it('rates stopping benefits for the unemployed high, with the wording and group as the reason', () => {
    const wording = readClauseWording(article15!.text);
    expect(wording.groups).toContain('失业人员');
    expect(wording.concerns).toContain('待遇降低');
    const risk = rateClauseRisk(wording, none);
    expect(risk.level).toBe('high');
    expect(risk.reasons[0]).toContain('待遇降低');
    expect(risk.reasons[0]).toContain('失业人员');
  });

  it('rates eligibility conditions medium, and high once a related issue reached 较大', () => {
    const wording = readClauseWording(article14!.text);
    expect(wording.concerns).toEqual(expect.arrayContaining(['资格认定']));
    expect(wording.severeConcerns).toEqual([]);
    expect(rateClauseRisk(wording, none).level).toBe('medium');
    const major: ClauseEvidence = {
      ...none,
      mentions: 30,
      negative: 6,
      issues: [{ id: 4, title: '失业金申领难', level: 'major', hotness: 40, mentionCount: 30 }],
    };
    const risk = rateClauseRisk(wording, major);
    expect(risk.level).toBe('high');
    expect(risk.reasons).toContain('相关历史议题达较大级：「失业金申领难」（30 条）');
  });

  it('needs enough mentions before a negative share counts', () => {
    const wording = readClauseWording('为了保障失业人员失业期间的基本生活，促进其再就业，制定本条例。');
    expect(rateClauseRisk(wording, { ...none, mentions: 4, negative: 4 }).level).toBe('low');
    const hostile = rateClauseRisk(wording, { ...none, mentions: 10, negative: 6 });
    expect(hostile).toEqual({ level: 'medium', reasons: ['相关信息 10 条，负面占比 60%'] });
  });

  it('assesses the draft at its highest clause level and asks the high-risk questions first', () => {
    const clauses = splitPolicyClauses(REGULATION);
    const a = assessPolicy('失业保险条例', clauses, new Map());
    expect(a.level).toBe('high');
    expect(a.questions[0]!.clauseIndex).toBe(6);
    expect(a.questions[0]!.question).toBe('第十五条实施后，失业人员的待遇会不会降低？');
    expect(a.questions[0]!.answer).toMatch(/^依据《失业保险条例》第十五条：“失业人员在领取失业保险金期间/);
  });
});
