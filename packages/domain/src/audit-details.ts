// How an audit entry reads to the bureau: Chinese keys and values instead of the stored JSON, objects by name
// ("用户 张三" rather than "user #4"), and hot-issue flag reasons in Chinese — including the English reasons the
// pipeline wrote before it wrote Chinese ones.

import { formatMinuteInZone } from '@yuqing/core';
import {
  AUDIT_DETAIL_KEY_LABELS,
  AUDIT_ENTITY_LABELS,
  AUDIT_FIELD_LABELS,
  CLASSIFIER_TASK_LABELS,
  CORRECTION_LABELS,
  ISSUE_STATUS_LABELS,
  LEVEL_LABELS,
  LOGIN_FAILURE_LABELS,
  MATERIAL_KIND_LABELS,
  RESPONSE_STATUS_LABELS,
  ROLE_LABELS,
  SENTIMENT_LABELS,
  SOURCE_KIND_LABELS,
} from './labels.ts';

/** Entity types whose rows have a name the audit view can show (`auditEntityNames` in packages/db looks them up). */
export const NAMED_AUDIT_ENTITY_TYPES = ['issue', 'user', 'response', 'source', 'scheme'] as const;
/** An entity type with a name. */
export type NamedAuditEntityType = (typeof NAMED_AUDIT_ENTITY_TYPES)[number];

/** A reference to a named entity, as found in an audit entry (its subject or an id in its details). */
export interface AuditEntityRef {
  type: NamedAuditEntityType;
  id: number;
}

/** Names by entity type and id: `names.user?.[4]` → "张三". */
export type AuditEntityNames = Partial<Record<NamedAuditEntityType, Record<number, string>>>;

/** An audit entry as stored (the parts the presentation reads). */
export interface AuditEntryLike {
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
}

/** One line of an entry's 详情: a Chinese key and a Chinese value. */
export interface AuditDetailRow {
  key: string;
  value: string;
}

/** Detail keys that hold the id of an entity of a given type. */
const ID_KEYS: Record<string, NamedAuditEntityType> = {
  issueId: 'issue',
  newIssueId: 'issue',
  merged: 'issue',
  assigneeId: 'user',
  userId: 'user',
};

const positiveInt = (value: unknown): number | null => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : null;
};

/**
 * Every named entity an entry refers to (its subject and ids in its details), so the caller can look the names
 * up in one query per type.
 */
