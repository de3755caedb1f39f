// The zh-CN names the bureau reads for every coded value: one table per kind, used by the dashboard API, the
// digest (e-mail, .docx) and — served as a generated ES module at /assets/lib/labels.js — the browser, so a
// name changed here changes everywhere at once.

import type { IssueLevel, IssueStatus } from './issue-rules.ts';
import type { ResponseStatus } from './response-rules.ts';
import { SCHEDULE_LABELS } from './source-form.ts';
import { ALERT_TRIGGER_LABELS, ON_DUTY_PERIOD_LABELS } from './alert-triggers.ts';

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
export const SOURCE_KIND_LABELS = {
  rss: 'RSS',
  html: '网页列表',
  json: 'JSON 接口',
  article: '单篇文章',
  weibo: '微博',
  rsshub: 'RSSHub 路由',
  wechat_mp: '微信公众号',
  hotlist: '平台热榜',
  import: '导入',
} as const;

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

/**
 * The values an analyst may pick when correcting a mention's sentiment or relevance (categories are their own
 * names). The shipped sentiment model decides negative vs not, so the choice is 负面 / 非负面.
 */
export const CORRECTION_LABELS = {
  sentiment: { negative: '负面', neutral: '非负面' },
  relevance: { relevant: '相关', irrelevant: '不相关' },
} as const;

/** Audit log actions, by the action name the audit trail stores. */
export const AUDIT_ACTION_LABELS = {
  'issue.flagged': '标记热点',
  'issue.reopened': '重新打开议题',
  'auth.login': '登录',
  'auth.logout': '退出',
  'auth.login-failed': '登录失败',
  'auth.login-throttled': '登录被限制',
  'auth.password-change-failed': '修改密码失败',
  'issue.confirm': '确认议题',
  'issue.dismiss': '排除议题',
  'issue.merge': '合并议题',
  'issue.fold': '自动合并同一事件的议题',
  'issue.split': '拆分议题',
  'issue.assign': '指派',
  'issue.level': '设置级别',
  'issue.category': '更正类别',
  'issue.resolve': '议题已处置',
  'issue.title': '修改标题',
  'mention.label': '更正标注',
  'response.create': '创建回应',
  'response.revise': '修改回应',
  'response.submit': '提交审批',
  'response.approve': '批准',
  'response.return': '退回',
  'response.publish': '发布',
  'material.add': '添加材料',
  'material.remove': '删除材料',
  'user.create': '创建用户',
  'user.update': '修改用户',
  'user.password': '重置/修改密码',
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
  'api-token.create': '创建 API 令牌',
  'api-token.revoke': '吊销 API 令牌',
  'issue.rumour': '标记谣言',
  'issue.rumour-clear': '取消谣言标记',
  'policy.assess': '政策风险评估',
} as const;

/** What an audit entry is about, by the entity type the audit trail stores. */
export const AUDIT_ENTITY_LABELS = {
  issue: '议题',
  mention: '提及',
  response: '回应',
  user: '用户',
  source: '信源',
  scheme: '监测方案',
  DigestSubscription: '日报订阅',
  SentDigest: '已发日报',
  'api-token': 'API 令牌',
  policy: '政策风险评估',
} as const;

/** The keys of audit details, in Chinese (unknown keys show as themselves). */
export const AUDIT_DETAIL_KEY_LABELS = {
  from: '原值',
  to: '新值',
  reason: '原因',
  level: '级别',
  merged: '并入的议题',
  newIssueId: '新议题',
  mentionIds: '提及',
  assigneeId: '负责人',
  deadlineAt: '回应时限',
  task: '标注类型',
  labelId: '标注编号',
  name: '名称',
  kind: '类型',
  url: '地址',
  fields: '修改项',
  changed: '修改内容',
  issueId: '议题',
  version: '版本',
  comment: '意见',
  channel: '发布渠道',
  materialId: '材料编号',
  title: '标题',
  fileName: '文件名',
  mimeType: '文件类型',
  sizeBytes: '大小（字节）',
  sha256: 'SHA-256',
  username: '用户名',
  displayName: '姓名',
  role: '角色',
  email: '电子邮箱',
  active: '启用',
  jobId: '任务编号',
  userId: '用户',
  digestDate: '日报日期',
} as const;

