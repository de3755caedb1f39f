// `yq policy assess` as a user runs it: a real draft (.docx) in, a .docx report out, read back with mammoth,
// against PostgreSQL holding public opinion about one of the draft's clauses.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentedSearchTokens } from '@yuqing/domain';
import { normaliseText, segment } from '@yuqing/nlp';
import { readPolicyDocument } from '@yuqing/pipeline';
import { createTestDatabase, seedIssue, type TestDatabase } from '@yuqing/testkit';
import { REPO_ROOT, runYq } from './helpers/yq.ts';

const DRAFT = join(REPO_ROOT, 'test/fixtures/policy/rural-revitalisation-2023.docx');
const PDF_DRAFT = join(REPO_ROOT, 'test/fixtures/policy/guangdong-transition-labour-disputes-2013.pdf');
/** A fresh process loads jieba, Prisma and mammoth: allow for it on a busy 2-core machine. */
const CLI_TIMEOUT_MS = 150_000;

const POSTS = [
  '农民工灵活就业没有社保，县城打零工收入不稳定',
  '灵活就业的农民工参保太难了，希望政策照顾',
  '返乡农民工灵活就业补贴申请不到，投诉无门',
  '县里组织农民工灵活就业培训，效果一般',
];

function tokens(text: string): string {
  return segmentedSearchTokens(segment(normaliseText(text)));
}

describe('yq policy assess', () => {
  let testDb: TestDatabase;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'yq-policy-cli-'));
    testDb = await createTestDatabase();
    await seedIssue(testDb.db, {
      title: '返乡农民工灵活就业补贴难申领',
      level: 'major',
      category: '就业创业',
      mentions: POSTS.map((text, i) => ({
        title: text,
        body: text,
        sentiment: i < 3 ? ('negative' as const) : ('neutral' as const),
        searchTokens: tokens(text),
      })),
    });
  });

  afterAll(async () => {
    await testDb?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(
    'assesses a real .docx draft against the database and writes a .docx report',
    async () => {
      const out = join(workDir, 'out', 'report.docx');
      const result = await runYq(['policy', 'assess', '--input', DRAFT, '--out', out, '--json'], {
        env: { DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' },
        timeoutMs: CLI_TIMEOUT_MS,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const assessment = JSON.parse(result.stdout);
      expect(assessment.report).toBe(out);
      expect(assessment.title).toBe('关于学习运用千村示范、万村整治工程经验有力有效推进乡村全面振兴的意见');
      expect(assessment.clauses).toHaveLength(15);
      // The county-industries clause names 农民工 and 灵活就业: the seeded posts and their 较大 issue are its evidence.
      // Three of the four: jieba cuts the third post's 灵活就业补贴 into 灵活 / 就业补贴, so it holds no 灵活就业 token.
      const county = assessment.clauses.find((c: { text: string }) => c.text.startsWith('培育壮大县域富民产业'));
      expect(county.evidence.terms).toEqual(['灵活就业', '农民工', '县域']);
      expect(county.evidence).toMatchObject({ mentions: 3, negative: 2 });
      expect(county.evidence.issues[0]).toMatchObject({ title: '返乡农民工灵活就业补贴难申领', level: 'major' });
      expect(county.level).toBe('high');
      expect(county.reasons).toContain('相关历史议题达较大级：「返乡农民工灵活就业补贴难申领」（4 条）');
      // A clause about grain output finds none of it.
      expect(assessment.clauses[0].evidence?.mentions ?? 0).toBe(0);
      expect(assessment.level).toBe('high');

      const report = await readPolicyDocument(await readFile(out), 'report.docx');
      expect(report).toContain('政策出台前风险评估报告');
      expect(report).toContain(`评估对象：《${assessment.title}》（文件：rural-revitalisation-2023.docx）`);
      expect(report).toContain('（二十）');
      expect(report).toContain('3 条，负面 67%；议题「返乡农民工灵活就业补贴难申领」（较大）');
      expect(report).toContain('四、解读问答建议');
      expect(report).toMatch(/1\. 问：.+？/);
      expect(report).toContain(`答：依据《${assessment.title}》`);
    },
    CLI_TIMEOUT_MS + 10_000,
  );

  it(
    'assesses a real .pdf policy (a provincial 人社厅 document) and writes the .docx report',
    async () => {
      const out = join(workDir, 'pdf-report.docx');
      const result = await runYq(['policy', 'assess', '--input', PDF_DRAFT, '--out', out, '--json'], {
        env: { DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' },
        timeoutMs: CLI_TIMEOUT_MS,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const assessment = JSON.parse(result.stdout);
      // The PDF breaks the title over two lines; it is read as one.
      expect(assessment.title).toBe('广东省人力资源和社会保障厅关于做好企业转型升级过程中劳资纠纷预防处理工作的意见');
      expect(assessment.clauses).toHaveLength(14);
      expect(assessment.clauses.map((c: { heading: string }) => c.heading).filter(Boolean)).toEqual([
        '（一）',
        '（二）',
        '（三）',
        '（四）',
        '（五）',
        '（一）',
        '（二）',
        '（三）',
        '（四）',
        '（五）',
        '（六）',
      ]);
      const continued = assessment.clauses[4];
      expect(continued.text).toContain('根据《劳动合同法》第三十三条的规定');
      expect(continued.groups).toContain('企业职工');
      expect(continued.level).toBe('medium');
      // The clause running over pages 3 and 4 is whole: the page number between them is not in it.
      expect(assessment.clauses[12].text).toContain('以及企业的主管单位，在出台本地企业转型升级政策时充分沟通');
      expect(assessment.clauses.some((c: { text: string }) => /\d{3}管单位|主\s*135/.test(c.text))).toBe(false);
      const report = await readPolicyDocument(await readFile(out), 'report.docx');
      expect(report).toContain(
        `评估对象：《${assessment.title}》（文件：guangdong-transition-labour-disputes-2013.pdf）`,
      );
      expect(report).toContain('四、解读问答建议');
    },
    CLI_TIMEOUT_MS + 10_000,
  );

  it(
    'refuses a file that is not .docx, .pdf or .txt with a clear error',
    async () => {
      const svg = join(workDir, 'draft.svg');
      await writeFile(svg, await readFile(join(REPO_ROOT, 'dashboard/public/favicon.svg')));
      const result = await runYq(['policy', 'assess', '--input', svg, '--out', join(workDir, 'never.docx')], {
        env: { DATABASE_URL: testDb.url, LOG_LEVEL: 'warn' },
        timeoutMs: CLI_TIMEOUT_MS,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('只支持 .docx、.pdf、.txt 格式的政策文件');
      expect(result.stderr).toContain('[UNSUPPORTED_FILE_TYPE]');
    },
    CLI_TIMEOUT_MS + 10_000,
  );
});
