// A real dashboard for tests: fresh PostgreSQL database, unique Redis prefix, temp data folder, one user per role.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, loadConfig, type AppConfig, type Clock } from '@yuqing/core';
import { createUser, type Db, type Role } from '@yuqing/db';
import { createRedisConnection, JobQueues } from '@yuqing/queue';
import { createDashboardApp, listenDashboard } from '@yuqing/dashboard';
import { createTestDatabase } from './test-database.ts';

/** Password of every user {@link startTestDashboard} creates. */
export const TEST_PASSWORD = 'correct-horse-battery';

/** One of the users {@link startTestDashboard} creates (one per role). */
export interface TestUser {
  id: number;
  username: string;
  password: string;
  role: Role;
}

/** A running test dashboard and what it runs on; `url` is the HTTP base URL. */
export interface TestDashboard {
  url: string;
  db: Db;
  /** The test database's connection URL (for plain-SQL checks). */
  databaseUrl: string;
  queues: JobQueues;
  config: AppConfig;
  prefix: string;
  dataDir: string;
  users: Record<Role, TestUser>;
  close(): Promise<void>;
}

/** Options for {@link startTestDashboard}. */
export interface TestDashboardOptions {
  clock?: Clock;
  /** Extra environment for `loadConfig` (e.g. `TRUST_PROXY`, `PUBLIC_URL`). */
  env?: Record<string, string>;
  /** Scales the login throttle's address delays (0.01: tests do not sleep seconds). @defaultValue 1 */
  loginDelayScale?: number;
  /** YQ_SECRET_KEY of the test database (secrets sealed, alert acknowledgement links checked). @defaultValue none */
  secretKey?: string;
}

/** Starts the dashboard on an ephemeral port with everything it needs; `close()` removes all of it. */
export async function startTestDashboard(options: TestDashboardOptions = {}): Promise<TestDashboard> {
  const database = await createTestDatabase(options.secretKey ? { secretKey: options.secretKey } : {});
  const dataDir = await mkdtemp(join(tmpdir(), 'yq-dash-'));
  const prefix = `yqtest-${randomUUID()}`;
  const config = loadConfig({
    ...options.env,
    YQ_DATA_DIR: dataDir,
    YQ_QUEUE_PREFIX: prefix,
    DATABASE_URL: database.url,
  });
  const connection = createRedisConnection(config.redisUrl);
  const queues = new JobQueues({ connection, prefix });
  const hash = await hashPassword(TEST_PASSWORD);
  const users = {} as Record<Role, TestUser>;
  for (const role of ['analyst', 'spokesperson', 'leader', 'admin'] as const) {
    const u = await createUser(database.db, {
      username: `${role}1`,
      displayName: `${role} 用户`,
      passwordHash: hash,
      role,
    });
    users[role] = { id: u.id, username: u.username, password: TEST_PASSWORD, role };
  }
  const app = createDashboardApp({
    db: database.db,
    dbKind: 'postgresql',
    queues,
    config,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.loginDelayScale !== undefined ? { loginThrottle: { delayScale: options.loginDelayScale } } : {}),
  });
  const server = await listenDashboard(app, 0, '127.0.0.1');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    db: database.db,
    databaseUrl: database.url,
    queues,
    config,
    prefix,
    dataDir,
    users,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const q of queues.all()) await q.obliterate({ force: true }).catch(() => {});
      await queues.close();
      connection.disconnect();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logged-in HTTP client (cookie + CSRF header), as a browser's fetch would behave. */
export class ApiClient {
  cookie = '';
  csrf = '';
  constructor(readonly baseUrl: string) {}

  static async login(baseUrl: string, user: { username: string; password: string }): Promise<ApiClient> {
    const client = new ApiClient(baseUrl);
    const res = await client.request('POST', '/api/auth/login', { username: user.username, password: user.password });
    if (res.status !== 200)
      throw new Error(`login failed for ${user.username}: ${res.status} ${JSON.stringify(res.body)}`);
    return client;
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const h: Record<string, string> = { Accept: 'application/json', ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in headers)) h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.getSetCookie();
    for (const c of setCookie) {
      const [pair] = c.split(';');
      if (pair?.startsWith('yq_sid=')) this.cookie = pair.endsWith('=') ? '' : pair;
    }
    const type = res.headers.get('content-type') ?? '';
    const parsed = type.includes('application/json') ? await res.json() : await res.text();
    if (parsed && typeof parsed === 'object' && typeof (parsed as { csrfToken?: unknown }).csrfToken === 'string')
      this.csrf = (parsed as { csrfToken: string }).csrfToken;
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body: unknown = {}) {
    return this.request('POST', path, body);
  }
}
