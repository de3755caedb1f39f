// @ts-check
// zh-CN labels and formatting shared by the pages. The label tables are the server's own (@yuqing/domain),
// served as the generated module ./labels.js.
import { LABELS } from './labels.js';

export const {
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
  REPORT_KIND_LABELS,
  RESPONSE_KIND_LABELS,
  POLICY_RISK_LABELS,
} = LABELS;

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/**
 * 2026/11/27 09:30 in the bureau's time zone, or — for none.
 * @param {string | number | Date | null | undefined} value
 */
export function fmtTime(value) {
  if (!value) return '—';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '—' : dateTime.format(d);
}

/**
 * A calendar day (YYYY-MM-DD, as digests are dated) in the same form as {@link fmtTime}: 2026/12/03.
 * @param {string | null | undefined} day
 */
export function fmtDate(day) {
  return day && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day.replaceAll('-', '/') : (day ?? '—');
}

/**
 * “北京时间” for the bureau's zone, else “<zone> 时间”.
 * @param {string} timeZone
 */
export function zoneLabel(timeZone) {
  return /** @type {Record<string, string>} */ (TIME_ZONE_LABELS)[timeZone] ?? `${timeZone} 时间`;
}

/**
 * “剩余 5 小时” / “已超期 2 小时” for a deadline.
 * @param {string | number | Date | null | undefined} value
 */
export function fmtDeadline(value, now = Date.now()) {
  if (!value) return '无时限';
  const ms = new Date(value).getTime() - now;
  const hours = Math.round(Math.abs(ms) / 3600_000);
  return ms < 0 ? `已超期 ${hours} 小时` : `剩余 ${hours} 小时`;
}

/**
 * The label of `key` in `map`; an unknown key shows as itself, none as —.
 * @param {Readonly<Record<string, string>>} map
 * @param {string | null | undefined} key
 */
export function label(map, key) {
  return (key == null ? undefined : map[key]) ?? key ?? '—';
}
