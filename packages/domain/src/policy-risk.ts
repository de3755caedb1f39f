// Pre-release risk assessment of a draft policy (重大决策出台前社会稳定风险评估): split the draft into clauses, find who
// each clause affects and what the public is likely to worry about, rate the risk from the wording and from what
// the public already said about the same matters, and seed interpretation Q&A. Pure: the database figures come in
// as `ClauseEvidence`, the file parsing and keyword extraction happen in packages/pipeline.

/** How a clause was marked in the draft. */
export type ClauseMarker = 'article' | 'section' | 'item' | 'numbered' | 'paragraph';

/** One clause of a draft policy. */
export interface PolicyClause {
  /** 1-based position in the draft. */
  index: number;
  /** The marker as written: 第三条, 一、, （二）, 3. — empty for an unmarked paragraph. */
  heading: string;
  marker: ClauseMarker;
  /** The enclosing chapter or section heading (第二章 …, 一、总体要求), when the draft has one. */
  section: string | null;
  /** The clause's text without its marker. */
  text: string;
}

/** Longest line treated as a section title rather than a clause of its own, in characters. */
const MAX_SECTION_TITLE_CHARS = 40;
/** Shortest unmarked paragraph kept as a clause when a draft has no markers at all, in characters. */
const MIN_PARAGRAPH_CHARS = 20;

const CN_NUM = '[一二三四五六七八九十百零〇两]+';
const MARKERS: Array<{ marker: ClauseMarker; pattern: RegExp }> = [
  { marker: 'article', pattern: new RegExp(`^(第${CN_NUM}条|第\\d+条)[\\s　]*`) },
  { marker: 'section', pattern: new RegExp(`^(${CN_NUM}、)[\\s　]*`) },
  { marker: 'item', pattern: new RegExp(`^([（(]${CN_NUM}[)）])[\\s　]*`) },
  { marker: 'numbered', pattern: /^(\d{1,3}[.．、](?!\d))[\s　]*/ },
];
const CHAPTER = new RegExp(`^第${CN_NUM}[章节编]`);

function matchMarker(line: string): { marker: ClauseMarker; heading: string; rest: string } | null {
  for (const { marker, pattern } of MARKERS) {
    const m = pattern.exec(line);
    if (m) return { marker, heading: m[1]!, rest: line.slice(m[0].length).trim() };
  }
  return null;
}

/** A short line without a full stop: a heading (一、总体要求), not a provision. */
function isTitleOnly(text: string): boolean {
  return text.length <= MAX_SECTION_TITLE_CHARS && !/[。；;]/.test(text);
}

/**
 * Splits a draft into clauses. Markers recognised at the start of a line: 第X条 (articles), 一、 (sections),
 * （一） (items), 1. / 1、 (numbered paragraphs). A chapter line (第二章 …) or a marked line that is only a short title
 * (一、总体要求, （一）全面布局) becomes the `section` of the clauses under it instead of a clause itself. Unmarked lines
 * continue the clause before them, or start an unmarked clause right under a section title; a draft with no
 * markers at all is split into its paragraphs.
 */
export function splitPolicyClauses(text: string): PolicyClause[] {
  // No NFKC: it would turn the draft's full-width punctuation into ASCII in the quoted text; markers accept both.
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/^[\s　]+|[\s　]+$/g, ''))
    .filter((l) => l.length > 0);
  const clauses: PolicyClause[] = [];
  let section: string | null = null;
  const state: { current: PolicyClause | null } = { current: null };
  const flush = () => {
    const c = state.current;
    if (c && c.text.length > 0) clauses.push({ ...c, index: clauses.length + 1 });
    state.current = null;
  };
  for (const line of lines) {
    if (CHAPTER.test(line) && isTitleOnly(line)) {
      flush();
      section = line;
      continue;
    }
    const m = matchMarker(line);
    if (m) {
      // 一、总体要求 over （一）… items is a section title; 一、 with a sentence is a clause of its own.
      if ((m.marker === 'section' || m.marker === 'item') && isTitleOnly(m.rest)) {
        flush();
        section = `${m.heading}${m.rest}`;
        continue;
      }
      flush();
      state.current = { index: 0, heading: m.heading, marker: m.marker, section, text: m.rest };
      continue;
    }
    if (state.current) state.current.text += line;
    // Prose right under a section title (一、指导思想 then a paragraph) is that section's clause; text before the
    // first marker (title, addressees, preamble) belongs to no clause.
    else if (section !== null) state.current = { index: 0, heading: '', marker: 'paragraph', section, text: line };
  }
  flush();
  if (clauses.length > 0) return clauses;
  return lines
    .filter((l) => l.length >= MIN_PARAGRAPH_CHARS)
    .map((l, i) => ({ index: i + 1, heading: '', marker: 'paragraph' as const, section: null, text: l }));
}

