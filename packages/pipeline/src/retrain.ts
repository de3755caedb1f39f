import { createLogger } from '@yuqing/core';
import { countModelVersions, getPromotedModel, listAnalystLabels, saveModelVersion, type Db } from '@yuqing/db';
import {
  NEGATIVE,
  NON_NEGATIVE,
  defaultTrainingExamples,
  deserialiseModel,
  evaluatePredictions,
  serialiseModel,
  shouldPromote,
  stratifiedSplit,
  TextClassifier,
  type LabelledText,
} from '@yuqing/nlp';
import { ANALYSIS_TASKS, type AnalysisTask } from './model-set.ts';

const log = createLogger('retrain');

/** Fewer labels than this per task: nothing to learn from yet. */
export const MIN_LABELS_TO_RETRAIN = 20;
/** Share of analysts' labels held out to compare the new model with the current one. */
const HELD_OUT_SHARE = 0.25;

/** Analysts label a mention's "category" in triage; the model of that decision is the sub-category model. */
const LABEL_TASK_OF: Record<AnalysisTask, string> = {
  relevance: 'relevance',
  subcategory: 'category',
  sentiment: 'sentiment',
};

/** Triage offers negative / neutral / positive; the shipped sentiment model decides negative vs not. */
function modelLabel(task: AnalysisTask, label: string): string {
  if (task === 'sentiment') return label === NEGATIVE ? NEGATIVE : NON_NEGATIVE;
  return label;
}

/** What happened to one task. */
export interface RetrainOutcome {
  task: string;
  labels: number;
  status: 'skipped' | 'promoted' | 'kept';
  reason: string;
  candidateMacroF1?: number;
  currentMacroF1?: number;
  version?: string;
}

/**
 * Retrains each task from the shipped seed examples plus analysts' corrections, scores the candidate and the
 * current model on the same held-out corrections, and promotes the candidate only when it is no worse.
 */
export async function retrainModels(
  db: Db,
  options: { tasks?: readonly string[]; minLabels?: number } = {},
): Promise<RetrainOutcome[]> {
  const tasks = (options.tasks ?? ANALYSIS_TASKS).filter((t): t is AnalysisTask =>
    (ANALYSIS_TASKS as readonly string[]).includes(t),
  );
  const outcomes: RetrainOutcome[] = [];
  for (const task of tasks) {
    const labels: LabelledText[] = (await listAnalystLabels(db, LABEL_TASK_OF[task])).map((l) => ({
      text: l.text,
      label: modelLabel(task, l.label),
    }));
    if (labels.length < (options.minLabels ?? MIN_LABELS_TO_RETRAIN)) {
      outcomes.push({
        task,
        labels: labels.length,
        status: 'skipped',
        reason: `only ${labels.length} analyst labels (need ${options.minLabels ?? MIN_LABELS_TO_RETRAIN})`,
      });
      continue;
    }
    const { train, heldOut: test } = stratifiedSplit(labels, (e) => e.label, HELD_OUT_SHARE, 7);
    const candidate = TextClassifier.train([...defaultTrainingExamples(task), ...train], { task });
    const gold = test.map((e) => e.label);
    const candidateReport = evaluatePredictions(
      gold,
      test.map((e) => candidate.classify(e.text)),
    );
    const promoted = await getPromotedModel(db, task);
    const current = promoted
      ? deserialiseModel(JSON.parse(Buffer.from(promoted.data).toString('utf8'))).classifier
      : TextClassifier.train(defaultTrainingExamples(task), { task });
    const currentReport = evaluatePredictions(
      gold,
      test.map((e) => current.classify(e.text)),
    );
    const promote = shouldPromote(candidateReport, currentReport);
    const version = String((await countModelVersions(db, task)) + 1);
    const file = serialiseModel(candidate, {
      version: Number(version),
      previousVersion: promoted ? Number(promoted.version) : null,
      evaluation: candidateReport,
    });
    await saveModelVersion(db, {
      task,
      version,
      data: Buffer.from(JSON.stringify(file)),
      trainedOn: train.length,
      promote,
      metrics: {
        heldOut: test.length,
        candidateMacroF1: candidateReport.macroF1,
        currentMacroF1: currentReport.macroF1,
      },
    });
    const outcome: RetrainOutcome = {
      task,
      labels: labels.length,
      status: promote ? 'promoted' : 'kept',
      version,
      reason: promote
        ? 'candidate scored no worse on held-out labels'
        : 'candidate scored worse on held-out labels; current model kept',
      candidateMacroF1: candidateReport.macroF1,
      currentMacroF1: currentReport.macroF1,
    };
    log.info(
      { task, status: outcome.status, candidate: candidateReport.macroF1, current: currentReport.macroF1 },
      'retrained',
    );
    outcomes.push(outcome);
  }
  return outcomes;
}
