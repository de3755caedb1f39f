import type { Request, Response, Router } from 'express';
import type { Role } from '@yuqing/db';
import { ROLE_LABELS } from '@yuqing/domain';
import { ALL_ROLES, ROLES } from './auth/roles.ts';
import { safeNextPath } from './auth/safe-next.ts';
import { sessionOf } from './context.ts';

/** A page of the UI: path, the script that renders it, who may open it (the same lists as the API). */
export interface PageSpec {
  path: string;
  page: string;
  title: string;
  roles: readonly Role[] | 'public';
}

/** Every page (the navigation bar is the browser's: public/app.js, by the permissions of /api/auth/me). */
export const PAGES: PageSpec[] = [
  { path: '/login', page: 'login', title: '登录', roles: 'public' },
  { path: '/', page: 'overview', title: '总览', roles: ROLES.read },
  { path: '/mentions', page: 'mentions', title: '提及', roles: ROLES.read },
  { path: '/issues', page: 'issues', title: '议题', roles: ROLES.read },
  { path: '/issues/:id', page: 'issue', title: '议题详情', roles: ROLES.read },
  { path: '/responses', page: 'responses', title: '回应', roles: ROLES.read },
  { path: '/responses/:id', page: 'response', title: '回应工作台', roles: ROLES.read },
  { path: '/sources', page: 'sources', title: '信源', roles: ROLES.read },
  { path: '/digests', page: 'digest', title: '日报订阅', roles: ROLES.digest },
  { path: '/reports', page: 'reports', title: '报告', roles: ROLES.reports },
  { path: '/users', page: 'users', title: '用户', roles: ROLES.admin },
  { path: '/alerts', page: 'alerts', title: '预警推送', roles: ROLES.admin },
  { path: '/models', page: 'models', title: '模型管理', roles: ROLES.admin },
  { path: '/audit', page: 'audit', title: '审计', roles: ROLES.audit },
  { path: '/password', page: 'password', title: '修改密码', roles: ALL_ROLES },
  { path: '/tokens', page: 'tokens', title: 'API 令牌', roles: ALL_ROLES },
  { path: '/policy', page: 'policy', title: '政策风险评估', roles: ROLES.policy },
];

/** Only constant, server-defined strings go into the shell: page content is built by scripts with textContent. */
function shell(page: PageSpec, status = 200, allowedRoles?: readonly Role[]): string {
  // The 403 page names the roles that may open the page (labels are our own constants, never user input).
  const roles = allowedRoles ? ` data-allowed-roles="${allowedRoles.map((r) => ROLE_LABELS[r]).join('、')}"` : '';
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · 舆情监测</title>
<link rel="stylesheet" href="/assets/app.css">
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
<script type="module" src="/assets/app.js"></script>
</head>
<body data-page="${page.page}" data-status="${status}"${roles}>
<header class="topbar"><a class="brand" href="/">舆情监测</a><nav id="nav" aria-label="主导航"></nav><div id="whoami"></div></header>
<main id="main" tabindex="-1"><p class="loading">加载中…</p></main>
<noscript><p class="error">本系统需要启用 JavaScript。</p></noscript>
</body>
</html>`;
}

const FORBIDDEN_PAGE: PageSpec = { path: '', page: 'forbidden', title: '无权访问', roles: 'public' };
const NOT_FOUND_PAGE: PageSpec = { path: '', page: 'not-found', title: '页面不存在', roles: 'public' };

function sendShell(res: Response, page: PageSpec, status = 200, allowedRoles?: readonly Role[]): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(shell(page, status, allowedRoles));
}

/**
 * Serves the shells: not logged in → /login?next=…; wrong role → 403 page; /login when logged in → `next` if it is
 * a path of this dashboard (PUBLIC_URL's origin), else the overview.
 */
export function mountPages(router: Router, publicUrl: string): void {
  for (const page of PAGES) {
    router.get(page.path, (req: Request, res: Response) => {
      const session = sessionOf(res);
      if (page.roles === 'public') {
        if (page.page === 'login' && session) return res.redirect(303, safeNextPath(req.query.next, publicUrl));
        return sendShell(res, page);
      }
      if (!session) return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      if (!page.roles.includes(session.user.role)) return sendShell(res, FORBIDDEN_PAGE, 403, page.roles);
      sendShell(res, page);
    });
  }
}

/** HTML 404 for unknown non-API paths. */
export function notFoundPage(_req: Request, res: Response): void {
  sendShell(res, NOT_FOUND_PAGE, 404);
}