/** Who a clause affects: a group and the words that name it. */
export interface AffectedGroupRule {
  group: string;
  terms: readonly string[];
  /** Groups that feel a cut hardest (retirees, the unemployed, people in hardship): raises the risk of cuts. */
  vulnerable: boolean;
}

/** The lexicon of groups a 人社 policy affects. */
export const AFFECTED_GROUPS: readonly AffectedGroupRule[] = [
  { group: '退休人员', terms: ['退休人员', '退休职工', '离退休', '退休', '养老金领取'], vulnerable: true },
  { group: '灵活就业人员', terms: ['灵活就业', '个体工商户', '自由职业', '新就业形态'], vulnerable: true },
  { group: '农民工', terms: ['农民工', '进城务工', '外来务工', '农村劳动力'], vulnerable: true },
  { group: '参保单位', terms: ['参保单位', '用人单位', '缴费单位', '企业缴费'], vulnerable: false },
  { group: '失业人员', terms: ['失业人员', '失业保险金', '下岗', '就业困难人员', '失业'], vulnerable: true },
  { group: '高校毕业生', terms: ['高校毕业生', '毕业生', '大学生', '离校未就业'], vulnerable: false },
  {
    group: '困难群体',
    terms: ['困难群体', '低保', '特困', '残疾人', '脱贫人口', '零就业家庭', '困难人员'],
    vulnerable: true,
  },
  { group: '企业职工', terms: ['企业职工', '职工', '劳动者', '在职人员', '员工'], vulnerable: false },
  { group: '城乡居民', terms: ['城乡居民', '居民养老', '居民医保', '农村居民'], vulnerable: false },
  { group: '机关事业单位人员', terms: ['机关事业单位', '公务员', '事业单位工作人员'], vulnerable: false },
  { group: '工伤职工', terms: ['工伤职工', '工伤', '职业病'], vulnerable: true },
];

/** A likely public concern and the wording that signals it. */
export interface ConcernRule {
  concern: string;
  /** Wording that raises the concern (a change word near the matter it changes, or the matter alone). */
  pattern: RegExp;
  /** Concerns that mean someone loses money or a right: the heaviest. */
  severe: boolean;
}

/** Words that say a clause changes what people have now (the generic signal; concerns look closer). */
export const CHANGE_WORDS: readonly string[] = [
  '不再',
  '取消',
  '提高',
  '调整',
  '暂停',
  '停止',
  '降低',
  '下调',
  '上调',
  '减少',
  '缩减',
  '延长',
  '缩短',
  '废止',
  '收紧',
  '限制',
  '改为',
];

/** `a` within `gap` characters of `b`, either order. */
function near(a: string, b: string, gap: number): RegExp {
  return new RegExp(`(${a}).{0,${gap}}(${b})|(${b}).{0,${gap}}(${a})`);
}

const CUT = '不再|取消|暂停|停止|降低|下调|减少|缩减|停发|核减|扣减';
const BENEFIT = '待遇|养老金|补贴|补助|津贴|保险金|救济金|抚恤|报销|发放|领取|享受';
const RAISE = '提高|上调|增加|调整|统一';
const FEE = '缴费|费率|缴费基数|缴费比例|保险费|缴纳';
const TIGHTEN = '提高|延长|收紧|从严|不得低于|不低于|累计满|须满|应当满';
const THRESHOLD = '条件|年限|门槛|年龄|资格|工龄';

/**
 * The concerns a clause's wording can raise. Direction matters: 提高补贴 is no cut, so 待遇降低 needs a cutting word
 * (不再, 取消, 暂停 …) near a benefit, 缴费增加 a raising word near a contribution, 门槛提高 a tightening word near a
 * condition. Procedure, transition and eligibility concerns need only their matter.
 */
export const CONCERN_RULES: readonly ConcernRule[] = [
  { concern: '待遇降低', pattern: near(CUT, BENEFIT, 12), severe: true },
  { concern: '缴费增加', pattern: near(RAISE, FEE, 10), severe: true },
  { concern: '门槛提高', pattern: near(TIGHTEN, THRESHOLD, 10), severe: false },
  {
    concern: '办理流程',
    pattern: /(办理|申请|申报|提交.{0,6}材料|经办|窗口|网上办|登记|备案|流程|手续)/,
    severe: false,
  },
  {
    concern: '过渡期',
    pattern: /(过渡期|过渡办法|实施之日|起执行|起施行|废止|停止执行|不再执行|新老政策|衔接)/,
    severe: false,
  },
  { concern: '资格认定', pattern: /(认定|资格|核定|鉴定|审核|(符合|具备).{0,8}条件)/, severe: false },
];

/** What the wording of one clause says. */
export interface ClauseWording {
  groups: string[];
  vulnerableGroups: string[];
  changeWords: string[];
  concerns: string[];
  severeConcerns: string[];
}

