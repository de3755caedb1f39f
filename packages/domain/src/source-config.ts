import { z } from 'zod';
import { NonRetryableError } from '@yuqing/core';
import { parseCron } from './cron.ts';

/** Default cron schedule for a source: every 30 minutes. */
export const DEFAULT_SCHEDULE = '*/30 * * * *';

/** An http(s) URL. */
export const httpUrlSchema = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected an http(s) URL such as https://www.example.gov.cn/news/');

const selector = z.string().trim().min(1, 'expected a CSS selector');
const fieldPath = z.string().trim().min(1, 'expected a dotted path such as data.items or reply.content');

/** Per-source limits and politeness (all optional). */
export const limitsSchema = z
  .object({
    maxBytes: z
      .number()
      .int()
      .min(1024)
      .max(50 * 1024 * 1024)
      .optional(),
    timeoutMs: z.number().int().min(500).max(120_000).optional(),
    maxRedirects: z.number().int().min(0).max(20).optional(),
    /** Requests per second to one host (shared by every crawl in the process). */
    requestsPerSecond: z.number().positive().max(1000).optional(),
    /** Requests in flight to one host. */
    concurrency: z.number().int().min(1).max(64).optional(),
  })
  .strict();

export const rssConfigSchema = z
  .object({ limits: limitsSchema.optional(), maxItems: z.number().int().positive().optional() })
  .strict();
export const articleConfigSchema = z.object({ limits: limitsSchema.optional() }).strict();
export const htmlConfigSchema = z
  .object({
    list: z
      .object({
        itemLinks: selector,
        nextPage: selector.optional(),
        maxPages: z.number().int().min(1).max(200).default(5),
      })
      .strict(),
    detail: z
      .object({
        title: selector.optional(),
        time: selector.optional(),
        body: selector.optional(),
        author: selector.optional(),
      })
      .strict()
      .optional(),
    limits: limitsSchema.optional(),
  })
  .strict();
export const jsonConfigSchema = z
  .object({
    itemsPath: fieldPath,
    fields: z
      .object({
        url: fieldPath,
        title: fieldPath.optional(),
        body: fieldPath.optional(),
        author: fieldPath.optional(),
        publishedAt: fieldPath.optional(),
        likes: fieldPath.optional(),
        comments: fieldPath.optional(),
        reposts: fieldPath.optional(),
        views: fieldPath.optional(),
        region: fieldPath.optional(),
        replyText: fieldPath.optional(),
        replyDepartment: fieldPath.optional(),
        replyAt: fieldPath.optional(),
      })
      .strict(),
    pagination: z
      .discriminatedUnion('type', [
        z
          .object({
            type: z.literal('page'),
            param: z.string().min(1).default('page'),
            start: z.number().int().min(0).default(1),
            maxPages: z.number().int().min(1).max(200).default(5),
            totalPagesPath: fieldPath.optional(),
          })
          .strict(),
        z
          .object({
            type: z.literal('cursor'),
            param: z.string().min(1).default('cursor'),
            nextCursorPath: fieldPath,
            maxPages: z.number().int().min(1).max(200).default(5),
          })
          .strict(),
      ])
      .optional(),
    limits: limitsSchema.optional(),
  })
  .strict();

/**
 * A 微博 source through the public mobile JSON API (m.weibo.cn/api/container/getIndex): `search` reads the
 * real-time search for a keyword, `user` an account's timeline. The source URL is the API's origin
 * (`https://m.weibo.cn`), so tests and mirrors can point it elsewhere.
 */
export const weiboConfigSchema = z
  .object({
    mode: z.enum(['search', 'user']),
    keyword: z.string().trim().min(1).max(100).optional(),
    uid: z
      .string()
      .trim()
      .regex(/^\d{5,12}$/, 'expected a numeric 微博 uid such as 1669879400')
      .optional(),
    /** Login cookie (SUB=…); some searches answer only to a logged-in visitor. A secret: masked, never logged. */
    cookie: z.string().trim().min(1).max(4000).optional(),
    maxPages: z.number().int().min(1).max(50).default(3),
    limits: limitsSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.mode === 'search' && !config.keyword)
      ctx.addIssue({ code: 'custom', path: ['keyword'], message: 'a search needs a keyword' });
    if (config.mode === 'user' && !config.uid)
      ctx.addIssue({ code: 'custom', path: ['uid'], message: 'a user timeline needs a uid' });
  });

