import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDbClient } from './client.ts';
import { prismaOf, type PrismaDb } from './handle.ts';
import { openMemoryServer, type EmbeddedServer } from './embedded-server.ts';
import { applyMigrations } from './migrations.ts';
import { MIGRATIONS_DIR } from './paths.ts';

let server: EmbeddedServer;
const clients: PrismaDb[] = [];

beforeAll(async () => {
  server = await openMemoryServer();
  await applyMigrations(server.url, MIGRATIONS_DIR);
});
afterAll(async () => {
  for (const c of clients) await c.$disconnect();
  await server.close();
});

describe('embedded database served to many clients', () => {
  it('keeps concurrent parameterised queries and transactions from different clients apart', async () => {
    const a = prismaOf(createDbClient(server.url, 8));
    const b = prismaOf(createDbClient(server.url, 8));
    clients.push(a, b);
    let wrong = 0;
    await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const db = i % 2 === 0 ? a : b;
        if (i % 4 === 0) {
          await db.$transaction(async (tx) => {
            const source = await tx.source.create({
              data: { name: `s${i}`, kind: 'rss', url: `http://feed.example/${i}` },
            });
            await tx.source.update({ where: { id: source.id }, data: { weight: i } });
          });
        } else {
          // Different parameter counts per query: an interleaved Parse would fail the Bind.
          const names = Array.from({ length: 1 + (i % 5) }, (_, k) => `s${4 * k}`);
          const rows = await db.source.findMany({ where: { name: { in: names }, weight: { gte: 0 } } });
          if (rows.some((r) => !names.includes(r.name) || r.weight !== Number(r.name.slice(1)))) wrong++;
        }
      }),
    );
    expect(wrong).toBe(0);
    const sources = await a.source.findMany({ select: { name: true, weight: true } });
    expect(sources).toHaveLength(50);
    expect(sources.every((s) => s.weight === Number(s.name.slice(1)))).toBe(true);
  });

  it('rolls back the transaction of a client that disconnects inside it, and serves others meanwhile', async () => {
    const quitter = new pg.Client({ connectionString: server.url });
    await quitter.connect();
    await quitter.query('BEGIN');
    await quitter.query(
      `INSERT INTO "Source" (name, kind, url, "updatedAt") VALUES ('abandoned', 'rss', 'http://gone.example/', now())`,
    );
    const other = prismaOf(createDbClient(server.url, 2));
    clients.push(other);
    const waiting = other.source.count({ where: { name: 'abandoned' } });
    quitter.end().catch(() => {});
    expect(await waiting).toBe(0);
  });
});
