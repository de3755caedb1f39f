/** Precision, recall and F1 of one class. */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Per-class metrics, macro averages and accuracy of a set of predictions. */
export interface EvaluationReport {
  classes: ClassMetrics[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
  examples: number;
}

/** Scores predictions against gold labels; classes are every label seen in either list. */
export function evaluatePredictions(gold: readonly string[], predicted: readonly string[]): EvaluationReport {
  if (gold.length !== predicted.length) throw new RangeError('gold and predicted lengths differ');
  const labels = [...new Set([...gold, ...predicted])].sort();
  const tp = new Map<string, number>();
  const fp = new Map<string, number>();
  const fn = new Map<string, number>();
  let correct = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = predicted[i]!;
    if (g === p) {
      correct++;
      tp.set(g, (tp.get(g) ?? 0) + 1);
    } else {
      fp.set(p, (fp.get(p) ?? 0) + 1);
      fn.set(g, (fn.get(g) ?? 0) + 1);
    }
  }
  const classes = labels.map((label) => {
    const t = tp.get(label) ?? 0;
    const precision = t + (fp.get(label) ?? 0) > 0 ? t / (t + (fp.get(label) ?? 0)) : 0;
    const recall = t + (fn.get(label) ?? 0) > 0 ? t / (t + (fn.get(label) ?? 0)) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support: t + (fn.get(label) ?? 0) };
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    classes,
    macroPrecision: mean(classes.map((c) => c.precision)),
    macroRecall: mean(classes.map((c) => c.recall)),
    macroF1: mean(classes.map((c) => c.f1)),
    accuracy: gold.length ? correct / gold.length : 0,
    examples: gold.length,
  };
}

/** F1 of one class against the rest after mapping labels (e.g. angry+sad+fear → negative). */
export function binaryF1(
  gold: readonly string[],
  predicted: readonly string[],
  isPositive: (label: string) => boolean,
): ClassMetrics {
  const report = evaluatePredictions(
    gold.map((g) => (isPositive(g) ? 'positive' : 'rest')),
    predicted.map((p) => (isPositive(p) ? 'positive' : 'rest')),
  );
  const positive = report.classes.find((c) => c.label === 'positive');
  return { ...(positive ?? { precision: 0, recall: 0, f1: 0, support: 0 }), label: 'positive' };
}

/** A plain-text table of a report, for the CLI. */
export function formatReport(report: EvaluationReport): string {
  const width = Math.max(8, ...report.classes.map((c) => c.label.length * 2));
  const pad = (s: string) =>
    s + ' '.repeat(Math.max(0, width - [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0)));
  const f = (x: number) => x.toFixed(4);
  const lines = [`${pad('label')}  precision  recall  f1      support`];
  for (const c of report.classes)
    lines.push(`${pad(c.label)}  ${f(c.precision)}     ${f(c.recall)}  ${f(c.f1)}  ${c.support}`);
  lines.push(
    `${pad('macro')}  ${f(report.macroPrecision)}     ${f(report.macroRecall)}  ${f(report.macroF1)}  ${report.examples}`,
  );
  lines.push(`accuracy ${f(report.accuracy)}`);
  return lines.join('\n');
}
