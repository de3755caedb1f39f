// Pre-release risk assessment of a draft policy: read the file, split it into clauses (domain rules), look up
// what the public said about each clause's key terms (db), rate each clause and write the .docx report (digest).
import { policyClauseEvidence, type DbTx } from '@yuqing/db';
import {
  AFFECTED_GROUPS,
  assessPolicy,
  segmentedSearchTokens,
  splitPolicyClauses,
  type ClauseEvidence,
  type PolicyAssessment,
} from '@yuqing/domain';
import { renderPolicyReportDocx } from '@yuqing/digest';
import { extractKeywords, normaliseText, segment } from '@yuqing/nlp';
import { policyTitle, readPolicyDocument } from './policy-document.ts';

/** Most clauses assessed in one draft (each costs two indexed queries). */
export const MAX_POLICY_CLAUSES = 300;
/** Key terms searched per clause. */
export const CLAUSE_KEY_TERMS = 3;
/** How far back related public opinion is counted, in days. */
export const POLICY_EVIDENCE_DAYS = 365;

/** Options for {@link assessPolicyDocument}. */
export interface AssessPolicyOptions {
  /** Name of the uploaded file (its type is checked by content; the name is printed in the report). */
  fileName: string;
  /** Now, for the look-back window and the report's date. */
  now: Date;
  /** Time zone of the report's date. @defaultValue 'Asia/Shanghai' */
  timeZone?: string;
  /** Issuing office printed on the report. */
  issuer?: string;
}

/** An assessment with its report. */
export interface PolicyAssessmentResult {
  assessment: PolicyAssessment;
  report: Buffer;
}

/**
 * A clause's key terms: the affected-group words it uses (the public names groups the same way) and its top
 * TF-IDF keywords (jieba), at most {@link CLAUSE_KEY_TERMS}.
 */
export function clauseKeyTerms(text: string): string[] {
  const terms: string[] = [];
  for (const group of AFFECTED_GROUPS) {
    const term = group.terms.find((t) => text.includes(t));
    if (term && term.length >= 2) terms.push(term);
  }
  for (const { word } of extractKeywords(text, CLAUSE_KEY_TERMS + 2)) if (!terms.includes(word)) terms.push(word);
  return terms.slice(0, CLAUSE_KEY_TERMS);
}

/**
 * Search token sets for the key terms: every pair of terms (a post about 退休人员 and 养老金, not every post naming
 * either), or the one term when a clause has only one.
 */
export function keyTermTokenSets(terms: readonly string[]): string[][] {
  const tokens = (t: string) =>
    segmentedSearchTokens(segment(normaliseText(t)))
      .split(' ')
      .filter(Boolean);
  if (terms.length === 1) return [tokens(terms[0]!)];
  const sets: string[][] = [];
  for (let i = 0; i < terms.length; i++)
    for (let j = i + 1; j < terms.length; j++) sets.push([...new Set([...tokens(terms[i]!), ...tokens(terms[j]!)])]);
  return sets.filter((s) => s.length > 0);
}

/** Reads a draft (.docx, .pdf, .txt), assesses every clause against the database and renders the report. */
export async function assessPolicyDocument(
  db: DbTx,
  bytes: Uint8Array,
  options: AssessPolicyOptions,
): Promise<PolicyAssessmentResult> {
  const text = await readPolicyDocument(bytes, options.fileName);
  const title = policyTitle(text, options.fileName);
  const clauses = splitPolicyClauses(text).slice(0, MAX_POLICY_CLAUSES);
  const since = new Date(options.now.getTime() - POLICY_EVIDENCE_DAYS * 86_400_000);
  const evidence = new Map<number, ClauseEvidence>();
  for (const clause of clauses) {
    const terms = clauseKeyTerms(clause.text);
    if (terms.length === 0) continue;
    evidence.set(clause.index, await policyClauseEvidence(db, { terms, tokenSets: keyTermTokenSets(terms), since }));
  }
  const assessment = assessPolicy(title, clauses, evidence);
  const report = await renderPolicyReportDocx(assessment, {
    fileName: options.fileName,
    generatedAt: options.now,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.issuer ? { issuer: options.issuer } : {}),
  });
  return { assessment, report };
}
