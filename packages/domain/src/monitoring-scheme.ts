import { z } from 'zod';

/**
 * A keyword group: one term, a `a|b|c` alternation, or an array of terms. A group matches when any term occurs.
 */
const group = z.union([z.string().trim().min(1), z.array(z.string().trim().min(1)).min(1)]);

/**
 * A monitoring scheme rule (MonitoringScheme.rule): every group in `all` must match (地域词 AND 事件词 …), at least
 * one group in `any` must match when `any` is given, and no term in `not` may occur (排除词).
 * Example: `{ "all": [["海淀", "朝阳"], "欠薪|拖欠工资"], "not": ["招聘"] }`.
 */
export const schemeRuleSchema = z
  .object({
    all: z.array(group).default([]),
    any: z.array(group).default([]),
    not: z.array(z.string().trim().min(1)).default([]),
  })
  .strict()
  .refine((r) => r.all.length > 0 || r.any.length > 0, 'a rule needs at least one group in "all" or "any"');

export type SchemeRule = z.output<typeof schemeRuleSchema>;
export type SchemeRuleInput = z.input<typeof schemeRuleSchema>;

/** Outcome of one rule on one text. */
export interface SchemeEvaluation {
  matched: boolean;
  /** Terms that satisfied the `all` and `any` groups. */
  hits: string[];
  /** The exclusion term that vetoed the text, if any. */
  excludedBy?: string;
  /** `all` groups with no matching term (why a text did not match). */
  missingGroups: string[][];
}

function terms(g: string | string[]): string[] {
  return (Array.isArray(g) ? g : g.split('|')).map((t) => t.trim()).filter(Boolean);
}

function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** Evaluates a rule on text (title + body). Pure; case- and width-insensitive. */
export function evaluateScheme(ruleInput: SchemeRuleInput | SchemeRule, text: string): SchemeEvaluation {
  return evaluateParsed(schemeRuleSchema.parse(ruleInput), text);
}

/** {@link evaluateScheme} for a rule already parsed (ingest parses each stored rule once per batch). */
function evaluateParsed(rule: SchemeRule, text: string): SchemeEvaluation {
  const haystack = normalise(text);
  const hits: string[] = [];
  const missingGroups: string[][] = [];
  for (const g of rule.all) {
    const ts = terms(g);
    const hit = ts.find((t) => haystack.includes(normalise(t)));
    if (hit) hits.push(hit);
    else missingGroups.push(ts);
  }
  let anyOk = rule.any.length === 0;
  for (const g of rule.any) {
    const hit = terms(g).find((t) => haystack.includes(normalise(t)));
    if (hit) {
      hits.push(hit);
      anyOk = true;
    }
  }
  const excludedBy = rule.not.find((t) => haystack.includes(normalise(t)));
  const matched = missingGroups.length === 0 && anyOk && excludedBy === undefined;
  return { matched, hits, missingGroups, ...(excludedBy ? { excludedBy } : {}) };
}

/** A scheme as stored (id, name, rule, tags). */
export interface SchemeLike {
  id: number;
  name: string;
  rule: unknown;
  tags: string[];
}

/** Result of {@link applySchemes} for one mention. */
export interface SchemeDecision {
  /** False when schemes exist and none matched: the mention is not kept. */
  keep: boolean;
  /** Tags of every matching scheme (the scheme name when it has no tags). */
  tags: string[];
  /** Ids of schemes whose stored rule does not parse (saved before validation existed): they match nothing. */
  unreadable: number[];
}

/** Schemes with their rules parsed once, for applying to many mentions. */
export interface ParsedSchemes {
  schemes: Array<{ id: number; name: string; rule: SchemeRule; tags: string[] }>;
  /** Ids of schemes whose rule does not parse; the caller reports them (they are skipped). */
  unreadable: number[];
}

/** Parses stored schemes' rules once; rules that do not parse are listed, not applied. */
export function parseSchemes(schemes: readonly SchemeLike[]): ParsedSchemes {
  const parsed: ParsedSchemes = { schemes: [], unreadable: [] };
  for (const s of schemes) {
    const rule = schemeRuleSchema.safeParse(s.rule);
    if (rule.success) parsed.schemes.push({ id: s.id, name: s.name, rule: rule.data, tags: s.tags });
    else parsed.unreadable.push(s.id);
  }
  return parsed;
}

/**
 * Applies all enabled schemes, parsed once by {@link parseSchemes}: with none configured everything is kept;
 * otherwise a mention must match one.
 */
export function applySchemes({ schemes: valid, unreadable }: ParsedSchemes, text: string): SchemeDecision {
  if (valid.length === 0) return { keep: true, tags: [], unreadable };
  const tags = new Set<string>();
  let keep = false;
  for (const s of valid) {
    if (evaluateParsed(s.rule, text).matched) {
      keep = true;
      for (const t of s.tags.length ? s.tags : [s.name]) tags.add(t);
    }
  }
  return { keep, tags: [...tags], unreadable };
}
