// zh-CN labels and formatting shared by the pages.

export const LEVEL_LABELS = { none: '未分级', general: '一般', major: '较大', severe: '重大' };
export const STATUS_LABELS = { new: '新发现', confirmed: '已确认', dismissed: '已排除', responding: '回应中', resolved: '已处置', merged: '已合并' };
export const RESPONSE_STATUS_LABELS = { draft: '草稿', submitted: '待审批', returned: '已退回', approved: '已批准', published: '已发布' };
export const SENTIMENT_LABELS = { negative: '负面', neutral: '中性', positive: '正面' };
export const RUN_STATUS_LABELS = { queued: '排队', running: '运行中', succeeded: '成功', partial: '部分成功', failed: '失败', blocked: '被拦截' };
export const KIND_LABELS = { rss: 'RSS', html: '网页列表', json: 'JSON 接口', article: '单篇文章' };
export const ROLE_LABELS = { analyst: '分析员', spokesperson: '新闻发言人', leader: '分管领导', admin: '管理员' };

const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** 2026/11/27 09:30 in the bureau's time zone, or — for none. */
export function fmtTime(value) {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/** “剩余 5 小时” / “已超期 2 小时” for a deadline. */
export function fmtDeadline(value, now = Date.now()) {
  if (!value) return '无时限';
  const ms = new Date(value).getTime() - now;
  const hours = Math.round(Math.abs(ms) / 3600_000);
  return ms < 0 ? `已超期 ${hours} 小时` : `剩余 ${hours} 小时`;
}

export function label(map, key) {
  return map[key] ?? key ?? '—';
}
