import { describe, expect, it } from 'vitest';
import { NEIGHBOUR_EXPLANATION } from './neighbour-index.ts';
import { TextClassifier } from './text-classifier.ts';
import { deserialiseModel, serialiseModel, shouldPromote } from './model-file.ts';
import { evaluatePredictions } from './metrics.ts';
import { getDefaultModel } from './default-models.ts';
import { prepareText, prepareTexts } from './feature-hashing.ts';

const examples = [
  ...[
    '公司拖欠工资三个月',
    '老板跑路欠薪不还',
    '讨薪无门请求帮助',
    '农民工工资被克扣',
    '加班费一直不发',
    '工资拖欠半年了',
  ].map((text) => ({ text, label: 'wage' })),
  ...[
    '小区路灯坏了没人修',
    '道路施工噪音扰民',
    '垃圾堆在路边发臭',
    '公交线路太少',
    '停车位严重不足',
    '小区电梯经常故障',
  ].map((text) => ({ text, label: 'city' })),
];

describe('TextClassifier', () => {
  it('learns a small task and explains its prediction with the driving tokens', () => {
    const model = TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 }, epochs: 30 });
    const p = model.predict('工地老板拖欠工资不发');
    expect(p.label).toBe('wage');
    expect(p.score).toBeGreaterThan(0.5);
    expect(p.top.length).toBeGreaterThan(0);
    expect(p.top.map(([t]) => t).join(' ')).toMatch(/工资|拖欠|欠/);
    expect(model.classify('小区路灯不亮')).toBe('city');
  });

  it('round-trips through the versioned JSON format with identical scores', () => {
    const model = TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } });
    const file = serialiseModel(model, { version: 3, previousVersion: 2 });
    const restored = deserialiseModel(JSON.parse(JSON.stringify(file)));
    expect(restored.version).toBe(3);
    expect(restored.previousVersion).toBe(2);
    expect(restored.classifier.predict('欠薪').scores).toEqual(model.predict('欠薪').scores);
  });

  it('refuses newer formats and malformed files', () => {
    const model = TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } });
    const file = serialiseModel(model);
    expect(() => deserialiseModel({ ...file, formatVersion: 99 })).toThrow(/format 99/);
    expect(() => deserialiseModel({ ...file, weights: 'AAAA' })).toThrow(/sizes|broken/);
    expect(() => deserialiseModel({ hello: 1 })).toThrow(/not a Yuqing/);
  });

  it('gives the same prediction from a prepared text shared between models', () => {
    const model = TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } });
    const other = TextClassifier.train(examples, {
      task: 'demo',
      features: { dimensions: 1 << 10, charNgrams: [1, 2] },
      seed: 2,
    });
    for (const text of ['工地老板拖欠工资不发', '小区路灯不亮，Ａ３区', '']) {
      const prepared = prepareText(text);
      expect(model.predict(prepared)).toEqual(model.predict(text));
      expect(other.predict(prepared)).toEqual(other.predict(text));
      expect(model.classify(prepared)).toBe(model.classify(text));
    }
    // A prepared text cut with HMM is re-cut for a model trained without it, so features still match training.
    expect(model.predict(prepareText('工地老板拖欠工资不发', true)).scores).toEqual(
      model.predict('工地老板拖欠工资不发').scores,
    );
  });

  it('predicts a batch of raw and prepared texts exactly as one at a time, in order', () => {
    const model = TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } });
    const texts = ['工地老板拖欠工资不发', '', '小区路灯不亮，Ａ３区', '欠薪'.repeat(20_000), '垃圾没人清理'];
    const mixed = texts.map((t, i) => (i % 2 === 0 ? t : prepareText(t)));
    expect(model.predictBatch(mixed)).toEqual(texts.map((t) => model.predict(t)));
    expect(model.predictBatch(texts, 0)).toEqual(texts.map((t) => model.predict(t, 0)));
    expect(model.classifyBatch(prepareTexts(texts))).toEqual(texts.map((t) => model.classify(t)));
    expect(prepareTexts(texts, true)).toEqual(texts.map((t) => prepareText(t, true)));
  });

  it('counts title words apart on long texts, the same from raw and prepared text and after a round trip', () => {
    const filler = '情况如下，希望有关部门能够尽快核实处理，给群众一个答复。'.repeat(8);
    const long = [
      ...['拖欠工资', '欠薪讨薪', '克扣工资', '加班费不发'].map((title) => ({
        text: `${title}\n${filler}`,
        label: 'wage',
      })),
      ...['路灯坏了', '噪音扰民', '垃圾发臭', '电梯故障'].map((title) => ({
        text: `${title}\n${filler}`,
        label: 'city',
      })),
    ];
    const model = TextClassifier.train(long, { task: 'demo', features: { dimensions: 1 << 12 }, epochs: 30 });
    expect(model.features.titleFeatures).toBe(true);
    const text = `加班费不发\n${filler}`;
    const prediction = model.predict(text);
    expect(prediction.label).toBe('wage');
    // Title words read as the words themselves in a reason.
    expect(model.predict(text, 30).top.some(([t]) => '加班费不发'.includes(t))).toBe(true);
    // The same words in the body are other features: a title-less text scores differently.
    expect(model.predict(`${filler}加班费不发`).scores).not.toEqual(prediction.scores);
    expect(model.predict(prepareText(text))).toEqual(prediction);
    expect(model.predictBatch([text, prepareText(text)])).toEqual([prediction, prediction]);
    const restored = deserialiseModel(JSON.parse(JSON.stringify(serialiseModel(model)))).classifier;
    expect(restored.predict(text)).toEqual(prediction);
    // Short posts (Weibo) train without title words.
    expect(
      TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } }).features.titleFeatures,
    ).toBe(false);
  });

  it('reads format-1 files, written before title words existed, as models without them', () => {
    const model = TextClassifier.train(examples, {
      task: 'demo',
      features: { dimensions: 1 << 12, titleFeatures: false },
    });
    const file = serialiseModel(model) as unknown as { formatVersion: number; features: Record<string, unknown> };
    const { titleFeatures: _dropped, ...oldFeatures } = file.features;
    const restored = deserialiseModel({ ...file, formatVersion: 1, features: oldFeatures }).classifier;
    expect(restored.features.titleFeatures).toBeUndefined();
    expect(restored.predict('欠薪\n老板跑路了')).toEqual(model.predict('欠薪\n老板跑路了'));
  });

  it('lets the nearest labelled examples vote: a repost leans to its labelled original; kept through a round trip', () => {
    // An analyst labelled one message against what most of its words usually mean (路灯/噪音 are city words).
    const odd = { text: '工地门口路灯坏了噪音扰民', label: 'wage' };
    const repost = '工地门口路灯坏了噪音扰民！！';
    const city = [
      ...examples,
      ...['路灯坏了噪音扰民', '工地噪音扰民路灯不亮', '工地门口垃圾发臭'].map((text) => ({ text, label: 'city' })),
    ];
    const options = { task: 'demo', features: { dimensions: 1 << 12 }, l2: 1e-3, epochs: 5 };
    const linear = TextClassifier.train([...city, odd], { ...options, neighbours: 0 });
    const voting = TextClassifier.train([...city, odd], { ...options, neighbours: 1 });
    expect(linear.params().memory).toBeUndefined();
    // Unsure alone (the vote runs only below 0.8); its near-copy's label gains half the probability.
    expect(linear.predict(repost).scores.wage).toBeLessThan(0.6);
    expect(voting.predict(repost).scores.wage).toBeGreaterThan(linear.predict(repost).scores.wage! + 0.2);
    // The explanation names the labelled examples when they gave the winner more than the words did.
    expect(voting.predict(repost).top[0]).toEqual([NEIGHBOUR_EXPLANATION, expect.any(Number)]);
    expect(linear.predict(repost).top.map(([t]) => t)).not.toContain(NEIGHBOUR_EXPLANATION);
    expect(voting.predict('老板跑路欠薪不还').top.map(([t]) => t)).not.toContain(NEIGHBOUR_EXPLANATION);
    // Far from the odd example, the vote agrees with the words.
    expect(voting.classify('小区路灯坏了没人修')).toBe('city');
    expect(voting.classify('老板跑路欠薪不还')).toBe('wage');
    const p = voting.predict(repost);
    expect(Object.values(p.scores).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    const file = JSON.parse(JSON.stringify(serialiseModel(voting))) as ReturnType<typeof serialiseModel>;
    expect(file.formatVersion).toBe(4);
    expect(file.memory).toMatchObject({ k: 1, encoding: 'bucket-gaps-varint+float16' });
    expect(deserialiseModel(file).classifier.predict(repost)).toEqual(p);
    // Format-3 files kept the examples as plain Int32/Float32 arrays; they still load and vote alike.
    const memory = voting.params().memory!;
    const base64 = (a: Int32Array | Float32Array) =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    const { encoding: _compact, ...plain } = file.memory!;
    const format3 = {
      ...file,
      formatVersion: 3,
      memory: { ...plain, buckets: base64(memory.buckets), values: base64(memory.values) },
    };
    const fromFormat3 = deserialiseModel(format3).classifier;
    expect(fromFormat3.predict(repost)).toEqual(p);
    // Full-precision examples of a format-3 model that can't be compacted exactly are written back as they were.
    const fullPrecision = new TextClassifier({
      ...voting.params(),
      memory: { ...memory, values: memory.values.map((v) => v * (1 + 1e-6)) },
    });
    const rewritten = JSON.parse(JSON.stringify(serialiseModel(fullPrecision))) as ReturnType<typeof serialiseModel>;
    expect(rewritten.memory).not.toHaveProperty('encoding');
    expect(deserialiseModel(rewritten).classifier.params().memory?.values).toEqual(
      fullPrecision.params().memory?.values,
    );
    expect(serialiseModel(fromFormat3).memory).toMatchObject({ encoding: 'bucket-gaps-varint+float16' });
    expect(format3.memory.values.length).toBeGreaterThan(file.memory!.values.length * 1.9);
    // A memory that does not match its labels is refused rather than misread.
    expect(() => deserialiseModel({ ...file, memory: { ...file.memory!, labels: 'AAA=' } })).toThrow(/memory|broken/);
    // Long texts vote by default, short posts (Weibo) do not.
    expect(
      TextClassifier.train(examples, { task: 'demo', features: { dimensions: 1 << 12 } }).params().memory,
    ).toBeUndefined();
    const filler = '情况如下，希望有关部门能够尽快核实处理，给群众一个答复。'.repeat(8);
    const long = examples.map((e) => ({ text: `${e.text}\n${filler}`, label: e.label }));
    expect(TextClassifier.train(long, { task: 'demo', features: { dimensions: 1 << 12 } }).params().memory?.k).toBe(10);
    expect(() => TextClassifier.train(examples, { task: 'demo', neighbours: -1 })).toThrow(/neighbours/);
  });

  it('needs two labels', () => {
    expect(() => TextClassifier.train(examples.slice(0, 3), { task: 'x' })).toThrow(/two labels/);
  });
});

describe('promotion', () => {
  it('promotes only a model that scores no worse on the held-out labels', () => {
    const better = evaluatePredictions(['a', 'b', 'a'], ['a', 'b', 'a']);
    const worse = evaluatePredictions(['a', 'b', 'a'], ['a', 'a', 'a']);
    expect(shouldPromote(better, worse)).toBe(true);
    expect(shouldPromote(worse, better)).toBe(false);
    expect(shouldPromote(worse, undefined)).toBe(true);
  });
});

describe('shipped default models', () => {
  it('tell HR posts from others, find the sub-category and negativity', () => {
    expect(getDefaultModel('relevance').classify('单位拖欠工资还不给缴社保，劳动仲裁怎么申请')).toBe('relevant');
    expect(getDefaultModel('relevance').classify('小区门口的下水道堵了好几天')).toBe('irrelevant');
    expect(getDefaultModel('subcategory').classify('今年的养老金调整什么时候发放到退休人员手里')).toBe(
      '退休政策及待遇',
    );
    expect(getDefaultModel('sentiment').classify('投诉了好几次都没人管，太让人失望了')).toBe('negative');
    expect(getDefaultModel('sentiment').classify('感谢工作人员耐心解答，很快办好了')).toBe('non-negative');
  });
});
