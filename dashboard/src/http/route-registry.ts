import type { Request, RequestHandler, Response, Router } from 'express';
import multer from 'multer';
import { z } from 'zod';
import type { Role } from '@yuqing/db';
import type { AuditActor } from '@yuqing/db';
import { actorOf, sessionOf, type DashboardContext, type SessionState } from '../context.ts';
import { requireCsrf, requireRoles } from '../auth/session.ts';
import { requireScopeOrCsrf } from '../auth/bearer.ts';
import type { ApiTokenScope } from '@yuqing/domain';

/** Largest uploaded interpretation file, in bytes. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What a handler receives: validated input, the caller and the app context. */
export interface HandlerInput<P, Q, B> {
  req: Request;
  res: Response;
  ctx: DashboardContext;
  params: P;
  query: Q;
  body: B;
  /** The session; present on every route that is not public. */
  session: SessionState;
  actor: AuditActor;
  /** The uploaded file on `upload` routes. */
  file: Express.Multer.File | undefined;
}

/** One API route: validation → role check → handler; the same object feeds the OpenAPI document. */
export interface RouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express path below /api, e.g. `/issues/:id`. */
  path: string;
  summary: string;
  tag: string;
  /** Roles allowed, or 'public' (health, login). */
  roles: readonly Role[] | 'public';
  params?: P;
  query?: Q;
  body?: B;
  /** multipart/form-data with one `file` field (the other fields are validated by `body`). */
  upload?: boolean;
  /** Status on success. @defaultValue 200 (201 for POST that creates is set per route) */
  status?: number;
  /** Describes a non-JSON success response (files). */
  produces?: string;
  /** The handler writes the response itself (files, cookies + JSON). */
  raw?: boolean;
  /**
   * The route answers a standalone HTML document with inline styles (the digest e-mail preview): the app gives
   * it a sandboxed CSP that allows inline styles and data: images but runs no script.
   */
  document?: boolean;
  /**
   * Turns a failed validation of params, query or body into the error this route has always answered (its own
   * code and wording). @defaultValue 400 VALIDATION_FAILED listing every issue
   */
  onInvalid?: (error: z.ZodError) => Error;
  /**
   * The scope an API token needs here. @defaultValue `read` on GET routes; unsafe routes refuse tokens unless set
   */
  tokenScope?: ApiTokenScope;
  /** Only API tokens may call this route (the push API): a cookie session gets 401. */
  tokenOnly?: boolean;
  handler(input: HandlerInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<unknown>;
}

type NoInput = z.ZodObject<Record<string, never>>;

/** Infers the handler's input types from the schemas. */
export function route<P extends z.ZodType = NoInput, Q extends z.ZodType = NoInput, B extends z.ZodType = NoInput>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Path parameter `:id` as a positive integer. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

const upload = multer({
  storage: multer.memoryStorage(),
  // Browsers send file names as raw UTF-8; RFC 5987 `filename*` names carry their own charset.
  defParamCharset: 'utf8',
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20, fieldSize: 64 * 1024 },
});

/** Mounts routes on `router` in the order given (the order matters for Express paths). */
export function mountRoutes(router: Router, ctx: DashboardContext, routes: RouteSpec[]): void {
  for (const spec of routes) {
    const chain: RequestHandler[] = [];
    if (spec.roles !== 'public') chain.push(requireRoles(spec.roles), requireScopeOrCsrf(spec, requireCsrf));
    if (spec.upload) chain.push(upload.single('file'));
    chain.push(async (req, res) => {
      let params, query, body;
      try {
        params = (spec.params ?? z.object({})).parse(req.params);
        query = (spec.query ?? z.object({})).parse(req.query);
        body = (spec.body ?? z.any()).parse(spec.body ? (req.body ?? {}) : undefined);
      } catch (error) {
        throw spec.onInvalid && error instanceof z.ZodError ? spec.onInvalid(error) : error;
      }
      const result = await spec.handler({
        req,
        res,
        ctx,
        params,
        query,
        body,
        session: sessionOf(res) as SessionState,
        actor: actorOf(req, res),
        file: req.file,
      });
      if (spec.raw || res.headersSent) return;
      res.status(spec.status ?? 200).json(result ?? { ok: true });
    });
    router[spec.method](spec.path, ...chain);
  }
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['message', 'code', 'status'],
      properties: { message: { type: 'string' }, code: { type: 'string' }, status: { type: 'integer' } },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): Record<string, unknown>[] {
  if (!schema) return [];
  const js = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

/** Matches the request paths of `document` routes (`/api/digests/preview`; `:param` segments match any one segment). */
export function documentPathMatcher(routes: RouteSpec[]): (path: string) => boolean {
  const patterns = routes
    .filter((r) => r.document)
    .map((r) => {
      const escaped = `/api${r.path}`.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
      return new RegExp(`^${escaped.replace(/:[A-Za-z_]+/g, '[^/]+')}$`);
    });
  return (path) => patterns.some((p) => p.test(path));
}

/** Who may call a route: a session cookie (+ CSRF header when unsafe) and/or an API token with its scope. */
function securityOf(r: RouteSpec): Record<string, string[]>[] {
  if (r.roles === 'public') return [];
  const cookie = { sessionCookie: [], ...(r.method === 'get' ? {} : { csrfHeader: [] }) };
  const scope = r.tokenScope ?? (r.method === 'get' ? 'read' : undefined);
  const bearer = scope ? [{ bearerToken: [scope] }] : [];
  return r.tokenOnly ? bearer : [cookie, ...bearer];
}

/** The OpenAPI 3.1 document for the given routes (served at /api/openapi.json). */
export function buildOpenApi(routes: RouteSpec[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = `/api${r.path}`.replace(/:([A-Za-z_]+)/g, '{$1}');
    const op: Record<string, unknown> = {
      summary: r.summary,
      tags: [r.tag],
      operationId: `${r.method}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      'x-roles': r.roles === 'public' ? [] : r.roles,
      security: securityOf(r),
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses: {
        [String(r.status ?? 200)]: r.produces
          ? { description: 'file', content: { [r.produces]: { schema: { type: 'string', format: 'binary' } } } }
          : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } },
        default: {
          description: 'error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (r.body) {
      const schema = jsonSchema(r.body);
      op.requestBody = r.upload
        ? {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  ...schema,
                  properties: { ...((schema.properties as object) ?? {}), file: { type: 'string', format: 'binary' } },
                },
              },
            },
          }
        : { required: true, content: { 'application/json': { schema } } };
    }
    (paths[path] ??= {})[r.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Yuqing 舆情 dashboard API',
      version: info.version,
      description:
        'Every route needs a session cookie (POST /api/auth/login) except health and login; state-changing requests also need the x-csrf-token header from /api/auth/me. GET routes also take a personal API token with scope read (Authorization: Bearer yqt_…), POST /api/ingest only a token with scope ingest. Errors: { error: { message, code, status } }.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'yq_sid' },
        csrfHeader: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
        bearerToken: { type: 'http', scheme: 'bearer', description: 'personal API token yqt_… (scopes read, ingest)' },
      },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}
