import { getPromotedModel, type Db } from '@yuqing/db';
import {
  ANALYSIS_TASKS,
  ModelCache,
  shippedModelSpec,
  type AnalysisTask,
  type LoadedModel,
  type ModelSpec,
} from './model-cache.ts';

export {
  ANALYSIS_TASKS,
  ModelCache,
  loadModelFromSpec,
  shippedModelSpec,
  shippedModelSpecs,
  type AnalysisTask,
  type LoadedModel,
  type ModelSpec,
} from './model-cache.ts';

/** How often a worker looks for a newly promoted model. */
const MODEL_REFRESH_MS = 5 * 60_000;

/**
 * The models one worker process uses: per task, the promoted version from the database (retrained from
 * analysts' corrections) or else the shipped default. Looked up once, refreshed every few minutes; classifiers
 * are built only where they run (this thread via {@link get}, classification threads from {@link specs}).
 */
export class ModelSet {
  private current: Record<AnalysisTask, ModelSpec> | undefined;
  private readonly built = new ModelCache();
  private loadedAt = 0;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly clockNow: () => number = Date.now,
  ) {}

  /** Which model each task uses now, looking again when due. */
  async specs(): Promise<Record<AnalysisTask, ModelSpec>> {
    if (!this.current || this.clockNow() - this.loadedAt > MODEL_REFRESH_MS) {
      this.loading ??= this.load().finally(() => {
        this.loading = undefined;
      });
      await this.loading;
    }
    return this.current!;
  }

  /** The current models, built in this thread. */
  async get(): Promise<Record<AnalysisTask, LoadedModel>> {
    return this.built.models(await this.specs());
  }

  /** Forces a reload on the next `get()` (after a promotion in this process). */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private async load(): Promise<void> {
    const next = {} as Record<AnalysisTask, ModelSpec>;
    for (const task of ANALYSIS_TASKS) {
      const promoted = await getPromotedModel(this.db, task);
      next[task] = promoted
        ? { version: `${task}@${promoted.version}`, data: Buffer.from(promoted.data).toString('utf8') }
        : shippedModelSpec(task);
    }
    this.current = next;
    this.loadedAt = this.clockNow();
  }
}
