// Streamable HTTP transport of the MCP server at /mcp: stateless (a new server and transport per request, as the
// SDK recommends for servers that keep no session state), and only for an API token with scope read: MCP clients
// send the token as a Bearer header; a browser's cookie session is not accepted here.
import express, { type RequestHandler, type Router } from 'express';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createYuqingMcpServer } from '@yuqing/mcp';
import { ROLES } from './auth/roles.ts';
import { apiTokenOf, loadBearer } from './auth/bearer.ts';
import { sessionOf, type DashboardContext } from './context.ts';
import { HttpError } from './http/errors.ts';

/** Largest MCP request body, in bytes (tool calls are small JSON-RPC messages). */
const MAX_MCP_BODY_BYTES = 64 * 1024;

const requireReadToken: RequestHandler = (_req, res, next) => {
  const token = apiTokenOf(res);
  const session = sessionOf(res);
  if (!token || !session)
    return next(
      new HttpError(401, 'TOKEN_REQUIRED', 'MCP 需要 API 令牌 (Authorization: Bearer yqt_… with scope read)'),
    );
  if (!token.scopes.includes('read'))
    return next(new HttpError(403, 'TOKEN_SCOPE', 'API 令牌缺少权限范围 read (token lacks scope read)'));
  if (!(ROLES.read as readonly string[]).includes(session.user.role))
    return next(new HttpError(403, 'FORBIDDEN', '无权执行此操作 (your role may not do this)'));
  next();
};

/** The /mcp router: POST carries JSON-RPC; GET (server-sent stream) and DELETE (sessions) do not apply when stateless. */
export function mcpRouter(ctx: DashboardContext): Router {
  const router = express.Router();
  router.use(express.json({ limit: MAX_MCP_BODY_BYTES }), loadBearer(ctx), requireReadToken);
  router.post('/', async (req, res, next) => {
    try {
      const server = createYuqingMcpServer({
        db: ctx.db,
        publicUrl: ctx.config.publicUrl,
        timeZone: ctx.config.timeZone,
        clock: ctx.clock,
        // Tools follow the token's user's role (get_response is not an analyst's).
        role: sessionOf(res)!.user.role,
      });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, req.body);
    } catch (error) {
      next(error);
    }
  });
  router.all('/', (_req, res) => {
    res.status(405).setHeader('Allow', 'POST');
    res.json({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'Method not allowed (stateless server: POST only)' },
      id: null,
    });
  });
  return router;
}
