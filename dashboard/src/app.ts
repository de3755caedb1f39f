// The Express app: security headers, static assets, session, the API from its route specs, Bull Board, pages.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import helmet from 'helmet';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { createLogger, systemClock, type AppConfig, type Clock } from '@yuqing/core';
import type { Db, Role } from '@yuqing/db';
import { labelsModuleSource, QUEUE_LABELS } from '@yuqing/domain';
import type { JobQueues } from '@yuqing/queue';
import { apiErrorHandler, HttpError } from './http/errors.ts';
import { buildOpenApi, documentPathMatcher, mountRoutes, type RouteSpec } from './http/route-registry.ts';
import { loadSession, requireRoles, requireSameOrigin } from './auth/session.ts';
import { LoginThrottle, type LoginThrottleOptions } from './auth/login-throttle.ts';
import { ALL_ROLES, ROLES } from './auth/roles.ts';
import type { DashboardContext } from './context.ts';
import { sessionOf } from './context.ts';
import { healthRoutes } from './api/health.ts';
import { authRoutes } from './api/auth.ts';
import { mentionRoutes } from './api/mentions.ts';
import { issueRoutes } from './api/issues.ts';
import { responseRoutes } from './api/responses.ts';
import { sourceRoutes } from './api/sources.ts';
import { sourcePresetRoutes } from './api/source-presets.ts';
import { userRoutes } from './api/users.ts';
import { auditRoutes } from './api/audit.ts';
import { overviewRoutes } from './api/overview.ts';
import { digestRoutes } from './api/digests.ts';
import { reportRoutes } from './api/reports.ts';
import { alertRoutes } from './api/alerts.ts';
import { modelRoutes } from './api/models.ts';
import { replyRoutes } from './api/replies.ts';
import { policyRoutes } from './api/policy.ts';
import { rumourRoutes } from './api/rumours.ts';
import { mountPages, notFoundPage } from './pages.ts';
import { apiTokenRoutes } from './api/api-tokens.ts';
import { ingestRoutes, INGEST_MAX_BODY_BYTES } from './api/ingest.ts';
import { loadBearer } from './auth/bearer.ts';
import { mcpRouter } from './mcp-endpoint.ts';
import { ackRouter } from './ack-page.ts';

/** Largest JSON request body, in bytes (response texts are the largest legitimate bodies). */
const MAX_JSON_BODY_BYTES = 256 * 1024;

/** Options for {@link createDashboardApp}. */
export interface DashboardAppOptions {
  db: Db;
  dbKind: 'postgresql' | 'embedded';
  queues: JobQueues;
  config: AppConfig;
  /** Tests pass a manual clock (deadlines, overdue marking, session expiry). @defaultValue systemClock */
  clock?: Clock;
  /** Tests scale the login throttle's address delays down. @defaultValue the production delays */
  loginThrottle?: LoginThrottleOptions;
}

/** Where the browser loads the generated label tables (`public/lib/format.js` imports it as `./labels.js`). */
const LABELS_MODULE_PATH = '/assets/lib/labels.js';
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'public');
const require = createRequire(import.meta.url);
const ECHARTS_FILE = join(dirname(require.resolve('echarts/package.json')), 'dist', 'echarts.min.js');

/** Bull Board's page template links a Google Fonts stylesheet, which the CSP (rightly) blocks. */
const GOOGLE_FONTS_LINK = /<link[^>]+fonts\.googleapis\.com[^>]*>\s*/g;

/**
 * Renders Bull Board's page without the Google Fonts link: its CSS falls back to sans-serif, and the browser
 * neither calls Google nor logs a CSP violation. Wraps the template engine Bull Board registered.
 */
function withoutGoogleFonts(boardApp: express.Express): void {
  type Engine = (path: string, options: object, callback: (error: Error | null, html?: string) => void) => void;
  const engines = (boardApp as unknown as { engines: Record<string, Engine | undefined> }).engines;
  const render = engines['.ejs'];
  if (!render) return;
  boardApp.engine('ejs', (path, options, callback) =>
    render(path, options, (error, html) => callback(error, html?.replace(GOOGLE_FONTS_LINK, ''))),
  );
}

/** Every API route, in mount order. */
function apiRoutes(throttle: LoginThrottle): RouteSpec[] {
  return [
    ...healthRoutes,
    ...authRoutes(throttle),
    ...overviewRoutes(),
    ...mentionRoutes,
    ...issueRoutes,
    ...responseRoutes,
    ...sourcePresetRoutes,
    ...sourceRoutes,
    ...userRoutes,
    ...auditRoutes,
    ...digestRoutes,
    ...reportRoutes,
    ...alertRoutes,
    ...modelRoutes,
    ...apiTokenRoutes,
    ...ingestRoutes(),
    ...replyRoutes,
    ...policyRoutes,
    ...rumourRoutes,
  ];
}

