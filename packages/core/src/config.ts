import { availableParallelism } from 'node:os';
import { isIP } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.ts';
import { checkPasswordPolicy } from './password-policy.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['pretty', 'json'] as const;

function isValidTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const urlWithProtocols = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}, e.g. ${example}`,
    );

/** Names Express accepts in `trust proxy` for whole address classes. */
const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

/** `a.b.c.d`, an IPv6 address, or either with a /prefix. */
function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d+$/.test(bits) && n >= 0 && n <= (family === 4 ? 32 : 128);
}

/**
 * Which reverse proxies may tell the dashboard the client's address (X-Forwarded-For): `false` (default: none, the
 * socket address counts), a hop count, or proxy addresses. `true` (trust any sender) is refused: then every client
 * could choose the address the login throttle and the audit log see.
 */
export type TrustProxySetting = false | number | string[];

function parseTrustProxy(value: string): TrustProxySetting | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v) <= 10 ? Number(v) : undefined;
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0) return undefined;
  const known = new Set<string>(TRUST_PROXY_NAMES);
  return entries.every((e) => known.has(e) || isAddressOrCidr(e)) ? entries : undefined;
}

const port = (fallback: number) =>
  z.coerce
    .number({ error: 'expected a TCP port number' })
    .int('expected a whole number')
    .min(1, 'expected 1–65535')
    .max(65535, 'expected 1–65535')
    .default(fallback);

/**
 * Every environment variable Yuqing reads. The README's configuration table documents the same list;
 * `config.test.ts` keeps the two in step.
 */
export const environmentSchema = z.object({
  DATABASE_URL: urlWithProtocols(['postgres:', 'postgresql:'], 'postgresql://user@127.0.0.1:5432/yuqing').optional(),
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:'], 'redis://127.0.0.1:6379').optional(),
  PORT: port(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  TZ: z
    .string()
    .trim()
    .refine(isValidTimeZone, 'expected an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  SMTP_URL: urlWithProtocols(['smtp:', 'smtps:'], 'smtp://user:pass@mail.example.gov.cn:587').optional(),
  MAIL_FROM: z.string().trim().min(3).default('舆情监测 <yuqing@localhost>'),
  PUBLIC_URL: urlWithProtocols(['http:', 'https:'], 'https://yuqing.example.gov.cn').optional(),
  YQ_DATA_DIR: z.string().trim().min(1).default('./data'),
  /** Base64 of 32 bytes: encrypts stored secrets. Unset: a key generated into the data folder (0600). */
  YQ_SECRET_KEY: z
    .string()
    .trim()
    .refine((v) => v === '' || Buffer.from(v, 'base64').length === 32, 'must be base64 of 32 bytes')
    .optional(),
  YQ_ALLOWED_PRIVATE_HOSTS: z.string().trim().default(''),
  /** Minutes an alert may stay unacknowledged per level before it escalates (重大=10,较大=30,一般=none). */
  YQ_ALERT_ACK_MINUTES: z
    .string()
    .trim()
    .regex(/^([^=,，]+=\s*(\d+|none|off)\s*([,，]\s*|$))*$/, 'expected 级别=分钟 pairs, e.g. 重大=10,较大=30,一般=none')
    .default(''),
  YQ_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .default('yq'),
  YQ_WORKER_CONCURRENCY: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(1, 'expected at least 1')
    .max(256, 'expected at most 256')
    .default(32),
  YQ_ANALYSIS_THREADS: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(0, 'expected 0 or more')
    .max(64, 'expected at most 64')
    .optional(),
  YQ_ANALYSIS_THREAD_NICENESS: z.coerce
    .number({ error: 'expected a number' })
    .int()
    .min(0, 'expected 0 to 19')
    .max(19, 'expected 0 to 19')
    .default(0),
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(
      (v) => parseTrustProxy(v) !== undefined,
      `expected false, a hop count (1–10) or comma-separated proxy addresses/CIDRs (or ${TRUST_PROXY_NAMES.join(', ')}), e.g. 127.0.0.1 or 10.0.0.0/8; "true" is not accepted`,
    )
    .optional(),
  YQ_DEMO_PORT: port(3100),
  YQ_ADMIN_PASSWORD: z
    .string()
    .superRefine((value, ctx) => {
      for (const problem of checkPasswordPolicy(value)) ctx.addIssue({ code: 'custom', message: problem.message });
    })
    .optional(),
  // html5Email accepts a host without a dot (admin@localhost), as the local mail setups the default is for do.
  YQ_ADMIN_EMAIL: z
    .email({ pattern: z.regexes.html5Email, error: 'expected an e-mail address such as admin@example.gov.cn' })
    .default('admin@localhost'),
  YQ_CJK_FONT: z
    .string()
    .trim()
    .min(1, 'expected the path of a font file with Chinese glyphs (.ttf, .otf, .ttc)')
    .optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `expected one of ${LOG_FORMATS.join(', ')}` }).default('pretty'),
});

/** The parsed environment, with derived values filled in. */
export interface AppConfig {
  /** Set: PostgreSQL. Unset: embedded PGlite in `<dataDir>/pglite`. */
  databaseUrl: string | undefined;
  /** Redis URL to use. */
  redisUrl: string;
  /** True when REDIS_URL was given explicitly (then no private redis-server is ever started). */
  redisUrlExplicit: boolean;
  port: number;
  host: string;
  timeZone: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  publicUrl: string;
  /** Express `trust proxy`: whose X-Forwarded-For names the client (login throttle, audit log). */
  trustProxy: TrustProxySetting;
  /** Absolute path of the data folder (PGlite, private Redis, outbox, uploads, models). */
  dataDir: string;
  /** YQ_SECRET_KEY (base64); never logged. Undefined: the key file in the data folder. */
  secretKey: string | undefined;
  /** Font file with Chinese glyphs for charts (YQ_CJK_FONT); unset: the usual system font paths are searched. */
  cjkFont?: string | undefined;
  /** host[:port] entries a crawler may reach although they resolve to private addresses. */
  allowedPrivateHosts: string[];
  /**
   * YQ_ALERT_ACK_MINUTES as given ('' = defaults: 重大 10, 较大 30, 一般 never); packages/domain
   * `parseAckMinutes` reads it, since the levels are the domain's.
   */
  alertAckMinutes: string;
  queuePrefix: string;
  workerConcurrency: number;
  /** Classification threads per analysis worker process (0: classify on the main thread). */
  analysisThreads: number;
  /** Scheduling niceness of the classification threads alone (Linux), not of the process's main thread. */
  analysisThreadNiceness: number;
  demoPort: number;
  adminPassword: string | undefined;
  /** E-mail address of the first admin account (digests, notices). @defaultValue admin@localhost */
  adminEmail: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** `pretty` (readable lines, the default) or `json` (one JSON object per line, for log collectors). */
  logFormat: (typeof LOG_FORMATS)[number];
}

/** Classification threads a worker starts by default on a large machine (each holds jieba and the models). */
const MAX_DEFAULT_ANALYSIS_THREADS = 4;

/** Variables whose values are never shown in configuration errors. */
const SECRET_VARIABLES = new Set(['YQ_ADMIN_PASSWORD']);

/** Empty strings count as unset, as they do in most shells' `VAR= cmd`. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(environmentSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') out[key] = value;
  }
  return out;
}

/**
 * Parses the environment once. Throws {@link ConfigError} naming every invalid variable and what it expects.
 * @param env - usually `process.env`; only entry points pass it.
 * @param cwd - base for a relative YQ_DATA_DIR.
 */
export function loadConfig(env: Record<string, string | undefined>, cwd: string = process.cwd()): AppConfig {
  const parsed = environmentSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const given = env[String(issue.path[0])];
      // A refused password is never echoed (it would land in terminals and service logs).
      const secret = SECRET_VARIABLES.has(String(issue.path[0]));
      const shown = given === undefined || secret ? '' : ` (got ${JSON.stringify(redactUrl(given))})`;
      return `  ${name}: ${issue.message}${shown}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`, {
      variables: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  const e = parsed.data;
  const dataDir = isAbsolute(e.YQ_DATA_DIR) ? e.YQ_DATA_DIR : resolve(cwd, e.YQ_DATA_DIR);
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: e.REDIS_URL !== undefined,
    port: e.PORT,
    host: e.HOST,
    timeZone: e.TZ,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    publicUrl: (e.PUBLIC_URL ?? `http://127.0.0.1:${e.PORT}`).replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY === undefined ? false : (parseTrustProxy(e.TRUST_PROXY) ?? false),
    dataDir,
    secretKey: e.YQ_SECRET_KEY || undefined,
    allowedPrivateHosts: e.YQ_ALLOWED_PRIVATE_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    alertAckMinutes: e.YQ_ALERT_ACK_MINUTES,
    queuePrefix: e.YQ_QUEUE_PREFIX,
    workerConcurrency: e.YQ_WORKER_CONCURRENCY,
    // One core stays with the main thread (database round trips, clustering); the others classify.
    analysisThreads:
      e.YQ_ANALYSIS_THREADS ?? Math.min(MAX_DEFAULT_ANALYSIS_THREADS, Math.max(1, availableParallelism() - 1)),
    analysisThreadNiceness: e.YQ_ANALYSIS_THREAD_NICENESS,
    demoPort: e.YQ_DEMO_PORT,
    adminPassword: e.YQ_ADMIN_PASSWORD,
    adminEmail: e.YQ_ADMIN_EMAIL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    cjkFont: e.YQ_CJK_FONT,
  };
}

/** Hides the password part of a URL before it is shown or logged. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
