import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { threadNiceness } from '@yuqing/core';
import { mentionForAnalysisFixture } from '@yuqing/testkit';
import { ClassificationPool } from './classification-pool.ts';
import { classifyAndFeature } from './classify-and-feature.ts';
import { classifyMention } from './mention-classifier.ts';
import { ModelCache, shippedModelSpecs } from './model-set.ts';

const pool = new ClassificationPool(2);
afterAll(() => pool.close());

const specs = shippedModelSpecs();

/** A mention with a little engagement, so the features differ between mentions. */
const mention = (id: number, title: string, body: string) =>
  mentionForAnalysisFixture(id, title, body, { likes: id % 5 });

const texts: Array<[string, string]> = [
  ['星河物流公司拖欠工资', '星河物流公司拖欠工资三个月，几十名员工讨薪无门，劳动监察部门什么时候介入？'],
  ['周末篮球联赛', '本周末市体育中心举行业余篮球联赛决赛，欢迎市民观赛。'],
  ['异地就医备案怎么办理', '父母退休后随我来本市生活，医保异地就医备案需要什么材料？报销比例是多少？'],
  ['灵活就业社保补贴', '灵活就业人员的社保补贴什么时候发放？申请了三个月还没到账。'],
];

describe('ClassificationPool', () => {
  it('classifies in threads exactly as in the calling thread, in input order, split across threads', async () => {
    const mentions = Array.from({ length: 240 }, (_, i) => mention(i + 1, ...texts[i % texts.length]!));
    const inThreads = await pool.classify(mentions, specs);
    const here = await new ModelCache().models(specs);
    const expected = classifyAndFeature(mentions, here);
    expect(pool.startedFrom).toBe('bundle');
    expect(inThreads.map((c) => c.result.mentionId)).toEqual(mentions.map((m) => m.id));
    expect(inThreads).toEqual(expected);
    // Cutting a chunk of mentions in one jieba call decides exactly as one mention at a time.
    expect(expected.map((c) => c.result)).toEqual(mentions.map((m) => classifyMention(m, here)));
    expect(inThreads.some((c) => c.features !== null) && inThreads.some((c) => c.features === null)).toBe(true);
  }, 120_000);

  it.skipIf(process.platform !== 'linux')(
    'lowers the priority of its threads only, never of the calling thread (Linux: per-thread niceness)',
    async () => {
      const own = getPriority(process.pid);
      const before = new Set(threadNiceness(process.pid).keys());
      const lowered = new ClassificationPool(1, { threadNiceness: own + 7 });
      try {
        // One answer: the thread has loaded its code, which lowers its priority first.
        await lowered.classify([mention(1, ...texts[0]!)], specs);
        const added = [...threadNiceness(process.pid)].filter(([tid]) => !before.has(tid));
        expect(added.filter(([, nice]) => nice === own + 7)).toHaveLength(1);
        expect(getPriority(process.pid)).toBe(own);
      } finally {
        await lowered.close();
      }
    },
    120_000,
  );

  it('runs its threads through tsx when the bundle cannot be written, with the same results', async () => {
    // A file where the bundle's folder should be: the bundle cannot be written, the pool falls back to tsx.
    const dir = await mkdtemp(join(tmpdir(), 'yq-pool-test-'));
    const blocked = join(dir, 'not-a-folder');
    await writeFile(blocked, '');
    const fallback = new ClassificationPool(1, { bundleDir: blocked });
    try {
      const mentions = texts.map((t, i) => mention(i + 1, ...t));
      expect(await fallback.classify(mentions, specs)).toEqual(
        classifyAndFeature(mentions, await new ModelCache().models(specs)),
      );
      expect(fallback.startedFrom).toBe('tsx');
    } finally {
      await fallback.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('fails a request whose promoted model is garbage only by falling back to the shipped default', async () => {
    const broken = { ...specs, relevance: { version: 'relevance@7', data: '{"not":"a model"}' } };
    const [one] = await pool.classify([mention(1, ...texts[0]!)], broken);
    expect(one!.result.modelVersion.split(' ')[0]).toBe('default:relevance@1');
  }, 120_000);
});