/**
 * The dashboard: zh-CN UI (static vanilla JS + server shells), REST API under /api (OpenAPI at
 * /api/openapi.json), `GET /api/health` without login, Bull Board for admins at /admin/queues.
 */
export function createDashboardApp(options: DashboardAppOptions): express.Express {
  const ctx: DashboardContext = {
    db: options.db,
    dbKind: options.dbKind,
    queues: options.queues,
    config: options.config,
    clock: options.clock ?? systemClock,
    log: createLogger('dashboard'),
    uploadsDir: join(options.config.dataDir, 'uploads'),
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // Whose X-Forwarded-For names the client: the login throttle and the audit log use req.ip (TRUST_PROXY).
  app.set('trust proxy', options.config.trustProxy);

  // Strict CSP: scripts and styles only from our origin, nothing inline, no plugins, no framing.
  const strictHelmet = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  // Bull Board's UI sets inline styles; it is admin-only and renders job data through React (escaped).
  const boardHelmet = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  // Standalone HTML documents (`document` routes: the digest e-mail preview) carry inline styles; sandboxed, no script.
  const documentHelmet = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ['data:'],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
        sandbox: ['allow-popups', 'allow-popups-to-escape-sandbox'],
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
  const routes = apiRoutes(new LoginThrottle(options.loginThrottle));
  const isDocument = documentPathMatcher(routes);
  app.use((req, res, next) => {
    if (req.path.startsWith('/admin/queues')) return boardHelmet(req, res, next);
    if (isDocument(req.path)) return documentHelmet(req, res, next);
    strictHelmet(req, res, next);
  });

  // Static assets need no session.
  app.get('/assets/vendor/echarts.min.js', (_req, res) =>
    res.sendFile(ECHARTS_FILE, { maxAge: '7d', dotfiles: 'allow' }),
  );
  // The label tables of @yuqing/domain as an ES module, so the browser shows exactly the server's names.
  const labelsJs = labelsModuleSource();
  app.get(LABELS_MODULE_PATH, (_req, res) => {
    res.type('text/javascript').setHeader('Cache-Control', 'public, max-age=600');
    res.send(labelsJs);
  });
  app.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '10m', fallthrough: false }));

  app.use(loadSession(ctx));
  app.use(requireSameOrigin);

  const openapi = buildOpenApi(routes, { version: '0.1.0' });

  const api = express.Router();
  // The push API takes larger batches; body-parser skips a body already parsed, so this runs first.
  api.use('/ingest', express.json({ limit: INGEST_MAX_BODY_BYTES }));
  api.use(express.json({ limit: MAX_JSON_BODY_BYTES }));
  api.use(loadBearer(ctx));
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.get('/openapi.json', requireRoles(ALL_ROLES), (_req, res) => res.json(openapi));
  mountRoutes(api, ctx, routes);
  app.use('/api', api);
  app.use('/api', (req, _res, next) =>
    next(new HttpError(404, 'NOT_FOUND', `没有这个接口 (no route ${req.method} ${req.path})`)),
  );
  app.use('/api', apiErrorHandler);
  app.use('/mcp', mcpRouter(ctx), apiErrorHandler);

  // Bull Board: admins only; its own writes cannot carry our CSRF header, so same-origin checks guard them.
  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: ctx.queues
      .all()
      .map(
        (q) =>
          new BullMQAdapter(q, {
            displayName: `${(QUEUE_LABELS as Record<string, string>)[q.name] ?? q.name}（${q.name}）`,
          }),
      ),
    serverAdapter: board,
    options: {
      uiConfig: { boardTitle: '舆情 队列', locale: { lng: 'zh-CN' }, miscLinks: [{ text: '返回舆情监测', url: '/' }] },
    },
  });
  withoutGoogleFonts(board.getRouter() as express.Express);
  app.use(
    '/admin/queues',
    (req, res, next) => {
      const session = sessionOf(res);
      if (!session) {
        if (req.method === 'GET' && !req.path.startsWith('/api'))
          return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
        return next(new HttpError(401, 'UNAUTHENTICATED', '请先登录 (login required)'));
      }
      if (!(ROLES.admin as readonly Role[]).includes(session.user.role))
        return next(new HttpError(403, 'FORBIDDEN', '仅管理员可查看队列 (admins only)'));
      next();
    },
    board.getRouter(),
  );
  app.use('/admin/queues', apiErrorHandler);

  // The 已知悉 links of alert messages: no login, the signed token is the permission.
  app.use(ackRouter(ctx));

  const pages = express.Router();
  mountPages(pages, ctx.config.publicUrl);
  app.use(pages);
  app.use(notFoundPage);
  app.use(apiErrorHandler);
  return app;
}
