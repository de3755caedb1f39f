/** Why a response is a block page rather than content. */
export interface BlockVerdict {
  code: 'HTTP_401' | 'HTTP_403' | 'HTTP_418' | 'HTTP_429' | 'HTTP_432' | 'CAPTCHA' | 'JS_CHALLENGE' | 'LOGIN_WALL';
  /** Shown on the source (Source.blockedReason), in Chinese first for the admin UI. */
  reason: string;
}

/** A challenge shell is tiny: a script and almost no readable text. */
const CHALLENGE_MAX_VISIBLE_CHARS = 200;
/** Captcha or login pages are short; a long article that merely mentions 验证码 is content. */
const GATE_MAX_VISIBLE_CHARS = 1500;

const CAPTCHA =
  /captcha|geetest|g-recaptcha|h-captcha|hcaptcha|cf-turnstile|nc_1_wrapper|tcaptcha|滑动验证|安全验证|人机验证|拖动滑块|请完成验证|访问验证|请输入验证码|输入图中的验证码|验证后继续访问|验证后即可继续访问|环境异常|异常访问|访问过于频繁/i;
const CHALLENGE =
  /document\.cookie|location\.(reload|replace|href)|window\.location|__jsl_clearance|acw_sc__v2|_0x[0-9a-f]{4}|challenge-platform|checking your browser|just a moment|正在(检测|验证)|请稍候|浏览器安全检查|enable javascript|开启javascript|启用javascript/i;
const LOGIN =
  /请先?登录|登录后(查看|可见|浏览|继续)|您(还)?未登录|需要登录|sign in to continue|log in to continue|请使用账号登录/i;
const LOGIN_URL = /\/(login|signin|sign-in|passport|sso|auth)(\/|\.|\?|$)/i;

function visibleText(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<noscript[\s\S]*?<\/noscript>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Recognises block pages: 401/403/429 responses, captcha pages, JavaScript challenge shells (a tiny 200 page that
 * sets a cookie and reloads) and login walls (a login form or a redirect to a login URL in place of content).
 * Pure; `text` is the decoded body (HTML or anything else).
 */
export function detectBlock(input: {
  status: number;
  text: string;
  requestedUrl?: string;
  finalUrl?: string;
  isHtml?: boolean;
}): BlockVerdict | undefined {
  const { status, text } = input;
  if (status === 429) return { code: 'HTTP_429', reason: '访问过于频繁 (HTTP 429 Too Many Requests)' };
  if (status === 403) return { code: 'HTTP_403', reason: '拒绝访问 (HTTP 403 Forbidden)' };
  // 微博 and other platforms answer a client they throttle with 418 I'm a teapot.
  if (status === 418) return { code: 'HTTP_418', reason: '请求被平台拒绝 (HTTP 418, 访问过于频繁或被识别为爬虫)' };
  // 微博's risk control answers m.weibo.cn API calls from a client without its visitor cookies with 432.
  if (status === 432) return { code: 'HTTP_432', reason: '请求被平台风控拦截 (HTTP 432)' };
  if (status === 401) return { code: 'HTTP_401', reason: '需要登录 (HTTP 401 Unauthorized)' };
  const html = input.isHtml ?? /<html|<body|<script|<form|<div/i.test(text.slice(0, 4096));
  if (!html) return undefined;
  const visible = visibleText(text);
  if (
    input.finalUrl &&
    input.requestedUrl &&
    LOGIN_URL.test(new URL(input.finalUrl).pathname) &&
    !LOGIN_URL.test(new URL(input.requestedUrl).pathname)
  ) {
    return { code: 'LOGIN_WALL', reason: `需要登录: 重定向到登录页 ${new URL(input.finalUrl).pathname}` };
  }
  if (visible.length <= GATE_MAX_VISIBLE_CHARS && CAPTCHA.test(text))
    return { code: 'CAPTCHA', reason: '验证码页面 (captcha)' };
  if (
    visible.length <= CHALLENGE_MAX_VISIBLE_CHARS &&
    /<script/i.test(text) &&
    (CHALLENGE.test(text) || visible.length < 20)
  ) {
    return { code: 'JS_CHALLENGE', reason: 'JavaScript 验证页 (JS challenge shell)' };
  }
  if (
    visible.length <= GATE_MAX_VISIBLE_CHARS &&
    (/<input[^>]+type\s*=\s*["']?password/i.test(text) || LOGIN.test(visible)) &&
    LOGIN.test(visible + text.slice(0, 2000))
  ) {
    return { code: 'LOGIN_WALL', reason: '需要登录才能查看 (login wall)' };
  }
  return undefined;
}
