// What the 信源 form offers: schedules by name (每小时, 工作日 8:00 …) instead of raw cron, and for each source kind
// the fields of its config schema (source-config.ts) with Chinese names, so the form follows the schema that the
// API validates with and a new field appears in the form without editing the page.

import { z } from 'zod';
import { sourceConfigSchemas, type SourceKind } from './source-config.ts';

/** The schedules the form offers by name, cron → label (times in the bureau's zone, TZ). */
export const SCHEDULE_LABELS = {
  '*/5 * * * *': '每 5 分钟',
  '*/15 * * * *': '每 15 分钟',
  '*/30 * * * *': '每 30 分钟',
  '0 * * * *': '每小时',
  '0 8 * * *': '每天 8:00',
  '0 8 * * 1-5': '工作日 8:00',
} as const;

/** "每小时" for a preset's cron expression, otherwise "自定义：<cron>". */
export function scheduleLabel(cron: string): string {
  const preset = (SCHEDULE_LABELS as Record<string, string>)[cron.trim().replace(/\s+/g, ' ')];
  return preset ?? `自定义：${cron}`;
}

/** Chinese names of config fields, by dotted path (a field without one shows its path). */
export const SOURCE_CONFIG_FIELD_LABELS = {
  maxItems: '最多条目数',
  'list.itemLinks': '列表页文章链接（CSS 选择器）',
  'list.nextPage': '下一页链接（CSS 选择器）',
  'list.maxPages': '最多翻页数',
  'detail.title': '文章标题（CSS 选择器）',
  'detail.time': '发布时间（CSS 选择器）',
  'detail.body': '正文（CSS 选择器）',
  'detail.author': '作者（CSS 选择器）',
  itemsPath: '条目数组路径（如 data.items）',
  'fields.url': '链接字段',
  'fields.title': '标题字段',
  'fields.body': '正文字段',
  'fields.author': '作者字段',
  'fields.publishedAt': '发布时间字段',
  'fields.likes': '点赞数字段',
  'fields.comments': '评论数字段',
  'fields.reposts': '转发数字段',
  'fields.views': '浏览数字段',
  'fields.region': '地域字段',
  'fields.replyText': '官方回复字段',
  'fields.replyDepartment': '回复部门字段',
  'fields.replyAt': '回复时间字段',
  mode: '方式（search 关键词搜索 / user 用户主页）',
  keyword: '关键词',
  uid: '用户 UID',
  cookie: '登录 Cookie（可选）',
  maxPages: '最多翻页数',
  route: 'RSSHub 路由（如 /weibo/user/1935396210）',
  baseUrl: 'RSSHub 实例地址（如 http://127.0.0.1:1200）',
  accessKey: 'RSSHub 访问密钥（ACCESS_KEY）',
  platform: '平台（weibo 微博热搜 / zhihu 知乎热榜 / baidu 百度热搜 / douyin 抖音热点 / toutiao 今日头条热榜）',
  maxEntries: '读取前几条',
} as const;

/** One input of a kind's config form. */
export interface SourceConfigField {
  /** Dotted path inside `config`, e.g. `list.itemLinks`. */
  path: string;
  label: string;
  type: 'text' | 'integer' | 'number';
  required: boolean;
  /** The schema's default, shown as the placeholder. */
  defaultValue?: string | number;
}

interface JsonSchemaNode {
  type?: string;
  properties?: Record<string, JsonSchemaNode>;
  required?: string[];
  default?: unknown;
}

/**
 * The plain fields (text and numbers, nested objects flattened to dotted paths) of a kind's config schema, in
 * schema order. Fields the form cannot show as one input — fetch limits, choices between variants such as the
 * JSON kind's pagination — are left to the form's 高级 (raw JSON) box.
 */
export function sourceConfigFields(kind: SourceKind): SourceConfigField[] {
  const schema = z.toJSONSchema(sourceConfigSchemas[kind], { io: 'input' }) as JsonSchemaNode;
  const out: SourceConfigField[] = [];
  const walk = (node: JsonSchemaNode, prefix: string, parentRequired: boolean) => {
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      if (name === 'limits') continue;
      const path = prefix ? `${prefix}.${name}` : name;
      const required = parentRequired && (node.required ?? []).includes(name) && child.default === undefined;
      if (child.type === 'object') walk(child, path, required);
      else if (child.type === 'string' || child.type === 'integer' || child.type === 'number')
        out.push({
          path,
          label: (SOURCE_CONFIG_FIELD_LABELS as Record<string, string>)[path] ?? path,
          type: child.type === 'string' ? 'text' : child.type,
          required,
          ...(typeof child.default === 'string' || typeof child.default === 'number'
            ? { defaultValue: child.default }
            : {}),
        });
    }
  };
  walk(schema, '', true);
  return out;
}
