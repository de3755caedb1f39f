import { mkdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { binaryF1 } from './metrics.ts';
import { TextClassifier } from './text-classifier.ts';
import { serialiseModel } from './model-file.ts';
import { leakFreeSplit } from './leak-free-split.ts';
import type { LabelledText, TrainOptions } from './classifier-training.ts';
import { HR_TOPIC, weakSentiment, readSharedTrainingData, type SharedTrainingData } from './default-model-data.ts';
import {
  crossValidateSubcategory,
  subcategoryExamples,
  unlabelledHrTexts,
  FORCED_RULE_MIN_PRECISION,
  LABELLED_REPEATS,
  PSEUDO_LABEL_MIN_PROBABILITY,
  SELF_TRAINING_ROUNDS,
  SUBCATEGORY_CV_FOLDS,
} from './subcategory-training.ts';
import {
  defaultTrainingExamples,
  IRRELEVANT,
  NEGATIVE,
  NON_NEGATIVE,
  RELEVANT,
  type DefaultModelName,
} from './default-models.ts';

/**
 * Hash buckets of a shipped model: 2^17 for the two-label models, 2^16 for the nine-label sub-category model
 * (its weights per bucket are 4.5 times as many), so the three files stay under 10 MB together.
 */
function shippedDimensions(name: DefaultModelName): number {
  return name === 'subcategory' ? 1 << 16 : 1 << 17;
}
/** Held-out share and seed of the leak-free split the relevance card reports. */
const CARD_HELD_OUT_FRACTION = 0.25;
const CARD_SPLIT_SEED = 7;

/** What a shipped model's card says: where its data came from, its licence note, size, date and figures. */
export interface ModelCard {
  name: DefaultModelName;
  task: string;
  labels: string[];
  trainedAt: string;
  examples: number;
  trainingSeconds: number;
  /** Bytes of the model file. */
  sizeBytes: number;
  data: string[];
  licence: string;
  /** Named figures, each with what it was measured on. */
  figures: { name: string; value: number; measuredOn: string }[];
  notes: string[];
}

const LICENCE_NOTE =
  'Weights learned from public data sets republished for research (Teddy Cup 2020 problem C message board, no ' +
  'licence stated; SMP2020-EWECT Weibo; THUCNews titles, MIT) and from Yuqing’s own seed lexicon. The model ' +
  'holds hashed feature weights only, no text of the sources. Retrain on the bureau’s own data (yq model retrain) ' +
  'where the licence of the research data does not fit.';

function options(name: DefaultModelName, charNgrams?: number[]): TrainOptions {
  return {
    task: `default:${name}`,
    // Without charNgrams, training picks them by the mean text length (see classifier-training.ts).
    features: { dimensions: shippedDimensions(name), ...(charNgrams ? { charNgrams } : {}) },
    neighbours: 0,
    seed: 1,
  };
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

function relevanceExamples(messages: readonly LabelledText[]): LabelledText[] {
  const binary = (d: LabelledText) => ({ text: d.text, label: d.label === HR_TOPIC ? RELEVANT : IRRELEVANT });
  return messages.map(binary);
}

function relevanceTrainOnly(data: SharedTrainingData): LabelledText[] {
  return [
    ...data.titles.map((d) => ({ text: d.text, label: d.label === HR_TOPIC ? RELEVANT : IRRELEVANT })),
    ...defaultTrainingExamples('relevance'),
    ...data.news.map((text) => ({ text, label: IRRELEVANT })),
  ];
}

function sentimentExamples(data: SharedTrainingData, devKeys: ReadonlySet<string>): LabelledText[] {
  const weak: LabelledText[] = [];
  for (const m of data.messages) {
    if (devKeys.has(m.key)) continue;
    const label = weakSentiment(m.text);
    if (label) weak.push({ text: m.text, label: label === 'negative' ? NEGATIVE : NON_NEGATIVE });
  }
  return [
    ...data.weibo.map((d) => ({ text: d.text, label: d.label === 'negative' ? NEGATIVE : NON_NEGATIVE })),
    ...defaultTrainingExamples('sentiment'),
    ...weak,
  ];
}

/** A trained shipped model with its card. */
export interface BuiltDefaultModel {
  classifier: TextClassifier;
  card: Omit<ModelCard, 'sizeBytes'>;
}

/** Trains one shipped model from the shared data and measures the figures its card reports. */
export function buildDefaultModel(
  name: DefaultModelName,
  data: SharedTrainingData,
  now = new Date(),
): BuiltDefaultModel {
  const devKeys = new Set(data.dev.map((d) => d.key));
  const devTexts = data.dev.map((d) => d.text);
  const figures: ModelCard['figures'] = [];
  let examples: LabelledText[];
  let sources: string[];
  const notes: string[] = [];
  let charNgrams: number[] | undefined = name === 'subcategory' ? [1, 2, 3] : [2, 3];
  if (name === 'relevance') {
    const split = leakFreeSplit(data.messages, CARD_HELD_OUT_FRACTION, {
      seed: CARD_SPLIT_SEED,
      trainOnly: data.titles,
    });
    const probe = TextClassifier.train(
      [
        ...relevanceExamples(split.train.filter((d) => d.text.includes('\n'))),
        ...relevanceTrainOnly({ ...data, titles: split.train.filter((d) => !d.text.includes('\n')) }),
      ],
      options(name, charNgrams),
    );
    const gold = split.heldOut.map((d) => (d.label === HR_TOPIC ? RELEVANT : IRRELEVANT));
    const f = binaryF1(gold, probe.classifyBatch(split.heldOut.map((d) => d.text)), (l) => l === RELEVANT);
    figures.push(
      {
        name: 'relevance F1',
        value: round4(f.f1),
        measuredOn: `Teddy leak-free split (seed ${CARD_SPLIT_SEED}, ${split.heldOut.length} held-out letters)`,
      },
      { name: 'relevance precision', value: round4(f.precision), measuredOn: 'same split' },
      { name: 'relevance recall', value: round4(f.recall), measuredOn: 'same split' },
    );
    examples = [...relevanceExamples(data.messages), ...relevanceTrainOnly(data)];
    sources = [
      `Teddy 2020 letters (title + detail, ${data.messages.length}) and title rows (${data.titles.length}): 劳动和社会保障 → relevant, the six other first-level labels → irrelevant`,
      `THUCNews titles (${data.news.length}, past the first 2000 the bench scores) → irrelevant`,
      'Yuqing seed lexicon (packages/nlp/seeds/hr-lexicon.json)',
    ];
  } else if (name === 'subcategory') {
    const labelled = data.dev.map((d) => ({ text: d.text, label: d.subcategory }));
    examples = subcategoryExamples(data, labelled, unlabelledHrTexts(data, data.dev));
    sources = [
      `HR dev set (hr_dev_labels.csv): ${data.dev.length} Teddy 2020 ${HR_TOPIC} letters hand-labelled with their second-level class (definitions in hr_dev_labels.md), each taken ${LABELLED_REPEATS} times`,
      'Yuqing seed lexicon (hr-lexicon.json: terms per second-level class through templates, seed sentences)',
      `Teddy 2020 taxonomy.csv: the ${HR_TOPIC} third-level names through the same templates, labelled with their second-level class`,
      `Teddy 2020 ${HR_TOPIC} letters that keyword rules written from the class definitions place in 社保基金管理 or 劳动保护 (subcategory-training.ts)`,
      `the other Teddy 2020 ${HR_TOPIC} letters and title rows pseudo-labelled by the model of the previous round (self-training, ${SELF_TRAINING_ROUNDS} rounds, probability ≥ ${PSEUDO_LABEL_MIN_PROBABILITY})`,
    ];
    notes.push(
      `Trained on all ${data.dev.length} dev letters: its figures come from grouped ${SUBCATEGORY_CV_FOLDS}-fold cross-validation over them, each fold trained exactly as shipped without the held-out letters (the listed near-duplicate groups of hr_dev_labels.md and any letters sharing half their character bigrams stay in one fold; held-out letters and their near-duplicates are also kept out of the unlabelled pool).`,
      'The keyword rules were written from the class definitions after reading the dev set, so the two rare classes’ figures (4 and 7 letters) are optimistic and unstable.',
      `The analysis pipeline gives a letter the 社保基金管理 rule fires on that class whatever the model says (forcedSubcategory): a rule replaces the model only where it is right on at least ${FORCED_RULE_MIN_PRECISION * 100} % of the labelled letters it fires on, which cross-validation decides inside each fold and which on all ${data.dev.length} letters only the fund rule passes. The figures include that override.`,
      'One annotator (an AI assistant) labelled the dev set; expect label noise between 工资福利 / 劳动关系 and 城镇职工社会保险 / 退休政策及待遇 / 劳动关系.',
    );
  } else {
    charNgrams = [1, 2, 3];
    examples = sentimentExamples(data, devKeys);
    sources = [
      `SMP2020-EWECT usual train (${data.weibo.length} Weibo posts; angry, sad, fear → negative)`,
      'Teddy 2020 letters weakly labelled by complaint and question cues (default-model-data.ts); the HR dev set’s letters left out',
      'Yuqing seed lexicon (sentiment-lexicon.json)',
    ];
  }
  const classifier = TextClassifier.train(examples, options(name, charNgrams));
  if (name === 'subcategory') {
    const cv = crossValidateSubcategory(data);
    const on = `HR dev set, grouped ${SUBCATEGORY_CV_FOLDS}-fold cross-validation (${data.dev.length} hand-labelled letters)`;
    figures.push(
      { name: 'macro-F1 (9 classes), mean of folds', value: round4(cv.mean), measuredOn: on },
      { name: 'macro-F1, lowest fold', value: round4(cv.min), measuredOn: on },
      { name: 'macro-F1, highest fold', value: round4(cv.max), measuredOn: on },
      { name: 'macro-F1, folds pooled', value: round4(cv.pooledMacroF1), measuredOn: on },
    );
    for (const c of cv.classes)
      figures.push({
        name: `F1 ${c.label}`,
        value: round4(c.f1),
        measuredOn: `HR dev set folds pooled, ${c.support} letters`,
      });
  }
  if (name === 'sentiment') {
    const f = binaryF1(
      data.dev.map((d) => d.sentiment),
      classifier.classifyBatch(devTexts),
      (l) => l === NEGATIVE,
    );
    figures.push(
      {
        name: 'negative F1',
        value: round4(f.f1),
        measuredOn: `HR dev set (${data.dev.length} hand-labelled letters, not trained on)`,
      },
      { name: 'negative precision', value: round4(f.precision), measuredOn: 'HR dev set' },
      { name: 'negative recall', value: round4(f.recall), measuredOn: 'HR dev set' },
    );
  }
  if (name === 'relevance')
    notes.push('Figures from a probe trained without the held-out letters; the shipped weights use all of them.');
  return {
    classifier,
    card: {
      name,
      task: classifier.task,
      labels: classifier.labels,
      trainedAt: now.toISOString(),
      examples: classifier.training.examples,
      trainingSeconds: classifier.training.seconds,
      data: sources,
      licence: LICENCE_NOTE,
      figures,
      notes,
    },
  };
}

/** Renders a card as Markdown, shipped beside the model. */
export function formatModelCard(card: ModelCard): string {
  return [
    `# default:${card.name}`,
    '',
    `Labels: ${card.labels.join(', ')}. Trained ${card.trainedAt} on ${card.examples} examples in ${card.trainingSeconds} s; file ${(card.sizeBytes / 1e6).toFixed(2)} MB.`,
    '',
    '## Data',
    ...card.data.map((d) => `- ${d}`),
    '',
    '## Licence',
    card.licence,
    '',
    '## Figures',
    '| figure | value | measured on |',
    '|---|---|---|',
    ...card.figures.map((f) => `| ${f.name} | ${f.value.toFixed(4)} | ${f.measuredOn} |`),
    ...(card.notes.length ? ['', '## Notes', ...card.notes.map((n) => `- ${n}`)] : []),
    '',
  ].join('\n');
}

/**
 * `yq model build-defaults`: trains the shipped models from the shared data folder and writes
 * `<name>.model.json`, `<name>.card.json` and `<name>.card.md` into `outDir`.
 */
export function buildDefaultModels(
  dataDir: string,
  outDir: string,
  names: readonly DefaultModelName[],
  onBuilt: (card: ModelCard) => void = () => {},
): ModelCard[] {
  const data = readSharedTrainingData(dataDir);
  mkdirSync(outDir, { recursive: true });
  const cards: ModelCard[] = [];
  for (const name of names) {
    const built = buildDefaultModel(name, data);
    const modelPath = join(outDir, `${name}.model.json`);
    writeFileSync(
      modelPath,
      JSON.stringify(serialiseModel(built.classifier, { createdAt: new Date(built.card.trainedAt) })),
    );
    const card: ModelCard = { ...built.card, sizeBytes: statSync(modelPath).size };
    writeFileSync(join(outDir, `${name}.card.json`), `${JSON.stringify(card, null, 2)}\n`);
    writeFileSync(join(outDir, `${name}.card.md`), formatModelCard(card));
    cards.push(card);
    onBuilt(card);
  }
  return cards;
}
