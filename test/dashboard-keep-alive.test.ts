// An idle keep-alive connection is closed by the client, not by the dashboard: with Node's default 5 s the server
// closed first, and a request sent on the connection at that moment failed with ECONNRESET (seen on a loaded CI
// machine in test/security-uploads.test.ts). A connection left idle past those 5 s must still carry a request.
import { request, Agent } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEEP_ALIVE_TIMEOUT_MS } from '@yuqing/dashboard';
import { startTestDashboard, type TestDashboard } from '@yuqing/testkit';

/** Node's own default keepAliveTimeout, which the dashboard used to run with. */
const NODE_DEFAULT_KEEP_ALIVE_MS = 5_000;

let dashboard: TestDashboard;
beforeAll(async () => {
  dashboard = await startTestDashboard();
});
afterAll(async () => {
  await dashboard?.close();
});

function get(agent: Agent, path: string): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${dashboard.url}${path}`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

it('keeps an idle connection open past Node’s default 5 s, so a client reusing it gets an answer', async () => {
  expect(KEEP_ALIVE_TIMEOUT_MS).toBeGreaterThan(60_000);
  // One socket, kept alive on the client's side far longer than the wait below.
  const agent = new Agent({ keepAlive: true, maxSockets: 1, timeout: 120_000 });
  try {
    const first = await get(agent, '/api/health');
    expect(first).toEqual({ status: 200, reusedSocket: false });
    await new Promise((resolve) => setTimeout(resolve, NODE_DEFAULT_KEEP_ALIVE_MS + 1_500));
    // Had the server closed the connection, the agent would have dropped it and opened a new one.
    const second = await get(agent, '/api/health');
    expect(second).toEqual({ status: 200, reusedSocket: true });
  } finally {
    agent.destroy();
  }
}, 30_000);
