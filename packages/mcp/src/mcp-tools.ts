// The read-only tools an MCP client (an assistant in the bureau's office software, a script) may call. Each tool is
// a thin call of an existing repository or digest function: the same rows the dashboard shows, as JSON text.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { dateInZone, systemClock, type Clock } from '@yuqing/core';
import {
  getIssue,
  getResponse,
  issueHotnessHistory,
  issueTimeline,
  listIssues,
  listMentions,
  type Db,
  type Role,
} from '@yuqing/db';
import { buildDigestContent } from '@yuqing/digest';
import { ISSUE_LEVELS, ISSUE_STATUSES, searchQueryTokenSets } from '@yuqing/domain';
import { tokenise } from '@yuqing/nlp';
import { mcpToolAllowed } from './tool-roles.ts';

/** What the tools read from. */
export interface YuqingMcpOptions {
  db: Db;
  /** Dashboard base URL: links in answers (digest items) point there. */
  publicUrl: string;
  /** The bureau's time zone: "today" for the digest. */
  timeZone: string;
  /** @defaultValue systemClock */
  clock?: Clock;
  /**
   * The role of the token's user: tools the role may not use (MCP_TOOL_ROLES) are not served. Absent for `yq mcp`
   * over stdio (every tool).
   */
  role?: Role;
}

/** Most rows one list tool answers (a model reads them all: keep the answer short). */
const MAX_TOOL_ROWS = 50;
/** Mentions of an issue's timeline included by get_issue. */
const ISSUE_TIMELINE_ROWS = 30;
/** Hotness points included by get_issue (the latest). */
const ISSUE_HOTNESS_POINTS = 48;

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

function json(value: unknown) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value, null, 1) }] };
}

function notFound(what: string) {
  return { isError: true, content: [{ type: 'text' as const, text: `${what} 不存在 (not found)` }] };
}

/**
 * An MCP server with the read-only tools: search_mentions, list_issues, get_issue (timeline, hotness),
 * get_response (versions, interpretation material), get_digest. One server per connection (stdio) or per request
 * (stateless streamable HTTP).
 */
export function createYuqingMcpServer(options: YuqingMcpOptions): McpServer {
  const { db } = options;
  const clock = options.clock ?? systemClock;
  const server = new McpServer(
    { name: 'yuqing', version: '0.1.0' },
    { instructions: '舆情监测（人社局）只读工具：检索提及、议题列表与详情（时间线、热度）、回应与解读材料、日报。' },
  );

  server.registerTool(
    'search_mentions',
    {
      title: '检索提及',
      description: 'Full-text search of collected mentions (posts, articles), newest first.',
      inputSchema: {
        query: z.string().min(1).max(200).describe('search words, e.g. 养老保险 转移'),
        category: z.string().max(40).optional().describe('HR sub-category, e.g. 养老保险'),
        sentiment: z.enum(['negative', 'neutral', 'positive']).optional(),
        limit: z.number().int().min(1).max(MAX_TOOL_ROWS).optional(),
      },
      annotations: READ_ONLY,
    },
    async ({ query, category, sentiment, limit }) => {
      const page = await listMentions(db, {
        searchTokenSets: searchQueryTokenSets(query, tokenise),
        limit: limit ?? 20,
        ...(category ? { category } : {}),
        ...(sentiment ? { sentiment } : {}),
      });
      return json(page);
    },
  );

  server.registerTool(
    'list_issues',
    {
      title: '议题列表',
      description:
        'Issues (clusters of mentions about one matter) with level, status, hotness; hottest or latest first.',
      inputSchema: {
        status: z.array(z.enum(ISSUE_STATUSES)).optional(),
        level: z.array(z.enum(ISSUE_LEVELS)).optional(),
        category: z.string().max(40).optional(),
        query: z.string().max(200).optional().describe('only issues with mentions matching these words'),
        sort: z.enum(['recent', 'hot']).optional(),
        limit: z.number().int().min(1).max(MAX_TOOL_ROWS).optional(),
      },
      annotations: READ_ONLY,
    },
    async ({ status, level, category, query, sort, limit }) =>
      json(
        await listIssues(db, {
          limit: limit ?? 20,
          ...(status ? { status } : {}),
          ...(level ? { level } : {}),
          ...(category ? { category } : {}),
          ...(sort ? { sort } : {}),
          ...(query ? { searchTokenSets: searchQueryTokenSets(query, tokenise) } : {}),
        }),
      ),
  );

  server.registerTool(
    'get_issue',
    {
      title: '议题详情',
      description: 'One issue with its flags, responses, the first mentions of its timeline and its hotness history.',
      inputSchema: { id: z.number().int().positive() },
      annotations: READ_ONLY,
    },
    async ({ id }) => {
      const issue = await getIssue(db, id);
      if (!issue) return notFound(`议题 ${id}`);
      const [timeline, hotness] = await Promise.all([issueTimeline(db, id), issueHotnessHistory(db, id)]);
      return json({
        issue,
        timeline: { ...timeline, entries: timeline.entries.slice(0, ISSUE_TIMELINE_ROWS) },
        hotness: hotness.slice(-ISSUE_HOTNESS_POINTS),
      });
    },
  );

  const responseTool = server.registerTool(
    'get_response',
    {
      title: '回应与解读材料',
      description:
        'One response (口径): its versions, approvals, publication and interpretation material (Q&A, explainer, files).',
      inputSchema: { id: z.number().int().positive() },
      annotations: READ_ONLY,
    },
    async ({ id }) => {
      const response = await getResponse(db, id);
      return response ? json(response) : notFound(`回应 ${id}`);
    },
  );
  // Removed for a role that may not use it: absent from tools/list, and a call answers "not found".
  if (!mcpToolAllowed('get_response', options.role)) responseTool.remove();

  server.registerTool(
    'get_digest',
    {
      title: '舆情日报',
      description:
        'The daily digest of a day (default today in the bureau’s time zone): headline figures, new and escalated issues, pending responses.',
      inputSchema: {
        date: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .optional()
          .describe('YYYY-MM-DD'),
      },
      annotations: READ_ONLY,
    },
    async ({ date }) =>
      json(
        await buildDigestContent(db, {
          date: date ?? dateInZone(clock.now(), options.timeZone),
          timeZone: options.timeZone,
          publicUrl: options.publicUrl,
          asOf: clock.now(),
        }),
      ),
  );

  return server;
}
