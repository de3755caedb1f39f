// Model specs and the classifiers built from them: no database here, so classification threads can load this
// without Prisma (~40 MB they would never use).
import { createLogger, errorMessage } from '@yuqing/core';
import { deserialiseModel, loadModel, type TextClassifier } from '@yuqing/nlp';

const log = createLogger('model-set');

/** The classification tasks the analysis worker runs on every mention. */
export const ANALYSIS_TASKS = ['relevance', 'subcategory', 'sentiment'] as const;
export type AnalysisTask = (typeof ANALYSIS_TASKS)[number];

/** A loaded classifier and where it came from (recorded on every analysis). */
export interface LoadedModel {
  classifier: TextClassifier;
  /** `default:relevance@1` or `relevance@3` (a promoted, retrained version). */
  version: string;
}

/**
 * Which model a task uses, without loading it: a promoted version's serialised file (JSON text) or, when `data`
 * is null, the shipped default. Small enough to hand to a classification thread.
 */
export interface ModelSpec {
  version: string;
  data: string | null;
}

/** The spec of a task's shipped default model (what a task uses until a retrained version is promoted). */
export function shippedModelSpec(task: AnalysisTask): ModelSpec {
  return { version: `default:${task}`, data: null };
}

/** The shipped default of every analysis task. */
export function shippedModelSpecs(): Record<AnalysisTask, ModelSpec> {
  return Object.fromEntries(ANALYSIS_TASKS.map((task) => [task, shippedModelSpec(task)])) as Record<
    AnalysisTask,
    ModelSpec
  >;
}

/** Builds the classifier a spec names (a broken promoted model falls back to the shipped default, logged). */
export async function loadModelFromSpec(task: AnalysisTask, spec: ModelSpec): Promise<LoadedModel> {
  if (spec.data !== null) {
    try {
      const model = deserialiseModel(JSON.parse(spec.data), `model ${spec.version}`);
      return { classifier: model.classifier, version: spec.version };
    } catch (error) {
      // A broken promoted model must not stop analysis: fall back to the shipped default and say so.
      log.error({ task, err: errorMessage(error) }, 'promoted model unusable; using the shipped default');
    }
  }
  const model = await loadModel(`default:${task}`);
  return { classifier: model.classifier, version: `default:${task}@${model.version}` };
}

/** Classifiers built from specs, rebuilt only when a task's spec changes (a broken spec is not retried each time). */
export class ModelCache {
  private readonly built = new Map<AnalysisTask, { spec: string; model: LoadedModel }>();

  /** The classifiers the specs name. */
  async models(specs: Record<AnalysisTask, ModelSpec>): Promise<Record<AnalysisTask, LoadedModel>> {
    const out = {} as Record<AnalysisTask, LoadedModel>;
    for (const task of ANALYSIS_TASKS) {
      const spec = specs[task];
      let entry = this.built.get(task);
      if (entry?.spec !== spec.version) {
        entry = { spec: spec.version, model: await loadModelFromSpec(task, spec) };
        this.built.set(task, entry);
      }
      out[task] = entry.model;
    }
    return out;
  }
}
