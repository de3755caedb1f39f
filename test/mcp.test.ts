// The read-only MCP server through the official SDK client: over stdio by the real `yq mcp` launcher, and over
// streamable HTTP at the dashboard's /mcp behind an API token with scope read. Tools follow the token user's role:
// get_response (a response draft and its interpretation material) is for spokespersons, leaders and admins only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { addMaterial, createResponse } from '@yuqing/db';
import { ApiClient, seedIssue, seedSource, startTestDashboard, type TestDashboard } from '@yuqing/testkit';

const ROOT = new URL('..', import.meta.url).pathname;
let t: TestDashboard;
let issueId: number;
let readToken: string;
let ingestToken: string;
let spokespersonToken: string;
let leaderToken: string;
let responseId: number;

beforeAll(async () => {
  t = await startTestDashboard();
  const issue = await seedIssue(t.db, {
    title: '养老保险关系转移接续办理慢',
    level: 'major',
    category: '养老保险',
    mentions: [
      { title: '养老保险转移两个月未办结', body: '养老保险关系转移申请提交两个月了还没有办结，进度怎么查询？' },
      { title: '跨省转移养老保险太慢', body: '跨省转移养老保险关系，材料交齐后一直显示审核中。' },
    ],
  });
  issueId = issue.issue.id;
  const analyst = await ApiClient.login(t.url, t.users.analyst);
  readToken = (await analyst.post('/api/api-tokens', { name: 'MCP', scopes: ['read'] })).body.token;
  const sourceId = (await seedSource(t.db)).id;
  ingestToken = (await analyst.post('/api/api-tokens', { name: 'push', scopes: ['ingest'], sourceId })).body.token;
  const spokesperson = await ApiClient.login(t.url, t.users.spokesperson);
  spokespersonToken = (await spokesperson.post('/api/api-tokens', { name: 'MCP', scopes: ['read'] })).body.token;
  const leader = await ApiClient.login(t.url, t.users.leader);
  leaderToken = (await leader.post('/api/api-tokens', { name: 'MCP', scopes: ['read'] })).body.token;
  // A draft response with a Q&A of interpretation material: what get_response shows.
  const actor = { actorId: t.users.spokesperson.id, ip: 'test' };
  const response = await createResponse(
    t.db,
    { issueId, authorId: t.users.spokesperson.id, body: '关于养老保险关系转移接续的说明（草稿）', now: new Date() },
    actor,
  );
  responseId = response.id;
  await addMaterial(
    t.db,
    responseId,
    { kind: 'qa', title: '转移办理时限', question: '跨省转移要多久？', answer: '材料齐全的，45 个工作日内办结。' },
    t.users.spokesperson.id,
    actor,
  );
});
afterAll(async () => {
  await t?.close();
});

function text(result: Awaited<ReturnType<Client['callTool']>>): string {
  return (result.content as { type: string; text: string }[])[0]!.text;
}

const ALL_TOOLS = ['get_digest', 'get_issue', 'get_response', 'list_issues', 'search_mentions'];

async function exerciseTools(client: Client, options: { responses: boolean }): Promise<void> {
  const tools = (await client.listTools()).tools.map((tool) => tool.name).sort();
  expect(tools).toEqual(options.responses ? ALL_TOOLS : ALL_TOOLS.filter((name) => name !== 'get_response'));
  expect((await client.listTools()).tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);

  const found = JSON.parse(text(await client.callTool({ name: 'search_mentions', arguments: { query: '养老保险' } })));
  expect(found.items.map((m: { title: string }) => m.title).sort()).toEqual([
    '养老保险转移两个月未办结',
    '跨省转移养老保险太慢',
  ]);
  const issues = JSON.parse(text(await client.callTool({ name: 'list_issues', arguments: { level: ['major'] } })));
  expect(issues.items.map((i: { id: number }) => i.id)).toEqual([issueId]);
  const detail = JSON.parse(text(await client.callTool({ name: 'get_issue', arguments: { id: issueId } })));
  expect(detail.issue.title).toBe('养老保险关系转移接续办理慢');
  expect(detail.timeline.entries).toHaveLength(2);
  expect(detail.hotness.length).toBeGreaterThan(0);
  const missing = await client.callTool({ name: 'get_response', arguments: { id: 999999 } });
  expect(missing.isError).toBe(true);
  const response = await client.callTool({ name: 'get_response', arguments: { id: responseId } });
  if (options.responses) {
    const shown = JSON.parse(text(response));
    expect(shown.versions[0].body).toBe('关于养老保险关系转移接续的说明（草稿）');
    expect(shown.materials.map((m: { question: string }) => m.question)).toEqual(['跨省转移要多久？']);
  } else {
    // Not the analyst's tool: an error, and nothing of the draft in it.
    expect(response.isError).toBe(true);
    expect(text(response)).toContain('get_response not found');
    expect(text(response)).not.toContain('草稿');
  }
  const digest = JSON.parse(text(await client.callTool({ name: 'get_digest', arguments: { date: '2026-12-05' } })));
  expect(digest).toHaveProperty('headline');
  const bad = await client.callTool({ name: 'get_issue', arguments: { id: 'x' } });
  expect(bad.isError).toBe(true);
}

describe('MCP over streamable HTTP (/mcp)', () => {
  it('serves the read-only tools to an analyst token with scope read, without get_response', async () => {
    const client = new Client({ name: 'yuqing-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
        requestInit: { headers: { Authorization: `Bearer ${readToken}` } },
      }),
    );
    try {
      await exerciseTools(client, { responses: false });
    } finally {
      await client.close();
    }
  });

  it('serves get_response to spokesperson and leader tokens', async () => {
    for (const token of [spokespersonToken, leaderToken]) {
      const client = new Client({ name: 'yuqing-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      try {
        await exerciseTools(client, { responses: true });
      } finally {
        await client.close();
      }
    }
  });

  it('refuses requests without a token, with an ingest-only token, and cookie sessions', async () => {
    const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} };
    const post = (headers: Record<string, string>) =>
      fetch(`${t.url}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
        body: JSON.stringify(init),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ Authorization: `Bearer ${ingestToken}` })).status).toBe(403);
    const analyst = await ApiClient.login(t.url, t.users.analyst);
    expect((await post({ Cookie: analyst.cookie })).status).toBe(401);
    const client = new Client({ name: 'yuqing-test', version: '1.0.0' });
    await expect(
      client.connect(
        new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`), {
          requestInit: { headers: { Authorization: `Bearer yqt_${'B'.repeat(43)}` } },
        }),
      ),
    ).rejects.toThrow();
  });
});

describe('MCP over stdio (yq mcp)', () => {
  it('serves the same tools through the real yq launcher', async () => {
    const transport = new StdioClientTransport({
      command: 'node',
      args: ['packages/cli/bin/yq.mjs', 'mcp'],
      cwd: ROOT,
      env: { ...(process.env as Record<string, string>), DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'warn' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'yuqing-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      // Whoever runs yq on this machine can read the database: every tool.
      await exerciseTools(client, { responses: true });
    } finally {
      await client.close();
    }
  }, 60_000);
});