/** Groups, change words and concerns found in a clause's text. */
export function readClauseWording(text: string): ClauseWording {
  const groups = AFFECTED_GROUPS.filter((g) => g.terms.some((t) => text.includes(t)));
  const changeWords = CHANGE_WORDS.filter((w) => text.includes(w));
  const concerns = CONCERN_RULES.filter((r) => r.pattern.test(text));
  return {
    groups: groups.map((g) => g.group),
    vulnerableGroups: groups.filter((g) => g.vulnerable).map((g) => g.group),
    changeWords,
    concerns: concerns.map((c) => c.concern),
    severeConcerns: concerns.filter((c) => c.severe).map((c) => c.concern),
  };
}

/** An issue the public raised before about the clause's matters. */
export interface RelatedIssue {
  id: number;
  title: string;
  /** none | general | major | severe */
  level: string;
  hotness: number;
  mentionCount: number;
}

/** What the database holds about a clause's key terms. */
export interface ClauseEvidence {
  /** Key terms searched. */
  terms: string[];
  /** Mentions matching them. */
  mentions: number;
  /** Of those, classified negative. */
  negative: number;
  /** The hottest related issues. */
  issues: RelatedIssue[];
}

/** Risk levels, low to high. */
export const POLICY_RISK_LEVELS = ['low', 'medium', 'high'] as const;
/** A clause's (or the draft's) risk level. */
export type PolicyRiskLevel = (typeof POLICY_RISK_LEVELS)[number];

/** Mentions with at least this share negative count as a hostile climate (with enough volume). */
export const HOSTILE_NEGATIVE_SHARE = 0.5;
/** Mentions needed before a negative share means anything. */
export const MIN_MENTIONS_FOR_SHARE = 5;
/** Matching mentions that alone make a matter sensitive. */
export const HIGH_VOLUME_MENTIONS = 50;

/** A clause's risk level with its reasons (in Chinese, for the report). */
export interface ClauseRisk {
  level: PolicyRiskLevel;
  reasons: string[];
}

function wordsUsed(wording: ClauseWording): string {
  return wording.changeWords.length > 0 ? `（措辞：${wording.changeWords.join('、')}）` : '';
}

const LEVEL_NAMES: Record<string, string> = { none: '未分级', general: '一般', major: '较大', severe: '重大' };

/**
 * Rates a clause. High: a cut or a higher charge (待遇降低, 缴费增加) that reaches a vulnerable group, or a related
 * past issue of level 较大/重大, or a hostile climate (≥ 50 % of ≥ 5 mentions negative) about a clause that changes
 * something. Medium: any change reaching a group, any 门槛/资格/过渡期 concern, a related 一般 issue, or a hostile or
 * heavy (≥ 50 mentions) climate. Low otherwise. Every rule that fired is a reason.
 */
export function rateClauseRisk(wording: ClauseWording, evidence: ClauseEvidence | null): ClauseRisk {
  const high: string[] = [];
  const medium: string[] = [];
  const cutsReachVulnerable = wording.severeConcerns.length > 0 && wording.vulnerableGroups.length > 0;
  if (cutsReachVulnerable)
    high.push(
      `条款涉及${wording.severeConcerns.join('、')}${wordsUsed(wording)}，影响${wording.vulnerableGroups.join('、')}`,
    );
  else if (wording.severeConcerns.length > 0)
    medium.push(`条款可能引起${wording.severeConcerns.join('、')}的担忧${wordsUsed(wording)}`);
  if (wording.changeWords.length > 0 && wording.groups.length > 0 && !cutsReachVulnerable)
    medium.push(`条款调整现行做法（${wording.changeWords.join('、')}），涉及${wording.groups.join('、')}`);
  const softer = wording.concerns.filter((c) => c === '门槛提高' || c === '资格认定' || c === '过渡期');
  if (softer.length > 0) medium.push(`可能引发${softer.join('、')}方面的疑问`);
  if (evidence) {
    const serious = evidence.issues.filter((i) => i.level === 'major' || i.level === 'severe');
    if (serious.length > 0)
      high.push(
        `相关历史议题达${LEVEL_NAMES[serious[0]!.level]}级：「${serious[0]!.title}」（${serious[0]!.mentionCount} 条）`,
      );
    else {
      const general = evidence.issues.find((i) => i.level === 'general');
      if (general) medium.push(`相关历史议题「${general.title}」曾达一般级`);
    }
    const share = evidence.mentions >= MIN_MENTIONS_FOR_SHARE ? evidence.negative / evidence.mentions : null;
    if (share !== null && share >= HOSTILE_NEGATIVE_SHARE) {
      const text = `相关信息 ${evidence.mentions} 条，负面占比 ${Math.round(share * 100)}%`;
      if (wording.changeWords.length > 0) high.push(text);
      else medium.push(text);
    } else if (evidence.mentions >= HIGH_VOLUME_MENTIONS) {
      medium.push(`相关信息量大（${evidence.mentions} 条）`);
    }
  }
  if (high.length > 0) return { level: 'high', reasons: [...high, ...medium] };
  if (medium.length > 0) return { level: 'medium', reasons: medium };
  return { level: 'low', reasons: ['未发现调整待遇、缴费或门槛的措辞，相关舆情平稳'] };
}

