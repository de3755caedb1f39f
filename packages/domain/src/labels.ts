// The zh-CN names the bureau reads for every coded value: one table per kind, used by the dashboard API, the
// digest (e-mail, .docx) and — served as a generated ES module at /assets/lib/labels.js — the browser, so a
// name changed here changes everywhere at once.

import type { IssueLevel, IssueStatus } from './issue-rules.ts';
import type { ResponseStatus } from './response-rules.ts';

/** Display names of issue levels, as Chinese bureaus grade incidents. */
export const LEVEL_LABELS = {
  none: '未分级',
  general: '一般',
  major: '较大',
  severe: '重大',
} as const satisfies Record<IssueLevel, string>;

/** Issue status (triage and handling). */
export const ISSUE_STATUS_LABELS = {
  new: '新发现',
  confirmed: '已确认',
  dismissed: '已排除',
  responding: '回应中',
  resolved: '已处置',
  merged: '已合并',
} as const satisfies Record<IssueStatus, string>;

/** Response (口径) status as the dashboard shows it next to the response. */
export const RESPONSE_STATUS_LABELS = {
  draft: '草稿',
  submitted: '待审批',
  returned: '已退回',
  approved: '已批准',
  published: '已发布',
} as const satisfies Record<ResponseStatus, string>;

/**
 * Response status as the digest reports it: a sentence fragment about progress (“退回修改”, “已批准待发布”),
 * which reads better in a briefing than the dashboard's short badge text.
 */
export const RESPONSE_PROGRESS_LABELS = {
  draft: '起草中',
  submitted: '待审批',
  returned: '退回修改',
  approved: '已批准待发布',
  published: '已发布',
} as const satisfies Record<ResponseStatus, string>;

/** What the digest says for a flagged issue that has no response yet. */
export const NO_RESPONSE_LABEL = '未起草回应';

/** Sentiment of a mention. */
export const SENTIMENT_LABELS = { negative: '负面', neutral: '中性', positive: '正面' } as const;

/** Labels of the shipped classifiers (`default:relevance`, `default:sentiment`) as people read them. */
export const MODEL_LABELS = {
  relevant: '相关',
  irrelevant: '无关',
  negative: '负面',
  'non-negative': '非负面',
} as const;

/**
 * How a reason's weight reads on issue and mention pages: stored reasons point towards 相关 (relevance) and 负面
 * (sentiment) when positive, away from them when negative.
 */
export const REASON_DIRECTION_LABELS = {
  relevance: { towards: '偏相关', away: '偏无关' },
  sentiment: { towards: '偏负面', away: '偏非负面' },
  category: { towards: '支持该类别', away: '不支持该类别' },
} as const;

/** The classifier tasks an analyst can correct. */
export const CLASSIFIER_TASK_LABELS = { relevance: '相关性', category: '类别', sentiment: '情感' } as const;

/** Crawl run status. */
export const RUN_STATUS_LABELS = {
  queued: '排队',
  running: '运行中',
  succeeded: '成功',
  partial: '部分成功',
  failed: '失败',
  blocked: '被拦截',
} as const;

/** Source kinds. */
export const SOURCE_KIND_LABELS = { rss: 'RSS', html: '网页列表', json: 'JSON 接口', article: '单篇文章' } as const;

/** Dashboard roles. */
export const ROLE_LABELS = {
  analyst: '分析员',
  spokesperson: '新闻发言人',
  leader: '分管领导',
  admin: '管理员',
} as const;

/** A leader's decision on a submitted response. */
export const DECISION_LABELS = { approved: '批准', returned: '退回' } as const;

/** Kinds of interpretation material attached to a response. */
export const MATERIAL_KIND_LABELS = { file: '文件', qa: '问答', explainer: '通俗解读' } as const;

/** Delivery status of a daily digest e-mail (the sent-digest ledger). */
export const SENT_DIGEST_STATUS_LABELS = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
} as const;

/** How an issue entered a digest: first flagged, raised to a higher level, or still flagged. */
export const DIGEST_CHANGE_LABELS = { new: '新增', escalated: '升级', ongoing: '持续' } as const;

/** Audit log actions, by the action name the audit trail stores. */
export const AUDIT_ACTION_LABELS = {
  'auth.login': '登录',
  'auth.logout': '退出',
  'auth.login-failed': '登录失败',
  'auth.login-throttled': '登录被限制',
  'issue.confirm': '确认议题',
  'issue.dismiss': '排除议题',
  'issue.merge': '合并议题',
  'issue.split': '拆分议题',
  'issue.assign': '指派',
  'issue.level': '设置级别',
  'issue.category': '更正类别',
  'mention.label': '更正标注',
  'response.create': '创建回应',
  'response.revise': '修改回应',
  'response.submit': '提交审批',
  'response.approve': '批准',
  'response.return': '退回',
  'response.publish': '发布',
  'material.add': '添加材料',
  'user.create': '创建用户',
  'user.update': '修改用户',
  'user.password': '重置密码',
  'source.create': '添加信源',
  'source.update': '修改信源',
  'source.enable': '启用信源',
  'source.disable': '停用信源',
  'source.delete': '删除信源',
  'source.test-run': '试运行信源',
  'scheme.create': '添加方案',
  'scheme.update': '修改方案',
  'scheme.delete': '删除方案',
  'digest.subscription.update': '修改日报订阅',
  'digest.resend': '重新发送日报',
} as const;

/** Every label table the browser needs, by the name `public/lib/labels.js` exports it under. */
export const LABELS = {
  LEVEL_LABELS,
  ISSUE_STATUS_LABELS,
  RESPONSE_STATUS_LABELS,
  SENTIMENT_LABELS,
  CLASSIFIER_TASK_LABELS,
  RUN_STATUS_LABELS,
  SOURCE_KIND_LABELS,
  ROLE_LABELS,
  DECISION_LABELS,
  MATERIAL_KIND_LABELS,
  SENT_DIGEST_STATUS_LABELS,
  AUDIT_ACTION_LABELS,
  MODEL_LABELS,
  REASON_DIRECTION_LABELS,
} as const;

/**
 * The source of the browser's `labels.js`: an ES module with one frozen `export const` per table in
 * {@link LABELS} and `LABELS` itself, built from these tables so the browser never keeps a copy.
 */
export function labelsModuleSource(): string {
  const lines = ['// Generated from @yuqing/domain labels.ts when the dashboard starts; do not edit.'];
  for (const [name, table] of Object.entries(LABELS))
    lines.push(`export const ${name} = Object.freeze(${JSON.stringify(table)});`);
  lines.push(`export const LABELS = Object.freeze({ ${Object.keys(LABELS).join(', ')} });`, '');
  return lines.join('\n');
}
