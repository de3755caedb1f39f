import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_NAMES, readShippedModel, readShippedModelCard, SHIPPED_MODELS_DIR } from './default-models.ts';
import { readSharedTrainingData } from './default-model-data.ts';
import { evaluatePredictions } from './metrics.ts';
import { getStopwords } from './stopwords.ts';

/** Shipped weights must stay small enough to commit and to load at every worker start. */
const MAX_SHIPPED_BYTES = 10_000_000;
/**
 * Floor of default:subcategory's grouped cross-validated macro-F1 on the HR dev set (card figure; measured 0.650,
 * folds 0.611–0.688; the model before, trained on no dev letter, 0.585 on the same folds): a rebuild that falls
 * below it lost something.
 */
const SUBCATEGORY_CV_FLOOR = 0.62;
const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

type Card = { figures: { name: string; value: number; measuredOn: string }[] };

describe('shipped default models', () => {
  it('ships every default model with a card naming its data, licence, size, date and figures', () => {
    for (const name of DEFAULT_MODEL_NAMES) {
      const card = readShippedModelCard(name) as Record<string, unknown>;
      expect(card, name).toMatchObject({ name, task: `default:${name}` });
      expect((card.data as string[]).length, name).toBeGreaterThan(0);
      expect(card.licence, name).toMatch(/licence/);
      expect(Date.parse(card.trainedAt as string), name).not.toBeNaN();
      expect(card.sizeBytes, name).toBe(statSync(join(SHIPPED_MODELS_DIR, `${name}.model.json`)).size);
      expect((card.figures as unknown[]).length, name).toBeGreaterThan(0);
    }
  });

  it('keeps the shipped files under 10 MB together', () => {
    const total = readdirSync(SHIPPED_MODELS_DIR).reduce((s, f) => s + statSync(join(SHIPPED_MODELS_DIR, f)).size, 0);
    expect(total).toBeLessThan(MAX_SHIPPED_BYTES);
  });

  it('judges real-looking letters and explains them with whole words, not fragments or stopwords', () => {
    const relevance = readShippedModel('relevance')!;
    const sentiment = readShippedModel('sentiment')!;
    const letter =
      '某物流公司拖欠工资三个月\n我们在A市某物流公司上班，公司拖欠我们三个月工资，也不给缴社保，多次找公司都推诿，请劳动监察部门查处。';
    expect(relevance.classify(letter)).toBe('relevant');
    expect(relevance.classify('A股三大指数集体收涨，创业板指涨逾2%')).toBe('irrelevant');
    const judged = sentiment.predict(letter, 6);
    expect(judged.label).toBe('negative');
    expect(sentiment.classify('请问灵活就业人员如何办理养老保险参保？')).toBe('non-negative');
    const reasons = [...judged.top, ...relevance.predict(letter, 6).top];
    expect(reasons.length).toBeGreaterThan(0);
    const stopwords = getStopwords();
    for (const [name] of reasons) {
      expect(name.length, name).toBeGreaterThanOrEqual(2);
      expect(stopwords.has(name), name).toBe(false);
      // Every reason is a whole stretch of the letter (a word or a phrase of words), never an n-gram cut mid-word.
      expect(letter.toLowerCase().replace(/\s/g, ''), name).toContain(name);
    }
    expect(reasons.some(([, v]) => v > 0)).toBe(true);
  });

  it('reports default:subcategory by grouped cross-validation on the HR dev set, above the floor', () => {
    const card = readShippedModelCard('subcategory') as Card;
    const figure = (name: string) => card.figures.find((f) => f.name === name);
    const mean = figure('macro-F1 (9 classes), mean of folds')!;
    expect(mean.measuredOn).toMatch(/grouped 5-fold cross-validation/);
    expect(mean.value).toBeGreaterThanOrEqual(SUBCATEGORY_CV_FLOOR);
    expect(figure('macro-F1, lowest fold')!.value).toBeLessThanOrEqual(mean.value);
    expect(figure('macro-F1, highest fold')!.value).toBeGreaterThanOrEqual(mean.value);
    // One F1 per class, all nine.
    expect(card.figures.filter((f) => f.name.startsWith('F1 '))).toHaveLength(9);
  });

  it.skipIf(!existsSync(`${DATA}teddy2020/hr_dev_labels.csv`))(
    'ships the sub-category model trained on all 400 dev letters: it recalls their labels (needs ../shared/data; skipped without it)',
    () => {
      const dev = readSharedTrainingData(DATA).dev;
      const model = readShippedModel('subcategory')!;
      const report = evaluatePredictions(
        dev.map((d) => d.subcategory),
        model.classifyBatch(dev.map((d) => d.text)),
      );
      // Training letters, not an estimate of new data (that is the card's cross-validated figure).
      expect(report.accuracy).toBeGreaterThan(0.9);
    },
  );
});
