// Reading and assessing real drafts: two published State Council / ministry policies saved as .docx (see
// test/fixtures/policy/README.md), and the bureau's own disclosure report from ../shared when it is there.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { assessPolicy, readClauseWording, splitPolicyClauses } from '@yuqing/domain';
import { detectPolicyDocumentType, policyTitle, readPolicyDocument } from './policy-document.ts';
import { clauseKeyTerms, keyTermTokenSets } from './policy-assessment.ts';

const FIXTURES = new URL('../../../test/fixtures/policy/', import.meta.url);
const SHARED_REPORT = new URL('../../../../shared/context/bureau-disclosure-report-2014.txt', import.meta.url);
const HAS_SHARED_REPORT = existsSync(SHARED_REPORT);
if (!HAS_SHARED_REPORT) console.warn('../shared/context is absent: the bureau report test is skipped');

async function fixture(name: string): Promise<Buffer> {
  return readFile(new URL(name, FIXTURES));
}

describe('reading drafts', () => {
  it('reads a real .docx with mammoth and takes its first short line as the title', async () => {
    const bytes = await fixture('rural-revitalisation-2023.docx');
    expect(detectPolicyDocumentType(bytes, 'x.docx')).toBe('docx');
    const text = await readPolicyDocument(bytes, 'rural-revitalisation-2023.docx');
    expect(text).toContain('（一）全力抓好粮食生产。');
    expect(policyTitle(text)).toBe('关于学习运用千村示范、万村整治工程经验有力有效推进乡村全面振兴的意见');
  });

  it('refuses what is not .docx, .pdf or .txt, by content and not by name', async () => {
    const svg = await readFile(new URL('../../../dashboard/public/favicon.svg', import.meta.url));
    await expect(readPolicyDocument(svg, 'favicon.svg')).rejects.toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' });
    // A Word file renamed to .txt is still read as Word.
    const docx = await fixture('future-industries-2024.docx');
    expect(detectPolicyDocumentType(docx, 'draft.txt')).toBe('docx');
    // A ZIP that is not a Word document (the .docx with its main part renamed away) is refused.
    const notWord = Buffer.from(docx.toString('latin1').replaceAll('word/document.xml', 'word/documenX.xml'), 'latin1');
    expect(() => detectPolicyDocumentType(notWord, 'book.xlsx')).toThrow(/unsupported/);
  });
});

describe('clauses and risk rules on real documents', () => {
  it('splits 一、 sections with （一） items and marks numbered sub-items under a title-only item', async () => {
    const text = await readPolicyDocument(await fixture('future-industries-2024.docx'), 'f.docx');
    const clauses = splitPolicyClauses(text);
    expect(clauses.length).toBeGreaterThanOrEqual(15);
    // 一、指导思想 is a title: its prose becomes an unmarked clause under it.
    expect(clauses[0]).toMatchObject({ heading: '', marker: 'paragraph', section: '一、指导思想' });
    // （一）全面布局未来产业 is a title over numbered clauses 1. 2. …
    const first = clauses.find((c) => c.heading === '1.');
    expect(first).toMatchObject({ marker: 'numbered', section: '（一）全面布局未来产业' });
    expect(first!.text.startsWith('加强前瞻谋划部署。')).toBe(true);
    expect(clauses.map((c) => c.index)).toEqual(clauses.map((_, i) => i + 1));
  });

  it('finds affected groups, concerns and levels in the 2023 rural revitalisation document', async () => {
    const text = await readPolicyDocument(await fixture('rural-revitalisation-2023.docx'), 'r.docx');
    const clauses = splitPolicyClauses(text);
    expect(clauses.map((c) => c.heading).slice(0, 3)).toEqual(['（一）', '（二）', '（六）']);
    const county = clauses.find((c) => c.text.startsWith('培育壮大县域富民产业'))!;
    const wording = readClauseWording(county.text);
    expect(wording.groups).toEqual(expect.arrayContaining(['农民工', '灵活就业人员']));
    // 提高 here raises incomes: no 待遇降低 for a rise.
    expect(wording.concerns).not.toContain('待遇降低');
    const assessment = assessPolicy(policyTitle(text), clauses, new Map());
    expect(assessment.clauses).toHaveLength(clauses.length);
    expect(assessment.counts.low + assessment.counts.medium + assessment.counts.high).toBe(clauses.length);
    // The grain-production clause changes nothing for any group: low.
    expect(assessment.clauses[0]!.level).toBe('low');
    expect(assessment.questions.length).toBeGreaterThan(0);
    for (const q of assessment.questions) {
      expect(q.question.endsWith('？')).toBe(true);
      expect(q.answer.startsWith(`依据《${assessment.title}》`)).toBe(true);
    }
  });

  it('takes group words and TF-IDF keywords as a clause’s key terms and searches them in pairs', () => {
    const terms = clauseKeyTerms('对符合条件的农民工，取消领取失业保险金的户籍限制，按规定发放失业保险金。');
    expect(terms[0]).toBe('农民工');
    expect(terms).toHaveLength(3);
    const sets = keyTermTokenSets(terms);
    expect(sets).toHaveLength(3);
    for (const set of sets) expect(set.length).toBeGreaterThanOrEqual(2);
    expect(keyTermTokenSets(['养老金'])).toEqual([['养老金']]);
  });

  it.skipIf(!HAS_SHARED_REPORT)(
    'reads the bureau’s disclosure report (../shared) as .txt and splits its 一、 and （一） parts (skipped without ../shared)',
    async () => {
      const text = await readPolicyDocument(await readFile(SHARED_REPORT), 'bureau-disclosure-report-2014.txt');
      const clauses = splitPolicyClauses(text);
      expect(clauses.length).toBeGreaterThanOrEqual(5);
      expect(clauses.some((c) => c.heading === '(一)' || c.heading === '（一）')).toBe(true);
    },
  );
});
