// `pnpm bench extract`: `yq extract`'s article extraction against Mozilla Readability (with linkedom) on real
// Chinese news and government pages with hand-checked truth (test/fixtures/extract/truth.json): title accuracy,
// date accuracy (same day), body character-bigram F1. GeneralNewsExtractor (Python `gne`) is not reachable from
// here (no PyPI; no JavaScript port on npm), so it is not measured.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBody, extractArticle } from '@yuqing/crawlers';

interface Truth {
  file: string;
  kind: string;
  title: string;
  date: string | null;
  bodyStart: string;
  bodyEnd: string;
}
interface Answer {
  title: string;
  date: string | undefined;
  body: string;
}

const DIR = new URL('../fixtures/extract/', import.meta.url);
const truths = JSON.parse(readFileSync(new URL('truth.json', DIR), 'utf8')) as Truth[];
const squash = (s: string) => s.replace(/[\s\u00a0\u3000]+/g, '');

function bigrams(s: string): Map<string, number> {
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < s.length; i++) out.set(s.slice(i, i + 2), (out.get(s.slice(i, i + 2)) ?? 0) + 1);
  return out;
}

/** Character-bigram F1 of two texts, whitespace ignored. */
function bigramF1(got: string, want: string): number {
  const g = bigrams(squash(got));
  const w = bigrams(squash(want));
  let overlap = 0;
  let gTotal = 0;
  let wTotal = 0;
  for (const n of g.values()) gTotal += n;
  for (const [k, n] of w) {
    wTotal += n;
    overlap += Math.min(n, g.get(k) ?? 0);
  }
  if (overlap === 0) return 0;
  const p = overlap / gTotal;
  const r = overlap / wTotal;
  return (2 * p * r) / (p + r);
}

/** The page's visible text from the truth's first words through its last. */
function truthBody(html: string, t: Truth): string {
  // Tags stripped by pattern rather than through a DOM: linkedom keeps only 1 k of the 国务院公报 page's text.
  const text = squash(
    html
      .replace(/<(script|style|noscript)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&nbsp;/g, ' ')
      .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&'),
  );
  const start = text.indexOf(squash(t.bodyStart));
  const end = text.indexOf(squash(t.bodyEnd), Math.max(0, start));
  if (start < 0 || end < 0) throw new Error(`${t.file}: truth body start/end not found in the page text`);
  return text.slice(start, end + squash(t.bodyEnd).length);
}

function ours(html: string): Answer {
  const a = extractArticle(html, { url: 'https://example.com/article.html' });
  return { title: a.title, date: a.publishedAt?.slice(0, 10), body: a.body };
}

function readability(html: string): Answer {
  const { document } = parseHTML(html);
  const article = new Readability(document as unknown as Document).parse();
  const published = article?.publishedTime ? new Date(article.publishedTime) : undefined;
  const date =
    published && !Number.isNaN(published.getTime())
      ? new Date(published.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
      : undefined;
  return { title: article?.title ?? '', date, body: article?.textContent ?? '' };
}

const extractors = { ours, readability } as const;
type Name = keyof typeof extractors;
const totals = Object.fromEntries(
  Object.keys(extractors).map((n) => [n, { title: 0, date: 0, dated: 0, f1: 0, ms: 0 }]),
) as Record<Name, { title: number; date: number; dated: number; f1: number; ms: number }>;

const rows: string[][] = [];
for (const t of truths) {
  const html = decodeBody(gunzipSync(readFileSync(new URL(t.file, DIR)))).text;
  const want = truthBody(html, t);
  const row = [t.file.replace(/\.html\.gz$/, '')];
  for (const name of Object.keys(extractors) as Name[]) {
    const started = performance.now();
    const got = extractors[name](html);
    totals[name].ms += performance.now() - started;
    const titleOk = squash(got.title) === squash(t.title);
    const f1 = bigramF1(got.body, want);
    totals[name].title += titleOk ? 1 : 0;
    if (t.date) {
      totals[name].dated++;
      totals[name].date += got.date === t.date ? 1 : 0;
    }
    totals[name].f1 += f1;
    row.push(`${titleOk ? 'T' : '-'}${t.date ? (got.date === t.date ? 'D' : '-') : ' '} ${f1.toFixed(3)}`);
  }
  rows.push(row);
}

process.stdout.write(`page                 ours        readability   (T title right, D date right, body bigram F1)\n`);
for (const r of rows) process.stdout.write(`${r[0]!.padEnd(20)} ${r[1]!.padEnd(11)} ${r[2]}\n`);
process.stdout.write(`\n${truths.length} pages       title   date    body F1 (mean)\n`);
for (const name of Object.keys(extractors) as Name[]) {
  const s = totals[name];
  process.stdout.write(
    `${name.padEnd(14)} ${`${s.title}/${truths.length}`.padEnd(7)} ${`${s.date}/${s.dated}`.padEnd(7)} ${(s.f1 / truths.length).toFixed(3)}\n`,
  );
}
process.stdout.write('GeneralNewsExtractor: not measured (Python only; PyPI unreachable here, no npm port)\n');