/** Names of fields an audit entry lists as changed (sources, schemes, users, digest subscriptions). */
export const AUDIT_FIELD_LABELS = {
  name: '名称',
  kind: '类型',
  url: '地址',
  schedule: '抓取计划',
  config: '配置',
  enabled: '启用状态',
  respectRobots: '遵守 robots',
  weight: '权重',
  region: '地域',
  rule: '规则',
  tags: '标签',
  displayName: '姓名',
  email: '电子邮箱',
  role: '角色',
  active: '启用',
  sendTime: '发送时间',
  categories: '类别',
  minLevel: '最低级别',
  attachDocx: '附带 Word 日报',
} as const;

/** Why a login failed, as the audit trail stores it. */
export const LOGIN_FAILURE_LABELS = {
  'unknown user': '用户不存在',
  'wrong password': '密码错误',
  inactive: '账号已停用',
} as const;

/** Job queues, as the queue board (Bull Board) names them. */
export const QUEUE_LABELS = {
  crawl: '抓取',
  ingest: '入库',
  analyse: '分析',
  alert: '预警',
  digest: '日报',
  maintenance: '维护',
} as const;

/** Every label table the browser needs, by the name `public/lib/labels.js` exports it under. */
/** Names the bureau's readers use for time zones (the dashboard, alerts); others show as "<zone> 时间". */
export const TIME_ZONE_LABELS = {
  'Asia/Shanghai': '北京时间',
  'Asia/Chongqing': '北京时间',
  'Asia/Harbin': '北京时间',
  PRC: '北京时间',
} as const;

/** Kinds of report: the periodic ones (周报/月报/季报/年报) and the 专报 on one issue. */
export const REPORT_KIND_LABELS = {
  week: '舆情周报',
  month: '舆情月报',
  quarter: '舆情季报',
  year: '舆情年报',
  issue: '舆情专报',
} as const;
/** Response kinds: an ordinary statement (口径) or a rumour rebuttal notice (辟谣). */
export const RESPONSE_KIND_LABELS = { statement: '回应口径', rumour_rebuttal: '辟谣说明' } as const;

/** Risk levels of a draft policy's clauses (重大决策出台前风险评估). */
export const POLICY_RISK_LABELS = { low: '低', medium: '中', high: '高' } as const;

/** "北京时间" for the bureau's zone, else "<zone> 时间". */
export function timeZoneLabel(timeZone: string): string {
  return (TIME_ZONE_LABELS as Record<string, string>)[timeZone] ?? `${timeZone} 时间`;
}

/** API token scopes (packages/domain api-token.ts). */
export const API_TOKEN_SCOPE_LABELS = { read: '只读', ingest: '推送数据' } as const;
/** Where a reply in the reply library came from. */
export const REPLY_SOURCE_LABELS = { import: '历史答复', response: '本系统回应' } as const;

/** The draft check's items (回应口径自检), shown in the response workspace and on the approval view. */
export const DRAFT_CHECK_LABELS = {
  questions: '回应了网民提出的问题',
  department: '写明承办部门',
  timeLimit: '写明办理时限',
  contact: '留有咨询方式',
  policyBasis: '引用政策依据',
  length: '篇幅适中',
  risk: '没有不当表述',
  timeliness: '在回应时限内',
} as const;

/** Where a draft stands against its response deadline. */
export const DRAFT_TIMELINESS_LABELS = {
  'on-time': '时限内',
  'due-soon': '即将到期',
  overdue: '已超时',
  'no-deadline': '无时限',
} as const;

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
  AUDIT_ENTITY_LABELS,
  CORRECTION_LABELS,
  SCHEDULE_LABELS,
  MODEL_LABELS,
  REASON_DIRECTION_LABELS,
  TIME_ZONE_LABELS,
  API_TOKEN_SCOPE_LABELS,
  REPORT_KIND_LABELS,
  REPLY_SOURCE_LABELS,
  DRAFT_CHECK_LABELS,
  DRAFT_TIMELINESS_LABELS,
  RESPONSE_KIND_LABELS,
  POLICY_RISK_LABELS,
  ALERT_TRIGGER_LABELS,
  ON_DUTY_PERIOD_LABELS,
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
