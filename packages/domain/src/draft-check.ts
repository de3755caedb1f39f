// 回应口径自检: pure rules that read a draft response against what the public asked and the deadline. No jieba
// here: answered-or-not is measured with the dictionary-free CJK bigrams of search-tokens.ts, so the same check
// runs anywhere (API, bench, tests) and a question is "answered" when the draft takes up enough of its words.
// Numbers are folded first (三年, ３年 and 3年 are one quantity) and a quantity with its measure word (3年) is a
// token of its own, so 缴满三年 is answered by 缴费满3年.
import { normaliseNumerals } from './chinese-numerals.ts';
import { fallbackTokens } from './search-tokens.ts';
import { DRAFT_CHECK_LABELS, DRAFT_TIMELINESS_LABELS } from './labels.ts';

/** Share of a question's content bigrams the draft must contain for the question to count as answered. */
export const ANSWERED_COVERAGE = 0.3;
/** Most questions listed for one issue (the rest are the same asks in other words). */
export const MAX_CHECKED_QUESTIONS = 8;
/** Bigram overlap (Jaccard) above which two extracted questions are the same question. */
const DUPLICATE_QUESTION_JACCARD = 0.5;
/** A draft shorter than this, in characters, rarely explains anything. */
export const MIN_DRAFT_CHARS = 80;
/** A draft longer than this is no longer read to the end on a message board. */
export const MAX_DRAFT_CHARS = 2500;
/** Time left before the deadline under which the draft is "due soon", in milliseconds. */
export const DUE_SOON_MS = 2 * 60 * 60 * 1000;
/** Longest question sentence kept, in characters (longer ones are narratives with a question mark at the end). */
const MAX_QUESTION_CHARS = 160;

/** Points each check is worth (sum 100). */
const WEIGHTS = {
  questions: 30,
  department: 10,
  timeLimit: 10,
  contact: 10,
  policyBasis: 15,
  length: 10,
  risk: 15,
} as const;
/** Points taken off for a draft saved after its deadline. */
const OVERDUE_PENALTY = 10;
/** Points taken off per risky phrase (the risk check's points are the floor). */
const RISK_PENALTY = 8;

/** What the check reads. */
export interface DraftCheckInput {
  /** The draft text. */
  draft: string;
  /** The mentions (what the public wrote); the title counts as a question when none is asked outright. */
  mentions: { title?: string | null; body?: string | null }[];
  /** The response deadline, if any. */
  deadlineAt?: Date | null;
  /** Now, for timeliness. */
  now: Date;
}

/** One question the public raised and whether the draft takes it up. */
export interface CheckedQuestion {
  text: string;
  answered: boolean;
  /** Share of the question's content bigrams found in the draft (0–1). */
  coverage: number;
}

/** A phrase the draft should not contain. */
export interface RiskyPhrase {
  phrase: string;
  /** dismissive: 推诿, 冷漠; absolute: a promise the bureau may not keep. */
  kind: 'dismissive' | 'absolute';
}

/** One scored check, with its zh-CN name. */
export interface DraftCheckItem {
  key: keyof typeof DRAFT_CHECK_LABELS;
  label: string;
  passed: boolean;
  /** What was found (a department, a time limit, a phone number …) or why it failed. */
  detail: string;
}

/** The check's result. */
export interface DraftCheckResult {
  /** 0–100; higher is a more complete, safer reply. */
  score: number;
  questions: CheckedQuestion[];
  department: string | null;
  timeLimit: string | null;
  contact: string | null;
  policyBasis: string[];
  riskyPhrases: RiskyPhrase[];
  length: number;
  timeliness: 'on-time' | 'due-soon' | 'overdue' | 'no-deadline';
  items: DraftCheckItem[];
  /** zh-CN hints, most important first. */
  hints: string[];
}

/** Words that make a sentence a question (besides a question mark). */
const QUESTION_MARKERS =
  /[？?]|吗|怎么|怎样|何时|能否|可否|是否|为什么|为何|如何|什么时候|多久|多少|哪里|哪个|有没有|是不是|能不能|可不可以|谁来/u;