/**
 * `rsshub`: one RSSHub route (`/weibo/user/1935396210`, `/gov/zhengce/zuixin` …) read from the bureau's own RSSHub
 * instance. `baseUrl` is that instance; unset, a crawl fails with `RSSHUB_URL_MISSING` asking for it (the public
 * rsshub.app rate-limits and is no base for monitoring).
 */
export const rsshubConfigSchema = z
  .object({
    route: z.string().trim().min(1, 'expected an RSSHub route such as /weibo/user/1935396210'),
    baseUrl: httpUrlSchema.optional(),
    /** The instance's ACCESS_KEY, sent as `?key=` (a secret: never logged). */
    accessKey: z.string().trim().min(1).optional(),
    maxItems: z.number().int().positive().optional(),
    limits: limitsSchema.optional(),
  })
  .strict();
/**
 * `wechat_mp`: a WeChat official account through an RSS bridge (RSSHub `/wechat/...`, wechat2rss, WeRSS): the
 * source URL is the bridge's feed; each new entry's mp.weixin.qq.com article is fetched and read
 * (`fetchArticles: false` keeps the feed's own text instead).
 */
export const wechatMpConfigSchema = z
  .object({
    fetchArticles: z.boolean().default(true),
    maxItems: z.number().int().positive().optional(),
    limits: limitsSchema.optional(),
  })
  .strict();

/**
 * The platforms whose hot lists (热榜) the `hotlist` kind reads, each with the origin of its public JSON endpoint
 * (a source stores it as its URL, so a mirror or a test server can stand in) and its name in Chinese.
 */
export const HOTLIST_PLATFORMS = {
  weibo: { label: '微博热搜', origin: 'https://m.weibo.cn' },
  zhihu: { label: '知乎热榜', origin: 'https://www.zhihu.com' },
  baidu: { label: '百度热搜', origin: 'https://top.baidu.com' },
  douyin: { label: '抖音热点', origin: 'https://aweme.snssdk.com' },
  toutiao: { label: '今日头条热榜', origin: 'https://www.toutiao.com' },
} as const;
/** A platform the `hotlist` kind reads. */
export type HotListPlatform = keyof typeof HOTLIST_PLATFORMS;
const hotListPlatformNames = Object.keys(HOTLIST_PLATFORMS) as [HotListPlatform, ...HotListPlatform[]];

/**
 * `hotlist`: one platform's hot list, polled whole on every crawl. Every entry's rank and heat are recorded
 * (HotListObservation); only entries a monitoring scheme or the relevance model finds relevant become mentions.
 */
export const hotlistConfigSchema = z
  .object({
    platform: z.enum(hotListPlatformNames, { message: `expected one of ${hotListPlatformNames.join(', ')}` }),
    /** Entries read from the top of the list (the lists hold 30 to 50). */
    maxEntries: z.number().int().min(1).max(100).default(50),
    limits: limitsSchema.optional(),
  })
  .strict();

export type FetchLimitsConfig = z.infer<typeof limitsSchema>;
export type HotlistConfig = z.infer<typeof hotlistConfigSchema>;
export type WeiboConfig = z.infer<typeof weiboConfigSchema>;
export type RssConfig = z.infer<typeof rssConfigSchema>;
export type ArticleConfig = z.infer<typeof articleConfigSchema>;
export type HtmlConfig = z.infer<typeof htmlConfigSchema>;
export type JsonConfig = z.infer<typeof jsonConfigSchema>;
export type RsshubConfig = z.infer<typeof rsshubConfigSchema>;
export type WechatMpConfig = z.infer<typeof wechatMpConfigSchema>;

/** A five-field cron expression (minute hour day month weekday) that {@link parseCron} accepts. */
export const cronScheduleSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    try {
      parseCron(value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `expected a cron expression: ${(error as Error).message}` });
    }
  });

/** The source kinds, each with a config schema of its own. */
export const SOURCE_KINDS = ['rss', 'html', 'json', 'article', 'weibo', 'rsshub', 'wechat_mp', 'hotlist'] as const;
/** A source kind. */
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Kind → schema of `Source.config`. */
export const sourceConfigSchemas = {
  rss: rssConfigSchema,
  html: htmlConfigSchema,
  json: jsonConfigSchema,
  article: articleConfigSchema,
  weibo: weiboConfigSchema,
  rsshub: rsshubConfigSchema,
  wechat_mp: wechatMpConfigSchema,
  hotlist: hotlistConfigSchema,
} as const satisfies Record<SourceKind, z.ZodType>;