export function auditEntityRefs(entry: AuditEntryLike): AuditEntityRef[] {
  const refs: AuditEntityRef[] = [];
  const subjectId = positiveInt(entry.entityId);
  if (subjectId !== null && (NAMED_AUDIT_ENTITY_TYPES as readonly string[]).includes(entry.entityType))
    refs.push({ type: entry.entityType as NamedAuditEntityType, id: subjectId });
  const details = isRecord(entry.details) ? entry.details : {};
  for (const [key, type] of Object.entries(ID_KEYS)) {
    const value = details[key];
    for (const v of Array.isArray(value) ? value : [value]) {
      const id = positiveInt(v);
      if (id !== null) refs.push({ type, id });
    }
  }
  return refs;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const lookup = (table: Readonly<Record<string, string>>, value: unknown): string =>
  typeof value === 'string' ? (table[value] ?? value) : plain(value);

function plain(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (Array.isArray(value)) return value.length ? value.map(plain).join('、') : '—';
  if (isRecord(value)) return JSON.stringify(value);
  return String(value as string | number);
}

/** Times in audit details: 2026/12/04 21:30 in the bureau's zone, as the dashboard's `fmtTime` shows them. */
function formatTime(value: unknown, timeZone: string): string {
  if (typeof value !== 'string') return plain(value);
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return formatMinuteInZone(d, timeZone);
}

/** "用户 张三" / "议题 #12 养老金调整" / "用户 #4" when the name is unknown (deleted rows). */
export function auditEntityName(type: string, id: unknown, names: AuditEntityNames): string {
  const typeLabel = (AUDIT_ENTITY_LABELS as Record<string, string>)[type] ?? type;
  const n = positiveInt(id);
  if (n === null) return id === null || id === undefined ? typeLabel : `${typeLabel} ${plain(id)}`;
  const name = (NAMED_AUDIT_ENTITY_TYPES as readonly string[]).includes(type)
    ? names[type as NamedAuditEntityType]?.[n]
    : undefined;
  if (!name) return `${typeLabel} #${n}`;
  // Users are known by name; issues and the rest by number and title, since titles repeat.
  if (type === 'user') return `${typeLabel} ${name}`;
  return name.startsWith('（') ? `${typeLabel} #${n}${name}` : `${typeLabel} #${n} ${name}`;
}

/** The label table for an entry's `from` / `to`, which depends on what changed. */
function fromToTable(entry: AuditEntryLike, details: Record<string, unknown>): Readonly<Record<string, string>> {
  switch (entry.action) {
    case 'issue.confirm':
    case 'issue.dismiss':
    case 'issue.reopened':
      return ISSUE_STATUS_LABELS;
    case 'issue.level':
      return LEVEL_LABELS;
    case 'response.submit':
      return RESPONSE_STATUS_LABELS;
    case 'mention.label':
      if (details.task === 'sentiment') return { ...SENTIMENT_LABELS, ...CORRECTION_LABELS.sentiment };
      if (details.task === 'relevance') return CORRECTION_LABELS.relevance;
      return {};
    default:
      return {};
  }
}

function fieldNames(value: unknown): string {
  return Array.isArray(value) ? value.map((f) => lookup(AUDIT_FIELD_LABELS, f)).join('、') || '—' : plain(value);
}

/** A user change `{ role: { from, to } }` as "角色：分析员 → 管理员". */
function changes(value: unknown): string {
  if (!isRecord(value)) return plain(value);
  return (
    Object.entries(value)
      .map(([field, change]) => {
        const name = lookup(AUDIT_FIELD_LABELS, field);
        const show = (v: unknown) => (field === 'role' ? lookup(ROLE_LABELS, v) : plain(v));
        return isRecord(change) ? `${name}：${show(change.from)} → ${show(change.to)}` : `${name}：${plain(change)}`;
      })
      .join('；') || '—'
  );
}

/**
 * An entry's details as Chinese key/value rows, in the stored order. Ids of issues and users become their names
 * (from `names`), coded values their labels, times the bureau's local time, and flag reasons Chinese.
 */
export function auditDetailRows(
  entry: AuditEntryLike,
  names: AuditEntityNames,
  timeZone = 'Asia/Shanghai',
): AuditDetailRow[] {
  const details = isRecord(entry.details) ? entry.details : {};
  const fromTo = fromToTable(entry, details);
  // The database keeps JSON keys in its own order (jsonb sorts them); rows follow a reading order instead.
  const entries = Object.entries(details).sort(([a], [b]) => detailRank(a) - detailRank(b));
  return entries.map(([key, value]) => {
    const keyLabel = (AUDIT_DETAIL_KEY_LABELS as Record<string, string>)[key] ?? key;
    return { key: keyLabel, value: detailValue(entry, key, value, fromTo, names, timeZone) };
  });
}

/** What is read first: which task, the level, the change itself and why; then the rest in label-table order. */
const LEADING_DETAIL_KEYS = ['task', 'level', 'from', 'to', 'reason', 'deadlineAt'];
const DETAIL_KEY_ORDER = Object.keys(AUDIT_DETAIL_KEY_LABELS);

function detailRank(key: string): number {
  const leading = LEADING_DETAIL_KEYS.indexOf(key);
  if (leading >= 0) return leading;
  const listed = DETAIL_KEY_ORDER.indexOf(key);
  return listed >= 0 ? LEADING_DETAIL_KEYS.length + listed : Number.MAX_SAFE_INTEGER;
}

function detailValue(
  entry: AuditEntryLike,
  key: string,
  value: unknown,
  fromTo: Readonly<Record<string, string>>,
  names: AuditEntityNames,
  timeZone: string,
): string {
  const idType = ID_KEYS[key];
  if (idType) {
    if (value === null || value === undefined) return key === 'assigneeId' ? '未指派' : '—';
    const ids = Array.isArray(value) ? value : [value];
    return ids.map((id) => auditEntityName(idType, id, names)).join('、');
  }
  switch (key) {
    case 'from':
    case 'to':
      return lookup(fromTo, value);
    case 'level':
      return lookup(LEVEL_LABELS, value);
    case 'reason':
      if (entry.action === 'issue.flagged') return typeof value === 'string' ? flagReasonLabel(value) : plain(value);
      if (entry.action === 'auth.login-failed') return lookup(LOGIN_FAILURE_LABELS, value);
      return plain(value);
    case 'task':
      return lookup(CLASSIFIER_TASK_LABELS, value);
    case 'kind':
      return lookup(entry.action.startsWith('material.') ? MATERIAL_KIND_LABELS : SOURCE_KIND_LABELS, value);
    case 'role':
      return lookup(ROLE_LABELS, value);
    case 'fields':
      return fieldNames(value);
    case 'changed':
      return changes(value);
    case 'deadlineAt':
      return value === null ? '无时限' : formatTime(value, timeZone);
    case 'mentionIds':
      return Array.isArray(value)
        ? `${value.length} 条（${value.map((id) => `#${plain(id)}`).join('、')}）`
        : plain(value);
    default:
      return plain(value);
  }
}

/** What the pipeline knows when it raises a flag (a hot-issue event of packages/nlp). */
export interface FlagReasonInput {
  type: 'flagged' | 'escalated';
  /** Why an escalation happened: it passed a higher level's thresholds, or kept growing window after window. */
  reason: 'threshold' | 'growth';
  hotness: number;
  ratio: number;
  category: string;
}

/**
 * The reason written on a hot-issue flag (IssueFlag.reason, the audit trail, the digest), in Chinese:
 * "热度 74.8，为「工资福利」类日常水平的 34.6 倍", "升级：热度 120.0，为「工资福利」类日常水平的 55.0 倍" (a higher
 * level's threshold passed) or "升级：热度持续上升（热度 96.0）" (kept growing).
 */
export function flagReasonText(event: FlagReasonInput): string {
  const hotness = event.hotness.toFixed(1);
  const ratio = `热度 ${hotness}，为「${event.category}」类日常水平的 ${event.ratio.toFixed(1)} 倍`;
  if (event.type === 'flagged') return ratio;
  if (event.reason === 'growth') return `升级：热度持续上升（热度 ${hotness}）`;
  // The English reasons written before named neither the category nor the ratio of a threshold escalation.
  return event.category ? `升级：${ratio}` : `升级：热度 ${hotness}，达到更高级别的阈值`;
}

/** Whether a flag reason (Chinese, or English as written before) records an escalation rather than a first flag. */
export function isEscalationReason(reason: string): boolean {
  return reason.startsWith('升级') || reason.startsWith('escalat');
}

const LEGACY_FLAGGED = /^flagged: hotness ([\d.]+) is ([\d.]+)× the (.+) baseline$/;
const LEGACY_ESCALATED = /^escalated: still growing \((threshold|growth)\), hotness ([\d.]+)$/;

/**
 * A stored flag reason for display: Chinese reasons as they are, the English ones the pipeline wrote before
 * ("flagged: hotness 74.8 is 34.6× the 工资福利 baseline") translated; anything else unchanged.
 */
export function flagReasonLabel(reason: string): string {
  const flagged = LEGACY_FLAGGED.exec(reason);
  if (flagged)
    return flagReasonText({
      type: 'flagged',
      reason: 'threshold',
      hotness: Number(flagged[1]),
      ratio: Number(flagged[2]),
      category: flagged[3]!,
    });
  const escalated = LEGACY_ESCALATED.exec(reason);
  if (escalated)
    return flagReasonText({
      type: 'escalated',
      reason: escalated[1] as 'threshold' | 'growth',
      hotness: Number(escalated[2]),
      ratio: 0,
      category: '',
    });
  return reason;
}
