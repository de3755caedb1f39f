// `pnpm bench nlp`: tokenizer and classifier speed on one core, training time and RSS, side by side with natural's
// BayesClassifier on the same Teddy 2020 split. Reads ../shared data (never shipped). Prints figures only.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextClassifier, serializeModel, writeModelFile, binaryF1, evaluatePredictions, getDefaultModel, parseCsvRecords, segment, normalizeText, stratifiedSplit, tokenize, type LabelledText } from '@yuqing/nlp';

const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
/** Natural's Bayes is slow; it trains and predicts on a sample so the benchmark stays short. */
const NATURAL_SAMPLE_DOCS = 2000;
const NATURAL_EVAL_DOCS = 300;

function read(relative: string): Record<string, string>[] {
  return parseCsvRecords(readFileSync(DATA + relative, 'utf8'));
}

function teddy(): { train: LabelledText[]; heldOut: LabelledText[] } {
  const seen = new Set<string>();
  const docs: LabelledText[] = [];
  for (const r of [...read('teddy2020/messages_full_train.csv'), ...read('teddy2020/messages_details_train.csv')]) {
    const key = (r['留言详情'] ?? '').replace(/\s+/g, '');
    const label = (r['一级标签'] ?? '').trim();
    if (!key || !label || seen.has(key)) continue;
    seen.add(key);
    docs.push({ text: [r['留言主题'] ?? '', r['留言详情'] ?? ''].filter(Boolean).join('\n'), label });
  }
  const split = stratifiedSplit(docs, (d) => d.label, 0.25, 7);
  const heldOutTitles = new Set(split.heldOut.map((d) => d.text.split('\n')[0]!.trim()));
  for (const r of read('teddy2020/messages_titles_train.csv')) {
    const title = (r['留言主题'] ?? '').trim();
    if (title && r['一级标签'] && !heldOutTitles.has(title)) split.train.push({ text: title, label: r['一级标签'].trim() });
  }
  return split;
}

const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
function timed<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}

const rss0 = process.memoryUsage().rss;
const { train, heldOut } = teddy();
const texts = heldOut.map((d) => d.text);
const chars = texts.reduce((s, t) => s + t.length, 0);
console.log(`data: teddy2020 title+detail, train ${train.length} docs, held-out ${heldOut.length} docs / ${chars} chars`);

// Tokenizer
const [, loadMs] = timed(() => segment('预热'));
let tokenCount = 0;
const [, tokMs] = timed(() => {
  for (const t of texts) tokenCount += tokenize(t).length;
});
const [, rawMs] = timed(() => {
  for (const t of texts) segment(normalizeText(t), false);
});
console.log(`jieba load: ${Math.round(loadMs)} ms, RSS after load ${mb(process.memoryUsage().rss)}`);
console.log(`tokenize (normalise + jieba + HR dict + stopwords): ${rate(tokenCount, tokMs)} tokens/s, ${rate(chars, tokMs)} chars/s`);
console.log(`segment only (no HMM): ${rate(chars, rawMs)} chars/s`);

// Yuqing classifier
const [model, trainMs] = timed(() => TextClassifier.train(train, { task: 'topic' }));
for (const t of texts.slice(0, 100)) model.classify(t);
const [predicted, predMs] = timed(() => texts.map((t) => model.classify(t)));
const [, explainMs] = timed(() => texts.map((t) => model.predict(t)));
const gold = heldOut.map((d) => d.label);
const report = evaluatePredictions(gold, predicted);
console.log(`\nYuqing TextClassifier (hashed words + word bigrams + char n-grams, tf-idf, softmax SGD)`);
console.log(`  training: ${(trainMs / 1000).toFixed(1)} s on ${train.length} docs`);
console.log(`  predict (tokenize + classify): ${rate(texts.length, predMs)} docs/s, ${rate(chars, predMs)} chars/s; with explanation ${rate(chars, explainMs)} chars/s`);
for (const c of report.classes) console.log(`  ${c.label}: P ${c.precision.toFixed(3)} R ${c.recall.toFixed(3)} F1 ${c.f1.toFixed(3)}`);
console.log(`  macro-F1 ${report.macroF1.toFixed(4)}, relevance (劳动和社会保障) F1 ${binaryF1(gold, predicted, (l) => l === '劳动和社会保障').f1.toFixed(4)}`);

