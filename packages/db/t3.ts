import { openDatabase } from './src/index.ts';
const t0 = Date.now();
const d = await openDatabase({ databaseUrl: undefined, dataDir: '/tmp/yqdata-t3' });
console.log('open', Date.now() - t0, d.appliedMigrations, d.url);
await d.db.source.create({ data: { name: 'x', kind: 'rss', url: 'http://a' } });
await Promise.all(Array.from({ length: 20 }, (_, i) => d.db.$transaction(async (tx) => { await tx.source.create({ data: { name: 'p' + i, kind: 'rss', url: 'http://b' } }); return tx.source.count(); })));
console.log(await d.db.source.count());
await d.db.mention.create({ data: { url: 'u', canonicalUrl: 'u', urlHash: 'h', contentHash: 'c', title: 't', body: 'b', searchTokens: '养老金 上调' } });
console.log(await d.db.$queryRaw`SELECT id FROM "Mention" WHERE "searchVector" @@ to_tsquery('simple', '养老金')`);
try { await d.db.$executeRaw`DELETE FROM "AuditLog"`; console.log('audit delete allowed?!'); } catch (e) { console.log('audit delete refused:', (e as Error).message.slice(0, 100)); }
await d.close();
console.log('closed', Date.now() - t0);