/** Fields every source has, whatever its kind. */
export const sourceCommonFields = {
  name: z.string().trim().min(1).max(200).optional(),
  url: httpUrlSchema,
  schedule: cronScheduleSchema.default(DEFAULT_SCHEDULE),
  enabled: z.boolean().default(true),
  respectRobots: z.boolean().default(true),
  weight: z.number().positive().max(100).default(1),
  region: z.string().trim().min(1).max(100).optional(),
};

/**
 * Checks `config` against the schema of `kind`; the issues' paths start at `config` (`config.list.itemLinks`), so
 * an API can answer 400 naming the field. Returns the issues (empty when valid).
 */
export function sourceConfigIssues(kind: SourceKind, config: unknown): z.core.$ZodIssue[] {
  const parsed = sourceConfigSchemas[kind].safeParse(config ?? {});
  return parsed.success ? [] : parsed.error.issues.map((issue) => ({ ...issue, path: ['config', ...issue.path] }));
}

/** A source as written in a JSON file or stored in Source.config (kind-specific `config`). */
export const sourceDefinitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rss'), ...sourceCommonFields, config: rssConfigSchema.default({}) }).strict(),
  z.object({ kind: z.literal('article'), ...sourceCommonFields, config: articleConfigSchema.default({}) }).strict(),
  z.object({ kind: z.literal('html'), ...sourceCommonFields, config: htmlConfigSchema }).strict(),
  z.object({ kind: z.literal('json'), ...sourceCommonFields, config: jsonConfigSchema }).strict(),
  z.object({ kind: z.literal('weibo'), ...sourceCommonFields, config: weiboConfigSchema }).strict(),
  z.object({ kind: z.literal('rsshub'), ...sourceCommonFields, config: rsshubConfigSchema }).strict(),
  z
    .object({
      kind: z.literal('wechat_mp'),
      ...sourceCommonFields,
      config: wechatMpConfigSchema.default({ fetchArticles: true }),
    })
    .strict(),
  z.object({ kind: z.literal('hotlist'), ...sourceCommonFields, config: hotlistConfigSchema }).strict(),
]);

/** A validated source definition. */
export type SourceDefinition = z.output<typeof sourceDefinitionSchema>;
/** What a file may contain before defaults are filled in. */
export type SourceDefinitionInput = z.input<typeof sourceDefinitionSchema>;

/** Zod issues as `label.path: message` lines. */
export function describeIssues(error: z.ZodError, label: string): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length
        ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
        : '';
      return `  ${label}${path}: ${issue.message}`;
    })
    .join('\n');
}

/** Validates one definition; throws `SOURCE_INVALID` naming each bad field, e.g. `source[1].config.list.itemLinks`. */
export function parseSourceDefinition(input: unknown, label = 'source'): SourceDefinition {
  const parsed = sourceDefinitionSchema.safeParse(input);
  if (!parsed.success)
    throw new NonRetryableError('SOURCE_INVALID', `invalid source definition:\n${describeIssues(parsed.error, label)}`);
  return parsed.data;
}

/** Validates a file's content: one source object or an array of them. */
export function parseSourceDefinitions(input: unknown, label = 'source'): SourceDefinition[] {
  const list = Array.isArray(input) ? input : [input];
  const errors: string[] = [];
  const out: SourceDefinition[] = [];
  list.forEach((item, i) => {
    const parsed = sourceDefinitionSchema.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else errors.push(describeIssues(parsed.error, Array.isArray(input) ? `${label}[${i}]` : label));
  });
  if (errors.length > 0)
    throw new NonRetryableError('SOURCE_INVALID', `invalid source definition:\n${errors.join('\n')}`);
  return out;
}

/** The stored row's fields rebuilt into a definition (validates Source.config as admins may have edited it). */
export function definitionFromRow(row: {
  id: number;
  name: string;
  kind: string;
  url: string;
  config: unknown;
  schedule: string;
  enabled: boolean;
  respectRobots: boolean;
  weight: number;
  region: string | null;
}): SourceDefinition {
  return parseSourceDefinition(
    {
      kind: row.kind,
      name: row.name,
      url: row.url,
      schedule: row.schedule,
      enabled: row.enabled,
      respectRobots: row.respectRobots,
      weight: row.weight,
      ...(row.region ? { region: row.region } : {}),
      config: row.config ?? {},
    },
    `source #${row.id}`,
  );
}

/** Default display name: host and path. */
export function defaultSourceName(def: { kind: string; url: string }): string {
  const u = new URL(def.url);
  return `${u.hostname}${u.pathname === '/' ? '' : u.pathname} (${def.kind})`;
}
