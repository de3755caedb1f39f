import { createLogger, errorMessage } from '@yuqing/core';
import { getPromotedModel, type Db } from '@yuqing/db';
import { deserializeModel, loadModel, type TextClassifier } from '@yuqing/nlp';

const log = createLogger('model-set');

/** The classification tasks the analysis worker runs on every mention. */
export const ANALYSIS_TASKS = ['relevance', 'subcategory', 'sentiment'] as const;
export type AnalysisTask = (typeof ANALYSIS_TASKS)[number];

/** How often a worker looks for a newly promoted model. */
const MODEL_REFRESH_MS = 5 * 60_000;

/** A loaded classifier and where it came from (recorded on every analysis). */
export interface LoadedModel {
  classifier: TextClassifier;
  /** `default:relevance@1` or `relevance@3` (a promoted, retrained version). */
  version: string;
}

/**
 * The models one worker process uses: per task, the promoted version from the database (retrained from
 * analysts' corrections) or else the shipped default. Loaded once, refreshed every few minutes.
 */
export class ModelSet {
  private models = new Map<AnalysisTask, LoadedModel>();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(private readonly db: Db, private readonly clockNow: () => number = Date.now) {}

  /** The current models, loading or refreshing them when due. */
  async get(): Promise<Record<AnalysisTask, LoadedModel>> {
    if (this.models.size === 0 || this.clockNow() - this.loadedAt > MODEL_REFRESH_MS) {
      this.loading ??= this.load().finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return Object.fromEntries(this.models) as Record<AnalysisTask, LoadedModel>;
  }

  /** Forces a reload on the next `get()` (after a promotion in this process). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private async load(): Promise<void> {
    for (const task of ANALYSIS_TASKS) {
      let loaded: LoadedModel | undefined;
      try {
        const promoted = await getPromotedModel(this.db, task);
        if (promoted) {
          const model = deserializeModel(JSON.parse(Buffer.from(promoted.data).toString('utf8')), `model ${task}@${promoted.version}`);
          loaded = { classifier: model.classifier, version: `${task}@${promoted.version}` };
        }
      } catch (error) {
        // A broken promoted model must not stop analysis: fall back to the shipped default and say so.
        log.error({ task, err: errorMessage(error) }, 'promoted model unusable; using the shipped default');
      }
      if (!loaded) {
        const model = await loadModel(`default:${task}`);
        loaded = { classifier: model.classifier, version: `default:${task}@${model.version}` };
      }
      this.models.set(task, loaded);
    }
    this.loadedAt = this.clockNow();
  }
}
