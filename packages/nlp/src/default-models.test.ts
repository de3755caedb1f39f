import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadOrTrainDefaultModel, taxonomyTrainingExamples, TRAINING_SOURCES } from './default-models.ts';
import { parseCsvRecords } from './csv.ts';

const TEXTS = [
  '单位拖欠工资还不给缴社保，劳动仲裁怎么申请',
  '投诉了好几次都没人管，太让人失望了',
  '小区门口的下水道堵了好几天',
  '感谢工作人员耐心解答',
];

describe('default model cache', () => {
  it('keys the cache on source files that exist (a missing one would retrain at every start, silently)', () => {
    for (const file of TRAINING_SOURCES)
      expect(existsSync(fileURLToPath(new URL(file, new URL('./default-models.ts', import.meta.url)))), file).toBe(
        true,
      );
  });

  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yq-default-models-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains once, caches the weights and predicts the same from the cache', async () => {
    const trained = loadOrTrainDefaultModel('sentiment', dir);
    const files = (await readdir(dir)).filter((f) => f.startsWith('default-sentiment-'));
    expect(files).toHaveLength(1);
    const path = join(dir, files[0]!);
    // Mark the cached file so the next load shows it came from there.
    const json = JSON.parse(await readFile(path, 'utf8')) as { task: string };
    await writeFile(path, JSON.stringify({ ...json, task: 'from-cache' }));
    const cached = loadOrTrainDefaultModel('sentiment', dir);
    expect(cached.task).toBe('from-cache');
    for (const text of TEXTS)
      expect(Array.from(cached.probabilities(text))).toEqual(Array.from(trained.probabilities(text)));
  });

  it('retrains over a broken cache file', async () => {
    const first = loadOrTrainDefaultModel('relevance', dir);
    const file = (await readdir(dir)).find((f) => f.startsWith('default-relevance-'))!;
    await writeFile(join(dir, file), '{"format":');
    const again = loadOrTrainDefaultModel('relevance', dir);
    expect(again.task).toBe('default:relevance');
    expect(again.classify(TEXTS[0]!)).toBe(first.classify(TEXTS[0]!));
    expect(JSON.parse(await readFile(join(dir, file), 'utf8'))).toMatchObject({ task: 'default:relevance' });
  });
});

const TAXONOMY = fileURLToPath(new URL('../../../../shared/data/teddy2020/taxonomy.csv', import.meta.url));

describe('taxonomyTrainingExamples', () => {
  it.skipIf(!existsSync(TAXONOMY))(
    'turns every named third-level class of the topic into examples of its second-level class (needs ../shared/data; skipped without it)',
    async () => {
      const rows = parseCsvRecords(await readFile(TAXONOMY, 'utf8')).map((r) => ({
        first: r['一级分类'] ?? '',
        second: r['二级分类'] ?? '',
        third: r['三级分类'] ?? '',
      }));
      const examples = taxonomyTrainingExamples(rows, '劳动和社会保障');
      const hr = rows.filter((r) => r.first === '劳动和社会保障');
      const named = hr.filter((r) => r.second !== '其他' && r.third !== '其他');
      expect(named.length).toBeGreaterThan(10);
      expect(hr.length).toBeGreaterThan(named.length);
      // Every named row appears, under its own second-level class, and nothing from other topics or catch-alls does.
      for (const r of named)
        expect(
          examples.some((e) => e.label === r.second && e.text.includes(r.third)),
          r.third,
        ).toBe(true);
      expect(new Set(examples.map((e) => e.label))).toEqual(new Set(named.map((r) => r.second)));
      expect(examples.every((e) => named.some((r) => e.text.includes(r.third) && e.label === r.second))).toBe(true);
      expect(examples.length % named.length).toBe(0);
    },
  );
});
