// Loaders for the ../shared evaluation data, used by quality tests only (the product never reads these files).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvRecords, stratifiedSplit, type LabelledText } from '@yuqing/nlp';

/** ../shared/data relative to the repository root. */
export const SHARED_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

let warned = false;

/** True when the shared evaluation data is present on this machine; without it, says once on stderr that tests using it are skipped. */
export function hasSharedData(): boolean {
  const present = existsSync(`${SHARED_DATA_DIR}teddy2020/messages_full_train.csv`);
  if (!present && !warned) {
    warned = true;
    process.stderr.write(`testkit: ${SHARED_DATA_DIR} not found; tests on the shared data sets are skipped\n`);
  }
  return present;
}

function read(relative: string): Record<string, string>[] {
  return parseCsvRecords(readFileSync(SHARED_DATA_DIR + relative, 'utf8'));
}

/** The relevance label of a Teddy first-level topic. */
export const HR_TOPIC = '劳动和社会保障';

/**
 * Teddy 2020 title+detail messages (full and details files, deduplicated on the whitespace-free body), split 75/25
 * stratified; the titles-only file joins the training side minus titles that also occur in the held-out part.
 */
export function teddySplit(seed = 7): { train: LabelledText[]; heldOut: LabelledText[] } {
  const seen = new Set<string>();
  const docs: LabelledText[] = [];
  for (const r of [...read('teddy2020/messages_full_train.csv'), ...read('teddy2020/messages_details_train.csv')]) {
    const detail = r['留言详情'] ?? '';
    const label = (r['一级标签'] ?? '').trim();
    const key = detail.replace(/\s+/g, '');
    if (!key || !label || seen.has(key)) continue;
    seen.add(key);
    docs.push({ text: [r['留言主题'] ?? '', detail].filter(Boolean).join('\n'), label });
  }
  const { train, heldOut } = stratifiedSplit(docs, (d) => d.label, 0.25, seed);
  const heldOutTitles = new Set(heldOut.map((d) => d.text.split('\n')[0]!.trim()));
  for (const r of read('teddy2020/messages_titles_train.csv')) {
    const title = (r['留言主题'] ?? '').trim();
    const label = (r['一级标签'] ?? '').trim();
    if (title && label && !heldOutTitles.has(title)) train.push({ text: title, label });
  }
  return { train, heldOut };
}

/** SMP2020-EWECT usual Weibo emotion, split 75/25 stratified. */
export function smpSplit(seed = 7): { train: LabelledText[]; heldOut: LabelledText[] } {
  const docs = read('sentiment/smp2020_usual_train.csv')
    .map((r) => ({ text: r.text ?? '', label: (r.label ?? '').trim() }))
    .filter((d) => d.text.trim() && d.label);
  return stratifiedSplit(docs, (d) => d.label, 0.25, seed);
}

/** SMP2020 usual eval file (the organisers' validation set), as a second held-out check. */
export function smpEval(): LabelledText[] {
  return read('sentiment/smp2020_usual_eval.csv')
    .map((r) => ({ text: r.text ?? '', label: (r.label ?? '').trim() }))
    .filter((d) => d.text.trim() && d.label);
}

/** Negative emotions for the negativity bar. */
export const NEGATIVE_EMOTIONS = new Set(['angry', 'sad', 'fear']);