// Character-only preset: no jieba on the prediction path.
const [fast, fastTrainMs] = timed(() => TextClassifier.train(train, { task: 'topic-fast', features: { words: false, wordBigrams: false, charNgrams: [1, 2, 3] } }));
const [fastPred, fastMs] = timed(() => texts.map((t) => fast.classify(t)));
console.log(`\nchar n-gram preset (no jieba): training ${(fastTrainMs / 1000).toFixed(1)} s, ${rate(texts.length, fastMs)} docs/s, ${rate(chars, fastMs)} chars/s, macro-F1 ${evaluatePredictions(gold, fastPred).macroF1.toFixed(4)}`);

// natural's BayesClassifier on the same split (sampled), jieba tokens as input.
process.env.DOTENV_CONFIG_QUIET = 'true';
// natural is a dependency of @yuqing/nlp, not of the test package: resolve it from there.
const natural = createRequire(new URL('../../packages/nlp/package.json', import.meta.url))('natural') as { BayesClassifier: new () => { addDocument(d: string[], l: string): void; train(): void; classify(d: string[]): string } };
const sample = stratifiedSplit(train, (d) => d.label, 1 - NATURAL_SAMPLE_DOCS / train.length, 3).train;
const bayes = new natural.BayesClassifier();
const [, bayesTrainMs] = timed(() => {
  for (const d of sample) bayes.addDocument(tokenize(d.text), d.label);
  bayes.train();
});
const evalSample = stratifiedSplit(heldOut, (d) => d.label, NATURAL_EVAL_DOCS / heldOut.length, 5).heldOut;
const evalChars = evalSample.reduce((s, d) => s + d.text.length, 0);
const [bayesPred, bayesMs] = timed(() => evalSample.map((d) => bayes.classify(tokenize(d.text))));
const [yqSamplePred] = timed(() => evalSample.map((d) => model.classify(d.text)));
console.log(`\nnatural BayesClassifier (${sample.length} training docs, ${evalSample.length} test docs):`);
console.log(`  training ${(bayesTrainMs / 1000).toFixed(1)} s, ${rate(evalSample.length, bayesMs)} docs/s, ${rate(evalChars, bayesMs)} chars/s`);
console.log(`  macro-F1 ${evaluatePredictions(evalSample.map((d) => d.label), bayesPred).macroF1.toFixed(4)} vs Yuqing on the same ${evalSample.length} docs ${evaluatePredictions(evalSample.map((d) => d.label), yqSamplePred).macroF1.toFixed(4)}`);

// An analysis process in a fresh child: jieba + the three shipped models + the trained topic model from its file.
const dir = mkdtempSync(join(tmpdir(), 'yq-bench-'));
try {
  const modelPath = join(dir, 'topic.json');
  await writeModelFile(modelPath, serializeModel(model));
  const script = `import { getDefaultModel, readModelFile, tokenize } from '@yuqing/nlp';
const m = await readModelFile(${JSON.stringify(modelPath)});
for (const n of ['relevance', 'subcategory', 'sentiment']) getDefaultModel(n).classify('预热');
m.classifier.classify('社保卡补办'); tokenize('社保卡补办');
console.log(process.memoryUsage().rss);`;
  const rss = Number(execFileSync(fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url)), ['--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../../packages/nlp/', import.meta.url)), encoding: 'utf8' }).trim().split('\n').pop());
  console.log(`\nanalysis process RSS (jieba + topic model + 3 default models, fresh process): ${mb(rss)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`benchmark process RSS (with all data loaded): ${mb(process.memoryUsage().rss)} (start ${mb(rss0)})`);
