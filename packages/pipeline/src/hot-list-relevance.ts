// Which hot-list entries become mentions: a platform's list is mostly off-topic (entertainment, sport, world
// news), so ingest keeps only the entries a monitoring scheme matches or the relevance model finds relevant. The
// model is the analysis worker's own (promoted version or shipped default), judged on the entry's title and summary.
import type { Db } from '@yuqing/db';
import { prepareTexts, RELEVANT } from '@yuqing/nlp';
import { RELEVANCE_THRESHOLD } from './mention-classifier.ts';
import { ModelSet } from './model-set.ts';

/** Judges entries' texts: true where the entry is relevant to the bureau's matters. */
export type HotListRelevance = (texts: readonly string[]) => Promise<boolean[]>;

/** A judge using the relevance model of `models` (built on first use, so a batch without hot-list entries costs nothing). */
export function modelHotListRelevance(models: ModelSet): HotListRelevance {
  return async (texts) => {
    if (texts.length === 0) return [];
    const { relevance } = await models.get();
    return prepareTexts(texts).map(
      (text) => (relevance.classifier.predict(text).scores[RELEVANT] ?? 0) >= RELEVANCE_THRESHOLD,
    );
  };
}

const judges = new WeakMap<Db, HotListRelevance>();

/** The judge of a database's current models, one per handle (its ModelSet refreshes promoted models by itself). */
export function defaultHotListRelevance(db: Db): HotListRelevance {
  let judge = judges.get(db);
  if (!judge) {
    judge = modelHotListRelevance(new ModelSet(db));
    judges.set(db, judge);
  }
  return judge;
}
