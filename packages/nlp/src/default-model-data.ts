import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NonRetryableError } from '@yuqing/core';
import { parseCsvRecords } from './csv.ts';
import type { LabelledText } from './classifier-training.ts';

/** The first-level Teddy label that is the bureau's own matter. */
export const HR_TOPIC = '劳动和社会保障';

/** Emotions of SMP2020 that count as negative public opinion. */
export const NEGATIVE_EMOTIONS: ReadonlySet<string> = new Set(['angry', 'sad', 'fear']);

/**
 * Words that mark a message-board letter as a complaint, a grievance or a request for redress (negative public
 * opinion even when written politely). Used only to weakly label unlabelled Teddy letters for the shipped sentiment
 * model: on the hand-labelled HR dev set the rule alone reaches negative F1 0.81 (P 0.90, R 0.74), the model
 * trained from it and SMP2020 0.90, because it learns the wording around these words.
 */
const COMPLAINT_CUES =
  /投诉|举报|拖欠|欠薪|不予|拒绝|不给|不发|不按|未按|违规|违法|强制|强行|克扣|推诿|不作为|敷衍|无人管|没人管|不公|不合理|为何|为什么|凭什么|讨要|讨薪|维权|要求.{0,6}(?:补|赔|退|解决|处理|查处|纠正)|至今|迟迟|多次|一直没|仍未|严重|损害|侵害|恳请|恳求|求助|救救|坑|骗|乱收费|太难|无奈|扰民|污染|噪音/;
/** A plain question or consultation (neutral) when no complaint cue is present. */
const QUESTION_CUES = /请问|咨询|如何|怎么办理|能否|是否可以|有哪些|建议|希望能|可以吗|多少/;

/** How a letter reads to the weak sentiment rule: negative, plainly neutral, or undecided (left out). */
export function weakSentiment(text: string): 'negative' | 'non-negative' | undefined {
  if (COMPLAINT_CUES.test(text)) return 'negative';
  if (QUESTION_CUES.test(text)) return 'non-negative';
  return undefined;
}

/** A Teddy letter: `title\ndetail` text, its first-level label, and the key it is deduplicated by. */
export interface TeddyMessage extends LabelledText {
  /** The detail with all whitespace removed (the dev set's and the bench's deduplication key). */
  key: string;
}

/** What the shipped models are built from, read from a `../shared/data` directory. */
export interface SharedTrainingData {
  /** Whole Teddy letters (title + detail), deduplicated on the detail. */
  messages: TeddyMessage[];
  /** Title-only Teddy rows. */
  titles: LabelledText[];
  /** SMP2020 usual training posts, labelled negative / non-negative. */
  weibo: LabelledText[];
  /** {@link NEWS_TRAINING_TITLES} THUCNews titles past the first {@link NEWS_TITLES_HELD_BACK} (the bench scores those). */
  news: string[];
  /** The hand-labelled HR dev set: trains default:subcategory (figures by grouped cross-validation), tunes and scores the others. */
  dev: { text: string; key: string; subcategory: string; sentiment: string }[];
  /** The Teddy three-level taxonomy (taxonomy.csv): which second-level class each third-level name belongs to. */
  taxonomy: TaxonomyRow[];
}

/** One row of the Teddy taxonomy. */
export interface TaxonomyRow {
  first: string;
  second: string;
  third: string;
}

/**
 * Off-topic news titles that train default:relevance as irrelevant. Teddy leak-free split, relevance F1 / THUCNews
 * titles called relevant (of 2000): none 0.9286 / 15, 1000 titles 0.9238 / 4, 8000 titles 0.9214 / –; a crawler
 * meets far more news than letters, so the model keeps 1000.
 */
export const NEWS_TRAINING_TITLES = 1000;

/** THUCNews titles the bench keeps for scoring default:relevance; training uses the rest. */
export const NEWS_TITLES_HELD_BACK = 2000;

/** Whitespace-free text: the key letters are deduplicated by. */
export function dedupeKey(text: string): string {
  return text.replace(/\s+/g, '');
}

function readCsv(dataDir: string, relative: string): Record<string, string>[] {
  const path = join(dataDir, relative);
  try {
    return parseCsvRecords(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new NonRetryableError('INPUT_UNREADABLE', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Reads the Teddy, SMP2020, THUCNews files and the HR dev set from `dataDir` (the shared `data` folder). */
export function readSharedTrainingData(dataDir: string): SharedTrainingData {
  const seen = new Set<string>();
  const messages: TeddyMessage[] = [];
  for (const r of [
    ...readCsv(dataDir, 'teddy2020/messages_full_train.csv'),
    ...readCsv(dataDir, 'teddy2020/messages_details_train.csv'),
  ]) {
    const key = dedupeKey(r['留言详情'] ?? '');
    const label = (r['一级标签'] ?? '').trim();
    if (!key || !label || seen.has(key)) continue;
    seen.add(key);
    messages.push({ text: [r['留言主题'] ?? '', r['留言详情'] ?? ''].filter(Boolean).join('\n'), label, key });
  }
  const titles = readCsv(dataDir, 'teddy2020/messages_titles_train.csv')
    .map((r) => ({ text: (r['留言主题'] ?? '').trim(), label: (r['一级标签'] ?? '').trim() }))
    .filter((d) => d.text && d.label);
  const weibo = readCsv(dataDir, 'sentiment/smp2020_usual_train.csv')
    .map((r) => ({
      text: r.text ?? '',
      label: NEGATIVE_EMOTIONS.has((r.label ?? '').trim()) ? 'negative' : 'non-negative',
    }))
    .filter((d) => d.text.trim());
  const news = readCsv(dataDir, 'news/thucnews_titles.csv')
    .slice(NEWS_TITLES_HELD_BACK, NEWS_TITLES_HELD_BACK + NEWS_TRAINING_TITLES)
    .map((r) => r.title ?? '')
    .filter(Boolean);
  const dev = readCsv(dataDir, 'teddy2020/hr_dev_labels.csv').map((r) => ({
    text: [r['留言主题'] ?? '', r['留言详情'] ?? ''].filter(Boolean).join('\n'),
    key: dedupeKey(r['留言详情'] ?? ''),
    subcategory: (r['二级分类'] ?? '').trim(),
    sentiment: (r['sentiment'] ?? '').trim(),
  }));
  const taxonomy = readCsv(dataDir, 'teddy2020/taxonomy.csv')
    .map((r) => ({
      first: (r['一级分类'] ?? '').trim(),
      second: (r['二级分类'] ?? '').trim(),
      third: (r['三级分类'] ?? '').trim(),
    }))
    .filter((r) => r.first && r.second && r.third);
  return { messages, titles, weibo, news, dev, taxonomy };
}