/** Words that only say "this is a question": left out when measuring whether the draft takes the question up. */
const QUESTION_FILLER =
  /请问|请求|希望|为什么|为何|怎么|怎样|如何|能否|可否|是否|有没有|是不是|能不能|可不可以|什么时候|何时|多久|多少|哪里|哪个|谢谢|领导|您好|你好|吗|呢|啊/gu;
/** Sentence ends: a question is one sentence. */
const SENTENCE_SPLIT = /(?<=[。！!？?；;\n])/u;

/** A bureau, office or unit: a name of 2–16 characters ending in an organisation word. */
const DEPARTMENT =
  /[\p{Script=Han}A-Za-z0-9]{1,16}?(?:人力资源和社会保障局|人社局|社保局|医疗保障局|医保局|社会保险[\p{Script=Han}]{0,6}?中心|社保中心|仲裁院|仲裁委员会|监察支队|监察大队|就业[\p{Script=Han}]{0,6}?中心|管理局|服务中心|事务中心|委员会|办公室|办事处|街道办|人民政府|政府|局|厅|支队|大队|中心|街道)/u;
/** Words ending in 局 / 中心 that are not organisations. */
const NOT_DEPARTMENTS = /(?:格局|结局|布局|僵局|大局|出局|开局|骗局|中心城区|市中心|重中心|核心|城市中心)$/u;
/** Words that open a clause before an organisation's name (经市人社局核实, 由社保中心办理). */
const LEADING_PARTICLES = /^(?:经过|经|由|请|向|据|从|在|已|将|对|与|和|及|现|并|按|到|至|联系)+/u;
const TIME_LIMITS: RegExp[] = [
  /(?:\d+|[一二三四五六七八九十两半]+)\s*个?(?:工作日|自然日|日|天|周|星期|个月|月)(?:内|以内|之内)/u,
  /(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*(?:\d{1,2}\s*[日号]\s*)?(?:前|之前|以前|底前|底之前)/u,
  /(?:\d{1,2}\s*[日号])(?:前|之前|以前)/u,
  /(?:本周|本月|本季度|今年|年底|月底|月末|年内|近日|即日)(?:内|前|之前|起)/u,
  /(?:月底|年底|月末|年末)(?:前)?完成/u,
];
const CONTACTS: RegExp[] = [
  /12333/u,
  /(?<!\d)(?:0\d{2,3}[-－—\s]?)?[2-9]\d{6,7}(?!\d)/u,
  /(?<!\d)1[3-9]\d{9}(?!\d)/u,
  /(?:咨询|联系)(?:电话|方式)[:：]?\s*[\d\-－—]{5,}/u,
];
const POLICY_BASIS: RegExp[] = [
  /《[^《》\n]{2,60}》/gu,
  /第[一二三四五六七八九十百零\d]+条/gu,
  /[\p{Script=Han}]{1,8}[〔［[（(]\s*(?:19|20)\d{2}\s*[〕］\]）)]\s*\d+\s*号/gu,
];
const DISMISSIVE = [
  '无可奉告',
  '临时工',
  '不清楚',
  '不归我们管',
  '不归我局管',
  '不关我们的事',
  '与我们无关',
  '管不了',
  '不知道',
];
/** Absolute promises; the lookaheads keep 一定程度, 保证金 and the like out. */
const ABSOLUTE: RegExp[] = [
  /一定(?!程度|的|时间|期限|数量|比例|范围|条件|影响|困难|标准)/u,
  /保证(?!金|书|人|期)/u,
  /绝不|决不|绝对/u,
  /100\s*[%％]|百分之百|百分百/u,
];

/** A number and the measure word after it (3年, 15个, 60%). */
const QUANTITY = /(\d+(?:\.\d+)?)\s*([\u3400-\u4dbf\u4e00-\u9fff%])/gu;

/**
 * The content tokens of a text (question filler left out): CJK bigrams and quantities with their measure word,
 * after {@link normaliseNumerals}.
 */
function contentBigrams(text: string): Set<string> {
  const folded = normaliseNumerals(text).replace(QUESTION_FILLER, ' ');
  const tokens = new Set(fallbackTokens(folded).filter((t) => t.length === 2));
  for (const m of folded.matchAll(QUANTITY)) tokens.add(`${m[1]}${m[2]}`);
  return tokens;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Question sentences in the mentions, deduplicated (a repost asks the same thing again). When nobody asks
 * outright, the mentions' titles are the asks (a message board title says what the writer wants).
 */
export function extractQuestions(mentions: DraftCheckInput['mentions']): string[] {
  const found: { text: string; bigrams: Set<string> }[] = [];
  const add = (raw: string): void => {
    const text = raw.replace(/\s+/gu, ' ').trim();
    if (text.length < 4 || text.length > MAX_QUESTION_CHARS) return;
    const bigrams = contentBigrams(text);
    if (bigrams.size === 0) return;
    if (found.some((q) => jaccard(q.bigrams, bigrams) >= DUPLICATE_QUESTION_JACCARD)) return;
    found.push({ text, bigrams });
  };
  for (const m of mentions)
    for (const sentence of `${m.title ?? ''}\n${m.body ?? ''}`.split(SENTENCE_SPLIT))
      if (QUESTION_MARKERS.test(sentence)) add(sentence);
  if (found.length === 0) for (const m of mentions) if (m.title) add(m.title);
  return found.slice(0, MAX_CHECKED_QUESTIONS).map((q) => q.text);
}

function firstMatch(text: string, patterns: RegExp[]): string | null {
  for (const p of patterns) {
    const m = new RegExp(p.source, p.flags.replace('g', '')).exec(text);
    if (m) return m[0].trim();
  }
  return null;
}

/** The first organisation the draft names (承办部门), or null. */
export function findDepartment(text: string): string | null {
  const pattern = new RegExp(DEPARTMENT.source, 'gu');
  for (const m of text.matchAll(pattern)) {
    // The match starts at the clause's first character: 经/由/请… belong to the sentence, not the name.
    const name = m[0].replace(LEADING_PARTICLES, '');
    if (name.length >= 2 && !NOT_DEPARTMENTS.test(name)) return name;
  }
  return null;
}

/** Risky phrases in the draft, each once. */
export function findRiskyPhrases(text: string): RiskyPhrase[] {
  const found: RiskyPhrase[] = [];
  for (const phrase of DISMISSIVE) if (text.includes(phrase)) found.push({ phrase, kind: 'dismissive' });
  for (const p of ABSOLUTE) {
    const m = p.exec(text);
    if (m) found.push({ phrase: m[0], kind: 'absolute' });
  }
  return found;
}

/** Checks a draft response; see {@link DraftCheckResult}. */
export function checkDraft(input: DraftCheckInput): DraftCheckResult {
  const draft = input.draft;
  const draftBigrams = contentBigrams(draft);
  const questions: CheckedQuestion[] = extractQuestions(input.mentions).map((text) => {
    const q = contentBigrams(text);
    let shared = 0;
    for (const t of q) if (draftBigrams.has(t)) shared += 1;
    const coverage = q.size === 0 ? 0 : shared / q.size;
    return { text, answered: coverage >= ANSWERED_COVERAGE, coverage: Math.round(coverage * 100) / 100 };
  });
  const department = findDepartment(draft);
  const timeLimit = firstMatch(draft, TIME_LIMITS);
  const contact = firstMatch(draft, CONTACTS);
  const policyBasis = [...new Set(POLICY_BASIS.flatMap((p) => [...draft.matchAll(p)].map((m) => m[0])))].slice(0, 10);
  const riskyPhrases = findRiskyPhrases(draft);
  const length = Array.from(draft.replace(/\s+/gu, '')).length;
  const deadline = input.deadlineAt ?? null;
  const timeliness: DraftCheckResult['timeliness'] = !deadline
    ? 'no-deadline'
    : input.now.getTime() > deadline.getTime()
      ? 'overdue'
      : deadline.getTime() - input.now.getTime() <= DUE_SOON_MS
        ? 'due-soon'
        : 'on-time';

  const answered = questions.filter((q) => q.answered).length;
  const answeredShare = questions.length === 0 ? 1 : answered / questions.length;
  const lengthOk = length >= MIN_DRAFT_CHARS && length <= MAX_DRAFT_CHARS;
  const riskPoints = Math.max(0, WEIGHTS.risk - RISK_PENALTY * riskyPhrases.length);
  let score =
    WEIGHTS.questions * answeredShare +
    (department ? WEIGHTS.department : 0) +
    (timeLimit ? WEIGHTS.timeLimit : 0) +
    (contact ? WEIGHTS.contact : 0) +
    (policyBasis.length > 0 ? WEIGHTS.policyBasis : 0) +
    (lengthOk ? WEIGHTS.length : length >= MIN_DRAFT_CHARS / 2 ? WEIGHTS.length / 2 : 0) +
    riskPoints;
  if (timeliness === 'overdue') score -= OVERDUE_PENALTY;
  score = Math.max(0, Math.min(100, Math.round(score)));

  const hints: string[] = [];
  const unanswered = questions.filter((q) => !q.answered);
  for (const r of riskyPhrases)
    hints.push(
      r.kind === 'dismissive'
        ? `删去“${r.phrase}”：推诿或冷漠的说法最易引发二次舆情。`
        : `慎用“${r.phrase}”：绝对化承诺一旦做不到会损害公信力，可改为“将依法依规”“积极推动”。`,
    );
  for (const q of unanswered.slice(0, 3)) hints.push(`网民问到“${q.text}”，口径中尚未回应。`);
  if (!department) hints.push('写明承办或负责的部门（如“市人力资源和社会保障局”“社保中心”）。');
  if (!timeLimit) hints.push('写明办理时限（如“5个工作日内”“6月30日前”）。');
  if (!contact) hints.push('留下咨询方式（12333 或咨询电话）。');
  if (policyBasis.length === 0) hints.push('引用政策依据（《…》、第X条或文件号，如人社部发〔2020〕X号）。');
  if (length < MIN_DRAFT_CHARS) hints.push(`篇幅过短（${length} 字），请说明调查情况和处理结果。`);
  if (length > MAX_DRAFT_CHARS) hints.push(`篇幅过长（${length} 字），请精简，要点前置。`);
  if (timeliness === 'overdue') hints.push('已超过回应时限，请尽快提交审批。');
  if (timeliness === 'due-soon') hints.push('距回应时限不足 2 小时。');

  const items: DraftCheckItem[] = [
    {
      key: 'questions',
      label: DRAFT_CHECK_LABELS.questions,
      passed: unanswered.length === 0,
      detail: questions.length === 0 ? '未识别到问题' : `已回应 ${answered}/${questions.length} 个问题`,
    },
    { key: 'department', label: DRAFT_CHECK_LABELS.department, passed: !!department, detail: department ?? '未写明' },
    { key: 'timeLimit', label: DRAFT_CHECK_LABELS.timeLimit, passed: !!timeLimit, detail: timeLimit ?? '未写明' },
    { key: 'contact', label: DRAFT_CHECK_LABELS.contact, passed: !!contact, detail: contact ?? '未写明' },
    {
      key: 'policyBasis',
      label: DRAFT_CHECK_LABELS.policyBasis,
      passed: policyBasis.length > 0,
      detail: policyBasis.length ? policyBasis.slice(0, 3).join('、') : '未引用',
    },
    { key: 'length', label: DRAFT_CHECK_LABELS.length, passed: lengthOk, detail: `${length} 字` },
    {
      key: 'risk',
      label: DRAFT_CHECK_LABELS.risk,
      passed: riskyPhrases.length === 0,
      detail: riskyPhrases.length ? riskyPhrases.map((r) => r.phrase).join('、') : '无',
    },
    {
      key: 'timeliness',
      label: DRAFT_CHECK_LABELS.timeliness,
      passed: timeliness !== 'overdue',
      detail: DRAFT_TIMELINESS_LABELS[timeliness],
    },
  ];
  return {
    score,
    questions,
    department,
    timeLimit,
    contact,
    policyBasis,
    riskyPhrases,
    length,
    timeliness,
    items,
    hints,
  };
}