/** A suggested question and answer for interpretation material (政策解读). */
export interface PolicyQuestion {
  clauseIndex: number;
  question: string;
  answer: string;
}

const QUESTION_TEMPLATES: Record<string, (who: string, ref: string) => string> = {
  待遇降低: (who, ref) => `${ref}实施后，${who}的待遇会不会降低`,
  缴费增加: (who, ref) => `${ref}实施后，${who}的缴费会不会增加`,
  门槛提高: (who, ref) => `${ref}是否提高了${who}享受政策的条件`,
  办理流程: (who, ref) => `${who}按${ref}应当如何办理、需要哪些材料`,
  过渡期: (who, ref) => `${ref}从何时起执行，${who}新老政策如何衔接`,
  资格认定: (who, ref) => `${who}如何认定是否符合${ref}规定的条件`,
};

/** The clause's first sentence (what the answer cites), at most `maxChars`. */
function firstSentence(text: string, maxChars = 120): string {
  const end = text.search(/[。；;]/);
  const sentence = end === -1 ? text : text.slice(0, end + 1);
  return sentence.length > maxChars ? `${sentence.slice(0, maxChars)}…` : sentence;
}

/** A clause's reference in prose: 第三条, 第一部分（二）, 第 4 段. */
export function clauseReference(clause: Pick<PolicyClause, 'heading' | 'index' | 'marker'>): string {
  if (clause.marker === 'article') return clause.heading;
  if (clause.heading) return `第${clause.index}项${clause.heading}`;
  return `第${clause.index}段`;
}

/**
 * Suggested Q&A (问：…？答：依据…) for a clause: one per concern, naming who is affected and citing the clause.
 * The answer cites the wording and leaves the figures for the drafting office to fill in.
 */
export function suggestQuestions(
  clause: PolicyClause,
  wording: ClauseWording,
  documentTitle: string,
): PolicyQuestion[] {
  const who = wording.groups.length > 0 ? wording.groups.slice(0, 2).join('、') : '群众';
  const ref = clauseReference(clause);
  return wording.concerns.map((concern) => ({
    clauseIndex: clause.index,
    question: `${QUESTION_TEMPLATES[concern]?.(who, ref) ?? `${ref}对${who}有什么影响`}？`,
    answer: `依据《${documentTitle}》${ref}：“${firstSentence(clause.text)}”请结合测算数据说明影响范围、保障措施和咨询渠道。`,
  }));
}

/** One assessed clause. */
export interface AssessedClause extends PolicyClause, ClauseWording, ClauseRisk {
  evidence: ClauseEvidence | null;
}

/** The whole assessment of a draft. */
export interface PolicyAssessment {
  title: string;
  /** The highest clause level. */
  level: PolicyRiskLevel;
  counts: Record<PolicyRiskLevel, number>;
  clauses: AssessedClause[];
  questions: PolicyQuestion[];
}

/** Most suggested questions in one assessment. */
export const MAX_POLICY_QUESTIONS = 30;

/**
 * Assesses a draft's clauses given each clause's evidence (by clause index; a missing entry means none was
 * looked up). Questions come from the highest-risk clauses first.
 */
export function assessPolicy(
  title: string,
  clauses: readonly PolicyClause[],
  evidence: ReadonlyMap<number, ClauseEvidence>,
): PolicyAssessment {
  const assessed: AssessedClause[] = clauses.map((clause) => {
    const wording = readClauseWording(clause.text);
    const ev = evidence.get(clause.index) ?? null;
    return { ...clause, ...wording, ...rateClauseRisk(wording, ev), evidence: ev };
  });
  const counts: Record<PolicyRiskLevel, number> = { low: 0, medium: 0, high: 0 };
  for (const c of assessed) counts[c.level]++;
  const rank = (l: PolicyRiskLevel) => POLICY_RISK_LEVELS.indexOf(l);
  const level = assessed.reduce<PolicyRiskLevel>((acc, c) => (rank(c.level) > rank(acc) ? c.level : acc), 'low');
  const questions = [...assessed]
    .sort((a, b) => rank(b.level) - rank(a.level) || a.index - b.index)
    .flatMap((c) => suggestQuestions(c, c, title))
    .slice(0, MAX_POLICY_QUESTIONS);
  return { title, level, counts, clauses: assessed, questions };
}
